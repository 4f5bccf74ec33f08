"""Wording and number formatting shared by the text, Markdown and HTML renderers.

Kept in one place so that the formats say the same thing in the same words: a student who reads
the terminal output and a TA who reads the HTML page should never see two different sentences.
"""

from __future__ import annotations

from grader.report.results import GradeReport, PartResult
from grader.sandbox.records import Frame, StudentProblem, place

PENDING = "provisional — pending review by course staff"
FILE_PROBLEMS_NOTE = ("The rest of the file was still graded: answers defined outside the failing "
                      "statements were checked as usual.")
BOUNDARY = "(boundary: not counted)"
OK_MARK, FAIL_MARK = "✓", "✗"


def points(value: float) -> str:
    # Round first so that float sums such as 6.999999999 print as 7; `+ 0.0` turns -0.0 into 0.
    return f"{round(value, 6) + 0.0:g}"


def score(earned: float, possible: float) -> str:
    return f"{points(earned)} / {points(possible)}"


def part_score(part: PartResult) -> str:
    text = score(part.earned, part.possible)
    return f"{text} ({PENDING})" if part.provisional else text


def percent(earned: float, possible: float) -> str | None:
    if possible <= 0:
        return None
    return f"{round(100 * earned / possible, 1):g} %"


def total_line(report: GradeReport) -> str:
    pct = percent(report.earned, report.possible)
    text = score(report.earned, report.possible)
    return f"{text} ({pct})" if pct else text


def pending_line(report: GradeReport) -> str | None:
    pending = report.pending_review
    if pending <= 0:
        return None
    unit = "point" if points(pending) == "1" else "points"
    verb = "is" if unit == "point" else "are"
    return f"{points(pending)} {unit} {verb} provisional until course staff review the free-text answers"


def grader_error_line(report: GradeReport) -> str | None:
    if not report.grader_error:
        return None
    return (f"The grader itself failed, not your submission: {report.grader_error} "
            "This is not your fault; please tell course staff.")


def extra_notes(report: GradeReport) -> list[str]:
    """Notes other than the grader error, which has its own, louder message."""
    return [n for n in report.notes if n and n != report.grader_error]


def frame_line(frame: Frame) -> str:
    return f"{place(frame.line, frame.cell)}, in {frame.function}: {frame.code}"


def problem_heading(problem: StudentProblem) -> str:
    """E.g. "SyntaxError at line 31: invalid syntax"."""
    where = f" at {place(problem.line, problem.cell)}" if problem.line else ""
    return f"{problem.type}{where}: {problem.message}" if problem.message else f"{problem.type}{where}"


def location_lines(problem: StudentProblem) -> list[str]:
    """Where the problem happened, in the student's own code: frames, or the offending line."""
    if problem.frames:
        return ["Traceback (most recent call last):"] + [f"  {frame_line(f)}" for f in problem.frames]
    if problem.code:
        # A syntax error has no frames, only the offending line.
        return [f"{place(problem.line, problem.cell)}: {problem.code}" if problem.line else problem.code]
    return []


def traceback_lines(problem: StudentProblem) -> list[str]:
    """The student's own traceback, most recent call last, ending with "Type: message"."""
    last = f"{problem.type}: {problem.message}" if problem.message else problem.type
    return location_lines(problem) + [last]


def skipped_line(line: int, reason: str, cell: str = "") -> str:
    return f"{place(line, cell)} was skipped: {reason}"


def has_file_box(report: GradeReport) -> bool:
    return bool(report.file_problems or report.skipped_statements)


def question_heading(question_id: str, title: str) -> str:
    return f"{question_id} · {title}" if title else question_id
