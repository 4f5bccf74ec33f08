"""Report renderers: one GradeReport in, one document out, in the format the reader needs.

Every format applies the same visibility rules (grader.report.render.visibility) and uses the same
wording (grader.report.render.common); only the markup differs.
"""

from __future__ import annotations

from grader.report.results import GradeReport

FORMATS: tuple[str, ...] = ("text", "markdown", "html", "json")


def render(report: GradeReport, fmt: str, color: bool = False, only_lost: bool = False,
           width: int | None = None) -> str:
    """Render `report` as `fmt`; `color` adds ANSI colours to "text" and is ignored otherwise;
    `only_lost` lists only the parts that lost points (the totals stay whole; JSON is always whole);
    `width`: the terminal's columns, for "text" (default: 100)."""
    # Imported here so that asking for one format does not load the others (jinja2 for HTML).
    if fmt == "text":
        from grader.report.render.text import render_text
        return render_text(report, color=color, only_lost=only_lost, **({"width": width} if width else {}))
    if fmt == "markdown":
        from grader.report.render.markdown import render_markdown
        return render_markdown(report, only_lost=only_lost)
    if fmt == "html":
        from grader.report.render.html import render_html
        return render_html(report, only_lost=only_lost)
    if fmt == "json":
        from grader.report.render.json_report import render_json
        return render_json(report)
    raise ValueError(f"unknown report format {fmt!r}: choose one of {', '.join(FORMATS)}")
