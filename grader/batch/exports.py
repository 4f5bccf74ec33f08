"""The batch's spreadsheets: a gradebook Canvas can import, and a long table (student × part).

`gradebook.csv` — one row per student, in the layout of Canvas' own gradebook export
-----------------------------------------------------------------------------------------
Canvas' importer (GradebookImporter) recognises its own export: a header row that starts
`Student,ID,SIS User ID,SIS Login ID,Section`, a second row whose first cell contains "Points
Possible" (Canvas writes `"    Points Possible"`), then one row per student. Every further column is
an assignment, unless its cell in the Points Possible row says "(read only)": Canvas then leaves the
column out of the import. This file follows that layout:

    Student,ID,SIS User ID,SIS Login ID,Section,<assignment title>,<question columns…>,
        Total before late penalty,Late penalty %,Grader status
    "    Points Possible",,,,,<total points>,(read only),…,(read only)
    <name>,<canvas user id>,<sis user id>,<email>,,<total after penalty>,<question points…>,…

Choices, and why:

* The assignment column is headed by the assignment's title alone, and its points possible go in
  the Points Possible row, as in Canvas' export. Canvas reads a header "Title (123)" as "the
  assignment whose Canvas id is 123", so "Title (<total points>)" would send the scores to whichever
  assignment has that id (or, if none, create a duplicate assignment). With a plain title Canvas
  updates the assignment of exactly that title, or creates it. Pass `canvas_assignment_id` to
  write the header as Canvas' export does ("Title (123)"), which matches by id even after a rename.
  (A title that itself ends in " (digits)" is read by Canvas as an id: give the id in that case.)
* Per-question points, the total before the late penalty, the penalty and a status note are for
  the TA's eyes: each is marked "(read only)" in the Points Possible row, so Canvas never creates
  assignments from them. Their headers never end in "(digits)" (question points read "(2 pts)").
  (When Canvas cannot match some student it shows its mapping page instead, where these columns
  appear as new assignments: choose "ignore" for them there.)
* Identity: Canvas matches a row by `ID` (its own user id), then `SIS User ID`, then
  `SIS Login ID`, then the name. A student id is written to `ID` only when it *is* a Canvas user id
  (the submission came from a Canvas export; see `canvas_ids`), since a Gradescope or roster
  number in that column could match a different Canvas user. Other ids (Gradescope SID, roster id,
  folder name) go to `SIS User ID`; the email goes to `SIS Login ID`. `Section` is left empty
  (Canvas only needs the column to be there).
* A group submission gives one row per member, each with the group's score.
* A submission whose grading failed for the grader's own reasons (`report.grader_error`) gets an
  empty assignment cell — Canvas leaves an empty cell unchanged — never a 0 the student did not
  earn; "Grader status" says why. Students who did not submit are not listed (Canvas leaves them
  as they are; the dashboard lists them).
* Scores include the TA's overrides; the assignment cell is after the late penalty.

`long.csv` — one row per student × part
---------------------------------------
    student_id,question,part,outcome,earned,possible,provisional,reviewed,mistake,answer

`earned` includes a TA's override (`reviewed` is then true and `provisional` false); `outcome` is
the grader's machine name (`correct`, `partially_correct`, `invalid_format`, …); `answer` is the
answer as the grader read it (`PartResult.understood`), `mistake` the message of the common
mistake it matched. Rows are ordered by student id, then in the report's question and part order.

Both files: UTF-8, written with the csv module; numbers with at most 6 significant digits and no
exponent; booleans `true`/`false`. Text a student controls that a spreadsheet would run as a
formula (a cell starting with = + - @ or a tab/CR, other than a plain number) is prefixed with `'`.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from grader.batch.model import StudentInfo, StudentResult
from grader.problemset.loader import ProblemSet

CANVAS_IDENTITY = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
POINTS_POSSIBLE = "    Points Possible"
"""The first cell of the second row, spelt as Canvas' own export spells it."""
READ_ONLY = "(read only)"
TOTAL_BEFORE = "Total before late penalty"
LATE_PERCENT = "Late penalty %"
STATUS = "Grader status"
LONG_COLUMNS = ("student_id", "question", "part", "outcome", "earned", "possible", "provisional",
                "reviewed", "mistake", "answer")

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def number(value: float | None) -> str:
    """At most 6 significant digits, never an exponent: 7, 2.5, 0.333333, 1234.57, 0.0000001."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    rounded = float(f"{float(value):.6g}")
    if rounded == 0:
        return "0"
    return np.format_float_positional(rounded, trim="-")


def boolean(value: bool) -> str:
    return "true" if value else "false"


def safe_text(text: str | None) -> str:
    """Text as a spreadsheet will show it, never as a formula it would run."""
    if not text:
        return ""
    if text.startswith(_FORMULA_START):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def student_sort_key(student_id: str) -> tuple[int, int, str]:
    """Numeric ids in numeric order, then the others in text order: stable and unsurprising."""
    return (0, int(student_id), "") if student_id.isdecimal() else (1, 0, student_id)


def student_sort_text(student_id: str) -> str:
    """A text that sorts (by code point, as SQLite's BINARY does) where student_sort_key does, so
    that the gradebook can sort a MOOC's students itself, on disk rather than in memory."""
    if student_id.isdecimal():
        digits = str(int(student_id))
        return f"0{len(digits):010d}{digits}"
    return "1" + student_id


def _rows_by_student(results: Iterable[StudentResult]) -> list[tuple[StudentInfo, StudentResult]]:
    rows = [(student, result) for result in results for student in result.submission.students]
    return sorted(rows, key=lambda row: (student_sort_key(row[0].id), row[1].submission.key))


def part_points(result: StudentResult, part_name: str, earned: float) -> float:
    """The points a part counts for: the TA's override if there is one, else the grader's."""
    override = result.overrides.get(part_name)
    return override.points if override else earned


def question_points(result: StudentResult, question_id: str) -> float | None:
    """Points earned on a question (with overrides), None if the report does not have it."""
    for question in result.report.questions:
        if question.id == question_id:
            return sum(part_points(result, p.name, p.earned) for p in question.parts)
    return None


def _from_canvas(result: StudentResult) -> bool:
    return result.submission.source.strip().lower().startswith("canvas")


def _status(result: StudentResult) -> str:
    notes = []
    if result.report.grader_error:
        notes.append(f"grader error, score left empty: {result.report.grader_error}")
    pending = sum(p.possible for p in result.report.parts
                  if p.provisional and p.name not in result.overrides)
    if pending > 0:
        notes.append(f"{number(pending)} points provisional, pending review")
    if result.late.penalty > 0 or result.late.past_cutoff:
        notes.append(result.late.explanation)
    return "; ".join(notes)


def gradebook_header(problem_set: ProblemSet, canvas_assignment_id: int | None = None) -> list[str]:
    title = problem_set.assignment.title
    assignment = f"{title} ({canvas_assignment_id})" if canvas_assignment_id is not None else title
    questions = [f"{q.id}: {q.title} ({number(q.points)} pts)" for q in problem_set.questions]
    return [*CANVAS_IDENTITY, assignment, *questions, TOTAL_BEFORE, LATE_PERCENT, STATUS]


def points_possible_row(problem_set: ProblemSet, header: Sequence[str]) -> list[str]:
    extra = len(header) - len(CANVAS_IDENTITY) - 1
    return [POINTS_POSSIBLE, "", "", "", "", number(problem_set.assignment.total_points), *([READ_ONLY] * extra)]


def gradebook_row(student: StudentInfo, result: StudentResult, problem_set: ProblemSet,
                  canvas_ids: bool | None = None) -> list[str]:
    """One student's row of the gradebook (a group's members each have theirs)."""
    in_canvas = _from_canvas(result) if canvas_ids is None else canvas_ids
    identity = [safe_text(student.name), safe_text(student.id) if in_canvas else "",
                "" if in_canvas else safe_text(student.id), safe_text(student.email), ""]
    score = "" if result.report.grader_error else number(result.total)
    questions = [number(question_points(result, q.id)) for q in problem_set.questions]
    return [*identity, score, *questions, number(result.earned_before_penalty),
            number(100 * result.late.penalty), safe_text(_status(result))]


def gradebook_rows(results: Sequence[StudentResult], problem_set: ProblemSet, *,
                   canvas_ids: bool | None = None,
                   canvas_assignment_id: int | None = None) -> Iterator[list[str]]:
    """The gradebook's rows, header first (see the module docstring for the layout)."""
    header = gradebook_header(problem_set, canvas_assignment_id)
    yield header
    yield points_possible_row(problem_set, header)
    for student, result in _rows_by_student(results):
        yield gradebook_row(student, result, problem_set, canvas_ids)


def write_gradebook(results: Sequence[StudentResult], problem_set: ProblemSet, path: Path | str, *,
                    canvas_ids: bool | None = None, canvas_assignment_id: int | None = None) -> Path:
    """Write `gradebook.csv` in the layout Canvas' gradebook import reads (module docstring).

    `canvas_ids`: whether student ids are Canvas user ids (None: yes for submissions that came
    from a Canvas export). `canvas_assignment_id`: the Canvas assignment to update, if known.
    """
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerows(gradebook_rows(results, problem_set, canvas_ids=canvas_ids,
                                        canvas_assignment_id=canvas_assignment_id))
    return path


def long_rows_of(student: StudentInfo, result: StudentResult) -> Iterator[list[str]]:
    """One student's rows of the long table: one per part."""
    for question in result.report.questions:
        for part in question.parts:
            reviewed = part.name in result.overrides
            yield [
                safe_text(student.id), question.id, part.name, part.outcome.value,
                number(part_points(result, part.name, part.earned)), number(part.possible),
                boolean(part.provisional and not reviewed), boolean(reviewed),
                safe_text(part.mistake), safe_text(part.understood),
            ]


def long_rows(results: Sequence[StudentResult]) -> Iterator[list[str]]:
    """The long table's rows, header first: one per student × part."""
    yield list(LONG_COLUMNS)
    for student, result in _rows_by_student(results):
        yield from long_rows_of(student, result)


def write_long_format(results: Sequence[StudentResult], path: Path | str) -> Path:
    """Write the long-format CSV: one row per student × part (module docstring)."""
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(long_rows(results))
    return path
