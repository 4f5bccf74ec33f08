"""Terminal text: compact, readable at 100 columns, ANSI colours only when asked for.

Colour never carries information on its own (the outcome label is always written out), so the
plain output loses nothing when piped to a file or read by a screen reader.
"""

from __future__ import annotations

import re
import textwrap

from grader.report.render import common, mathtext
from grader.report.render.visibility import (
    VisibleCase,
    visible_cases,
    visible_expected,
    visible_explanation,
)
from grader.report.results import GradeReport, Outcome, PartResult, QuestionResult

WIDTH = 100
MIN_WIDTH = 60
# Case-table columns grow with their content up to this width; longer values just overflow.
MAX_COLUMN = 32

ANSI = re.compile(r"\x1b\[[0-9;]*m")
_RESET = "\x1b[0m"
_STYLES = {
    "bold": "\x1b[1m",
    "dim": "\x1b[2m",
    "red": "\x1b[31m",
    "green": "\x1b[32m",
    "yellow": "\x1b[33m",
    "blue": "\x1b[34m",
    "magenta": "\x1b[35m",
}
_OUTCOME_STYLE = {
    Outcome.CORRECT: "green",
    Outcome.PARTIAL: "yellow",
    Outcome.NEEDS_REVIEW: "yellow",
    Outcome.INCORRECT: "red",
    Outcome.RAISED: "red",
    Outcome.TIMED_OUT: "red",
    Outcome.INVALID: "magenta",
    Outcome.NOT_ANSWERED: "dim",
    # Not the student's doing, so not red: blue sets it apart from every student outcome.
    Outcome.GRADER_ERROR: "blue",
}


class _Painter:
    """The terminal the report is for: ANSI styles (or none when colour is off) and its width."""

    def __init__(self, color: bool, width: int = WIDTH):
        self.color = color
        self.width = width

    def __call__(self, text: str, style: str) -> str:
        return f"{_STYLES[style]}{text}{_RESET}" if self.color and text else text

    def outcome(self, outcome: Outcome) -> str:
        return self(outcome.label, _OUTCOME_STYLE[outcome])

    def wrap(self, text: str, indent: str, first: str | None = None) -> list[str]:
        """Wrap prose to the width; `first` replaces the indent on the first line (e.g. a bullet)."""
        lines = textwrap.wrap(text, self.width, initial_indent=first if first is not None else indent,
                              subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)
        return lines or [(first or indent).rstrip()]

    def fit(self, line: str) -> str:
        """Cut a line of the student's code at the width: the terminal shows where, the file has the rest."""
        return line if len(line) <= self.width else line[:self.width - 1] + "…"




def _header(report: GradeReport, paint: _Painter) -> list[str]:
    title = report.title or report.assignment
    if report.title and report.assignment:
        title += f"  ({report.assignment})"
    lines = [paint(line, "bold") for line in paint.wrap(title, "  ", first="")]
    lines.append(f"Submission: {report.submission}")
    lines.append(f"Total: {common.total_line(report)}")
    summary = common.summary_line(report)
    if summary:
        lines += paint.wrap(summary, "       ", first="")
    pending = common.pending_line(report)
    if pending:
        # Wrapped first and painted after: colour codes would otherwise count towards the width.
        lines += [paint(line, "yellow") for line in paint.wrap(pending, "  ", first="Pending review: ")]
    error = common.grader_error_line(report)
    if error:
        # Wrap first and paint after: escape codes would otherwise count towards the width.
        wrapped = paint.wrap(error, "  ", first="! ")
        lines += [paint("!", "blue") + wrapped[0][1:], *wrapped[1:]]
    for note in common.extra_notes(report):
        lines += paint.wrap(note, "  ", first="Note: ")
    return lines


def _file_box(report: GradeReport, paint: _Painter) -> list[str]:
    if not common.has_file_box(report):
        return []
    lines = [paint("Problems in your file", "bold")]
    for problem in report.file_problems:
        lines.append(f"  {paint(common.problem_heading(problem), 'red')}")
        lines += [paint.fit(f"    {line}") for line in common.location_lines(problem)]
    for line, reason, cell in report.skipped_statements:
        lines.append(f"  {paint(common.skipped_line(line, reason, cell), 'yellow')}")
    lines += paint.wrap(common.FILE_PROBLEMS_NOTE, "  ")
    return lines


def _sections(report: GradeReport, paint: _Painter) -> list[str]:
    totals = report.section_totals()
    if not totals:
        return []
    id_width = max(len(t.section) for t in totals)
    title_width = min(max(len(t.title) for t in totals), 60)
    lines = [paint("Sections", "bold")]
    for t in totals:
        lines.append(f"  {t.section:<{id_width}}  {t.title:<{title_width}}  {common.score(t.earned, t.possible)}")
    return lines




def _case_lines(rows: list[VisibleCase], paint: _Painter) -> list[str]:
    # Align on the short values only: one long input must not push every other row to the right.
    label_width = max((len(r.label) for r in rows if len(r.label) <= MAX_COLUMN), default=0)
    got_width = max((len(r.got) for r in rows if len(r.got) <= MAX_COLUMN), default=0)
    lines = ["    Cases:"]
    for r in rows:
        mark = paint(common.case_mark(r.ok, r.boundary), "dim" if r.boundary else "green" if r.ok else "red")
        result = f"got {r.got:<{got_width}}"
        if r.expected is not None:
            result += f"  expected {r.expected}"
        notes = ([common.BOUNDARY] if r.boundary else []) + (["(hidden)"] if r.hidden and r.inputs else [])
        if notes:
            result += "  " + paint(" ".join(notes), "dim")
        one_line = f"      {common.OK_MARK} {r.label:<{label_width}}  {ANSI.sub('', result)}".rstrip()
        if len(one_line) <= paint.width:
            lines.append(f"      {mark} {r.label:<{label_width}}  {result}".rstrip())
        else:
            # Long inputs (several arrays, a model's formula) get a line of their own.
            label = paint.wrap(r.label, " " * 8, first="      ? ")
            plain_result = ANSI.sub("", result)
            result_lines = [f"          {result}".rstrip()] if len(plain_result) + 10 <= paint.width else \
                paint.wrap(plain_result, " " * 12, first=" " * 10)
            lines += [f"      {mark}{label[0][7:]}", *label[1:], *result_lines]
    return lines


def _prompt_lines(text: str | None, indent: str, paint: _Painter) -> list[str]:
    """A prompt of the problem set, its paragraphs wrapped, its math in Unicode (xₜ₋₁)."""
    if not text:
        return []
    lines: list[str] = []
    for item in common.prompt_items(mathtext.plain(text)):
        lines += [paint(line, "dim") for line in paint.wrap(item, indent)]
    return lines


def _part_lines(part: PartResult, report: GradeReport, paint: _Painter) -> list[str]:
    head = f"  {part.name}  {common.part_score(part)}"
    fits = len(head) + 2 + len(part.outcome.label) <= paint.width
    lines = [f"{head}  {paint.outcome(part.outcome)}"] if fits else [head, f"    {paint.outcome(part.outcome)}"]
    lines += _prompt_lines(part.prompt, "    ", paint)
    if part.understood is not None:
        lines += paint.wrap(f"Your answer: {part.understood}", "      ", first="    ")
    for feedback in part.feedback:
        lines += paint.wrap(mathtext.plain(feedback), "      ", first="    - ")
    if part.problem is not None:
        lines += [paint.fit(f"    {line}") for line in common.traceback_lines(part.problem)]
    rows = visible_cases(report, part)
    if rows:
        lines += _case_lines(rows, paint)
    expected = visible_expected(report, part)
    if expected is not None:
        lines += paint.wrap(f"Expected: {expected}", "      ", first="    ")
    explanation = visible_explanation(report, part)
    if explanation:
        lines += paint.wrap(f"Why: {mathtext.plain(explanation)}", "      ", first="    ")
    return lines


def _question_lines(question: QuestionResult, report: GradeReport, paint: _Painter) -> list[str]:
    title = mathtext.plain(question.title)
    left = paint(f"{question.id}  {title}", "bold")
    left_plain = f"{question.id}  {title}"
    right_plain = f"{common.score(question.earned, question.possible)}  {question.outcome.label}"
    right = f"{common.score(question.earned, question.possible)}  {paint.outcome(question.outcome)}"
    gap = paint.width - len(left_plain) - len(right_plain)
    # The score at the right edge; on a narrow terminal, on the line below the title.
    heading = [f"{left}{' ' * gap}{right}"] if gap >= 2 else [
        *(paint(line, "bold") for line in paint.wrap(left_plain, "    ")),
        f"{' ' * (paint.width - len(right_plain))}{right}"]
    lines = [*heading, *_prompt_lines(question.prompt, "  ", paint)]
    for part in question.parts:
        lines += _part_lines(part, report, paint)
    return lines


def render_text(report: GradeReport, color: bool = False, only_lost: bool = False, width: int = WIDTH) -> str:
    """`width`: the terminal's columns (at most WIDTH: longer lines read badly), at least MIN_WIDTH."""
    paint = _Painter(color, max(MIN_WIDTH, min(width, WIDTH)))
    blocks = [_header(report, paint), _file_box(report, paint), _sections(report, paint)]
    if only_lost:
        blocks.append(paint.wrap(common.only_lost_line(report), ""))
    blocks += [_question_lines(q, report, paint) for q in common.shown_questions(report, only_lost)]
    blocks.append(_footer(report, paint))
    return "\n\n".join("\n".join(block) for block in blocks if block) + "\n"


def _footer(report: GradeReport, paint: _Painter) -> list[str]:
    """The total again where a long report ends (the terminal shows its end), and the details."""
    if not report.questions:
        return []
    summary = common.summary_line(report)
    return [f"Total: {common.total_line(report)}", *(paint.wrap(summary, "       ", first="") if summary else []),
            common.details_line(report)]
