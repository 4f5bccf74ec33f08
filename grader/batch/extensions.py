"""Per-student extensions from a CSV (`grade batch --extensions`): a student id, and a new due date
or extra days/hours. Every bad row is reported with the file, the line and what to do."""

from __future__ import annotations

import csv
import math
from datetime import datetime, timedelta
from pathlib import Path

from grader.batch.csv_errors import CsvRowsError, numbered_rows
from grader.checking.late import Extension


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
    if problems or id_column is None:  # a missing id column is one of the problems
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


__all__ = ["Extension", "ExtensionsError", "read_extensions"]
