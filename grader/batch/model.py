"""The records batch grading passes between its stages (inputs → grading → gradebook → outputs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from grader.checking.late import LateResult
from grader.report.results import GradeReport


@dataclass(frozen=True, slots=True)  # slots: a MOOC's batch holds 100,000 of these
class StudentInfo:
    id: str
    """The platform's id for the student (Gradescope user id, Canvas user id, roster id, or the
    file/folder name for a plain folder). Never guessed: an entry without one is an InputProblem."""
    name: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class BatchSubmission:
    key: str
    """Unique within a batch: the student's id (for a group, the first member's)."""
    students: tuple[StudentInfo, ...]
    path: Path
    """The .py file to grade (extracted from an archive into the batch's work directory)."""
    submitted_at: datetime | None
    """The platform's submission time (timezone-aware), None if the input has none."""
    source: str
    """Where it came from, for messages: e.g. "gradescope submission 123456", "canvas file x.py"."""
    marked_late: bool = False
    """The platform itself marked it late (Canvas' LATE in the file name)."""


@dataclass(frozen=True)
class InputProblem:
    entry: str
    """The file or folder of the input the problem is about."""
    message: str
    """What is wrong and what to do."""


@dataclass(frozen=True)
class BatchInput:
    submissions: tuple[BatchSubmission, ...]
    problems: tuple[InputProblem, ...] = ()
    kind: str = "folder"
    """"folder", "gradescope" or "canvas"."""


@dataclass(frozen=True)
class Override:
    """A TA's review of one free-text part: replaces the provisional score."""

    points: float
    comment: str
    reviewer: str
    at: datetime


@dataclass(frozen=True)
class StudentResult:
    """Everything the outputs need about one student's graded submission."""

    submission: BatchSubmission
    report: GradeReport
    late: LateResult = field(default_factory=LateResult.on_time)
    overrides: dict[str, Override] = field(default_factory=dict)
    """Part name → the TA's review."""

    @property
    def earned_before_penalty(self) -> float:
        total = 0.0
        for part in self.report.parts:
            override = self.overrides.get(part.name)
            total += override.points if override else part.earned
        return total

    @property
    def total(self) -> float:
        return round(self.earned_before_penalty * (1 - self.late.penalty), 6)
