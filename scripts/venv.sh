#!/usr/bin/env bash
# Create .venv (with $PYTHON, default python3) and install the grader into it, with the extras
# given as the first argument (e.g. "[test]"). Sourced by demo.sh and test.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -x .venv/bin/python ]; then
  "${PYTHON:-python3}" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${1:-}"
