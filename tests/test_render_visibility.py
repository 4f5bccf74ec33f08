"""The one place that decides what a student may see: expected answers and hidden inputs."""

from __future__ import annotations

from report_fixtures import (
    CORRECT,
    FUNCTION,
    HIDDEN_INPUTS,
    Q2A_EXPECTED,
    Q2A_EXPLANATION,
    make_report,
)

from grader.report.render.visibility import (
    visible_case,
    visible_cases,
    visible_expected,
    visible_explanation,
)
from grader.report.results import CaseRow


def test_expected_and_explanation_follow_show_expected() -> None:
    assert visible_expected(make_report(), CORRECT) is None
    assert visible_explanation(make_report(), CORRECT) is None
    assert visible_expected(make_report(show_expected=True), CORRECT) == Q2A_EXPECTED
    assert visible_explanation(make_report(show_expected=True), CORRECT) == Q2A_EXPLANATION


def test_hidden_cases_are_numbered_and_concealed() -> None:
    rows = visible_cases(make_report(), FUNCTION)
    assert [r.label for r in rows] == ["x=0.0", "x=1.0", "hidden input #1", "hidden input #2", "x=-inf"]
    assert [r.inputs for r in rows if r.hidden] == [None, None]
    assert all(r.expected is None for r in rows)
    assert [r.got for r in rows] == [c.got for c in FUNCTION.cases]
    assert [(r.ok, r.hidden, r.boundary) for r in rows] == [(c.ok, c.hidden, c.boundary) for c in FUNCTION.cases]


def test_hidden_inputs_shown_when_allowed() -> None:
    rows = visible_cases(make_report(show_hidden_inputs=True), FUNCTION)
    assert [r.label for r in rows if r.hidden] == list(HIDDEN_INPUTS)
    assert all(r.expected is None for r in rows)  # the two policies are independent


def test_expected_shown_at_hidden_inputs_without_revealing_them() -> None:
    row = visible_case(make_report(show_expected=True), CaseRow("x=7", "1", "2", False, hidden=True), 3)
    assert (row.label, row.inputs, row.expected) == ("hidden input #3", None, "2")


def test_visible_inputs_policy_shows_expected_only_at_the_problem_sets_own_inputs() -> None:
    report = make_report(show_expected_at_visible_inputs=True)
    rows = visible_cases(report, FUNCTION)
    assert [r.expected is not None for r in rows] == [not c.hidden and not c.boundary for c in FUNCTION.cases]
    assert any(r.expected is not None for r in rows) and any(r.expected is None for r in rows)
    assert visible_expected(report, CORRECT) is None  # a value part's answer stays secret
    assert visible_explanation(report, CORRECT) is None
