#!/usr/bin/env bash
# The layout and style checks of ARCHITECTURE.md: import-linter's contracts, ruff and mypy (all
# configured in pyproject.toml). Needs the test extras: run scripts/test.sh (or venv.sh "[test]") first.
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
.venv/bin/lint-imports || status=1
.venv/bin/ruff check grader tests bench || status=1
.venv/bin/mypy || status=1
exit "$status"
