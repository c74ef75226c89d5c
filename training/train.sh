#!/usr/bin/env bash
# npm run train [-- extra train.py options]
# Trains the classifier (PyTorch, Debian's python3-torch) and writes the
# TypeScript-measured test metrics into its model card.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's torch lives in the system interpreter, not in a pyenv/venv python.
PYTHON=${PYTHON:-/usr/bin/python3}
# libopenblas0-openmp: Debian's torch calls whatever provides libblas.so.3 for
# its matrix products; the default reference BLAS is about 10x slower.
PACKAGES="python3-torch python3-torchvision python3-onnx python3-pil libopenblas0-openmp"
if ! "$PYTHON" -c 'import torch, torchvision, onnx, PIL' 2>/dev/null || [ ! -e /usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing the training toolchain from Debian: $PACKAGES" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PACKAGES >/dev/null
  else
    echo "training needs: apt-get install -y $PACKAGES (or set PYTHON to an interpreter with torch, torchvision, onnx, PIL)" >&2
    exit 1
  fi
fi
"$PYTHON" training/train.py "$@"
npx tsx scripts/write-model-metrics.ts
