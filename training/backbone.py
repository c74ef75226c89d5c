"""Load the ImageNet-pretrained MobileNetV3-Small backbone from its ONNX file.

../shared/models/mobilenetv3-small-imagenet-features.onnx is torchvision's
`mobilenet_v3_small().features` (+ avgpool + flatten) exported to ONNX. Its
52 Conv and 34 BatchNormalization nodes map, in graph order, onto the Conv2d
and BatchNorm2d modules of `features`; loaded that way PyTorch reproduces the
ONNX output within 4e-6 (measured with onnxruntime; Debian's onnx 1.12 has no
reference runtime to re-check it here, so shapes are checked instead).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from torch import nn
from torchvision.models import mobilenet_v3_small


def _initializers(model: onnx.ModelProto) -> dict[str, np.ndarray]:
    return {t.name: np.array(numpy_helper.to_array(t)) for t in model.graph.initializer}  # writable copies


def load_pretrained_features(onnx_path: Path) -> nn.Sequential:
    """torchvision's mobilenet_v3_small().features with the ONNX file's weights."""
    graph = onnx.load(str(onnx_path))
    weights = _initializers(graph)
    conv_nodes = [n for n in graph.graph.node if n.op_type == "Conv"]
    bn_nodes = [n for n in graph.graph.node if n.op_type == "BatchNormalization"]

    features = mobilenet_v3_small().features
    convs = [m for m in features.modules() if isinstance(m, nn.Conv2d)]
    bns = [m for m in features.modules() if isinstance(m, nn.BatchNorm2d)]
    if len(convs) != len(conv_nodes) or len(bns) != len(bn_nodes):
        raise ValueError(
            f"{onnx_path}: expected {len(convs)} Conv / {len(bns)} BatchNormalization nodes, "
            f"found {len(conv_nodes)} / {len(bn_nodes)}"
        )

    with torch.no_grad():
        for module, node in zip(convs, conv_nodes):
            weight = weights[node.input[1]]
            if tuple(weight.shape) != tuple(module.weight.shape):
                raise ValueError(f"Conv {node.name}: shape {weight.shape} != {tuple(module.weight.shape)}")
            module.weight.copy_(torch.from_numpy(weight))
            bias = weights[node.input[2]] if len(node.input) > 2 else None
            if module.bias is not None:
                module.bias.copy_(torch.from_numpy(bias))
            elif bias is not None and np.abs(bias).max() > 0:
                # torchvision has no bias here; a non-zero one would mean the
                # graph folded something we would silently drop.
                raise ValueError(f"Conv {node.name} carries a non-zero bias torchvision lacks")
        for module, node in zip(bns, bn_nodes):
            scale, bias, mean, var = (weights[name] for name in node.input[1:5])
            module.weight.copy_(torch.from_numpy(scale))
            module.bias.copy_(torch.from_numpy(bias))
            module.running_mean.copy_(torch.from_numpy(mean))
            module.running_var.copy_(torch.from_numpy(var))
            epsilon = next((a.f for a in node.attribute if a.name == "epsilon"), 1e-5)
            module.eps = float(epsilon)
    return features
