"""`grade sandbox setup` / `grade sandbox check`: prepare a machine for strict isolation.

Strict isolation runs submissions as a dedicated unprivileged user inside bubblewrap, with an
interpreter that user can read. A pyenv or user-installed Python under /root or a home directory is
not readable by it, so setup builds a small venv from the system's /usr/bin/python3 in a world-
readable place (default /opt/grader-sandbox) with the libraries submissions may import.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from pathlib import Path

from grader.sandbox import probe, settings

PACKAGES = ["numpy", "scipy", "sympy"]


def _run(argv: list[str]) -> None:
    subprocess.run(argv, check=True)


def setup(system_python: str = "/usr/bin/python3", users: int = 1) -> list[str]:
    """Create the sandbox users (a pool of `users` uids for parallel grading) and interpreter;
    return what was done. Needs root."""
    if os.geteuid() != 0:
        raise PermissionError("grade sandbox setup must run as root (it creates a user)")
    done = []
    if shutil.which("bwrap") is None:
        _run(["apt-get", "install", "-y", "-qq", "bubblewrap"])
        done.append("installed bubblewrap")
    names = [settings.SANDBOX_USER] + [f"{settings.SANDBOX_USER}-{i}" for i in range(1, users)]
    for name in names:
        try:
            pwd.getpwnam(name)
        except KeyError:
            _run(["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
                  "--shell", "/usr/sbin/nologin", name])
            done.append(f"created user {name}")
    venv = settings.SANDBOX_PYTHON.parent.parent
    if not settings.SANDBOX_PYTHON.exists():
        probe = subprocess.run([system_python, "-c", "import ensurepip"], capture_output=True)
        if probe.returncode != 0:
            _run(["apt-get", "install", "-y", "-qq", "python3-venv"])
            done.append("installed python3-venv")
        _run([system_python, "-m", "venv", str(venv)])
        done.append(f"created {venv}")
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
          *PACKAGES])
    for directory, dirnames, filenames in os.walk(venv):
        for name in dirnames + filenames:
            path = Path(directory) / name
            if not path.is_symlink():  # readable by others; searchable/executable where it is for root
                mode = path.stat().st_mode
                path.chmod(mode | 0o004 | (0o001 if path.is_dir() or mode & 0o100 else 0))
    venv.chmod(0o755)
    done.append(f"installed {', '.join(PACKAGES)} for the sandbox")
    return done


def check() -> tuple[str, list[str]]:
    """The level `auto` would choose here, and why strict is not available (if it is not)."""
    problems = probe.strict_problems()
    if not problems:
        return "strict", []
    return ("process" if probe.user_problems() else "user"), problems
