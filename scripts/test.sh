#!/usr/bin/env bash
# npm test: type-check, then every Jest suite (unit, integration against an
# embedded PostgreSQL and the real model, end-to-end in Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc --noEmit
npx jest "$@"
