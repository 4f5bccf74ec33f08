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
fi
exec .venv/bin/python -m pytest "$@"
