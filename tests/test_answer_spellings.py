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

import numpy  # noqa: F401  (imported first so that the child's encoder sees numpy in sys.modules)
import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.checking.checkers import number
from grader.checking.checkers.base import AnswerFormatError
from grader.problemset.spec import NumberChecker
from grader.sandbox import wire
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
