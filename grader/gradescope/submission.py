"""Which uploaded file to grade: the expected name (`answers.py`), else the same name in the other
format (`answers.ipynb`), else the only answers file (.py or notebook), else a message that says
what was found and what to upload.

Gradescope puts the student's upload in `ROOT/submission` (a GitHub or Bitbucket submission puts a
whole repository there). Files the student did not mean to upload are ignored: hidden files and
folders, macOS zip debris (`__MACOSX/`, `._answers.py`) and `__pycache__/`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from grader.notebook.answers_file import SUFFIXES

IGNORED_DIRECTORIES = {"__MACOSX", "__pycache__", "node_modules"}
MAX_LISTED = 12


@dataclass(frozen=True)
class Found:
    path: Path | None
    """The file to grade, or None (then `message` says why, to the student)."""
    message: str = ""
    note: str = ""
    """Said to the student even when a file was found (e.g. "graded the only .py file, x.py")."""
    listing: tuple[str, ...] = ()
    """What the upload held (relative paths), for staff."""


def _listing(folder: Path) -> list[Path]:
    """Every file under `folder` the student plausibly meant to upload, relative, sorted."""
    found: list[Path] = []
    for directory, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in IGNORED_DIRECTORIES)
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            found.append((Path(directory) / name).relative_to(folder))
    return found


def _names(paths: list[Path]) -> str:
    shown = [f"`{p.as_posix()}`" for p in paths[:MAX_LISTED]]
    if len(paths) > MAX_LISTED:
        shown.append(f"and {len(paths) - MAX_LISTED} more")
    return ", ".join(shown)


def find_submission(folder: Path, expected: str = "answers.py") -> Found:
    """The file to grade in `folder` (see the module docstring for the rules)."""
    upload = f"Upload your `{expected}` (the file `grade template` gives you, with your answers) and submit again."
    if not folder.is_dir():
        return Found(None, f"No files were received with this submission. {upload}")
    files = _listing(folder)
    listing = tuple(p.as_posix() for p in files)
    if not files:
        return Found(None, f"The submission holds no files. {upload}", listing=listing)

    exact = [p for p in files if p.name == expected]
    if len(exact) == 1:
        note = "" if exact[0] == Path(expected) else f"Graded `{exact[0].as_posix()}`."
        return Found(folder / exact[0], note=note, listing=listing)
    if len(exact) > 1:
        return Found(None, f"The submission holds several files named `{expected}` ({_names(exact)}), so "
                           f"it is not clear which one to grade. Upload a single `{expected}`.",
                     listing=listing)

    # The other format under the expected name (answers.ipynb for answers.py, or the reverse): a
    # student may hand in the notebook they worked in, or the .py it exports to.
    stem = Path(expected).stem
    twins = [p for p in files if p.stem == stem and p.suffix.lower() in SUFFIXES]
    if len(twins) == 1:
        return Found(folder / twins[0], listing=listing,
                     note=f"Graded `{twins[0].as_posix()}` (the expected name is `{expected}`; both a .py "
                          "file and a notebook are accepted).")
    answers = [p for p in files if p.suffix.lower() in SUFFIXES]
    if len(answers) == 1:
        return Found(folder / answers[0], listing=listing,
                     note=f"Graded `{answers[0].as_posix()}`, the only answers file uploaded (the expected "
                          f"name is `{expected}`).")
    if len(answers) > 1:
        return Found(None, f"No file is named `{expected}`, and the submission holds {len(answers)} answers "
                           f"files (.py or .ipynb: {_names(answers)}), so it is not clear which one to grade. "
                           f"Upload only your `{expected}`.", listing=listing)
    return Found(None, f"No answers file (.py or .ipynb) was found in the submission; it holds {_names(files)}. "
                       f"{upload}", listing=listing)
