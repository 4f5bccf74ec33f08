"""The class's outputs, written from the gradebook alone, one submission at a time.

    gradebook.sqlite ─▶ each student's row (sorted by id) ─▶ gradebook.csv, gradebook-long.csv
                                                        └─▶ dashboard tally ─▶ summary.html
                                                        └─▶ students/<key>/report.html (.json)

Nothing holds the whole class: each stored report is read, turned into its rows and its share of
the statistics, and let go, so a class of 100,000 needs no more memory than one of 200 beyond
a few numbers per student (class_tally.py). Per-student reports are written in the formats the
batch was asked for (`--student-reports`, kept in the gradebook for later writes such as a review
import): HTML by default, JSON where asked, none for a class too large to want them on disk.
"""

from __future__ import annotations

import csv
import gzip
import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import IO

from grader.batch import exports, extensions, roster
from grader.batch.dashboard import DashboardTally
from grader.batch.model import BatchSubmission, InputProblem, Override, StudentInfo, StudentResult
from grader.batch.store import Gradebook
from grader.checking import late
from grader.problemset.assignment_spec import LatePolicy
from grader.problemset.loader import ProblemSet
from grader.report.files import write_atomically
from grader.report.render import render
from grader.report.render.html import render_html
from grader.report.results import GradeReport, Outcome

REPORT_FORMATS = ("html", "json")
DEFAULT_REPORT_FORMATS = ("html",)
_SETTING = "student_reports"
LONG_FORMATS = ("csv", "gzip", "none")
"""gradebook-long.csv, gradebook-long.csv.gz (a tenth of the size: a MOOC's is most of its outputs,
and more rows than a spreadsheet opens; pandas reads it as it is), or not written."""
_LONG_SETTING = "long_csv"
LONG_FILES = {"csv": "gradebook-long.csv", "gzip": "gradebook-long.csv.gz"}


def report_formats(book: Gradebook) -> tuple[str, ...]:
    """The per-student formats the batch was asked for (HTML for a gradebook that never said)."""
    value = book.setting(_SETTING)
    return DEFAULT_REPORT_FORMATS if value is None else tuple(f for f in value.split(",") if f)


def remember_report_formats(book: Gradebook, formats: tuple[str, ...]) -> None:
    book.set_setting(_SETTING, ",".join(formats))


def long_format(book: Gradebook) -> str:
    return book.setting(_LONG_SETTING) or "csv"


def remember_long_format(book: Gradebook, value: str) -> None:
    if value not in LONG_FORMATS:
        raise ValueError(f"the long table is written as {', '.join(LONG_FORMATS)}, not {value!r}")
    book.set_setting(_LONG_SETTING, value)


def _open_long(out: Path, value: str) -> IO[str]:
    """The long table's file (the other format's, from an earlier batch, is removed: it would be stale)."""
    for other, name in LONG_FILES.items():
        if other != value:
            (out / name).unlink(missing_ok=True)
    if value == "gzip":
        return gzip.open(out / LONG_FILES["gzip"], "wt", encoding="utf-8", newline="")
    if value == "csv":
        return (out / LONG_FILES["csv"]).open("w", encoding="utf-8", newline="")
    return open(os.devnull, "w", encoding="utf-8", newline="")


def reviewed(report: GradeReport, overrides: dict[str, Override]) -> GradeReport:
    """The report with the TA's reviews in place of the provisional free-text scores."""
    if not overrides:
        return report
    questions = []
    for question in report.questions:
        parts = []
        for part in question.parts:
            override = overrides.get(part.name)
            if override is None:
                parts.append(part)
                continue
            fraction = override.points / part.possible if part.possible else 0.0
            outcome = Outcome.CORRECT if fraction >= 1 else Outcome.PARTIAL if fraction > 0 else Outcome.INCORRECT
            note = f"Reviewed by course staff: {override.points:g} / {part.possible:g}."
            feedback = (note,) + ((f"Comment: {override.comment}",) if override.comment else ())
            parts.append(replace(part, earned=override.points, outcome=outcome, provisional=False,
                                 feedback=feedback + part.feedback))
        questions.append(replace(question, parts=tuple(parts)))
    return replace(report, questions=tuple(questions))


def write_student_files(out: Path, submission: BatchSubmission, report: GradeReport,
                        formats: tuple[str, ...] = DEFAULT_REPORT_FORMATS) -> None:
    folder = out / "students" / submission.key
    if "html" in formats:
        write_atomically(folder / "report.html", render_html(report, back_link="../../summary.html"))
    if "json" in formats:
        write_atomically(folder / "report.json", render(report, "json"))


def report_is_stale(out: Path, key: str, graded_at: str, formats: tuple[str, ...]) -> bool:
    """Missing, or older than the grade: a batch stopped between saving a grade and writing its
    report (even by SIGKILL) leaves the previous file's report behind."""
    for fmt in formats:
        try:
            written = (out / "students" / key / f"report.{fmt}").stat().st_mtime
        except OSError:
            return True
        if written < datetime.fromisoformat(graded_at).timestamp():
            return True
    return False


def write_outputs(problem_set: ProblemSet, out: Path, book: Gradebook, roster_path: Path | None = None,
                  extensions_path: Path | None = None, input_problems: list[InputProblem] | None = None,
                  failures: list[str] | None = None, rewrite: set[str] | None = None) -> list[StudentInfo]:
    """Per-student reports, gradebook CSVs and the dashboard, from the gradebook alone (so that a
    review import can write them again). Students' reports are written for the keys in `rewrite`
    (all when None) and wherever they are missing or older than the grade. Returns the roster's
    students who did not submit."""
    granted = extensions.read_extensions(extensions_path) if extensions_path else {}
    students = roster.read_roster(roster_path) if roster_path else []
    formats = report_formats(book)
    tally = DashboardTally(problem_set, {s.id: s.email for s in students if s.email}, "html" in formats)
    policy = problem_set.assignment.policies.late
    header = exports.gradebook_header(problem_set)
    last: tuple[str, tuple[StudentResult, str] | None] = ("", None)
    with (out / "gradebook.csv").open("w", encoding="utf-8", newline="") as gradebook_file, \
            _open_long(out, long_format(book)) as long_file:
        gradebook, long = csv.writer(gradebook_file), csv.writer(long_file)
        gradebook.writerows([header, exports.points_possible_row(problem_set, header)])
        long.writerow(exports.LONG_COLUMNS)
        # The gradebook's row order (exports.student_sort_key); a group's members each have a row.
        for student, key, first in book.iter_members(exports.student_sort_text):
            if last[0] != key:
                last = (key, _stored_result(book, key, granted, policy))
            if last[1] is None:
                continue
            result, graded_at = last[1]
            gradebook.writerow(exports.gradebook_row(student, result, problem_set))
            long.writerows(exports.long_rows_of(student, result))
            if first:  # a group counts once in the statistics and has one report
                tally.add(result)
                if formats and (rewrite is None or key in rewrite or report_is_stale(out, key, graded_at, formats)):
                    write_student_files(out, result.submission, result.report, formats)
    missing = roster.missing_students(students, book.iter_submissions()) if roster_path else []
    write_atomically(out / "summary.html", tally.render(missing, input_problems or [], failures or []))
    return missing


def _stored_result(book: Gradebook, key: str, granted: dict[str, extensions.Extension],
                   policy: LatePolicy | None) -> tuple[StudentResult, str] | None:
    """The student's result as the outputs show it (reviews and lateness applied), and when it was graded."""
    submission, stored = book.submission(key), book.get(key)
    if submission is None or stored is None:
        return None
    extension = next((granted[s.id] for s in submission.students if s.id in granted), None)
    overrides = book.overrides(key)
    result = StudentResult(submission, reviewed(stored.report, overrides),
                           late.late_result(policy, submission.submitted_at, extension, submission.marked_late),
                           overrides)
    return result, stored.graded_at
