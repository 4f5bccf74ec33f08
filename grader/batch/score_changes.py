"""Who moved in this run: `score-changes.csv`, written as the batch grades, one row per change.

A regrade after a spec fix can move every score of a MOOC, so the changes are not held: each is
written when its submission is graded, and only the first few are kept for the command to print.
The file is written under a temporary name and renamed at the end, so that it always describes the
last run; a run in which no score moved removes the file an earlier run left.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from grader.batch import exports
from grader.report.files import AtomicTextFile
from grader.report.results import GradeReport

CHANGES_FILE = "score-changes.csv"
SHOWN = 50
"""Changes kept in memory for the command's own list (the file has them all)."""


@dataclass(frozen=True)
class ScoreChange:
    student_key: str
    before: float
    after: float
    parts: tuple[tuple[str, float, float], ...]
    """(part, earned before, earned after) for each part that moved."""

    def moved(self) -> str:
        return "; ".join(f"{part} {b:g}→{a:g}" for part, b, a in self.parts)


def score_change(key: str, before: dict[str, tuple[str, float]], report: GradeReport) -> ScoreChange | None:
    """How `report` differs from the parts stored `before` (part → (outcome, earned)); None if it does not."""
    moved = tuple((p.name, before.get(p.name, ("", 0.0))[1], p.earned) for p in report.parts
                  if abs(before.get(p.name, ("", 0.0))[1] - p.earned) > 1e-9)
    if not moved:
        return None
    old_total = sum(earned for _, earned in before.values())
    return ScoreChange(key, old_total, report.earned, moved)


@dataclass
class ScoreChanges:
    """Collects a run's changes into `out/score-changes.csv`; `close` puts the file in place."""

    out: Path
    count: int = 0
    first: list[ScoreChange] = field(default_factory=list)
    """The first SHOWN changes."""
    _file: AtomicTextFile | None = None

    def add(self, change: ScoreChange) -> None:
        if self._file is None:
            self._file = AtomicTextFile(self.out / CHANGES_FILE, newline="")
            csv.writer(self._file.file).writerow(["student", "before", "after", "parts"])
        csv.writer(self._file.file).writerow([exports.safe_text(change.student_key), f"{change.before:g}",
                                              f"{change.after:g}", exports.safe_text(change.moved())])
        self.count += 1
        if len(self.first) < SHOWN:
            self.first.append(change)

    def close(self) -> None:
        if self._file is None:
            (self.out / CHANGES_FILE).unlink(missing_ok=True)
            return
        self._file.commit()
        self._file = None

    def discard(self) -> None:
        """Leave the last run's file as it was (this run failed before it finished grading)."""
        if self._file is not None:
            self._file.discard()
            self._file = None
