"""The PetLens classifier: MobileNetV3-Small features + a 3-way head.

The network takes what the serving code gets from sharp without any per-pixel
work in JavaScript: uint8 RGB pixels, NHWC, [N, S, S, 3] (S = --eval-size, 288 by default; trained on --input-size crops, 256). Scaling to
[0, 1], ImageNet mean/std normalisation and the NHWC -> NCHW transpose are the
first layers of the graph, so training and serving cannot disagree on them.
"""
from __future__ import annotations

import torch
from torch import nn

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
FEATURE_DIM = 576


class Normalize(nn.Module):
    """uint8 NHWC RGB -> float32 NCHW, ImageNet-normalised."""

    def __init__(self) -> None:
        super().__init__()
        mean = torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1) * 255.0
        std = torch.tensor(IMAGENET_STD).view(1, 3, 1, 1) * 255.0
        # (x/255 - mean)/std == x * (1/(255 std)) - mean/std: one mul + one add.
        self.register_buffer("scale", 1.0 / std)
        self.register_buffer("shift", -mean / std)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        x = pixels.permute(0, 3, 1, 2).to(torch.float32)
        return x * self.scale + self.shift


class PetClassifier(nn.Module):
    def __init__(self, features: nn.Sequential, num_classes: int = 3, hidden: int = 1024, dropout: float = 0.2) -> None:
        super().__init__()
        self.normalize = Normalize()
        self.features = features
        self.pool = nn.AdaptiveAvgPool2d(1)
        # torchvision's MobileNetV3 classifier shape (576 -> 1024 -> classes),
        # freshly initialised: the backbone file carries no ImageNet head.
        self.head = nn.Sequential(
            nn.Linear(FEATURE_DIM, hidden),
            nn.Hardswish(),
            nn.Dropout(dropout),
            nn.Linear(hidden, num_classes),
        )

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        x = self.features(self.normalize(pixels))
        return self.head(torch.flatten(self.pool(x), 1))


def export_onnx(model: PetClassifier, path: str, input_size: int, opset: int = 17) -> None:
    """Export with a dynamic batch axis: input `pixels` uint8 [N,S,S,3] -> `logits` float32 [N,3]."""
    model.eval()
    example = torch.zeros(1, input_size, input_size, 3, dtype=torch.uint8)
    torch.onnx.export(
        model,
        example,
        path,
        input_names=["pixels"],
        output_names=["logits"],
        dynamic_axes={"pixels": {0: "batch"}, "logits": {0: "batch"}},
        opset_version=opset,
        do_constant_folding=True,
    )
