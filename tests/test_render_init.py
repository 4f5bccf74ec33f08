"""`render()` dispatch, and the guarantees every format keeps."""

from __future__ import annotations

import pytest
from report_fixtures import EXPECTED_SECRETS, HIDDEN_INPUTS, make_report

from grader.report.render import FORMATS, common, render


def test_formats() -> None:
    assert FORMATS == ("text", "markdown", "html", "json")


def test_unknown_format_names_the_choices() -> None:
    with pytest.raises(ValueError, match="text, markdown, html, json"):
        render(make_report(), "pdf")


@pytest.mark.parametrize("fmt", FORMATS)
def test_secrets_stay_secret_in_every_format(fmt: str) -> None:
    out = render(make_report(), fmt)
    for secret in (*EXPECTED_SECRETS, *HIDDEN_INPUTS):
        assert secret not in out
    shown = render(make_report(show_expected=True, show_hidden_inputs=True), fmt)
    for secret in (*EXPECTED_SECRETS, *HIDDEN_INPUTS):
        assert secret in shown


@pytest.mark.parametrize("fmt", FORMATS)
def test_color_only_affects_text(fmt: str) -> None:
    colored = render(make_report(), fmt, color=True)
    assert ("\x1b[" in colored) == (fmt == "text")
    assert "\x1b[" not in render(make_report(), fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_is_deterministic_and_marks_pending_review(fmt: str) -> None:
    out = render(make_report(), fmt)
    assert out == render(make_report(), fmt)
    assert ("provisional" in out) if fmt != "json" else '"provisional": true' in out


PART_LINE = {"text": "\n  {}  ", "markdown": "#### `{}`", "html": "<code>{}</code> ·"}
"""How each format starts a part's block."""


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_only_lost_lists_only_the_parts_that_lost_points_and_keeps_the_totals(fmt: str) -> None:
    report = make_report()
    full, lost = render(report, fmt), render(report, fmt, only_lost=True)
    whole = [p for p in report.parts if p.earned == p.possible and not p.provisional]
    assert whole and len(whole) < len(report.parts), "the sample has parts of both kinds"
    for part in report.parts:
        shown = PART_LINE[fmt].format(part.name)
        assert shown in full
        assert (shown in lost) == (part not in whole), part.name
    assert "Showing only the" in lost and common.total_line(report) in lost


def test_json_is_always_the_whole_report() -> None:
    assert render(make_report(), "json", only_lost=True) == render(make_report(), "json")
