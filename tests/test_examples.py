"""End to end on every bundled submission: the right grade question by question, and golden reports.

Refresh the golden files after an intended change with:  pytest tests/test_examples.py --update-golden
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader.report.render import render
from grader.report.results import Outcome

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLES = ["perfect", "typical", "template", "syntax_error", "raises"]
SUFFIX = {"text": "txt", "markdown": "md", "html": "html", "json": "json"}


@pytest.fixture(scope="module")
def reports(example_reports):
    return example_reports


def outcomes(report) -> dict[str, Outcome]:
    return {p.name: p.outcome for p in report.parts}


def _stable(fmt: str, text: str) -> str:
    if fmt != "json":
        return text
    data = json.loads(text)
    data["seconds"] = 0  # the only figure that changes from run to run
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("fmt", list(SUFFIX))
@pytest.mark.parametrize("name", EXAMPLES + ["probability-sample"])
def test_golden_report(reports, name, fmt, update_golden):
    text = _stable(fmt, render(reports[name], fmt))
    path = GOLDEN / f"{name}.{SUFFIX[fmt]}"
    if update_golden or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        if not update_golden:
            pytest.fail(f"{path} did not exist and was written: check it and commit it")
    assert text == path.read_text(encoding="utf-8"), f"{path} differs: rerun with --update-golden if intended"


def test_perfect_scores_100_percent(reports):
    report = reports["perfect"]
    assert report.earned == report.possible == 100
    for part in report.parts:
        assert part.outcome in (Outcome.CORRECT, Outcome.NEEDS_REVIEW), (part.name, part.feedback)
    assert not report.file_problems


TYPICAL = {
    # name: (outcome, earned, a fragment of the feedback)
    "q1a": (Outcome.INCORRECT, 0, "approximates the inverse"),
    "q1b": (Outcome.CORRECT, 2, None),
    "q1c": (Outcome.PARTIAL, 1.5, "all of the above"),
    "q2a": (Outcome.INCORRECT, 0, "its logarithm"),
    "q2b": (Outcome.PARTIAL, None, "numerator of Bayes"),
    "q2c": (Outcome.INCORRECT, 0, "only the contribution"),
    "q2d": (Outcome.CORRECT, 3, None),
    "q2e": (Outcome.CORRECT, 3, None),
    "q2e_finite": (Outcome.CORRECT, 1, None),
    "q3p_mean": (Outcome.PARTIAL, None, "typo"),
    "q4a": (Outcome.PARTIAL, 2.5, "standard deviation"),
    "q4b": (Outcome.INCORRECT, 0, "averaged"),
    "q4c_alpha1": (Outcome.CORRECT, 1, None),
    "q4c_alpha_bar2": (Outcome.INCORRECT, 0, "product, not a sum"),
    "q4d_mean": (Outcome.CORRECT, 2, None),
    "q4d_var": (Outcome.INCORRECT, 0, "1 − ᾱ_2"),
    "q4e": (Outcome.PARTIAL, 3, "forward step"),
    "q4f": (Outcome.INCORRECT, 0, "FORWARD process"),
    "q3b": (Outcome.NOT_ANSWERED, 0, "not defined"),
}


@pytest.mark.parametrize("name", list(TYPICAL))
def test_typical_student_question_by_question(reports, name):
    part = next(p for p in reports["typical"].parts if p.name == name)
    outcome, earned, fragment = TYPICAL[name]
    assert part.outcome is outcome, part.feedback
    if earned is not None:
        assert part.earned == pytest.approx(earned)
    if fragment:
        assert fragment in " ".join(part.feedback)


def test_typical_free_text_is_provisional(reports):
    for part in reports["typical"].parts:
        if part.kind == "free_text" and part.outcome is not Outcome.NOT_ANSWERED:
            assert part.outcome is Outcome.NEEDS_REVIEW and part.provisional


def test_unchanged_template_is_not_answered_everywhere(reports):
    report = reports["template"]
    assert report.earned == 0
    assert set(outcomes(report).values()) == {Outcome.NOT_ANSWERED}
    assert not report.file_problems


def test_syntax_error_costs_only_the_broken_block(reports):
    report = reports["syntax_error"]
    got = outcomes(report)
    assert got["q4a"] is Outcome.NOT_ANSWERED
    assert "line 9" in next(p for p in report.parts if p.name == "q4a").feedback[0]
    for name in ("q2a", "q2c", "q4c_alpha1", "q4c_alpha2", "q4c_alpha_bar2", "q4f"):
        assert got[name] is Outcome.CORRECT, name
    assert report.file_problems[0].type == "SyntaxError" and report.file_problems[0].line == 9


def test_raising_answers_cost_only_themselves(reports):
    report = reports["raises"]
    got = outcomes(report)
    assert got["q2a"] is got["q2d"] is got["q4c_alpha1"] is got["q4f"] is Outcome.CORRECT
    assert got["q4a"] is Outcome.RAISED and got["q4b"] is Outcome.RAISED
    assert got["q4e"] is Outcome.TIMED_OUT
    assert got["q2c"] is Outcome.NOT_ANSWERED
    q4b = next(p for p in report.parts if p.name == "q4b")
    assert q4b.problem.type == "NameError" and q4b.problem.frames[-1].line == 18
    assert [p.type for p in report.file_problems] == ["ModuleNotFoundError", "ValueError"]
    q3p = next(p for p in report.parts if p.name == "q3p_mean")
    assert q3p.problem.type == "IndexError"


def test_probability_sample_is_right(reports):
    report = reports["probability-sample"]
    assert report.earned == report.possible == 6
    assert report.show_expected  # that assignment's policy shows the answers
