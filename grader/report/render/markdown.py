"""Markdown (CommonMark + GitHub tables), also the per-test output of Gradescope.

Student-controlled text must not be able to inject HTML, links or images into a page that renders
this Markdown. Two tools keep it inert:

- `code()` puts a value in a code span (or `fence()` in a fenced block), inside which Markdown
  interprets nothing; the fence is longer than any backtick run in the value, so it cannot end early.
- `prose()` backslash-escapes every character that could start markup (including `<` and `\\`),
  except backticks: grader messages quote names in backticks, and with `\\`, `<` and `[` escaped
  outside them, code-span boundaries are exactly where the renderer will see them.
"""

from __future__ import annotations

import re

from grader.report.render import common, mathtext
from grader.report.render.visibility import (
    VisibleCase,
    visible_cases,
    visible_expected,
    visible_explanation,
)
from grader.report.results import GradeReport, PartResult, QuestionResult

# Markdown punctuation that can start emphasis, links, images, HTML, headings, tables or entities.
_ACTIVE = re.compile(r"([\\*_\[\]<>|~!#&{}$])")
_BACKTICKS = re.compile(r"`+")


def _one_line(text: str) -> str:
    return " ".join(text.splitlines())


def code_spans(text: str) -> list[tuple[int, int]]:
    """Where a CommonMark renderer sees code spans: a run of backticks opens one, the next run of
    the same length closes it (runs of other lengths are content); a run without a partner is
    literal. (No backslash can escape a backtick here: `prose` escapes every backslash.)"""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    later: dict[int, list[int]] = {}  # run length → indices of runs of that length, last first
    for k in reversed(range(len(runs))):
        later.setdefault(runs[k][1] - runs[k][0], []).append(k)
    spans: list[tuple[int, int]] = []
    k = 0
    while k < len(runs):
        same = later[runs[k][1] - runs[k][0]]
        while same and same[-1] <= k:  # runs already passed
            same.pop()
        if not same:
            k += 1
            continue
        close = same.pop()
        spans.append((runs[k][0], runs[close][1]))
        k = close + 1
    return spans


def prose(text: str, table: bool = False) -> str:
    """Text with its backtick code spans kept verbatim (a renderer shows their content literally,
    so `q3j_model` needs no escape there) and every markup character outside them escaped. In a
    table cell a `|` ends the cell even inside a code span, so there it is escaped everywhere."""
    # At the start of a block, indentation would make a code block and three backticks a fence:
    # leading spaces go, and a leading run of backticks is written as entities (never a delimiter).
    text = _one_line(text).lstrip()
    fence = re.match(r"`{3,}", text)
    prefix = "&#96;" * fence.end() if fence else ""
    text = text[fence.end():] if fence else text
    out, end = [prefix], 0
    for start, stop in code_spans(text):
        span = text[start:stop]
        out += [_ACTIVE.sub(r"\\\1", text[end:start]), span.replace("|", "\\|") if table else span]
        end = stop
    out.append(_ACTIVE.sub(r"\\\1", text[end:]))
    return "".join(out)


def rich(text: str) -> str:
    """Problem-set text: math as `$…$`, code spans kept, everything else escaped as prose."""
    return mathtext.markdown(_one_line(text), escape_text=prose)


def code(text: str, table: bool = False) -> str:
    """An inline code span showing `text` verbatim (on one line)."""
    text = _one_line(text)
    longest = max((len(m) for m in _BACKTICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    # CommonMark strips one space from each side when both are present, and a span cannot start
    # or end with its own fence character: padding with a space on both sides handles both.
    if not text or text[0] in "` " or text[-1] in "` ":
        text = f" {text} "
    if table:
        text = text.replace("|", "\\|")  # GitHub tables split cells on `|` even in code spans
    return f"{fence}{text}{fence}"


def fence(lines: list[str], info: str = "text") -> str:
    body = "\n".join(lines)
    longest = max((len(m) for m in _BACKTICKS.findall(body)), default=0)
    marker = "`" * max(3, longest + 1)
    return f"{marker}{info}\n{body}\n{marker}"


def _case_table(rows: list[VisibleCase]) -> str:
    show_expected = any(r.expected is not None for r in rows)
    head = ["", "Input", "Got"] + (["Expected"] if show_expected else []) + ["Note"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        label = code(r.label, table=True) if r.inputs is not None else f"*{r.label}*"
        cells = [common.case_mark(r.ok, r.boundary), label, code(r.got, table=True)]
        if show_expected:
            cells.append(code(r.expected, table=True) if r.expected is not None else "")
        notes = ([common.BOUNDARY] if r.boundary else []) + (["hidden"] if r.hidden and r.inputs else [])
        cells.append(" ".join(notes))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _status(part: PartResult) -> str:
    status = f"**{common.score(part.earned, part.possible)}**"
    if part.provisional:
        status += f" ({common.PENDING})"
    return f"{status} · {part.outcome.label}"


def part_markdown(part: PartResult, report: GradeReport) -> str:
    """One part's feedback block, without a heading (Gradescope shows the test name itself)."""
    blocks = [_status(part)]
    if part.formula is not None:
        blocks.append(f"Your answer: ${part.formula}$ (read as {code(part.understood or '')})")
    elif part.understood is not None:
        blocks.append(f"Your answer: {code(part.understood)}")
    if part.feedback:
        blocks.append("\n".join(f"- {prose(line)}" for line in part.feedback))
    if part.problem is not None:
        blocks.append(fence(common.traceback_lines(part.problem)))
    rows = visible_cases(report, part)
    if rows:
        blocks.append(_case_table(rows))
    expected = visible_expected(report, part)
    if expected is not None:
        blocks.append(f"**Expected:** {code(expected)}")
    explanation = visible_explanation(report, part)
    if explanation:
        blocks.append(f"**Why:** {rich(explanation)}")
    return "\n\n".join(blocks) + "\n"


def _header(report: GradeReport) -> list[str]:
    title = prose(report.title or report.assignment)
    if report.title and report.assignment:
        title += f" ({code(report.assignment)})"
    facts = [f"**Submission:** {code(report.submission)}", f"**Total:** {common.total_line(report)}"]
    summary = common.summary_line(report)
    if summary:
        facts.append(f"**Parts:** {summary.removeprefix('Parts: ')}")
    pending = common.pending_line(report)
    if pending:
        facts.append(f"**Pending review:** {pending}")
    blocks = [f"# {title}", "  \n".join(facts)]
    error = common.grader_error_line(report)
    if error:
        blocks.append(f"> **Grader error.** {prose(error)}")
    blocks += [f"> **Note.** {prose(note)}" for note in common.extra_notes(report)]
    return blocks


def _file_box(report: GradeReport) -> list[str]:
    if not common.has_file_box(report):
        return []
    blocks = ["## Problems in your file"]
    for problem in report.file_problems:
        blocks.append(f"**{prose(common.problem_heading(problem))}**")
        location = common.location_lines(problem)
        if location:
            blocks.append(fence(location))
    if report.skipped_statements:
        blocks.append("\n".join(f"- {prose(common.skipped_line(line, reason, cell))}"
                                for line, reason, cell in report.skipped_statements))
    blocks.append(prose(common.FILE_PROBLEMS_NOTE))
    return blocks


def _sections(report: GradeReport) -> list[str]:
    totals = report.section_totals()
    if not totals:
        return []
    lines = ["| Section | Title | Points |", "|---|---|---|"]
    lines += [f"| {prose(t.section, table=True)} | {prose(t.title, table=True)} "
              f"| {common.score(t.earned, t.possible)} |"
              for t in totals]
    return ["## Sections", "\n".join(lines)]


def _question(question: QuestionResult, report: GradeReport) -> list[str]:
    heading = (f"### {prose(question.id)} · {rich(question.title)} — "
               f"{common.score(question.earned, question.possible)} · {question.outcome.label}")
    # An explicit anchor: renderers make different ids from a heading's text.
    blocks = [f'<a id="{common.anchor(question.id)}"></a>', heading]
    if question.prompt:
        blocks.append("\n>\n".join(f"> {rich(item)}" for item in common.prompt_items(question.prompt)))
    for part in question.parts:
        blocks.append(f"#### {code(part.name)}")
        if part.prompt:
            blocks.append(f"*{rich(part.prompt)}*")
        blocks.append(part_markdown(part, report).rstrip("\n"))
    return blocks


def render_markdown(report: GradeReport, only_lost: bool = False) -> str:
    blocks = _header(report) + _file_box(report) + _sections(report)
    questions = common.shown_questions(report, only_lost)
    if report.questions:
        blocks.append("## Questions")
    if only_lost:
        blocks.append(f"*{prose(common.only_lost_line(report))}*")
    if questions:  # jump links, as the HTML report's "questions at a glance"
        blocks.append("Jump to: " + " · ".join(
            f"[{prose(q.id)}](#{common.anchor(q.id)}) {common.score(q.earned, q.possible)}" for q in questions))
    for question in questions:
        blocks += _question(question, report)
    if report.questions:
        blocks.append(f"*{prose(common.details_line(report))}*")
    return "\n\n".join(blocks) + "\n"
