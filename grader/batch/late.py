"""Late penalties: from the platform's submission time, the assignment's late policy and extensions.

All arithmetic is done on timezone-aware datetimes converted to UTC, so that a due date in one zone
and a submission time in another (or either side of a daylight-saving change) differ by the real
elapsed time. File modification times are never used here: a submission without a platform time
is on time, unless the platform marked it late, in which case the TA is asked to check.

Rules (`late_result`):
- an extension moves the due date, either to an absolute new due date or by a duration; the
  cutoff, if any, moves by the same amount;
- a submission at or before the due date plus `grace_minutes` is on time;
- after that, the lateness is counted from the (moved) due date, and the penalty is the rate times
  the number of *started* days (or hours) late, capped at `max_penalty`;
- after the (moved) cutoff the penalty is 1 and `past_cutoff` is True (the submission is still
  graded, so the student sees feedback).
"""

from __future__ import annotations

import csv
import math
from datetime import datetime, timedelta, timezone
from pathlib import Path

from grader.batch.csv_errors import CsvRowsError, numbered_rows
from grader.batch.model import LateResult
from grader.problemset.spec import LatePolicy

Extension = datetime | timedelta
"""An absolute new due date (timezone-aware), or a duration added to the due date."""

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
MINUS = "\u2212"


# ---------------------------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------------------------


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def format_duration(delta: timedelta) -> str:
    """A short human duration: "1 day 3 h", "2 days", "45 min", "3 h 5 min", "20 s"."""
    seconds = int(delta.total_seconds())
    if seconds < 60:
        return f"{max(seconds, 0)} s"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    pieces = []
    if days:
        pieces.append(_plural(days, "day"))
    if hours:
        pieces.append(f"{hours} h")
    if minutes:
        pieces.append(f"{minutes} min")
    return " ".join(pieces)


def _percent(fraction: float) -> str:
    """0.1 → "10 %", 0.125 → "12.5 %" (at most two decimals, no trailing zeros)."""
    text = f"{fraction * 100:.2f}".rstrip("0").rstrip(".")
    return f"{text} %"


def _when(moment: datetime) -> str:
    """2026-11-20 23:59 -05:00 (UTC shown as "UTC")."""
    offset = moment.utcoffset()
    if offset == timedelta(0):
        return moment.strftime("%Y-%m-%d %H:%M UTC")
    text = moment.strftime("%Y-%m-%d %H:%M %z")
    return f"{text[:-2]}:{text[-2:]}"


# ---------------------------------------------------------------------------------------------
# The penalty
# ---------------------------------------------------------------------------------------------


def _require_aware(value: datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} {value.isoformat()} has no time zone; give an aware datetime "
                         "(e.g. 2026-11-20T23:59:00-05:00)")


def _shift(policy: LatePolicy, extension: Extension | None) -> timedelta:
    """How far the extension moves the due date (and the cutoff); never backwards."""
    if extension is None:
        return timedelta(0)
    if isinstance(extension, timedelta):
        shift = extension
    elif isinstance(extension, datetime):
        _require_aware(extension, "the extended due date")
        shift = extension.astimezone(timezone.utc) - policy.due.astimezone(timezone.utc)
    else:
        raise TypeError("an extension is a datetime or a timedelta, "
                        f"not {type(extension).__name__}")
    if shift < timedelta(0):
        raise ValueError(f"the extension ({extension}) would move the due date "
                         f"{_when(policy.due)} earlier; an extension can only move it later")
    return shift


def late_result(policy: LatePolicy | None, submitted_at: datetime | None,
                extension: Extension | None = None, marked_late: bool = False) -> LateResult:
    """The late penalty of one submission (see the module docstring for the rules)."""
    if policy is None:
        return LateResult.on_time()
    shift = _shift(policy, extension)
    due = policy.due.astimezone(timezone.utc) + shift
    cutoff = policy.cutoff.astimezone(timezone.utc) + shift if policy.cutoff is not None else None
    shown_due = due.astimezone(policy.due.tzinfo)
    moved = f" (extended to {_when(shown_due)})" if shift else ""

    if submitted_at is None:
        if marked_late:
            return LateResult(timedelta(0), 0.0, False,
                              "the platform marked this submission late but gave no submission "
                              "time, so no penalty was applied; a TA should check it")
        return LateResult.on_time()
    _require_aware(submitted_at, "the submission time")

    late_by = submitted_at.astimezone(timezone.utc) - due
    grace = timedelta(minutes=policy.grace_minutes)
    if late_by <= timedelta(0):
        return LateResult(timedelta(0), 0.0, False, f"on time{moved}")
    if late_by <= grace:
        return LateResult(timedelta(0), 0.0, False,
                          f"on time: {format_duration(late_by)} after the due date{moved}, "
                          f"within the {format_duration(grace)} grace period")

    how_late = f"submitted {format_duration(late_by)} late{moved}"
    if cutoff is not None and submitted_at.astimezone(timezone.utc) > cutoff:
        shown_cutoff = cutoff.astimezone((policy.cutoff or policy.due).tzinfo)
        return LateResult(late_by, 1.0, True,
                          f"{how_late}, after the cutoff {_when(shown_cutoff)}: "
                          f"{MINUS}100 % (graded for feedback only)")

    if policy.penalty_per_hour:
        rate, unit, word = policy.penalty_per_hour, HOUR, "hour"
    elif policy.penalty_per_day:
        rate, unit, word = policy.penalty_per_day, DAY, "day"
    else:
        return LateResult(late_by, 0.0, False, f"{how_late}: no penalty")
    started = -(-late_by // unit)  # timedelta // timedelta is an exact integer: ceiling
    raw = started * rate
    penalty = min(raw, policy.max_penalty)
    penalty = round(penalty, 12)  # 3 × 0.1 is 0.30000000000000004
    how = f"{_plural(started, 'started ' + word)} × {_percent(rate)}"
    if raw > policy.max_penalty + 1e-12:
        how += f" = {_percent(raw)}, capped at {_percent(policy.max_penalty)}"
    return LateResult(late_by, penalty, False, f"{how_late}: {MINUS}{_percent(penalty)} ({how})")


# ---------------------------------------------------------------------------------------------
# Extensions CSV
# ---------------------------------------------------------------------------------------------


class ExtensionsError(CsvRowsError):
    """Problems in an extensions CSV: each with the file, the line and what to do."""


ID_COLUMNS = ("student id", "id", "sid", "email")
DUE_COLUMN = "due"
DAYS_COLUMN = "extra days"
HOURS_COLUMN = "extra hours"


def _column_key(name: str) -> str:
    """"Student_ID " → "student id": case, spacing, "_" and "-" do not matter in headers."""
    return " ".join(name.replace("_", " ").replace("-", " ").lower().split())


def _delimiter(first_line: str) -> str:
    """Comma, unless the header is clearly semicolon-separated (Excel in many locales)."""
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _duration(raw: str, column: str) -> float:
    text = raw.strip()
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")  # a decimal comma, as Excel writes it in many locales
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{column} is {raw.strip()!r}, not a number; "
                         "write e.g. 2 or 1.5") from None
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{column} is {raw.strip()!r}; write a number of 0 or more")
    return value


def _row_extension(cells: dict[str, str]) -> Extension:
    due_text = cells.get(DUE_COLUMN, "").strip()
    days_text = cells.get(DAYS_COLUMN, "").strip()
    hours_text = cells.get(HOURS_COLUMN, "").strip()
    if due_text and (days_text or hours_text):
        raise ValueError("give either a new due date or extra_days/extra_hours, not both; "
                         "clear one of them")
    if due_text:
        try:
            due = datetime.fromisoformat(due_text)
        except ValueError:
            raise ValueError(f"due is {due_text!r}, not an ISO date and time; write e.g. "
                             "2026-11-22T23:59:00-05:00") from None
        if due.tzinfo is None or due.utcoffset() is None:
            raise ValueError(f"due {due_text!r} has no time zone; add one, e.g. "
                             "2026-11-22T23:59:00-05:00 or 2026-11-23T04:59:00Z")
        return due
    if days_text or hours_text:
        days = _duration(days_text, "extra_days") if days_text else 0.0
        hours = _duration(hours_text, "extra_hours") if hours_text else 0.0
        return timedelta(days=days, hours=hours)
    raise ValueError("the row gives no extension; fill in due or extra_days/extra_hours, "
                     "or delete the row")


def read_extensions(path: Path) -> dict[str, Extension]:
    """Per-student extensions from a CSV, keyed by student id.

    Columns (header names ignore case, spaces, "_" and "-"): `student id` (or `id`, `sid`,
    `email`), and either `due` (an ISO date and time with a time zone: the new due date) or
    `extra_days` / `extra_hours` (added to the due date). Blank lines are ignored; every bad row
    is reported at once in an `ExtensionsError`.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ExtensionsError(path, [(None, "no such file; check the path given for the "
                                            "extensions CSV")]) from None
    except UnicodeDecodeError:
        raise ExtensionsError(path, [(None, "not UTF-8 text; save it as \"CSV UTF-8\"")]
                              ) from None
    except OSError as exc:
        raise ExtensionsError(path, [(None, f"cannot be read ({exc.strerror})")]) from None

    lines = text.splitlines(keepends=True)
    if not any(line.strip() for line in lines):
        raise ExtensionsError(path, [(1, "the file is empty; write a header such as "
                                         "\"student id,extra_days\" and one row per student")])
    reader = csv.reader(lines, delimiter=_delimiter(lines[0]))
    header = [_column_key(h) for h in next(reader)]
    id_column = next((c for c in ID_COLUMNS if c in header), None)
    problems: list[tuple[int | None, str]] = []
    if id_column is None:
        problems.append((1, f"no student id column (the header has {header}); name one "
                            "\"student id\", \"id\", \"sid\" or \"email\""))
    if not {DUE_COLUMN, DAYS_COLUMN, HOURS_COLUMN} & set(header):
        problems.append((1, "no \"due\", \"extra_days\" or \"extra_hours\" column; add one"))
    if problems:
        raise ExtensionsError(path, problems)

    extensions: dict[str, Extension] = {}
    first_line: dict[str, int] = {}
    for start, row in numbered_rows(reader, problems):
        if not any(cell.strip() for cell in row):
            continue
        cells = dict(zip(header, row))
        student = cells.get(id_column, "").strip()
        if not student:
            problems.append((start, f"the {id_column} cell is empty; fill it in or delete the row"))
            continue
        if student in first_line:
            problems.append((start, f"{student} already has an extension on line "
                                    f"{first_line[student]}; keep one row per student"))
            continue
        try:
            extensions[student] = _row_extension(cells)
        except ValueError as exc:
            problems.append((start, f"{student}: {exc}"))
            continue
        first_line[student] = start
    if problems:
        raise ExtensionsError(path, problems)
    return extensions


__all__ = ["Extension", "ExtensionsError", "format_duration", "late_result", "read_extensions"]
