"""The local check's report: what it found per part, and that report as text, Markdown, HTML or
JSON (schema "grader.check/1"). Plain data and its views; `check.py` fills it in."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from typing import Any, Literal

from grader.sandbox.records import StudentProblem, place

Status = Literal["ready", "not answered", "problem"]


@dataclass(frozen=True)
class PartCheck:
    question: str
    name: str
    kind: str
    points: float
    status: Status
    message: str = ""
    understood: str = ""
    """The answer as the grader read it (e.g. `flows (read from "Normalizing flows")`)."""


@dataclass(frozen=True)
class CheckReport:
    title: str
    submission: str
    parts: tuple[PartCheck, ...]
    file_problems: tuple[StudentProblem, ...] = ()
    skipped_statements: tuple[tuple[int, str, str], ...] = ()
    isolation: str = "process"
    grader_error: str | None = None

    def count(self, status: Status) -> int:
        return sum(p.status == status for p in self.parts)

    @property
    def points(self) -> float:
        return sum(p.points for p in self.parts)


def _intro(report: CheckReport) -> list[str]:
    return [f"Checking {report.submission} for \"{report.title}\": public checks only.",
            "Correctness is NOT checked here (this bundle holds no expected answers)."]


def _grader_error_line(report: CheckReport) -> str | None:
    if not report.grader_error:
        return None
    return f"The checker itself failed: {report.grader_error}. This is not your fault."


def _file_lines(report: CheckReport) -> list[str]:
    """What went wrong in the file as a whole: statements that raised or were skipped."""
    lines = []
    for problem in report.file_problems:
        where = f"{place(problem.line, problem.cell)}: " if problem.line else ""
        lines.append(f"Your file: {where}{problem.type}: {problem.message} (the rest of the file still ran)")
    for line, why, cell in report.skipped_statements:
        lines.append(f"Your file: the statement at {place(line, cell)} was skipped because {why}")
    return lines


def part_status(p: PartCheck) -> str:
    """One part's verdict: "ready — read as: ...", "not answered: ...", "problem: ..."."""
    if p.status == "ready":
        return "ready" + (f" — read as: {p.understood}" if p.understood else "")
    if p.status == "not answered":
        return "not answered" + (f": {p.message}" if p.message else "")
    return f"problem: {p.message}" + (f" [read as: {p.understood}]" if p.understood else "")


def _summary_lines(report: CheckReport) -> list[str]:
    total = len(report.parts)
    return [
        f"{total} parts: {report.count('ready')} ready, {report.count('not answered')} not answered, "
        f"{report.count('problem')} with a problem.",
        f"On upload, ALL {total} parts ({report.points:g} points) are graded for correctness, whatever "
        "this check says: numbers against the expected values, functions also at hidden random "
        "inputs, choices against the accepted options; free-text parts get a provisional score from "
        "a keyword rubric and are reviewed by course staff. A part that is ready here may still be "
        "wrong; fix every problem before you upload, because the grader reads your file the same way.",
        f"(Your file ran in the grader's sandbox, at the {report.isolation} isolation level.)",
    ]


WIDTH = 100
"""Columns of the text report, as the graded report's (a terminal line; long text wraps)."""


def _wrapped(text: str, indent: str = "", first: str = "") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=first, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False) or [first.rstrip()]


def render(report: CheckReport) -> str:
    lines = [*_intro(report), ""]
    if (error := _grader_error_line(report)) is not None:
        lines += [*_wrapped(error, "  "), ""]
    if file_lines := _file_lines(report):
        lines += [wrapped for line in file_lines for wrapped in _wrapped(line, "  ")] + [""]
    qwidth = max((len(p.question) for p in report.parts), default=2)
    nwidth = max((len(p.name) for p in report.parts), default=4)
    for p in report.parts:
        head = f"{p.question:<{qwidth}}  {p.name:<{nwidth}}  {p.points:>3g} pt{'s' if p.points != 1 else ' '}  "
        lines += _wrapped(part_status(p), " " * len(head), first=head)
    lines.append("")
    for line in _summary_lines(report):
        lines += _wrapped(line)
    return "\n".join(lines) + "\n"


CHECK_SCHEMA = "grader.check/1"


def check_report_data(report: CheckReport) -> dict[str, Any]:
    """The check report as plain data (`--format json`): no score, since nothing was graded."""
    return {
        "schema": CHECK_SCHEMA,
        "title": report.title,
        "submission": report.submission,
        "isolation": report.isolation,
        "correctness_checked": False,
        "grader_error": report.grader_error,
        "file_problems": [{"type": p.type, "message": p.message, "line": p.line} for p in report.file_problems],
        "skipped_statements": [{"line": line, "cell": cell, "reason": why}
                               for line, why, cell in report.skipped_statements],
        "counts": {"ready": report.count("ready"), "not_answered": report.count("not answered"),
                   "problem": report.count("problem")},
        "parts": [{"question": p.question, "name": p.name, "kind": p.kind, "points": p.points,
                   "status": p.status, "message": p.message, "understood": p.understood}
                  for p in report.parts],
    }


def render_json(report: CheckReport) -> str:
    return json.dumps(check_report_data(report), indent=2, ensure_ascii=False) + "\n"


def render_markdown(report: CheckReport) -> str:
    """Markdown with every student-controlled text made inert (the grader's own Markdown helpers)."""
    from grader.report.render.markdown import code, prose

    lines = [f"# Public check: {prose(report.title)}", "",
             f"Submission {code(report.submission)}: public checks only. {prose(_intro(report)[1])}", ""]
    if (error := _grader_error_line(report)) is not None:
        lines += [f"> **{prose(error)}**", ""]
    if file_lines := _file_lines(report):
        lines += [f"- {prose(line)}" for line in file_lines] + [""]
    for p in report.parts:
        points = f"{p.points:g} pt{'s' if p.points != 1 else ''}"
        lines.append(f"- **{prose(p.question)}** {code(p.name)} ({points}): {prose(part_status(p))}")
    for line in _summary_lines(report):
        lines += ["", prose(line)]
    return "\n".join(lines) + "\n"


def render_html(report: CheckReport) -> str:
    """A self-contained page built only through an autoescaping Jinja2 template."""
    from jinja2 import Environment, PackageLoader

    from grader.report.render.html import segments  # `name` spans as <code>, every segment escaped

    env = Environment(loader=PackageLoader("grader.handout", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    return env.get_template(CHECK_TEMPLATE).render(
        report=report, intro=_intro(report), grader_error=_grader_error_line(report),
        file_lines=_file_lines(report), part_status=part_status, segments=segments,
        summary=_summary_lines(report))


CHECK_TEMPLATE = "check.html.j2"
CHECK_FORMATS = ("text", "markdown", "html", "json")


def render_check(report: CheckReport, fmt: str) -> str:
    """The check report as `fmt`: one of CHECK_FORMATS (the formats of `grade submit`)."""
    renderers = {"text": render, "markdown": render_markdown, "html": render_html, "json": render_json}
    if fmt not in renderers:
        raise ValueError(f"unknown check report format {fmt!r}: choose one of {', '.join(CHECK_FORMATS)}")
    return renderers[fmt](report)
