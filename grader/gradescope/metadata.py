"""What `ROOT/submission_metadata.json` says, read defensively, and the late penalty it implies.

The file is Gradescope's (documented fields: `id`, `created_at`, `assignment.{due_date,
late_due_date, title, total_points, ...}`, `users[].{id, name, email}`); a missing or malformed
file, or a field of an unexpected type, is a note for staff, never a crash.

The late penalty uses `created_at` (never the clock, so that a rerun gives the same result) and the
late policy of `assignment.yaml` (`policies.late`), which wins over Gradescope's own due date. If
the assignment has no policy, no penalty is applied, and when Gradescope has a due date the student
is told that no late-penalty policy is configured.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from grader.problemset.spec import LatePolicy

_TIME = re.compile(r"(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:\.(\d+))?\s*(Z|UTC|[+-]\d\d(?::?\d\d)?)?")


def parse_time(value: Any) -> datetime | None:
    """An aware datetime from Gradescope's ISO 8601 text ("2018-07-01T14:22:32.365935-07:00"),
    or None if there is none or it carries no time zone."""
    if not isinstance(value, str):
        return None
    match = _TIME.fullmatch(value.strip())
    if not match:
        return None
    day, clock, fraction, zone = match.groups()
    text = f"{day}T{clock}.{(fraction or '0')[:6].ljust(6, '0')}"
    if zone in ("Z", "UTC"):
        text += "+00:00"
    elif zone:
        digits = zone[1:].replace(":", "")
        text += f"{zone[0]}{digits[:2]}:{digits[2:4] or '00'}"
    else:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class Student:
    id: str
    name: str = ""
    email: str = ""

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name, "email": self.email}


@dataclass(frozen=True)
class Metadata:
    submission_id: str | None = None
    created_at: datetime | None = None
    due_date: datetime | None = None
    late_due_date: datetime | None = None
    students: tuple[Student, ...] = ()
    assignment_title: str = ""
    problems: tuple[str, ...] = field(default=())
    """What could not be read, for staff."""


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    return str(value).strip()[:300]


def read_metadata(path: Path) -> Metadata:
    problems: list[str] = []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Metadata(problems=(f"{path.name} is missing: no submission time, so no late policy applies",))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return Metadata(problems=(f"{path.name} cannot be read ({exc}); no late policy applied",))
    if not isinstance(data, dict):
        return Metadata(problems=(f"{path.name} is not a JSON object; no late policy applied",))

    created_at = parse_time(data.get("created_at"))
    if created_at is None:
        problems.append(f"created_at {data.get('created_at')!r} is not a time with a time zone; "
                        "no late policy applied")
    assignment = given if isinstance(given := data.get("assignment"), dict) else {}
    due_date = parse_time(assignment.get("due_date"))
    if assignment.get("due_date") is not None and due_date is None:
        problems.append(f"assignment.due_date {assignment.get('due_date')!r} cannot be read")
    students = []
    users = listed if isinstance(listed := data.get("users"), list) else []
    for user in users:
        if isinstance(user, dict) and _text(user.get("id")):
            students.append(Student(_text(user.get("id")), _text(user.get("name")), _text(user.get("email"))))
    if not students:
        problems.append("users lists no student with an id")
    submission_id = _text(data.get("id")) or None
    return Metadata(submission_id, created_at, due_date, parse_time(assignment.get("late_due_date")),
                    tuple(students), _text(assignment.get("title")), tuple(problems))


@dataclass(frozen=True)
class Late:
    penalty: float = 0.0
    """Fraction of the points lost, in [0, 1]."""
    explanation: str = ""
    """For the student; empty when there is nothing to say."""
    late_by: timedelta = timedelta(0)
    past_cutoff: bool = False
    policy: str = "none"
    """"assignment.yaml" or "none"."""

    def to_json(self) -> dict[str, Any]:
        return {"penalty": self.penalty, "explanation": self.explanation,
                "late_by_seconds": round(self.late_by.total_seconds(), 3),
                "past_cutoff": self.past_cutoff, "policy": self.policy}


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def late_penalty(policy: LatePolicy | None, metadata: Metadata) -> Late:
    """The penalty of this submission (see the module docstring)."""
    from grader.checking.late import format_duration, late_result

    if policy is not None:
        result = late_result(policy, metadata.created_at)
        explanation = result.explanation
        if metadata.created_at is None:
            explanation = "no submission time was received, so no late penalty was applied"
        return Late(result.penalty, explanation, result.late_by, result.past_cutoff, "assignment.yaml")
    if metadata.due_date is None:
        return Late()
    if metadata.created_at is not None and metadata.created_at > metadata.due_date:
        late_by = metadata.created_at - metadata.due_date
        return Late(0.0, f"submitted {format_duration(late_by)} after the due date "
                         f"({_when(metadata.due_date)}); no late-penalty policy is configured for this "
                         "assignment, so no penalty was applied", late_by)
    return Late(0.0, f"submitted before the due date ({_when(metadata.due_date)}); no late-penalty "
                     "policy is configured for this assignment")
