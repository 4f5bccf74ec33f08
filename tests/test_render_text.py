"""Terminal text report: what a student reads after `grade submit`."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from report_fixtures import (
    EARNED,
    EXPECTED_SECRETS,
    FUNCTION,
    GRADER_ERROR,
    HIDDEN_INPUTS,
    MISTAKE,
    RAISED,
    SKIP_REASON,
    SYNTAX_CODE,
    clean_report,
    make_report,
)

from grader.report.render.text import WIDTH, render_text
from grader.report.results import CaseRow, QuestionResult
from grader.sandbox.records import Frame, StudentProblem

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def text() -> str:
    return render_text(make_report())


def test_header_has_title_submission_total_percentage_and_pending(text: str) -> None:
    head = text.split("\n\n")[0]
    assert "Generative models" in head and "alice.py" in head
    assert "Total: 8.5 / 21 (40.5 %)" in head
    assert "Pending review: 1 free-text answer (worth 2 points) awaits review" in head


def test_every_question_and_part_with_points_outcome_and_feedback(text: str) -> None:
    report = make_report()
    for question in report.questions:
        assert re.search(rf"^{question.id}  {re.escape(question.title)} +\S", text, re.M)
        assert question.outcome.label in text
        for part in question.parts:
            assert re.search(rf"^  {part.name}  {part.earned:g} / {part.possible:g}", text, re.M)
            for line in part.feedback:
                # Long lines are wrapped: compare with whitespace normalised.
                assert " ".join(line.split()) in " ".join(text.split())
    assert "Your answer: -0.693147 (read from sympy: −log(2))" in text
    assert MISTAKE in text


def test_question_line_shows_question_total_and_label(text: str) -> None:
    assert re.search(r"^2b  Entropy gap +0 / 4  incorrect$", text, re.M)
    assert re.search(r"^4a  Density of x₁ +2\.5 / 4  partially correct$", text, re.M)


def test_free_text_is_marked_provisional(text: str) -> None:
    assert "q4b  2 / 2 (provisional — pending review by course staff)  needs review" in text


def test_traceback_shows_the_students_own_frames(text: str) -> None:
    assert "line 20, in q2d: return helper(0.5)" in text
    assert "line 14, in helper: return 1 / (x - x)" in text
    assert "ZeroDivisionError: division by zero" in text


def test_case_table_marks_boundary_and_hides_hidden_inputs(text: str) -> None:
    assert "hidden input #1" in text and "hidden input #2" in text
    assert re.search(r"· x=-inf .*\(boundary: not counted\)", text), "a boundary input gets a neutral mark"
    assert re.search(r"✓ x=0\.0 +got 0\.398942", text)
    for secret in HIDDEN_INPUTS:
        assert secret not in text


def test_hidden_inputs_shown_when_allowed() -> None:
    text = render_text(make_report(show_hidden_inputs=True))
    for inputs in HIDDEN_INPUTS:
        assert inputs in text
    assert "hidden input #" not in text


def test_expected_answers_only_when_allowed(text: str) -> None:
    for secret in EXPECTED_SECRETS:
        assert secret not in text
    assert "Expected:" not in text and "Why:" not in text
    shown = render_text(make_report(show_expected=True))
    for secret in EXPECTED_SECRETS:
        assert secret in shown
    assert "expected 0.24197072" in shown


def test_file_problems_and_skipped_statements(text: str) -> None:
    assert "Problems in your file" in text
    assert "SyntaxError at line 31: invalid syntax" in text
    assert f"line 31: {SYNTAX_CODE}" in text
    assert "RuntimeError at line 40: setup failed" in text
    assert "line 44, in <module>: setup()" in text
    assert f"line 12 was skipped: {SKIP_REASON}" in text
    assert "The rest of the file was still graded" in text


def test_clean_report_has_no_problem_box_and_nothing_pending() -> None:
    text = render_text(clean_report())
    assert "Problems in your file" not in text and "Pending review" not in text
    assert "Total: 4 / 4 (100 %)" in text


def test_grader_error_says_it_is_not_the_students_fault(text: str) -> None:
    assert "grader itself failed" not in text
    failed = render_text(make_report(grader_error=GRADER_ERROR, notes=(GRADER_ERROR, "A staff note.")))
    flat = " ".join(failed.split())
    assert "The grader itself failed, not your submission: " + GRADER_ERROR in flat
    assert flat.count(GRADER_ERROR) == 1  # the same note in `notes` is not repeated
    assert "Note: A staff note." in failed


def test_no_ansi_without_color(text: str) -> None:
    assert "\x1b" not in text


def test_colors_by_outcome_only_with_color() -> None:
    colored = render_text(make_report(), color=True)
    assert "\x1b[32mcorrect\x1b[0m" in colored
    assert "\x1b[33mpartially correct\x1b[0m" in colored
    assert "\x1b[33mneeds review\x1b[0m" in colored
    for label in ("incorrect", "raised an exception", "timed out"):
        assert f"\x1b[31m{label}\x1b[0m" in colored
    assert "\x1b[35minvalid format\x1b[0m" in colored
    assert "\x1b[2mnot answered\x1b[0m" in colored



@pytest.mark.parametrize("kwargs", [{}, {"grader_error": GRADER_ERROR, "show_expected": True}])
def test_color_adds_codes_never_words_or_layout(kwargs: dict[str, object]) -> None:
    colored = render_text(make_report(**kwargs), color=True)
    assert ANSI.sub("", colored) == render_text(make_report(**kwargs))


@pytest.mark.parametrize("kwargs", [{}, {"show_expected": True, "show_hidden_inputs": True}])
def test_fits_in_100_columns(kwargs: dict[str, bool]) -> None:
    for line in render_text(make_report(**kwargs)).splitlines():
        assert len(line) <= WIDTH, line


def test_long_inputs_and_code_lines_still_fit() -> None:
    inputs = ("eps_model=(x, t) ↦ tanh(1.0·x − 0.2·t), x0=[0.5, 1.5, -2], eps=[1, 0, -1.2], t=1, "
              "alpha_bars=[0.9, 0.72]")
    function = replace(FUNCTION, cases=(CaseRow(inputs, "0.97", "0.98", False), CaseRow("x=1", "1", "1", True)))
    code = "return betas[t]" + " " * 80 + "# IndexError at the last step"
    raised = replace(RAISED, problem=StudentProblem("IndexError", "list index out of range", 27, code,
                                                    (Frame(27, "q3p_mean", code),)))
    report = make_report(questions=(QuestionResult("4a", "Long", "4", (function, raised)),))
    text = render_text(report)
    assert all(len(line) <= WIDTH for line in text.splitlines())
    assert "      ✗ eps_model=(x, t)" in text and "\n        alpha_bars=[0.9, 0.72]\n          got 0.97" in text
    assert "      ✓ x=1  got 1" in text  # the long row does not widen the others
    assert "line 27, in q3p_mean: return betas[t]" in text and "…" in text


def test_deterministic_and_without_timing(text: str) -> None:
    assert render_text(make_report()) == text
    assert "1.234" not in text
    assert f"{EARNED:g}" in text


@pytest.mark.parametrize("width, limit", [(72, 72), (40, 60), (200, 100)])
def test_the_report_wraps_to_the_terminal_between_60_and_100_columns(width, limit):
    from report_fixtures import make_report

    text = render_text(make_report(), width=width)
    assert max(len(line) for line in text.splitlines()) <= limit
    assert " ".join(text.split()) == " ".join(render_text(make_report()).split()), "only the wrapping differs"


def test_a_real_report_fits_a_narrow_terminal(example_reports):
    for name in ("typical", "raises"):
        text = render_text(example_reports[name], width=60)
        assert max(len(line) for line in text.splitlines()) <= 60, name
