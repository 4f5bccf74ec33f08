#!/usr/bin/env bash
# Install the grader into .venv and grade the bundled typical student's submission.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
exec .venv/bin/grade submit submissions/genmodels/typical.py "$@"
