"""A GradeReport as plain data and back, for the batch gradebook (JSON in SQLite).

Unlike the JSON renderer, which applies what a student may see, this keeps everything: the
gradebook is staff-only, and reports are rendered from it again later (after a review, say).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from grader.report.results import (
    CaseRow,
    GradeReport,
    Outcome,
    PartResult,
    QuestionResult,
)
from grader.sandbox.records import Frame, StudentProblem


def _fields(value: Any) -> dict[str, Any]:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    raise TypeError(f"not part of a report: {type(value).__name__}")


def report_to_json(report: GradeReport) -> str:
    """The report as JSON text. (json's C encoder with a hook for the dataclasses: several times
    faster than dataclasses.asdict, which copies everything first; enums are str subclasses.)"""
    return json.dumps(report, default=_fields, ensure_ascii=False)


def report_to_data(report: GradeReport) -> dict[str, Any]:
    return json.loads(report_to_json(report))


def _problem(data: dict[str, Any] | None) -> StudentProblem | None:
    if data is None:
        return None
    frames = tuple(Frame(**f) for f in data.pop("frames"))
    return StudentProblem(**{**data, "frames": frames, "defines": tuple(data.get("defines", ()))})


def _part(data: dict[str, Any]) -> PartResult:
    return PartResult(**{
        **data,
        "outcome": Outcome(data["outcome"]),
        "feedback": tuple(data["feedback"]),
        "problem": _problem(data["problem"]),
        "cases": tuple(CaseRow(**c) for c in data["cases"]),
    })


def report_from_data(data: dict[str, Any]) -> GradeReport:
    questions = tuple(
        QuestionResult(q["id"], q["title"], q["section"], tuple(_part(dict(p)) for p in q["parts"]),
                       q.get("prompt"))  # (gradebooks written before prompts were shown have none)
        for q in data["questions"])
    return GradeReport(**{
        **data,
        "questions": questions,
        "file_problems": tuple(_problem(dict(p)) for p in data["file_problems"]),
        # (Gradebooks written before notebooks were graded hold pairs: no cell.)
        "skipped_statements": tuple((int(s[0]), s[1], s[2] if len(s) > 2 else "")
                                    for s in data["skipped_statements"]),
        "notes": tuple(data["notes"]),
    })
