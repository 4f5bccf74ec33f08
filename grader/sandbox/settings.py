"""Where the sandbox's pieces live on this machine (environment variables override the defaults,
for tests and for machines laid out differently). Read at import; `grade sandbox setup` creates
what they name."""

from __future__ import annotations

import os
from pathlib import Path

SANDBOX_USER = os.environ.get("GRADER_SANDBOX_USER", "grader-sandbox")
"""The unprivileged user submissions run as (and its numbered siblings, one per parallel run)."""
SANDBOX_PYTHON = Path(os.environ.get("GRADER_SANDBOX_PYTHON", "/opt/grader-sandbox/bin/python"))
"""An interpreter with numpy, scipy and sympy that the sandbox user can read."""
LOCK_DIR = Path(os.environ.get("GRADER_SANDBOX_LOCKS", "/run/grader-sandbox"))
"""Lock files of the sandbox uid pool (one per uid)."""
