#!/usr/bin/env bash
# Install the grader with its test dependencies into .venv and run the whole test suite.
# As root on Debian/Ubuntu it also prepares strict isolation (bubblewrap, a sandbox user and a
# sandbox interpreter), so that the security suite runs at the strongest level the machine supports.
set -euo pipefail
source "$(dirname "$0")/venv.sh" "[test]"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  if ! command -v bwrap >/dev/null || ! /usr/bin/python3 -c "import ensurepip" 2>/dev/null; then
    apt-get update -qq && apt-get install -y -qq bubblewrap python3-venv >/dev/null
  fi
  .venv/bin/grade sandbox setup
  # tests/browser: Debian's Chromium (skipped, saying why, where it cannot be installed)
  if ! command -v chromium >/dev/null; then
    apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } \
      || echo "chromium could not be installed: tests/browser will be skipped" >&2
  fi
fi
# axe-core, the accessibility rules tests/browser runs, from the npm registry (checked, cached)
.venv/bin/python scripts/fetch_axe.py || echo "axe-core could not be fetched: its browser tests will be skipped" >&2
exec .venv/bin/python -m pytest "$@"
