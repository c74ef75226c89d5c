#!/usr/bin/env bash
# scripts/reference-server/serve.sh PORT
# Starts the reference serving architecture (app.py: Flask + gunicorn with 2
# sync workers + PyTorch) on 127.0.0.1:PORT, for `npm run bench -- --reference`.
# Installs what it needs from Debian when run as root, as training/train.sh does.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${1:?usage: serve.sh PORT}

source scripts/lib/debian.sh
# libopenblas0-openmp, as for training (OPENBLAS_LIBBLAS in debian.sh): on Debian's default BLAS the reference would be
# slowed by a setting, not by its architecture (a torch from pip brings its own fast kernels). Runs before 2026-11-23's
# last one were measured without it.
ensure_packages "the reference server" "/usr/bin/python3 -c 'import torch, torchvision, onnx, PIL, flask' && command -v gunicorn && [ -e \"\$OPENBLAS_LIBBLAS\" ]" \
  python3-torch python3-torchvision python3-onnx python3-pil python3-flask gunicorn libopenblas0-openmp

# Absolute: gunicorn changes into scripts/reference-server.
# realpath -e on a line of its own: a missing file stops here, by name.
REFERENCE_BACKBONE=$(realpath -e "${REFERENCE_BACKBONE:-../shared/models/mobilenetv3-small-imagenet-features.onnx}")
export REFERENCE_BACKBONE
# --pdeathsig: stopped with the benchmark that started it, even one killed outright.
exec setpriv --pdeathsig TERM gunicorn --workers 2 --bind "127.0.0.1:$PORT" --chdir scripts/reference-server --log-level warning app:app
