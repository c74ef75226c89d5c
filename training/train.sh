#!/usr/bin/env bash
# npm run train [-- extra train.py options]
# Trains the classifier (PyTorch, Debian's python3-torch) and writes the
# TypeScript-measured test metrics into its model card.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's torch lives in the system interpreter, not in a pyenv/venv python.
PYTHON=${PYTHON:-/usr/bin/python3}
if ! "$PYTHON" -c 'import torch, torchvision, onnx, PIL' 2>/dev/null; then
  echo "training needs PyTorch: apt-get install -y python3-torch python3-torchvision python3-onnx python3-pil (or set PYTHON)" >&2
  exit 1
fi
"$PYTHON" training/train.py "$@"
npx tsx scripts/write-model-metrics.ts
