#!/usr/bin/env bash
# npm test: the whole suite.
#  1. type-check everything (strict TypeScript);
#  2. Jest: unit tests, the ML core against the committed model (including its
#     accuracy on the fixed test split), the CLIs, and integration tests of
#     queries and server actions against a real embedded PostgreSQL;
#  3. end-to-end: the production build served by `npm start`'s launcher,
#     driven through Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

# The end-to-end suite drives Debian's Chromium (playwright-core never downloads a browser).
source scripts/lib/debian.sh
ensure_packages "the end-to-end suite (/usr/bin/chromium)" "test -x /usr/bin/chromium" --no-install-recommends chromium fonts-dejavu-core
# tests/ml/python-decode.test.ts holds training's PIL decoder (training/decode.py) against sharp's; torch is not needed.
ensure_packages "the training decoder's test (python3 with PIL and numpy)" '"${PYTHON:-/usr/bin/python3}" -c "import PIL.ImageCms, numpy"' python3-pil python3-numpy

npx tsc --noEmit
npx jest "$@"
npx jest -c jest.e2e.config.ts
