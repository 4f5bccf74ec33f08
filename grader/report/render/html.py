"""A self-contained HTML page: inline CSS, no scripts, no external resources.

Built only through a Jinja2 template with autoescaping, so every value a student controls
(answers, exception messages, code lines, even the submission's file name) reaches the page
escaped. Never build HTML here with string formatting.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jinja2 import Environment, PackageLoader

from grader.report.render import common, mathtext
from grader.report.render.visibility import (
    visible_cases,
    visible_expected,
    visible_explanation,
)
from grader.report.results import GradeReport

TEMPLATE = "report.html.j2"
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


def segments(text: str) -> list[tuple[str, bool]]:
    """Split grader messages on `backtick` spans, so the template can show names as <code>.

    Only a presentation aid: the template escapes every segment, code or not.
    """
    parts: list[tuple[str, bool]] = []
    end = 0
    for match in _CODE_SPAN.finditer(text):
        if match.start() > end:
            parts.append((text[end:match.start()], False))
        parts.append((match.group(2), True))
        end = match.end()
    if end < len(text):
        parts.append((text[end:], False))
    return parts


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("grader.report.render", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    # The template calls the same helpers as the other renderers, so all formats agree.
    env.globals.update(
        score=common.score,
        part_score=common.part_score,
        total_line=common.total_line,
        pending_line=common.pending_line,
        grader_error_line=common.grader_error_line,
        extra_notes=common.extra_notes,
        problem_heading=common.problem_heading,
        location_lines=common.location_lines,
        traceback_lines=common.traceback_lines,
        skipped_line=common.skipped_line,
        question_heading=common.question_heading,
        anchor=common.anchor,
        summary_line=common.summary_line,
        details_line=common.details_line,
        prompt_items=common.prompt_items,
        math=mathtext.html,
        formula_html=mathtext.formula_html,
        segments=segments,
        visible_cases=visible_cases,
        visible_expected=visible_expected,
        visible_explanation=visible_explanation,
        FILE_PROBLEMS_NOTE=common.FILE_PROBLEMS_NOTE,
        BOUNDARY=common.BOUNDARY,
        case_mark=common.case_mark,
        PENDING=common.PENDING,
        OK_MARK=common.OK_MARK,
        FAIL_MARK=common.FAIL_MARK,
    )
    return env


def render_html(report: GradeReport, only_lost: bool = False, back_link: str | None = None) -> str:
    """`back_link`: a relative link to the page that lists this report (the class summary)."""
    return environment().get_template(TEMPLATE).render(
        report=report, questions=common.shown_questions(report, only_lost),
        only_lost=common.only_lost_line(report) if only_lost else None, back_link=back_link)
