"""Every spelling of the same number gets the same verdict (a property, tested with Hypothesis).

A student may write a value as a float, a formula string, a Fraction, a Decimal, a numpy or sympy
value, or LaTeX pasted from their notes. For random expected values, tolerances and answers (right,
near the boundary, wrong), every spelling of the answer — sent through the child's encoder and the
parent's decoder, as in a real run — must be read as the same number and graded alike.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy  # noqa: F401  (imported first so that the child's encoder sees numpy in sys.modules)
import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.checking.checkers import number
from grader.checking.checkers.base import AnswerFormatError
from grader.pipeline import grade_submission
from grader.problemset.loader import load_problem_set
from grader.problemset.spec import NumberChecker
from grader.sandbox import levels, wire
from grader.sandbox.child import harness


def via_child(value: object) -> object:
    """What the parent receives when the submission defines `value`."""
    return wire.decode(json.loads(json.dumps(harness.Encoder().encode(value), allow_nan=False)))


def spellings(value: Fraction) -> dict[str, object]:
    """The ways a student may write `value` (a rational with a short decimal expansion or not)."""
    p, q = value.numerator, value.denominator
    as_float = p / q
    sign, magnitude = ("-" if p < 0 else ""), Fraction(abs(p), q)
    return {
        "float": as_float,
        "float as text": repr(as_float),
        "fraction as text": f"{p}/{q}",
        "unicode minus": f"{'−' if p < 0 else ''}{magnitude.numerator}/{magnitude.denominator}",
        "Fraction": via_child(value),
        "Decimal": via_child(Decimal(repr(as_float))),
        "numpy.float64": via_child(np.float64(as_float)),
        "sympy.Rational": via_child(sympy.Rational(p, q)),
        "sympy.Float": via_child(sympy.Float(as_float)),
        "LaTeX \\frac": f"{sign}\\frac{{{magnitude.numerator}}}{{{magnitude.denominator}}}",
        "LaTeX \\dfrac in $…$": f"${sign}\\dfrac{{{magnitude.numerator}}}{{{magnitude.denominator}}}$",
    }


def verdict(answer: object, expected: float, spec: NumberChecker) -> str:
    try:
        parsed = number.parse(answer, spec)
    except AnswerFormatError as exc:
        return f"invalid: {exc}"
    return number.grade(parsed, number.parse(expected, spec), spec).outcome.value


rationals = st.builds(Fraction, st.integers(-10**6, 10**6), st.integers(1, 10**4))
tolerances = st.sampled_from([NumberChecker(kind="number"), NumberChecker(kind="number", rtol=0.05),
                              NumberChecker(kind="number", rtol=0, atol=0),
                              NumberChecker(kind="number", rtol=0, atol=0.01)])
slips = st.sampled_from([Fraction(0), Fraction(1, 10**4), Fraction(-1, 2000), Fraction(1, 20), Fraction(-1, 20),
                         Fraction(1, 100), Fraction(3, 2), Fraction(-2)])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expected=rationals, slip=slips, spec=tolerances)
def test_every_spelling_of_the_same_value_gets_the_same_verdict(expected, slip, spec):
    answer = expected * (1 + slip) + (slip if expected == 0 else 0)
    expected_float = expected.numerator / expected.denominator
    verdicts = {name: verdict(spelled, expected_float, spec) for name, spelled in spellings(answer).items()}
    assert len(set(verdicts.values())) == 1, verdicts


@pytest.mark.parametrize("name", list(spellings(Fraction(-3, 4))))
def test_each_spelling_is_read_as_its_value(name):
    spelled = spellings(Fraction(-3, 4))[name]
    assert number.parse(spelled).real == -0.75, name


RESPELLED = {
    "q1c = \"(a) and (c)\"": 'q1c = {"a", "c"}',
    "q2a = sp.log(sp.Rational(1, 2))": 'q2a = "-\\\\ln 2"',
    "q2c = sp.oo": 'q2c = "\\\\infty"',
    "q4c_alpha1 = 0.9": "q4c_alpha1 = Fraction(9, 10)",
    'q4c_alpha2 = "0.8"': 'q4c_alpha2 = "1 - 0.2 = 0.8"',
    "q4c_alpha_bar2 = sp.Rational(72, 100)": 'q4c_alpha_bar2 = "$\\\\bar{\\\\alpha}_2 = 0.9 \\\\times 0.8 = 0.72$"',
    'q4d_mean = "2*sqrt(0.72)"': 'q4d_mean = "2\\\\sqrt{0.72}"',
    "q4d_var = 0.2800": 'q4d_var = Decimal("0.2800")',
}
"""The perfect example's answers, each written in another reasonable way."""


def test_the_perfect_answers_in_other_spellings_still_earn_every_point(tmp_path, example_reports):
    """Through the whole pipeline (the child's encoder, the wire, the checkers): a set for "select
    all that apply", LaTeX, derivations, a Fraction and a Decimal lose no point."""
    root = Path(__file__).resolve().parent.parent
    source = (root / "submissions" / "genmodels" / "perfect.py").read_text(encoding="utf-8")
    for old, new in RESPELLED.items():
        assert old in source, old
        source = source.replace(old, new)
    imports = "import math\nfrom decimal import Decimal\nfrom fractions import Fraction\n"
    source = source.replace("import math\n", imports, 1)
    path = tmp_path / "answers.py"
    path.write_text(source, encoding="utf-8")
    report = grade_submission(load_problem_set(root / "problems" / "genmodels", root), path,
                              sandbox=levels.choose("process"))
    perfect = {p.name: (p.outcome, p.earned) for p in example_reports["perfect"].parts}
    assert {p.name: (p.outcome, p.earned) for p in report.parts} == perfect
    shown = {p.name: p.understood for p in report.parts}
    assert "read the value after the last '='" in (shown["q4c_alpha2"] or "")
