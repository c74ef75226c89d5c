#!/usr/bin/env bash
# npm run train [-- extra train.py options]
# Trains the classifier (PyTorch, Debian's python3-torch) and writes the
# TypeScript-measured test metrics into its model card.
set -euo pipefail
cd "$(dirname "$0")/.."

# The last step measures the model through the TypeScript serving code: check
# for it now, not after the training has overwritten models/.
[ -x node_modules/.bin/tsx ] || { echo "train: run npm install first (the test metrics are measured with the app's code)" >&2; exit 1; }

# Where train.py writes (its --out-dir / --name) and what it reads (--data),
# so that the metrics step measures that card on that data.
OUT_DIR=models NAME=petlens-mobilenetv3-small DATA=../shared/data HELP=
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case "${args[i]}" in
    --out-dir | --name | --data) value="${args[i + 1]:-}" ;;&
    --out-dir) OUT_DIR=$value ;;
    --name) NAME=$value ;;
    --data) DATA=$value ;;
    --out-dir=*) OUT_DIR=${args[i]#*=} ;;
    --name=*) NAME=${args[i]#*=} ;;
    --data=*) DATA=${args[i]#*=} ;;
    --splits | --splits=*) echo "train: --splits is not supported: the metrics step measures training/splits/test.txt" >&2; exit 1 ;;
    -h | --help) HELP=1 ;;
  esac
done

# Debian's torch lives in the system interpreter, not in a pyenv/venv python.
PYTHON=${PYTHON:-/usr/bin/python3}
TRAINING_IMPORTS='import torch, torchvision, onnx, PIL'

# --help answers before anything is installed, downloaded or staged. train.py's own options need its packages (it
# imports torch first), so without them this says how to get them instead.
if [ -n "$HELP" ]; then
  echo "usage: npm run train [-- train.py options]   (trains, exports models/*.onnx and its card, measures it on the test split)"
  echo
  if "$PYTHON" -c "$TRAINING_IMPORTS" 2>/dev/null; then
    exec "$PYTHON" training/train.py --help
  fi
  echo "train.py's options are listed once its packages are installed: apt-get install -y python3-torch" \
    "python3-torchvision python3-onnx python3-pil (npm run train installs them itself when run as root)"
  exit 0
fi

# libopenblas0-openmp: see OPENBLAS_LIBBLAS in debian.sh.
source scripts/lib/debian.sh
ensure_packages training \
  '"$PYTHON" -c "$TRAINING_IMPORTS" && [ -e "$OPENBLAS_LIBBLAS" ]' \
  python3-torch python3-torchvision python3-onnx python3-pil libopenblas0-openmp ||
  { echo "(or set PYTHON to an interpreter with torch, torchvision, onnx, PIL)" >&2; exit 1; }

# Extra "neither" images (training/data.py, EXTRA_STAMPS_SOURCE): Tux Paint's
# stamps, a Debian package, pinned by version and checksum so that a retraining
# sees the same files. Only the PNGs are kept (26 MB of the 160 MB package).
STAMPS_PACKAGE=tuxpaint-stamps-default
STAMPS_VERSION=2022.06.04-1
STAMPS_SHA256=6db6c1bfc870a47f1499d6203b083522eacb57c5f9c87d468f2e92eb6d9d5f34
STAMPS_DIR=.cache/$STAMPS_PACKAGE-$STAMPS_VERSION
if [ ! -d "$STAMPS_DIR/usr/share/tuxpaint/stamps" ]; then
  echo "fetching $STAMPS_PACKAGE $STAMPS_VERSION from Debian" >&2
  download=$(mktemp -d)
  download_deb "$download" "$STAMPS_PACKAGE=$STAMPS_VERSION"
  deb=$(ls "$download"/*.deb)
  echo "$STAMPS_SHA256  $deb" | sha256sum --check --quiet
  mkdir -p "$STAMPS_DIR.partial"
  dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$STAMPS_DIR.partial" --wildcards '*.png'
  mv "$STAMPS_DIR.partial" "$STAMPS_DIR"
  rm -rf "$download"
fi

# Both steps write into a hidden staging folder inside the output folder (the same file system), and the model and
# its card replace those in $OUT_DIR only once both have succeeded: a failed or interrupted run leaves the committed
# model as it was, never a new model whose card lacks its test figures, nor a card whose sha256 names another file.
mkdir -p "$OUT_DIR"
STAGING=$(mktemp -d "$OUT_DIR/.training-XXXXXX")
trap 'rm -rf "$STAGING"' EXIT

# Runs one step as a background child and waits for it. bash acts on a signal only once its foreground child has
# ended, so a SIGTERM to this script alone would leave the step running (and writing into a staging folder already
# removed); here the signal is passed on, the step ends, and then this script. SIGTERM for Ctrl-C too: a background
# child of a non-interactive shell ignores SIGINT.
run_step() {
  "$@" &
  step=$!
  trap 'kill -TERM "$step" 2>/dev/null; wait "$step"; exit 143' TERM HUP
  trap 'kill -TERM "$step" 2>/dev/null; wait "$step"; exit 130' INT
  wait "$step"
}

run_step "$PYTHON" training/train.py --extra-neither "$STAMPS_DIR/usr/share/tuxpaint/stamps" "$@" --out-dir "$STAGING"
# Trained: from here a failed or interrupted measurement keeps the model (up to an hour of training) for another try.
trap - EXIT
if ! run_step node_modules/.bin/tsx scripts/write-model-metrics.ts --model "$STAGING/$NAME.json" --data "$DATA"; then
  echo "train: the model was trained but not measured; it is kept in $STAGING (measure it again with" \
    "npm run model:metrics -- --model $STAGING/$NAME.json --data $DATA, then move both files into $OUT_DIR)" >&2
  exit 1
fi
mv -f "$STAGING/$NAME.onnx" "$OUT_DIR/$NAME.onnx"
mv -f "$STAGING/$NAME.json" "$OUT_DIR/$NAME.json"
rm -rf "$STAGING"
echo "train: $OUT_DIR/$NAME.onnx and $OUT_DIR/$NAME.json written" >&2
