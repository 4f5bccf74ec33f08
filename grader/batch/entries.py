"""What the readers of every input layout (folder, Gradescope export, Canvas download) share: the
submissions they find before duplicates are settled, the problems they report, and how they walk
a folder (junk skipped, links never followed)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from grader.batch.model import InputProblem, StudentInfo
from grader.notebook.answers_file import is_answers_file

MAX_FOLDER_ENTRIES = 10_000
"""Entries looked at inside one student's folder (a folder holding more is reported)."""
JUNK = {"__MACOSX", "__pycache__", "Thumbs.db", "desktop.ini"}


class BatchInputError(Exception):
    """The input as a whole cannot be used; the message says why and what to do."""


@dataclass(slots=True)  # slots: a MOOC's input holds 100,000 of these while duplicates are settled
class Candidate:
    """A submission found in the input, before duplicates are settled and the file is checked."""

    entry: str
    key: str
    students: tuple[StudentInfo, ...]
    path: Path
    file_entry: str
    submitted_at: datetime | None
    source: str
    marked_late: bool = False
    order: tuple[Any, ...] | None = None
    """Newer submissions sort higher; None when the input cannot tell which is newer."""


class Problems(list):
    def add(self, entry: str, message: str) -> None:
        self.append(InputProblem(entry, message))


def listing(folder: Path) -> list[os.DirEntry]:
    with os.scandir(folder) as it:
        return sorted((e for e in it if not is_junk(e.name)), key=lambda e: e.name)


def is_junk(name: str) -> bool:
    return name in JUNK or name.startswith(".")


def is_dir(entry: os.DirEntry) -> bool:
    return entry.is_dir(follow_symlinks=False)


def relative(path: Path | str, base: Path) -> str:
    return Path(path).relative_to(base).as_posix()


def one_python_file(folder: Path, base: Path, problems: Problems) -> Path | None:
    """The single answers file (.py or notebook) somewhere in `folder` (links not followed), or None
    after reporting why not."""
    python, others, seen = [], [], 0
    pending = [folder]
    while pending:
        for entry in listing(pending.pop()):
            seen += 1
            if seen > MAX_FOLDER_ENTRIES:
                problems.add(relative(folder, base), f"holds more than {MAX_FOLDER_ENTRIES} entries; this is not "
                                                 "a submission. Remove it or keep only the answers file.")
                return None
            if entry.is_symlink():
                problems.add(relative(entry.path, base), "a symbolic link; links are not followed, so it is "
                                                     "ignored. Replace it with the file itself if it matters.")
            elif is_dir(entry):
                pending.append(Path(entry.path))
            elif is_answers_file(entry.name):
                python.append(Path(entry.path))
            else:
                others.append(relative(entry.path, folder))
    rel = relative(folder, base)
    if len(python) == 1:
        return python[0]
    if not python:
        found = ", ".join(others[:10]) + (", ..." if len(others) > 10 else "") if others else "nothing"
        problems.add(rel, f"no .py file or notebook in it (found: {found}). The answers must be a .py file "
                          "or a .ipynb notebook: ask the "
                          "student to submit one, or put it in this folder and give the folder as input.")
    else:
        names = ", ".join(sorted(relative(p, folder) for p in python))
        problems.add(rel, f"{len(python)} answers files in it ({names}); which one holds the answers cannot be "
                          "told. Keep only the answers file in this folder and give the folder as input.")
    return None
