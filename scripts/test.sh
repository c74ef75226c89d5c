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
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian's chromium for the end-to-end tests" >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
  else
    echo "the end-to-end tests need /usr/bin/chromium: apt-get install chromium" >&2
    exit 1
  fi
fi

npx tsc --noEmit
npx jest "$@"
npx jest -c jest.e2e.config.ts
