#!/usr/bin/env bash
# Install the grader with its test dependencies into .venv and run the whole test suite.
set -euo pipefail
source "$(dirname "$0")/venv.sh" "[test]"
exec .venv/bin/python -m pytest "$@"
