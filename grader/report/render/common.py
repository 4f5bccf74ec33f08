"""Wording and number formatting shared by the text, Markdown and HTML renderers.

Kept in one place so that the formats say the same thing in the same words: a student who reads
the terminal output and a TA who reads the HTML page should never see two different sentences.
"""

from __future__ import annotations

import re
from dataclasses import replace

from grader.report.results import GradeReport, Outcome, PartResult, QuestionResult
from grader.sandbox.records import Frame, StudentProblem, place

PENDING = "provisional — pending review by course staff"
FILE_PROBLEMS_NOTE = ("The rest of the file was still graded: answers defined outside the failing "
                      "statements were checked as usual.")
BOUNDARY = "(boundary: not counted)"
OK_MARK, FAIL_MARK, NEUTRAL_MARK = "✓", "✗", "·"


def case_mark(ok: bool, boundary: bool) -> str:
    """A boundary input never counts, so it gets no verdict of its own: a neutral mark."""
    return NEUTRAL_MARK if boundary else OK_MARK if ok else FAIL_MARK


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
    parts = [p for p in report.parts if p.provisional]
    answers = "1 free-text answer" if len(parts) == 1 else f"{len(parts)} free-text answers"
    unit = "point" if points(pending) == "1" else "points"
    earned = sum(p.earned for p in parts)
    one = len(parts) == 1
    earned_unit = "point" if points(earned) == "1" else "points"
    return (f"{answers} (worth {points(pending)} {unit}) {'awaits' if one else 'await'} review by course "
            f"staff: {'its' if one else 'their'} {points(earned)} {earned_unit} so far "
            f"{'is' if earned_unit == 'point' else 'are'} provisional")


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


def anchor(question_id: str) -> str:
    """The id a report gives a question, for jump links: "q-" and the id, markup-free."""
    return "q-" + re.sub(r"[^A-Za-z0-9_-]", "-", question_id)


def question_heading(question_id: str, title: str) -> str:
    return f"{question_id} · {title}" if title else question_id


SUMMARY_ORDER = (
    (Outcome.CORRECT, "correct"), (Outcome.PARTIAL, "partially correct"),
    (Outcome.NEEDS_REVIEW, "pending review"),
    ((Outcome.INCORRECT, Outcome.INVALID), "wrong or unreadable"),
    ((Outcome.RAISED, Outcome.TIMED_OUT), "raised an error or timed out"),
    (Outcome.NOT_ANSWERED, "not answered"), (Outcome.GRADER_ERROR, "not checked (grader error)"),
)


def summary_line(report: GradeReport) -> str | None:
    """How the parts went, e.g. "Parts: 12 correct, 3 partially correct, 4 pending review, 2 wrong
    or unreadable, 1 raised an error or timed out" (kinds with no part left out)."""
    counts = []
    for outcomes, words in SUMMARY_ORDER:
        wanted = outcomes if isinstance(outcomes, tuple) else (outcomes,)
        n = sum(p.outcome in wanted for p in report.parts)
        if n:
            counts.append(f"{n} {words}")
    return f"Parts: {', '.join(counts)}" if counts else None


def details_line(report: GradeReport) -> str:
    """How the submission was run, for whoever needs it (not the first thing a student reads)."""
    return f"Details: your code ran at the {report.isolation} isolation level"


_LIST_ITEM = re.compile(r"\s*(?:\([a-z0-9]{1,3}\)|[-*•]|\d{1,2}[.)])\s")


def prompt_items(text: str) -> list[str]:
    """A prompt's paragraphs and list items, each on one line: lines of a paragraph are joined,
    a line that starts a list item ("(a) …", "- …", "1. …") starts a new one."""
    items: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        current: list[str] = []
        for line in paragraph.splitlines():
            if current and _LIST_ITEM.match(line):
                items.append(" ".join(current))
                current = []
            current += line.split()
        if current:
            items.append(" ".join(current))
    return items


def lost_points(part: PartResult) -> bool:
    """A part that did not earn all its points, or whose points are not final yet."""
    return part.earned < part.possible or part.provisional


def shown_questions(report: GradeReport, only_lost: bool = False) -> list[QuestionResult]:
    """The questions a report lists: all, or (`only_lost`) only the parts that lost points."""
    if not only_lost:
        return list(report.questions)
    kept = [replace(q, parts=tuple(p for p in q.parts if lost_points(p))) for q in report.questions]
    return [q for q in kept if q.parts]


def only_lost_line(report: GradeReport) -> str:
    lost = sum(lost_points(p) for p in report.parts)
    return (f"Showing only the {lost} of {len(report.parts)} parts that lost points or await review "
            "(leave out --only-lost to see every part).")
