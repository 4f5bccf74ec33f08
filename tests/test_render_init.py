"""`render()` dispatch, and the guarantees every format keeps."""

from __future__ import annotations

import pytest
from report_fixtures import EXPECTED_SECRETS, HIDDEN_INPUTS, make_report

from grader.report.render import FORMATS, render


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
