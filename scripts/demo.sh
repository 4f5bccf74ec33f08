#!/usr/bin/env bash
# Install the grader into .venv and grade the bundled typical student's submission.
set -euo pipefail
source "$(dirname "$0")/venv.sh"
exec .venv/bin/grade submit submissions/genmodels/typical.py "$@"
