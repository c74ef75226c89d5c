"""The reference projects' serving architecture, as a baseline for `npm run bench -- --reference`.

Flask behind gunicorn (2 sync workers), PyTorch's MobileNetV3-Small and
torchvision's preprocessing (PIL decode, Resize(256), CenterCrop(224),
ToTensor, Normalize), one image per request: the way the Flask upload apps
PetLens replaces serve. It exists to be measured in the same run as PetLens,
so that the speed-up does not depend on how fast the shared machine is that
hour. The features are the ImageNet backbone from ../shared/models (the head
is untrained: the answers mean nothing, the cost is the same); not part of the
product.
"""
from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import torch
from flask import Flask, jsonify, request
from PIL import Image, UnidentifiedImageError
from torchvision import transforms
from torchvision.models import mobilenet_v3_small

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "training"))
from backbone import load_pretrained_features  # noqa: E402

LABELS = ("cat", "dog", "neither")

model = mobilenet_v3_small(num_classes=len(LABELS))
model.features = load_pretrained_features(Path(os.environ["REFERENCE_BACKBONE"]))
model.eval()

preprocess = transforms.Compose(
    [
        transforms.Resize(256),
        transforms.CenterCrop(224),
        transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    ]
)

app = Flask(__name__)


@app.post("/predict")
def predict():
    file = request.files.get("image")
    if file is None:
        return jsonify(error='send the photo as multipart field "image"'), 400
    try:
        image = Image.open(io.BytesIO(file.read())).convert("RGB")
    except (UnidentifiedImageError, OSError) as error:
        return jsonify(error=f"not a readable image: {error}"), 415
    with torch.no_grad():
        probabilities = torch.softmax(model(preprocess(image).unsqueeze(0)), dim=1)[0].tolist()
    best = max(range(len(LABELS)), key=probabilities.__getitem__)
    return jsonify(predictions=[{"label": LABELS[best], "confidence": probabilities[best], "probabilities": dict(zip(LABELS, probabilities))}])


@app.get("/health")
def health():
    return jsonify(status="ok")
