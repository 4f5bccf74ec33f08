"""Free-text review by course staff: export the pending answers to CSV, import the TA's points.

`grade review export` writes one row per student × free-text part still provisional (not yet
overridden): the answer, the rubric and the concepts the keyword rubric recognised, with the
suggested points. The TA fills in `points` (and optionally `comment`) in a spreadsheet and
`grade review import` turns every row with points into an `Override`. Rows left without points
stay pending; the TA may sort, reorder or add columns.

The CSV is UTF-8 with a byte-order mark so that Excel opens it with the right encoding. Cells a
student controls (name, answer) that start with a character a spreadsheet would take for a
formula (= + - @, tab, carriage return) are prefixed with an apostrophe, so opening the file
never evaluates a student's formula.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Container, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from grader.batch.csv_errors import CsvRowsError, numbered_rows
from grader.batch.model import Override
from grader.checking.checkers import free_text
from grader.checking.checkers.term_list import reads_as_term_list
from grader.problemset.spec import FreeTextChecker, Part
from grader.report.files import atomic_text_file, write_atomically
from grader.report.results import GradeReport

COLUMNS = ("student_id", "student_name", "question", "part", "possible", "suggested_points",
           "rubric_hits", "flag", "rubric", "answer", "points", "comment")
REQUIRED = ("part", "possible", "points")
"""And `student_id` (a row per student) or `students` (a row per group)."""

EXCEL_CELL_LIMIT = 32_767
"""Excel cuts cells longer than this; longer answers are shortened in the export (with a note)."""

TERM_LIST_FLAG = "a list of terms, not an explanation: no points suggested"

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class PendingAnswer:
    student_id: str
    student_name: str
    question: str
    part: str
    answer: str
    possible: float
    suggested: float
    hits: tuple[str, ...]
    """Names of the rubric concepts the keyword rubric recognised."""
    rubric: str
    """"concept (points); ..." for the part."""
    flag: str = ""
    """What a reviewer should know before reading, e.g. "a list of terms" (no points suggested)."""


class ReviewImportError(CsvRowsError):
    """Problems in a reviewed CSV, each with the file, line, student, part and what to do."""


# ---------------------------------------------------------------------------------------------
# Rows to review
# ---------------------------------------------------------------------------------------------


def number_text(value: float) -> str:
    """2.0 → "2", 1.3333333 → "1.33", 0.25 → "0.25"."""
    return f"{round(value, 2):g}" if math.isfinite(value) else str(value)


def rubric_text(checker: FreeTextChecker) -> str:
    return "; ".join(f"{c.name} ({number_text(c.points)})" for c in checker.rubric)


def rubric_hits(checker: FreeTextChecker, answer: str) -> tuple[str, ...]:
    """The concepts the rubric recognises in the answer, as the free-text checker reads it."""
    text = free_text._searchable(answer)
    return tuple(c.name for c in checker.rubric if free_text.recognised(c, text))


def iter_pending_answers(
    spec_parts: Iterable[Part],
    results: Iterable[tuple[str, str, GradeReport, dict[str, str]]],
    overridden: Container[tuple[str, str]] = frozenset(),
) -> Iterator[PendingAnswer]:
    """One row per student × provisional free-text part not in `overridden` (student id, part),
    in the order of `results`, one at a time.

    `spec_parts` are the problem set's parts (those without a free-text checker are ignored);
    `results` yields (student id, student name, report, the student's answer text by part name).
    """
    checkers = {p.name: p.checker for p in spec_parts if isinstance(p.checker, FreeTextChecker)}
    rubrics = {name: rubric_text(checker) for name, checker in checkers.items()}
    for student_id, student_name, report, answers in results:
        for part in report.parts:
            if not part.provisional or part.kind != "free_text":
                continue
            if (student_id, part.name) in overridden:
                continue
            checker = checkers.get(part.name)
            answer = answers.get(part.name)
            if answer is None:
                answer = (f"(answer text not available; the grader read: {part.understood})"
                          if part.understood else "(answer text not available)")
                hits: tuple[str, ...] = ()
            else:
                hits = rubric_hits(checker, answer) if checker else ()
            yield PendingAnswer(
                student_id=student_id, student_name=student_name, question=part.question,
                part=part.name, answer=answer, possible=part.possible, suggested=part.earned,
                hits=hits, rubric=rubrics.get(part.name, ""),
                flag=TERM_LIST_FLAG if reads_as_term_list(answer) else "")


def by_part(rows: Iterable[PendingAnswer]) -> list[tuple[str, list[PendingAnswer]]]:
    """The rows per part, parts in the order they first appear, rows in their order."""
    parts: dict[str, list[PendingAnswer]] = {}
    for row in rows:
        parts.setdefault(row.part, []).append(row)
    return list(parts.items())


def pending_answers(
    spec_parts: Iterable[Part],
    results: Iterable[tuple[str, str, GradeReport, dict[str, str]]],
    overridden: Container[tuple[str, str]] = frozenset(),
) -> list[PendingAnswer]:
    """The rows of `iter_pending_answers` ordered by part (in the order parts first appear in the
    reports) and then by student, so a TA grades one question across the class at a time. (A
    class too large to hold goes through `review_spool.PendingSpool` instead.)"""
    return [row for _, rows in by_part(iter_pending_answers(spec_parts, results, overridden)) for row in rows]


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


def safe_cell(text: str) -> str:
    """Neutralise a cell a spreadsheet would evaluate as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _unsafe_cell(text: str) -> str:
    """Undo `_safe_cell` (for the keys read back on import)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def excel_sized(text: str) -> str:
    if len(text) <= EXCEL_CELL_LIMIT:
        return text
    note = f" … [cut here for the spreadsheet: the answer has {len(text)} characters]"
    return text[:EXCEL_CELL_LIMIT - len(note)] + note


def export_pending(rows: Iterable[PendingAnswer], path: Path) -> int:
    """Write the review CSV (UTF-8 with BOM, every column of `COLUMNS`), row by row; return the
    row count.

    `points` and `comment` are left blank for the TA. The file is replaced atomically.
    """
    count = 0
    with csv_file_atomically(Path(path)) as writer:
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([
                safe_cell(row.student_id), safe_cell(row.student_name), row.question, row.part,
                number_text(row.possible), number_text(row.suggested), "; ".join(row.hits), row.flag, row.rubric,
                safe_cell(excel_sized(row.answer)), "", "",
            ])
            count += 1
    return count


@contextmanager
def csv_file_atomically(path: Path) -> Iterator[Any]:
    """A csv writer into `path`, as UTF-8 with a byte-order mark (so that Excel reads it as UTF-8),
    CRLF rows, put in place when the block ends (see atomic_text_file)."""
    with atomic_text_file(path, newline="") as f:
        f.write("\ufeff")
        yield csv.writer(f, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")


def write_csv_atomically(path: Path, text: str) -> None:
    """A CSV as UTF-8 with a byte-order mark (so that Excel reads it as UTF-8), written atomically;
    `text` keeps the csv module's line endings."""
    write_atomically(Path(path), "\ufeff" + text)


# ---------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------


def _parse_number(raw: str) -> float:
    """ "1.5", " 2 ", and "1,5" (a decimal comma, as Excel writes it in many locales)."""
    text = raw.strip()
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(raw)
    return value


def _delimiter(first_line: str) -> str:
    """Comma, unless the header is clearly semicolon-separated (Excel re-saving in many locales)."""
    return ";" if first_line.count(";") > first_line.count(",") else ","


Key = tuple[str, str]
"""(student id, part)"""


@dataclass
class _Sheet:
    """One sheet's reviews: rows about one student, and rows about a group (by its `students`)."""

    path: Path
    own: dict[Key, tuple[int, Override]] = field(default_factory=dict)
    grouped: dict[Key, tuple[int, Override]] = field(default_factory=dict)
    problems: list[tuple[int | None, str]] = field(default_factory=list)


def import_reviews(paths: Path | Sequence[Path], reviewer: str, now: datetime) -> list[tuple[str, str, Override]]:
    """The TA's reviews in the sheets written by `grade review export`: (student id, part, Override).

    A sheet's row is about one student (its `student_id`: the per-student and member sheets) or
    about a group (its `students`, ids separated by ";": the group sheet); a student's own row wins
    over its group's, whichever sheet holds it. Rows with a blank `points` are skipped (still
    pending). Points must be a number from 0 to the row's `possible`. Unknown columns are tolerated
    and rows may be in any order. Every bad row of every sheet is reported at once in a
    `ReviewImportError`; nothing is returned when there is one.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("give `now` with a time zone, e.g. datetime.now(timezone.utc)")
    sheets = [_read_sheet(Path(p), reviewer, now) for p in ([paths] if isinstance(paths, Path) else paths)]
    own: dict[Key, tuple[Path, int, Override]] = {}
    grouped: dict[Key, tuple[Path, int, Override]] = {}
    for sheet in sheets:
        for found, into in ((sheet.own, own), (sheet.grouped, grouped)):
            for key, (line, override) in found.items():
                if key in into and into[key][0] != sheet.path:
                    sheet.problems.append((line, f"student {key[0]}, part {key[1]} is also reviewed in "
                                                 f"{into[key][0].name} (line {into[key][1]}); keep one"))
                into[key] = (sheet.path, line, override)
    bad = [ReviewImportError(sheet.path, sheet.problems) for sheet in sheets if sheet.problems]
    if bad:
        error = bad[0]
        error.args = ("\n".join(str(e) for e in bad),)  # every sheet's problems, each under its file
        raise error
    merged = {key: override for key, (_, _, override) in grouped.items()}
    merged.update({key: override for key, (_, _, override) in own.items()})
    return [(student, part, override) for (student, part), override in merged.items()]


def _read_sheet(path: Path, reviewer: str, now: datetime) -> _Sheet:
    sheet = _Sheet(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ReviewImportError(path, [(None, "no such file; give the CSV written by "
                                              "`grade review export`")]) from None
    except UnicodeDecodeError:
        raise ReviewImportError(path, [(None, "not UTF-8 text; save it from the spreadsheet as "
                                              "\"CSV UTF-8\"")]) from None
    except OSError as exc:
        raise ReviewImportError(path, [(None, f"cannot be read ({exc.strerror})")]) from None

    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        header = []
    missing = [c for c in REQUIRED if c not in header]
    if "student_id" not in header and "students" not in header:
        missing.insert(0, "student_id (or students)")
    if missing:
        raise ReviewImportError(path, [(1, f"the header lacks {', '.join(missing)}; start from "
                                           "the CSV written by `grade review export` and keep "
                                           "its header row")])

    problems = sheet.problems
    for start, row in numbered_rows(reader, problems):
        cells = {name: value for name, value in zip(header, row)}
        raw_points = cells.get("points", "").strip()
        if not raw_points:
            continue  # still pending (or a blank line)
        student = _unsafe_cell(cells.get("student_id", "").strip())
        students = [_unsafe_cell(s.strip()) for s in _unsafe_cell(cells.get("students", "")).split(";")]
        students = [s for s in students if s]
        part = cells.get("part", "").strip()
        if not (student or students) or not part:
            problems.append((start, "points are given but student_id (or students) or part is empty; "
                                    "restore them from the exported file"))
            continue
        who = f"student {student}, part {part}" if student else f"group {cells.get('group', '').strip()} of part {part}"
        try:
            possible = _parse_number(cells.get("possible", ""))
        except ValueError:
            problems.append((start, f"{who}: possible is {cells.get('possible', '')!r}, not a "
                                    "number; restore it from the exported file"))
            continue
        try:
            points = _parse_number(raw_points)
        except ValueError:
            problems.append((start, f"{who}: points {raw_points!r} is not a number; enter a "
                                    f"number from 0 to {number_text(possible)}, or leave it blank "
                                    "to keep the answer pending"))
            continue
        if not 0 <= points <= possible:
            problems.append((start, f"{who}: points {raw_points} is outside 0 to "
                                    f"{number_text(possible)}; enter a number in that range, or "
                                    "leave it blank to keep the answer pending"))
            continue
        comment = cells.get("comment", "").replace("\r\n", "\n").replace("\r", "\n").strip()
        override = Override(points, comment, reviewer, now)
        into = sheet.own if student else sheet.grouped
        for key in [(student, part)] if student else [(s, part) for s in students]:
            if key in into:
                again = "reviewed twice" if student else f"in two groups (student {key[0]})"
                problems.append((start, f"{who} is {again} (also on line {into[key][0]}); keep one row"))
                continue
            into[key] = (start, override)
    return sheet


__all__ = ["COLUMNS", "PendingAnswer", "ReviewImportError", "excel_sized", "export_pending", "import_reviews",
           "number_text", "pending_answers", "rubric_hits", "rubric_text", "safe_cell", "write_csv_atomically"]
