"""Number checker: |s − r| ≤ atol + rtol·|r|, exact rules for ±∞, NaN never correct.

Every row goes through `number.parse` (what the grader reads) and then `number.grade` against an
expected value parsed the same way; parse errors are mapped to outcomes the way `grading.py` does
(NotAnswered → not answered, any other AnswerFormatError → invalid format).
"""

from __future__ import annotations

import json
import math
import random
from decimal import Decimal
from fractions import Fraction

import mpmath
import numpy  # noqa: F401  (imported first so that the child encoder sees numpy in sys.modules)
import numpy as np
import pytest
import sympy

from grader.checking.checkers import number
from grader.checking.checkers.base import AnswerFormatError, NotAnswered, WrongType
from grader.problemset.spec import NumberChecker
from grader.report.results import Outcome
from grader.sandbox import wire
from grader.sandbox.child import harness
from grader.sandbox.wire import (
    CallableInfo,
    NumpyArray,
    NumpyScalar,
    OpaqueObject,
    SympyTree,
)

DEFAULT = NumberChecker(kind="number")
PROBABILITY = NumberChecker(kind="number", sanity=(0.0, 1.0))

INF = math.inf
NAN = math.nan
LN2 = math.log(2)
NEG_LN2 = -LN2
PHI1 = 0.8413447460685429  # Φ(1)
TWO_SQRT_072 = 2 * math.sqrt(0.72)

CORRECT = Outcome.CORRECT.value
INCORRECT = Outcome.INCORRECT.value
INVALID = Outcome.INVALID.value
NOT_ANSWERED = Outcome.NOT_ANSWERED.value


def via_child(obj):
    """What the parent receives when the submission's process defines `obj`."""
    return wire.decode(json.loads(json.dumps(harness.Encoder().encode(obj), allow_nan=False)))


def check(value, expected, spec: NumberChecker = DEFAULT) -> tuple[str, str]:
    """(outcome, feedback or error text) as the grader would report them."""
    try:
        answer = number.parse(value, spec)
    except NotAnswered as exc:
        return NOT_ANSWERED, str(exc)
    except AnswerFormatError as exc:
        return INVALID, f"{type(exc).__name__}: {exc}"
    verdict = number.grade(answer, number.parse(expected, spec), spec)
    assert 0.0 <= verdict.fraction <= 1.0
    assert (verdict.fraction == 1.0) == (verdict.outcome is Outcome.CORRECT)
    return verdict.outcome.value, " ".join(verdict.feedback)


def row(value, expected, outcome, fragment="", *, id, spec=DEFAULT, marks=()):
    return pytest.param(value, expected, spec, outcome, fragment, id=id, marks=marks)


# ---------------------------------------------------------------------------------------------
# The big value → outcome table
# ---------------------------------------------------------------------------------------------

TABLE = [
    # plain Python numbers
    row(NEG_LN2, NEG_LN2, CORRECT, id="float-exact"),
    row(-0.6931, NEG_LN2, CORRECT, id="float-4sf"),
    row(-0.693, NEG_LN2, CORRECT, id="float-3sf-within-1e-3"),
    row(0, 0.0, CORRECT, id="int-zero"),
    row(3, 3.0, CORRECT, id="int-vs-float"),
    row(1e-10, 0.0, CORRECT, id="within-atol-of-zero"),
    row(1e-3, 0.0, INCORRECT, "Not within", id="outside-atol-of-zero"),
    row(complex(NEG_LN2, 0), NEG_LN2, CORRECT, id="complex-with-zero-imag"),
    row(complex(NEG_LN2, 1), NEG_LN2, INCORRECT, "complex", id="complex-with-imag"),
    # numpy values as they arrive from the child
    row(NumpyScalar("float64", NEG_LN2), NEG_LN2, CORRECT, id="numpy-float64"),
    row(NumpyScalar("float32", -0.6931472), NEG_LN2, CORRECT, id="numpy-float32"),
    row(NumpyScalar("int64", 7), 7.0, CORRECT, id="numpy-int64"),
    row(NumpyScalar("complex128", complex(NEG_LN2, 0)), NEG_LN2, CORRECT, id="numpy-complex-real"),
    row(NumpyArray("float64", (1,), (NEG_LN2,)), NEG_LN2, CORRECT, id="array-one-element"),
    row(NumpyArray("float64", (1, 1), (NEG_LN2,)), NEG_LN2, CORRECT, id="array-1x1"),
    row(NumpyArray("float64", (), (NEG_LN2,)), NEG_LN2, CORRECT, id="array-0d"),
    row(via_child(np.float64(NEG_LN2)), NEG_LN2, CORRECT, id="child-np.float64"),
    row(via_child(np.array([NEG_LN2])), NEG_LN2, CORRECT, id="child-np.array-1"),
    row(via_child(np.log(0.5)), NEG_LN2, CORRECT, id="child-np.log(0.5)"),
    row(via_child(sympy.log(sympy.Rational(1, 2))), NEG_LN2, CORRECT, id="child-sympy.log(1/2)"),
    row(via_child(-sympy.log(2)), NEG_LN2, CORRECT, id="child-sympy-minus-log2"),
    # exact and arbitrary-precision numbers, as they arrive from the child
    row(via_child(Fraction(-3, 4)), -0.75, CORRECT, id="child-Fraction"),
    row(via_child(Fraction(1, 3)), 1 / 3, CORRECT, id="child-Fraction-1/3"),
    row(via_child(Decimal("-0.6931")), NEG_LN2, CORRECT, id="child-Decimal-4sf"),
    row(via_child(Decimal("-Infinity")), -INF, CORRECT, id="child-Decimal-minus-infinity"),
    row(via_child(Decimal("NaN")), NEG_LN2, INCORRECT, "NaN", id="child-Decimal-NaN"),
    row(via_child(Decimal("1e400")), INF, INVALID, "finite but too large", id="child-Decimal-1e400-is-not-inf"),
    row(via_child(mpmath.log(mpmath.mpf(0.5))), NEG_LN2, CORRECT, id="child-mpmath-mpf"),
    row(via_child(mpmath.mpc(NEG_LN2, 0)), NEG_LN2, CORRECT, id="child-mpmath-mpc-real"),
    row(via_child(Fraction(1, 3)), Fraction(1, 3), CORRECT, spec=NumberChecker(kind="number", rtol=0, atol=0),
        id="exact-Fraction-compares-as-a-rational"),
    row(via_child(Fraction(1, 3)), Fraction(33333333333333331, 10**17), INCORRECT,
        spec=NumberChecker(kind="number", rtol=0, atol=0), id="exact-Fraction-is-not-its-float"),
    row(via_child({1.0}), 1.0, INVALID, "a set of 1 values", id="child-set"),
    row(via_child(np.int64(10**17 + 1)), 10**17, INCORRECT, "An exact value is required",
        spec=NumberChecker(kind="number", rtol=0, atol=0), id="exact-numpy-int-is-exact"),
    row(via_child(Decimal("0.3333333333333333")), Fraction(1, 3), CORRECT,
        spec=NumberChecker(kind="number", rtol=0, atol=0), id="exact-Decimal-is-a-rounded-value-as-a-float"),
    row("gamma(gamma(1000**pi))", 1.0, INVALID, "TooComplex", id="str-too-large-for-mpmath"),
    row("exp(exp(exp(exp(10))))", 1.0, INVALID, "TooComplex", id="str-overflowing-tower"),
    row(via_child({"value": 1.0}), 1.0, INVALID, "a dict of 1 values", id="child-dict"),
    # formula strings
    row("−ln 2", NEG_LN2, CORRECT, id="str-unicode-minus-ln-2"),
    row("-ln 2", NEG_LN2, CORRECT, id="str-ascii-minus-ln-2"),
    row("-log(2)", NEG_LN2, CORRECT, id="str-minus-log(2)"),
    row("ln(1/2)", NEG_LN2, CORRECT, id="str-ln(1/2)"),
    row("log(0.5)", NEG_LN2, CORRECT, id="str-log(0.5)"),
    row("-0.6931", NEG_LN2, CORRECT, id="str-4sf"),
    row("-0.693", NEG_LN2, CORRECT, id="str-3sf"),
    row("  -0.6931  ", NEG_LN2, CORRECT, id="str-padded"),
    row("−0.69", NEG_LN2, INCORRECT, "%", id="str-2sf-near-miss"),
    row("sqrt(0.72)*2", TWO_SQRT_072, CORRECT, id="str-sqrt-times-2"),
    row("2√0.72", TWO_SQRT_072, CORRECT, id="str-2-root-0.72"),
    row("Phi(1)", PHI1, CORRECT, id="str-Phi(1)"),
    row("0.8413", PHI1, CORRECT, id="str-0.8413"),
    row("1 - Phi(-1)", PHI1, CORRECT, id="str-1-Phi(-1)"),
    row("log(x)", NEG_LN2, INVALID, "unknown name 'x'", id="str-with-unknown-name"),
    row("abc(", NEG_LN2, INVALID, "Unparsable", id="str-syntax-error"),
    row("2 == 2", 1.0, INVALID, "Unparsable", id="str-comparison"),
    row("__import__('os')", 1.0, INVALID, "not allowed", id="str-import"),
    row("10**10**10", 1.0, INVALID, "TooComplex", id="str-huge-power"),
    # bools are not numbers
    row(True, 1.0, INVALID, "bool", id="bool-True"),
    row(False, 0.0, INVALID, "bool", id="bool-False"),
    row(NumpyScalar("bool", True), 1.0, INVALID, "bool", id="numpy-bool-True"),
    row(NumpyScalar("bool", False), 0.0, INVALID, "bool", id="numpy-bool-False"),
    row(via_child(np.bool_(True)), 1.0, INVALID, "bool", id="child-np.bool_"),
    # many values where one is expected
    row([NEG_LN2, NEG_LN2], NEG_LN2, INVALID, "list of 2", id="list-of-2"),
    row((0.1, 0.2, 0.3), 0.1, INVALID, "tuple of 3", id="tuple-of-3"),
    row(NumpyArray("float64", (2,), (NEG_LN2, NEG_LN2)), NEG_LN2, INVALID, "shape (2,)", id="array-2"),
    row(NumpyArray("float64", (0,), ()), NEG_LN2, INVALID, "shape (0,)", id="array-empty"),
    row(via_child(np.full((2, 2), NEG_LN2)), NEG_LN2, INVALID, "shape (2, 2)", id="child-array-2x2"),
    row(via_child([NEG_LN2] * 5), NEG_LN2, INVALID, "list of 5", id="child-list-5"),
    # other objects
    row(OpaqueObject("answers.Liar", "<Liar>"), NEG_LN2, INVALID, "answers.Liar", id="opaque-object"),
    row(CallableInfo("q2a", "(x)"), NEG_LN2, INVALID, "arguments", id="callable-needs-args"),
    row(via_child(lambda z, t: z), NEG_LN2, INVALID, "arguments", id="child-lambda"),
    row(SympyTree({"f": "Symbol", "v": "z"}, "z"), NEG_LN2, INVALID, "symbol", id="sympy-symbol"),
    row(SympyTree({"f": "UndefinedFunction:f", "a": []}, "f()"), NEG_LN2, INVALID, "f", id="sympy-undefined-fn"),
    # placeholders
    row(None, NEG_LN2, NOT_ANSWERED, id="None"),
    row("", NEG_LN2, NOT_ANSWERED, id="empty-string"),
    row("   ", NEG_LN2, NOT_ANSWERED, id="blank-string"),
    row("TODO", NEG_LN2, NOT_ANSWERED, id="TODO"),
    row(OpaqueObject("builtins.ellipsis", "Ellipsis"), NEG_LN2, NOT_ANSWERED, id="Ellipsis-opaque"),
    row(via_child(...), NEG_LN2, NOT_ANSWERED, id="child-Ellipsis"),
    row(via_child(None), NEG_LN2, NOT_ANSWERED, id="child-None"),
    # custom tolerances
    row(-0.69, NEG_LN2, CORRECT, spec=NumberChecker(kind="number", rtol=0.01), id="rtol-1e-2"),
    row(0.05, 0.0, CORRECT, spec=NumberChecker(kind="number", atol=0.1), id="atol-0.1"),
    row(-0.6931, NEG_LN2, INCORRECT, "%", spec=NumberChecker(kind="number", rtol=0, atol=0), id="exact"),
    # the boundary belongs to the tolerance (a relative slack of 1e-12, as edX and STACK add)
    row(1.05, 1.0, CORRECT, spec=NumberChecker(kind="number", rtol=0.05, atol=0), id="at-the-5%-boundary"),
    row(0.95, 1.0, CORRECT, spec=NumberChecker(kind="number", rtol=0.05, atol=0), id="at-the-lower-boundary"),
    row(1.0500001, 1.0, INCORRECT, "Close", spec=NumberChecker(kind="number", rtol=0.05, atol=0),
        id="just-past-the-boundary-is-close-not-reciprocal"),
    row(0.1 + 0.2, 0.3, CORRECT, spec=NumberChecker(kind="number", rtol=0, atol=0), id="exact-float-noise"),
    row(0.3 + 1e-9, 0.3, INCORRECT, spec=NumberChecker(kind="number", rtol=0, atol=0), id="exact-not-slack"),
]


@pytest.mark.parametrize("value, expected, spec, outcome, fragment", TABLE)
def test_number_table(value, expected, spec, outcome, fragment):
    got, text = check(value, expected, spec)
    assert got == outcome, text
    assert fragment in text


def test_opaque_object_with_lying_eq_reaches_parent_only_as_opaque():
    class Liar:
        def __eq__(self, other):
            return True

        def __float__(self):
            return -0.6931471805599453

    received = via_child(Liar())
    assert isinstance(received, OpaqueObject)
    assert received.type.endswith("Liar")
    with pytest.raises(WrongType, match="Liar"):
        number.parse(received, DEFAULT)


# ---------------------------------------------------------------------------------------------
# Rounding: four significant figures always pass the default rtol 1e-3
# ---------------------------------------------------------------------------------------------

EXPECTED_VALUES = {
    "-ln2": NEG_LN2,
    "Phi(1)": PHI1,
    "1-Phi(1)": 1 - PHI1,
    "2sqrt(0.72)": TWO_SQRT_072,
    "sqrt(2)": math.sqrt(2),
    "e": math.e,
    "pi": math.pi,
    "ln3": math.log(3),
    "1/7": 1 / 7,
    "1.0005": 1.0005,
    "9.9995": 9.9995,
    "tiny": 1.234567e-7,
    "avogadro": 6.02214076e23,
    "-kl": -0.30685281944005466,
}


@pytest.mark.parametrize("as_text", [False, True], ids=["float", "string"])
@pytest.mark.parametrize("expected", list(EXPECTED_VALUES.values()), ids=list(EXPECTED_VALUES))
def test_four_significant_figures_pass(expected, as_text):
    rounded = f"{expected:.4g}"
    outcome, text = check(rounded if as_text else float(rounded), expected)
    assert outcome == CORRECT, (rounded, text)


def test_four_significant_figures_pass_seeded_sweep():
    rng = random.Random(20240607)
    for _ in range(2000):
        expected = rng.choice([-1, 1]) * 10 ** rng.uniform(-6, 6)
        rounded = float(f"{expected:.4g}")
        assert check(rounded, expected)[0] == CORRECT, (rounded, expected)


# 3-s.f. roundings: relative rounding error up to 5e-3, so some pass the 1e-3 band and some fail.
THREE_SF = [
    pytest.param(NEG_LN2, "-0.693", CORRECT, id="-ln2->-0.693-passes(2.1e-4)"),
    pytest.param(PHI1, "0.841", CORRECT, id="Phi(1)->0.841-passes(4.1e-4)"),
    pytest.param(math.e, "2.72", CORRECT, id="e->2.72-passes(6.3e-4)"),
    pytest.param(math.pi, "3.14", CORRECT, id="pi->3.14-passes(5.1e-4)"),
    pytest.param(TWO_SQRT_072, "1.70", INCORRECT, id="2sqrt(0.72)->1.70-fails(1.7e-3)"),
    pytest.param(math.sqrt(2), "1.41", INCORRECT, id="sqrt2->1.41-fails(3.0e-3)"),
    pytest.param(math.log(3), "1.10", INCORRECT, id="ln3->1.10-fails(1.3e-3)"),
    pytest.param(1 - PHI1, "0.159", INCORRECT, id="1-Phi(1)->0.159-fails(2.2e-3)"),
]


@pytest.mark.parametrize("expected, rounded, outcome", THREE_SF)
def test_three_significant_figures_near_the_boundary(expected, rounded, outcome):
    assert rounded == f"{expected:.3g}" or float(rounded) == float(f"{expected:.3g}")
    got, text = check(rounded, expected)
    assert got == outcome, text
    if outcome == INCORRECT:  # a near miss: the feedback says how far off, and what is accepted
        assert "Close" in text and "%" in text and "0.1 %" in text
        assert "significant figures" in text


# ---------------------------------------------------------------------------------------------
# Infinities: every spelling, and only the same sign
# ---------------------------------------------------------------------------------------------

POS_INF = {
    "float-inf": INF,
    "math.inf": math.inf,
    "np.inf-scalar": NumpyScalar("float64", np.inf),
    "np-array-1": NumpyArray("float64", (1,), (INF,)),
    "str-inf": "inf",
    "str-+inf": "+inf",
    "str-INF": "INF",
    "str-infinity": "infinity",
    "str-Infinity": "Infinity",
    "str-+infinity": "+infinity",
    "str-positive-infinity": "positive infinity",
    "str-∞": "∞",
    "str-+∞": "+∞",
    "str-oo": "oo",
    "str-+oo": "+oo",
    "str-infty": "\\infty",
    "SympyTree-Infinity": SympyTree({"f": "Infinity"}, "oo"),
    "tagged-$sympy-Infinity": wire.decode({"$sympy": {"tree": {"f": "Infinity"}, "text": "oo"}}),
    "tagged-$float-inf": wire.decode({"$float": "inf"}),
    "child-math.inf": via_child(math.inf),
    "child-np.inf": via_child(np.float64("inf")),
    "child-sympy.oo": via_child(sympy.oo),
    "child-float('inf')-in-array": via_child(np.array([np.inf])),
}
NEG_INF = {
    "float--inf": -INF,
    "np-scalar--inf": NumpyScalar("float64", -np.inf),
    "np-array-1--inf": NumpyArray("float64", (1,), (-INF,)),
    "str--inf": "-inf",
    "str---space-inf": "- inf",
    "str--INF": "-INF",
    "str--infinity": "-infinity",
    "str--Infinity": "-Infinity",
    "str-negative-infinity": "negative infinity",
    "str-minus-infinity": "minus infinity",
    "str--∞": "-∞",
    "str-unicode-minus-∞": "−∞",
    "str--oo": "-oo",
    "str-unicode-minus-oo": "−oo",
    "str--1*oo": "-1*oo",
    "SympyTree-NegativeInfinity": SympyTree({"f": "NegativeInfinity"}, "-oo"),
    "SympyTree-Mul(-1,oo)": SympyTree({"f": "Mul", "a": [{"f": "NegativeOne"}, {"f": "Infinity"}]}, "-oo"),
    "tagged-$float--inf": wire.decode({"$float": "-inf"}),
    "child--math.inf": via_child(-math.inf),
    "child--np.inf": via_child(-np.float64("inf")),
    "child--sympy.oo": via_child(-sympy.oo),
}


@pytest.mark.parametrize("value", list(POS_INF.values()), ids=list(POS_INF))
def test_plus_infinity_spellings_accepted_for_plus_infinity(value):
    assert check(value, INF) == (CORRECT, "")


@pytest.mark.parametrize("value", list(POS_INF.values()), ids=list(POS_INF))
def test_plus_infinity_spellings_rejected_for_minus_infinity(value):
    outcome, text = check(value, -INF)
    assert outcome == INCORRECT
    assert "sign" in text


@pytest.mark.parametrize("value", list(NEG_INF.values()), ids=list(NEG_INF))
def test_minus_infinity_spellings_accepted_for_minus_infinity(value):
    assert check(value, -INF) == (CORRECT, "")


@pytest.mark.parametrize("value", list(NEG_INF.values()), ids=list(NEG_INF))
def test_minus_infinity_spellings_rejected_for_plus_infinity(value):
    outcome, text = check(value, INF)
    assert outcome == INCORRECT
    assert "sign" in text


@pytest.mark.parametrize("expected_text", ["inf", "-inf"])
@pytest.mark.parametrize("value", [1e308, -1e308, 0.0, 1.7976931348623157e308], ids=str)
def test_finite_values_are_not_infinite(value, expected_text):
    outcome, text = check(value, expected_text)
    assert outcome == INCORRECT
    assert text  # always some feedback ...
    assert "sign" not in text and "%" not in text  # ... but no misleading closeness/sign hint


@pytest.mark.parametrize("value", [INF, "-∞", "oo"], ids=["inf", "-∞", "oo"])
def test_infinity_is_not_a_finite_answer(value):
    outcome, text = check(value, NEG_LN2)
    assert outcome == INCORRECT
    assert "expected value is finite" in text


NOT_PLUS_INF = {
    "nan": NAN,
    "str-nan": "nan",
    "np-nan": NumpyScalar("float64", np.nan),
    "child-nan": via_child(math.nan),
    "oo-oo": "oo - oo",
    "0*oo": "0*oo",
    "zoo": "zoo",
    "1/0": "1/0",
    "SympyTree-zoo": SympyTree({"f": "ComplexInfinity"}, "zoo"),
    "child-sympy.zoo": via_child(sympy.zoo),
    "complex-inf": complex(INF, 1.0),
}


@pytest.mark.parametrize("value", list(NOT_PLUS_INF.values()), ids=list(NOT_PLUS_INF))
def test_nan_and_complex_infinity_are_not_plus_infinity(value):
    outcome, _ = check(value, INF)
    assert outcome == INCORRECT


@pytest.mark.parametrize("value", ["zoo", SympyTree({"f": "ComplexInfinity"}, "zoo"), via_child(sympy.zoo)],
                         ids=["str", "tree", "child"])
def test_complex_infinity_feedback(value):
    for expected in (INF, -INF, 1.0):
        outcome, text = check(value, expected)
        assert outcome == INCORRECT
        assert "Complex infinity" in text


@pytest.mark.parametrize("value", ["10**400", "exp(1000)", "10.0**400"])
def test_finite_huge_numbers_are_not_plus_infinity(value):
    assert check(value, INF)[0] != CORRECT


# ---------------------------------------------------------------------------------------------
# NaN is never correct
# ---------------------------------------------------------------------------------------------

NANS = {
    "float": NAN,
    "str-nan": "nan",
    "str-NaN": "NaN",
    "numpy": NumpyScalar("float64", NAN),
    "array": NumpyArray("float64", (1,), (NAN,)),
    "tree": SympyTree({"f": "NaN"}, "nan"),
    "child-sympy.nan": via_child(sympy.nan),
    "child-np.nan": via_child(np.float64("nan")),
    "complex": complex(NAN, 0.0),
}


@pytest.mark.parametrize("expected", [NEG_LN2, 0.0, INF, -INF, NAN], ids=["finite", "zero", "+inf", "-inf", "nan"])
@pytest.mark.parametrize("value", list(NANS.values()), ids=list(NANS))
def test_nan_is_never_correct(value, expected):
    outcome, text = check(value, expected)
    assert outcome == INCORRECT
    assert "NaN" in text


# ---------------------------------------------------------------------------------------------
# Feedback: how far off, and the likely slip
# ---------------------------------------------------------------------------------------------

FEEDBACK = [
    pytest.param(-0.69, NEG_LN2, DEFAULT, ["off by 0.45 %", "within 0.1 %"], id="near-miss-percentage"),
    pytest.param(NEG_LN2 * 1.0011, NEG_LN2, DEFAULT, ["off by 0.11 %"], id="just-outside"),
    pytest.param(LN2, NEG_LN2, DEFAULT, ["sign is wrong"], id="sign-flip"),
    pytest.param(-PHI1, PHI1, DEFAULT, ["sign is wrong"], id="sign-flip-positive-expected"),
    pytest.param(2 * NEG_LN2, NEG_LN2, DEFAULT, ["twice", "factor of 2"], id="twice"),
    pytest.param(NEG_LN2 / 2, NEG_LN2, DEFAULT, ["half", "factor of 2"], id="half"),
    pytest.param(1 / NEG_LN2, NEG_LN2, DEFAULT, ["reciprocal"], id="reciprocal"),
    pytest.param(1 / 0.9, 0.9, NumberChecker(kind="number", rtol=0.05), ["Close", "off by 23 %"],
                 id="reciprocal-near-the-value-is-told-as-near"),
    pytest.param(10 * NEG_LN2, NEG_LN2, DEFAULT, ["10^1"], id="ten-times"),
    pytest.param(NEG_LN2 / 100, NEG_LN2, DEFAULT, ["10^-2"], id="hundredth"),
    pytest.param(1.5 * NEG_LN2, NEG_LN2, DEFAULT, ["Not within the tolerance"], id="far-off"),
    pytest.param(1.2, PHI1, PROBABILITY, ["outside [0, 1]"], id="sanity-above"),
    pytest.param(-0.1, PHI1, PROBABILITY, ["outside [0, 1]"], id="sanity-below"),
    pytest.param(1.6826894921370859, PHI1, PROBABILITY, ["twice", "outside [0, 1]"], id="sanity-and-twice"),
]


@pytest.mark.parametrize("value, expected, spec, fragments", FEEDBACK)
def test_feedback_for_wrong_answers(value, expected, spec, fragments):
    outcome, text = check(value, expected, spec)
    assert outcome == INCORRECT
    for fragment in fragments:
        assert fragment in text


@pytest.mark.parametrize("value", [0.1587, 0.5, 0.0, 1.0], ids=str)
def test_no_sanity_message_inside_the_range(value):
    outcome, text = check(value, PHI1, PROBABILITY)
    assert outcome == INCORRECT
    assert "cannot be right" not in text


def test_grade_is_deterministic():
    a, b = number.parse("-0.69"), number.parse(NEG_LN2)
    assert number.grade(a, b, DEFAULT) == number.grade(a, b, DEFAULT)


def test_show_says_how_a_string_was_read():
    shown = number.show(number.parse("−ln 2"))
    assert shown.startswith("-0.693147")
    assert "text" in shown


@pytest.mark.parametrize("text, value", [("1 - 0.2 = 0.8", 0.8), ("α_2 = 0.8", 0.8), (r"\bar\alpha_2 = \frac45", 0.8),
                                         ("p = 1/2", 0.5)])
def test_a_derivation_is_read_after_its_last_equals_and_the_report_says_so(text, value):
    parsed = number.parse(text)
    assert parsed.real == pytest.approx(value)
    assert "read the value after the last '='" in number.show(parsed)


def test_a_derivation_whose_sides_disagree_is_refused_naming_both():
    outcome, text = check("1 - 0.2 = 0.7", 0.7)
    assert outcome == INVALID and "1 - 0.2 is 0.8 but 0.7 is 0.7" in text


# ---------------------------------------------------------------------------------------------
# same(): does an answer match a listed common mistake?
# ---------------------------------------------------------------------------------------------

SAME = [
    pytest.param(0.5, 0.5, True, id="equal"),
    pytest.param("0.5", 0.5, True, id="string-vs-float"),
    pytest.param(NEG_LN2, "-0.6931", True, id="within-rtol"),
    pytest.param(NEG_LN2, -0.69, False, id="outside-rtol"),
    pytest.param(math.log10(0.5), math.log(0.5), False, id="log10-vs-ln"),
    pytest.param(math.log2(0.5), -1, True, id="log2-vs-minus-one"),
    pytest.param(INF, "oo", True, id="inf-vs-oo"),
    pytest.param("-∞", -INF, True, id="minus-inf-spellings"),
    pytest.param(INF, -INF, False, id="inf-vs-minus-inf"),
    pytest.param(INF, 1e308, False, id="inf-vs-huge"),
    pytest.param("zoo", "zoo", True, id="zoo-vs-zoo"),
    pytest.param("zoo", INF, False, id="zoo-vs-inf"),
    pytest.param(INF, "zoo", False, id="inf-vs-zoo"),
    pytest.param(NAN, NAN, True, id="nan-mistake-matches-nan"),
    pytest.param(NAN, 0.5, False, id="nan-vs-number"),
    pytest.param(0.5, NAN, False, id="number-vs-nan"),
    pytest.param(1j, 1j, False, id="complex-never-matches"),
    pytest.param(NumpyScalar("float64", 0.5), "1/2", True, id="numpy-vs-formula"),
]


@pytest.mark.parametrize("answer, mistake, result", SAME)
def test_same_for_mistakes(answer, mistake, result):
    assert number.same(number.parse(answer), number.parse(mistake), DEFAULT) is result


def test_same_uses_the_spec_tolerance():
    loose = NumberChecker(kind="number", rtol=0.01)
    assert number.same(number.parse(-0.69), number.parse(NEG_LN2), loose)
    assert not number.same(number.parse(-0.69), number.parse(NEG_LN2), DEFAULT)


def test_a_long_fraction_is_shown_short():
    shown = number.show(number.parse(via_child(Fraction(10**999 + 7, 3 * 10**999))))
    assert len(shown) < 200 and "1000 characters" in shown
