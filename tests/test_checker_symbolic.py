"""Symbolic checker: exact equivalence first, then agreement at seeded random points; time-limited."""

from __future__ import annotations

import json
import signal
import time
from decimal import Decimal
from fractions import Fraction

import numpy  # noqa: F401  (so that harness.Encoder treats numpy values as numpy)
import pytest
import sympy

from grader.checking.checkers import symbolic
from grader.checking.checkers.base import (
    AnswerFormatError,
    NotAnswered,
    TooComplex,
    Unparsable,
    WrongType,
)
from grader.problemset.spec import SymbolicChecker
from grader.report.results import Outcome
from grader.sandbox import wire
from grader.sandbox.child import harness
from grader.sandbox.wire import NumpyScalar, SympyTree

X_ONLY = SymbolicChecker(kind="symbolic", variables=["x"])
X_POSITIVE = SymbolicChecker(kind="symbolic", variables=["x"], positive=True)
XY = SymbolicChecker(kind="symbolic", variables=["x", "y"])

x = sympy.Symbol("x", real=True)


def through_child(expr):
    return wire.decode(json.loads(json.dumps(harness.Encoder().encode(expr), allow_nan=False)))


def check(answer, expected, spec: SymbolicChecker = X_ONLY) -> str:
    a = symbolic.parse(answer, spec)
    e = symbolic.parse(expected, spec)
    verdict = symbolic.grade(a, e, spec)
    assert verdict.fraction == (1.0 if verdict.outcome is Outcome.CORRECT else 0.0)
    return verdict.outcome.value


CORRECT = Outcome.CORRECT.value
INCORRECT = Outcome.INCORRECT.value

# Hand-built trees in the child's format ({"f": class name, "a": [args]} / {"f": atom, "v": value}).
TX = {"f": "Symbol", "v": "x"}
TY = {"f": "Symbol", "v": "y"}


def T_int(n):
    return {"f": "Integer", "v": str(n)}


TREE_X2_MINUS_1 = SympyTree({"f": "Add", "a": [{"f": "Pow", "a": [TX, T_int(2)]}, T_int(-1)]}, "x**2 - 1")
TREE_FACTORED = SympyTree({"f": "Mul", "a": [{"f": "Add", "a": [TX, T_int(-1)]},
                                             {"f": "Add", "a": [TX, T_int(1)]}]}, "(x - 1)*(x + 1)")
TREE_X_PLUS_Y = SympyTree({"f": "Add", "a": [TX, TY]}, "x + y")
TREE_SIGMOID = SympyTree({"f": "Pow", "a": [{"f": "Add", "a": [T_int(1), {"f": "exp", "a": [
    {"f": "Mul", "a": [T_int(-1), TX]}]}]}, T_int(-1)]}, "1/(1 + exp(-x))")

EQUIVALENT = [
    pytest.param("x**2-1", "(x-1)*(x+1)", X_ONLY, id="difference-of-squares"),
    pytest.param("(x-1)*(x+1)", "x^2 - 1", X_ONLY, id="factored-vs-caret"),
    pytest.param("exp(log(x))", "x", X_POSITIVE, id="exp-log-positive"),
    pytest.param("log(x**2)", "2*log(x)", X_POSITIVE, id="log-power-positive"),
    pytest.param("sqrt(x**2)", "x", X_POSITIVE, id="sqrt-square-positive"),
    pytest.param("sqrt(x**2)", "abs(x)", X_ONLY, id="sqrt-square-is-abs"),
    pytest.param("sin(x)**2 + cos(x)**2", "1", X_ONLY, id="pythagoras"),
    pytest.param("2*sin(x)*cos(x)", "sin(2*x)", X_ONLY, id="double-angle-sin"),
    pytest.param("cos(x)**2 - sin(x)**2", "cos(2x)", X_ONLY, id="double-angle-cos"),
    pytest.param("tan(x)", "sin(x)/cos(x)", X_ONLY, id="tan"),
    pytest.param("1/(1+exp(-x))", "exp(x)/(1+exp(x))", X_ONLY, id="sigmoid-forms"),
    pytest.param("exp(x)*exp(x)", "exp(2x)", X_ONLY, id="exp-product"),
    pytest.param("x/2", "0.5*x", X_ONLY, id="rational-vs-float-coefficient"),
    pytest.param("x**2", "x**2 + 1e-12", X_ONLY, id="within-atol"),
    pytest.param("x*y", "y*x", XY, id="commuted-two-variables"),
    pytest.param("(x+y)**2", "x^2 + 2x*y + y^2", XY, id="binomial"),
    pytest.param("Phi(x)", "(1 + erf(x/sqrt(2)))/2", X_ONLY, id="Phi-definition"),
    pytest.param(TREE_FACTORED, "x**2 - 1", X_ONLY, id="tree-factored-vs-string"),
    pytest.param(TREE_X2_MINUS_1, TREE_FACTORED, X_ONLY, id="tree-vs-tree"),
    pytest.param(TREE_SIGMOID, "exp(x)/(1+exp(x))", X_ONLY, id="tree-sigmoid"),
    pytest.param(through_child((x - 1) * (x + 1)), "x^2-1", X_ONLY, id="child-sympy-expression"),
    pytest.param(2, "2", X_ONLY, id="int-constant"),
    pytest.param(0.5, "1/2", X_ONLY, id="float-constant"),
    pytest.param(NumpyScalar("float64", 0.5), "1/2", X_ONLY, id="numpy-constant"),
    pytest.param(through_child(Fraction(1, 3)), "1/3", X_ONLY, id="fraction-constant"),
    pytest.param(through_child(Decimal("0.25")), "1/4", X_ONLY, id="decimal-constant"),
]


@pytest.mark.parametrize("answer, expected, spec", EQUIVALENT)
def test_equivalent_forms_are_correct(answer, expected, spec):
    assert check(answer, expected, spec) == CORRECT


NOT_EQUIVALENT = [
    pytest.param("x**2+1", "x**2", X_ONLY, id="plus-one"),
    pytest.param("x**2", "x**2 * 1.01", X_ONLY, id="one-percent-off"),
    pytest.param("sin(2*x)", "2*sin(x)", X_ONLY, id="sin-2x-vs-2sinx"),
    pytest.param("log(x**2)", "2*log(x)", X_ONLY, id="log-power-needs-positive"),
    pytest.param("sqrt(x**2)", "x", X_ONLY, id="sqrt-square-needs-positive"),
    pytest.param("-x", "x", X_ONLY, id="sign"),
    pytest.param("x + y", "x", XY, id="extra-term"),
    pytest.param("x*y", "x/y", XY, id="multiply-vs-divide"),
    pytest.param("exp(-x**2)", "exp(-x**2/2)", X_ONLY, id="missing-half"),
    pytest.param(TREE_X2_MINUS_1, "x**2 + 1", X_ONLY, id="tree-wrong"),
    pytest.param(through_child(x**2), "x**2-1", X_ONLY, id="child-sympy-wrong"),
]


@pytest.mark.parametrize("answer, expected, spec", NOT_EQUIVALENT)
def test_non_equivalent_forms_are_incorrect(answer, expected, spec):
    assert check(answer, expected, spec) == INCORRECT


def test_incorrect_feedback_says_how_it_was_compared():
    spec = X_ONLY
    verdict = symbolic.grade(symbolic.parse("x+1", spec), symbolic.parse("x", spec), spec)
    assert verdict.outcome is Outcome.INCORRECT
    assert "random points" in " ".join(verdict.feedback)


@pytest.mark.parametrize("answer", ["nan", "x + nan", "0*oo", "log(-1 - x**2) * nan"])
def test_an_expression_nan_everywhere_is_incorrect_as_a_nan_number_is(answer):
    assert check(answer, "x") == INCORRECT


def test_an_expected_expression_undefined_everywhere_is_too_complex_not_wrong():
    with pytest.raises(TooComplex, match="expected expression could not be evaluated"):
        check("x", "nan")


def test_where_expansion_times_out_the_points_decide():
    spec = SymbolicChecker(kind="symbolic", variables=["x"], seconds=2.0)
    a, e = symbolic.parse("(1+x)^500*(1-x)^500", spec), symbolic.parse("(1-x^2)^500", spec)
    assert symbolic.grade(a, e, spec).is_correct
    wrong = symbolic.parse("(1+x)^500*(1-x)^499", spec)
    assert symbolic.grade(wrong, e, spec).outcome is Outcome.INCORRECT


@pytest.mark.parametrize("answer, expected, outcome", [
    ("x/3 + 1/10**9", "x/3", Outcome.INCORRECT),  # within the tolerance at every point, yet not equal
    ("x**2 + x/10**12", "x**2", Outcome.INCORRECT),
    ("x**2 + 1e-12", "x**2", Outcome.CORRECT),  # a float proves nothing: the tolerance decides
    ("log(4) - 2*log(2) + x", "x", Outcome.CORRECT),  # does not expand to 0, and is 0
])
def test_an_exact_nonzero_polynomial_difference_is_incorrect(answer, expected, outcome):
    assert check(answer, expected) == outcome.value


PARSE_ERRORS = [
    pytest.param("x + y", X_ONLY, Unparsable, "unknown name 'y'", id="string-unknown-symbol"),
    pytest.param("x + z", XY, Unparsable, "unknown name 'z'", id="string-unknown-symbol-2"),
    pytest.param("foo(x)", X_ONLY, Unparsable, "foo", id="string-unknown-function"),
    pytest.param("__import__('os')", X_ONLY, Unparsable, "not allowed", id="string-import"),
    pytest.param("x.real", X_ONLY, Unparsable, "not allowed", id="string-attribute"),
    pytest.param("(x+1)**1001", X_ONLY, TooComplex, "exponents", id="string-huge-exponent"),
    pytest.param(SympyTree({"f": "UndefinedFunction:f", "a": [TX]}, "f(x)"), X_ONLY, Unparsable, "uses f",
                 id="tree-undefined-function"),
    pytest.param(SympyTree({"f": "Lambda", "a": [{"f": "Tuple", "a": [TX]}, TX]}, "Lambda(x, x)"), X_ONLY,
                 Unparsable, "Lambda", id="tree-Lambda"),
    pytest.param(SympyTree({"f": "Integral", "a": [TX]}, "Integral(x)"), X_ONLY, Unparsable, "Integral",
                 id="tree-Integral"),
    pytest.param(True, X_ONLY, WrongType, "bool", id="bool"),
    pytest.param([1, 2], X_ONLY, WrongType, "not an expression", id="list"),
    pytest.param(None, X_ONLY, NotAnswered, "", id="None"),
    pytest.param("", X_ONLY, NotAnswered, "", id="empty"),
]


@pytest.mark.parametrize("answer, spec, error, fragment", PARSE_ERRORS)
def test_parse_errors(answer, spec, error, fragment):
    with pytest.raises(error) as info:
        symbolic.parse(answer, spec)
    assert fragment in str(info.value)


def test_unknown_symbol_in_a_tree_is_too_complex_at_grading():
    """A tree may carry any symbol name; grading refuses the unexpected one (as implemented: TooComplex)."""
    answer = symbolic.parse(TREE_X_PLUS_Y, X_ONLY)
    expected = symbolic.parse("x", X_ONLY)
    with pytest.raises(TooComplex, match="uses y"):
        symbolic.grade(answer, expected, X_ONLY)
    assert symbolic.same(answer, expected, X_ONLY) is False


def test_tree_from_child_carries_real_symbols():
    parsed = symbolic.parse(TREE_X2_MINUS_1, X_ONLY)
    assert parsed.expr == x**2 - 1


# ---------------------------------------------------------------------------------------------
# Time limit: exact expansion gives way to the points; a check that still runs out of time is
# "too complex to check", quickly, never a hang or "wrong"
# ---------------------------------------------------------------------------------------------

EXPENSIVE = [
    pytest.param("(x+y+1)**1000", "(x+y-1)**1000", id="trinomial-1000"),
    pytest.param("(x+y+1)**200", "(x+y-1)**200", id="trinomial-200"),
    pytest.param("(x+1)**1000 * (y+1)**1000", "(x-1)**1000 * (y-1)**1000", id="product-of-binomials"),
]


@pytest.mark.parametrize("answer, expected", EXPENSIVE)
def test_an_expansion_too_slow_to_finish_is_decided_by_the_points(answer, expected):
    spec = SymbolicChecker(kind="symbolic", variables=["x", "y"], seconds=0.5)
    a, e = symbolic.parse(answer, spec), symbolic.parse(expected, spec)
    start = time.monotonic()
    assert symbolic.grade(a, e, spec).outcome is Outcome.INCORRECT
    assert symbolic.grade(a, a, spec).outcome is Outcome.CORRECT
    assert time.monotonic() - start < 10
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # no alarm left behind


def _endless_evaluation(expr, point):
    deadline = time.monotonic() + 5  # the time limit must end it long before
    while time.monotonic() < deadline:
        pass
    raise AssertionError("the time limit did not stop the check")


def test_a_check_that_runs_out_of_time_is_too_complex(monkeypatch):
    monkeypatch.setattr(symbolic, "_value_at", _endless_evaluation)
    spec = SymbolicChecker(kind="symbolic", variables=["x", "y"], seconds=0.05)
    a, e = symbolic.parse("sin(x) + y", spec), symbolic.parse("cos(x) + y", spec)
    start = time.monotonic()
    with pytest.raises(TooComplex, match="0.05 s"):
        symbolic.grade(a, e, spec)
    assert time.monotonic() - start < 3
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # no alarm left behind
    assert symbolic.same(a, e, spec) is False


def test_time_limit_restores_previous_alarm_handler(monkeypatch):
    def mine(signum, frame):  # pragma: no cover - never fires
        raise AssertionError

    monkeypatch.setattr(symbolic, "_value_at", _endless_evaluation)
    previous = signal.signal(signal.SIGALRM, mine)
    try:
        spec = SymbolicChecker(kind="symbolic", variables=["x", "y"], seconds=0.05)
        with pytest.raises(TooComplex):
            symbolic.grade(symbolic.parse("sin(x)", spec), symbolic.parse("cos(y)", spec), spec)
        assert signal.getsignal(signal.SIGALRM) is mine
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_grading_is_deterministic():
    spec = X_ONLY
    a, e = symbolic.parse("x**2 * 1.0015", spec), symbolic.parse("x**2", spec)
    first = symbolic.grade(a, e, spec)
    assert all(symbolic.grade(a, e, spec) == first for _ in range(3))


# ---------------------------------------------------------------------------------------------
# same(): matching a listed common mistake
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("answer, mistake, result", [
    pytest.param("2*x", "x+x", True, id="equivalent"),
    pytest.param("2*x", "x", False, id="different"),
    pytest.param(TREE_FACTORED, "x**2-1", True, id="tree-vs-string"),
])
def test_same_for_mistakes(answer, mistake, result):
    assert symbolic.same(symbolic.parse(answer, X_ONLY), symbolic.parse(mistake, X_ONLY), X_ONLY) is result


def test_show_reads_back_the_formula():
    shown = symbolic.show(symbolic.parse("x^2 - 1", X_ONLY))
    assert "x² - 1" in shown and "text" in shown  # written as on a page of math, not Python


def test_parse_errors_are_answer_format_errors():
    for param in PARSE_ERRORS:
        assert issubclass(param.values[2], AnswerFormatError)


@pytest.mark.parametrize("answer", ["exp(exp(exp(exp(10))))", "exp(exp(exp(exp(10))))+0.5*x",
                                    "sin(9999999999**1000)", "sin(gamma(gamma(1000**pi)))"])
def test_answers_no_number_can_hold_are_graded_or_refused_never_a_crash(answer):
    """Found by review: OverflowError, MemoryError and ValueError (Python's 4300-digit limit) escaped."""
    try:
        parsed = symbolic.parse(answer, X_ONLY)
        verdict = symbolic.grade(parsed, symbolic.parse("x", X_ONLY), X_ONLY)
        symbolic.show(parsed)
    except TooComplex:
        return
    assert verdict.outcome is Outcome.INCORRECT


@pytest.mark.parametrize("value", [through_child(sympy.Eq(x ** 2, 1)), through_child(x > 0)], ids=["Eq", "Gt"])
def test_an_equation_or_condition_is_not_an_expression(value):
    with pytest.raises(WrongType, match="an equation or a condition"):
        symbolic.parse(value, X_ONLY)


def test_a_decimal_is_a_rounded_value_as_a_float_is():
    spec = SymbolicChecker(kind="symbolic", variables=["x"], rtol=1e-2)
    assert check(through_child(Decimal("0.3333")), "1/3", spec) == check(0.3333, "1/3", spec) == CORRECT


def test_an_answer_defined_at_only_some_points_is_incorrect():
    """Found by review: points where only the answer was undefined were skipped, so Piecewise((x, x > 0))
    earned full credit against x."""
    tree = through_child(sympy.Piecewise((x, x > 0)))
    assert check(tree, "x") == INCORRECT
