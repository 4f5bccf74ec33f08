"""Function checker: share of (case × output) pairs that agree; boundary cases never cost points."""

from __future__ import annotations

import collections
import json
import math
import time
from decimal import Decimal
from fractions import Fraction

import numpy  # noqa: F401  (so that harness.Encoder treats numpy values as numpy)
import pytest
import sympy

from grader.checking.checkers import function as fn
from grader.checking.checkers import number
from grader.checking.checkers.base import NotAnswered, TooComplex, Unparsable, WrongType
from grader.problemset.plan import Case
from grader.problemset.spec import FunctionChecker
from grader.report.results import Outcome
from grader.sandbox import wire
from grader.sandbox.child import harness
from grader.sandbox.wire import NumpyArray, SympyTree

# ---------------------------------------------------------------------------------------------
# 2b: the posterior density p(z | x⁽¹⁾) = 2 N(z; 0, 1) 1[z ≥ 0] (a jump at the boundary z = 0)
# ---------------------------------------------------------------------------------------------

DENSITY = FunctionChecker(
    kind="function", signature=["z"], outputs=["density"], expression_variable="z",
    visible_inputs=[{"z": -1.0}, {"z": 0.5}, {"z": 1.0}],
    boundary_inputs=[{"z": 0.0}],
    hidden_inputs={"count": 3, "args": {"z": {"uniform": [-3.0, 3.0]}}},
)
DENSITY_CASES = [
    Case((-1.0,), "visible", "z = -1"),
    Case((0.5,), "visible", "z = 0.5"),
    Case((1.0,), "visible", "z = 1"),
    Case((1.7,), "hidden", "hidden 1"),
    Case((-2.3,), "hidden", "hidden 2"),
    Case((0.2,), "hidden", "hidden 3"),
    Case((0.0,), "boundary", "z = 0"),
]


def half_normal(z: float) -> float:
    return 2 * math.exp(-z * z / 2) / math.sqrt(2 * math.pi) if z >= 0 else 0.0


def through_child(expr):
    return wire.decode(json.loads(json.dumps(harness.Encoder().encode(expr), allow_nan=False)))


def N(*xs):
    return tuple(number.parse(v) for v in xs)


def outputs(f, cases):
    return [N(*(lambda r: r if isinstance(r, tuple) else (r,))(f(*c.args))) for c in cases]


EXPECTED_DENSITY = outputs(half_normal, DENSITY_CASES)

# ---------------------------------------------------------------------------------------------
# 4a: (mean, variance) of q(x_t | x_0)
# ---------------------------------------------------------------------------------------------

PAIR = FunctionChecker(
    kind="function", signature=["x0", "betas", "t"], outputs=["mean", "variance"],
    visible_inputs=[{"x0": 1.0, "betas": [0.1, 0.2], "t": 2}],
    hidden_inputs={"count": 2, "args": {"x0": {"uniform": [-3.0, 3.0]},
                                        "betas": {"uniform_list": [0.01, 0.5], "length": [1, 8]},
                                        "t": {"index_into": "betas"}}},
)
PAIR_CASES = [
    Case((1.0, [0.1, 0.2], 2), "visible", "x0=1, t=2"),
    Case((0.5, [0.3], 1), "hidden", "hidden 1"),
    Case((-2.0, [0.1, 0.2, 0.3], 3), "hidden", "hidden 2"),
]


def q4a(x0, betas, t):
    alpha_bar = math.prod(1 - b for b in betas[:t])
    return math.sqrt(alpha_bar) * x0, 1 - alpha_bar


def q4a_std(x0, betas, t):  # common mistake: the standard deviation instead of the variance
    mean, var = q4a(x0, betas, t)
    return mean, math.sqrt(var)


def q4a_last_alpha(x0, betas, t):  # common mistake: α_t alone instead of ᾱ_t
    alpha = 1 - betas[t - 1]
    return math.sqrt(alpha) * x0, 1 - alpha


EXPECTED_PAIR = outputs(q4a, PAIR_CASES)


def feedback(verdict) -> str:
    return " ".join(verdict.feedback)


# ---------------------------------------------------------------------------------------------
# grade
# ---------------------------------------------------------------------------------------------

def test_all_right():
    verdict = fn.grade(EXPECTED_DENSITY, EXPECTED_DENSITY, DENSITY_CASES, DENSITY)
    assert verdict.outcome is Outcome.CORRECT and verdict.fraction == 1.0
    assert "3 of 3 given input(s)" in feedback(verdict)
    assert "3 of 3 hidden" in feedback(verdict)
    assert len(verdict.cases) == len(DENSITY_CASES)
    assert all(row.ok for row in verdict.cases)
    assert [row.hidden for row in verdict.cases] == [c.kind == "hidden" for c in DENSITY_CASES]
    assert [row.boundary for row in verdict.cases] == [c.kind == "boundary" for c in DENSITY_CASES]


def test_within_tolerance_is_right():
    got = [tuple(number.parse(o.real * (1 + 4e-4)) for o in out) for out in EXPECTED_DENSITY]
    assert fn.grade(got, EXPECTED_DENSITY, DENSITY_CASES, DENSITY).is_correct


def test_hard_coded_values_earn_partial_credit_and_a_hint():
    got = [want if case.kind != "hidden" else N(0.123) for case, want in zip(DENSITY_CASES, EXPECTED_DENSITY)]
    verdict = fn.grade(got, EXPECTED_DENSITY, DENSITY_CASES, DENSITY)
    assert verdict.outcome is Outcome.PARTIAL
    assert verdict.fraction == pytest.approx(3 / 6)
    text = feedback(verdict)
    assert "hard-coded" in text
    assert "3 of 3 given input(s)" in text and "0 of 3 hidden" in text


def test_no_hard_coded_hint_when_visible_cases_fail_too():
    got = [N(0.123) for _ in DENSITY_CASES]
    verdict = fn.grade(got, EXPECTED_DENSITY, DENSITY_CASES, DENSITY)
    assert verdict.outcome is Outcome.INCORRECT and verdict.fraction == 0.0
    assert "hard-coded" not in feedback(verdict)


@pytest.mark.parametrize("mistake, right, wrong", [
    pytest.param(q4a_std, "mean", "variance", id="std-instead-of-variance"),
    pytest.param(lambda x0, b, t: (q4a(x0, b, t)[0] * 2, q4a(x0, b, t)[1]), "variance", "mean", id="mean-doubled"),
])
def test_one_component_right_earns_half(mistake, right, wrong):
    got = outputs(mistake, PAIR_CASES)
    verdict = fn.grade(got, EXPECTED_PAIR, PAIR_CASES, PAIR)
    assert verdict.outcome is Outcome.PARTIAL
    assert verdict.fraction == pytest.approx(0.5)
    text = feedback(verdict)
    assert f"The {right} is right at 3 of 3 inputs." in text
    assert f"The {wrong} is wrong at every input." in text
    assert all(not row.ok for row in verdict.cases)
    assert "mean=" in verdict.cases[0].got and "variance=" in verdict.cases[0].expected


def test_component_right_at_some_inputs():
    # Right at t = 1 only (α_1 = ᾱ_1): both components right there, wrong at the other two cases.
    got = outputs(q4a_last_alpha, PAIR_CASES)
    verdict = fn.grade(got, EXPECTED_PAIR, PAIR_CASES, PAIR)
    assert verdict.fraction == pytest.approx(2 / 6)
    assert "The mean is right at 1 of 3 inputs." in feedback(verdict)


def test_a_constant_earns_nothing_where_the_expected_value_happens_to_match():
    """A density of 0 everywhere matches the expected 0 at every negative input: no credit for it."""
    got = [N(0.0) for _ in DENSITY_CASES]
    verdict = fn.grade(got, EXPECTED_DENSITY, DENSITY_CASES, DENSITY)
    assert verdict.outcome is Outcome.INCORRECT and verdict.fraction == 0.0
    assert "It is 0 at every input, while the expected value changes with the input" in feedback(verdict)


def test_a_constant_output_beside_a_right_one_earns_only_the_right_one():
    """q4e returning (0.0, 0.0): the t = 1 inputs, where the posterior variance is 0, earn nothing."""
    cases = PAIR_CASES + [Case((0.7, [0.2, 0.4], 1), "hidden", "hidden 3")]
    expected = outputs(q4a, cases)
    variance_zero_at_t1 = [(want[0], number.parse(0.0)) if case.args[2] == 1 else (want[0], number.parse(0.5))
                           for case, want in zip(cases, expected)]
    got = [(want[0], number.parse(0.0)) for want in expected]
    verdict = fn.grade(got, variance_zero_at_t1, cases, PAIR)
    assert verdict.fraction == pytest.approx(0.5)
    assert "The variance is 0 at every input" in feedback(verdict)


def test_a_constant_right_at_every_input_within_the_tolerance_is_right():
    """Found by review: expected values varying within the tolerance zeroed a right constant."""
    cases = [Case((float(z),), "visible", f"z = {z}") for z in (-3, -2, -1, 0.5)]
    expected = [N(1.0), N(1.0009), N(1.0018), N(1.0009)]
    assert fn.grade([N(1.0009)] * 4, expected, cases, DENSITY).is_correct


def test_a_nearly_constant_output_is_still_a_constant():
    got = [N(1e-8 * i) for i, _ in enumerate(DENSITY_CASES)]
    verdict = fn.grade(got, EXPECTED_DENSITY, DENSITY_CASES, DENSITY)
    assert verdict.fraction == 0.0 and "at every input" in feedback(verdict)


def test_a_constant_is_right_where_the_expected_value_is_constant_too():
    cases = [Case((float(z),), "visible", f"z = {z}") for z in (-3, -2, -1)]
    assert fn.grade([N(0.0)] * 3, [N(0.0)] * 3, cases, DENSITY).is_correct


def test_boundary_mismatch_is_not_counted():
    got = list(EXPECTED_DENSITY)
    got[-1] = N(half_normal(0.0) / 2)  # the midpoint value at the jump: a measure-zero difference
    verdict = fn.grade(got, EXPECTED_DENSITY, DENSITY_CASES, DENSITY)
    assert verdict.outcome is Outcome.CORRECT and verdict.fraction == 1.0
    assert "boundary" in feedback(verdict)
    boundary_row = verdict.cases[-1]
    assert boundary_row.boundary and not boundary_row.ok


def test_boundary_match_alone_earns_nothing():
    got = [N(0.123) if case.counts else want for case, want in zip(DENSITY_CASES, EXPECTED_DENSITY)]
    verdict = fn.grade(got, EXPECTED_DENSITY, DENSITY_CASES, DENSITY)
    assert verdict.outcome is Outcome.INCORRECT and verdict.fraction == 0.0


def test_case_failures_given_as_strings():
    got = list(EXPECTED_DENSITY)
    got[1] = "raised ZeroDivisionError: division by zero"
    got[4] = "timed out"
    verdict = fn.grade(got, EXPECTED_DENSITY, DENSITY_CASES, DENSITY)
    assert verdict.outcome is Outcome.PARTIAL
    assert verdict.fraction == pytest.approx(4 / 6)
    assert verdict.cases[1].got == "raised ZeroDivisionError: division by zero" and not verdict.cases[1].ok
    assert verdict.cases[4].got == "timed out" and not verdict.cases[4].ok
    assert "2 of 3 given input(s)" in feedback(verdict) and "2 of 3 hidden" in feedback(verdict)


def test_every_case_failed_as_string():
    verdict = fn.grade(["raised ValueError"] * len(PAIR_CASES), EXPECTED_PAIR, PAIR_CASES, PAIR)
    assert verdict.outcome is Outcome.INCORRECT and verdict.fraction == 0.0


def test_nan_and_infinity_outputs_are_wrong():
    got = list(EXPECTED_DENSITY)
    got[0] = N(math.nan)
    got[1] = N(math.inf)
    verdict = fn.grade(got, EXPECTED_DENSITY, DENSITY_CASES, DENSITY)
    assert verdict.fraction == pytest.approx(4 / 6)


def test_spec_tolerance_is_used():
    loose = DENSITY.model_copy(update={"rtol": 0.05})
    got = [tuple(number.parse(o.real * 1.02) for o in out) for out in EXPECTED_DENSITY]
    assert fn.grade(got, EXPECTED_DENSITY, DENSITY_CASES, loose).is_correct
    assert not fn.grade(got, EXPECTED_DENSITY, DENSITY_CASES, DENSITY).is_correct


# ---------------------------------------------------------------------------------------------
# agrees: matching a common mistake given as a reference function
# ---------------------------------------------------------------------------------------------

def test_agrees_with_the_mistake_it_makes():
    got = outputs(q4a_std, PAIR_CASES)
    assert fn.agrees(got, outputs(q4a_std, PAIR_CASES), PAIR_CASES, PAIR) is True
    assert fn.agrees(got, outputs(q4a_last_alpha, PAIR_CASES), PAIR_CASES, PAIR) is False
    assert fn.agrees(got, EXPECTED_PAIR, PAIR_CASES, PAIR) is False


def test_agrees_ignores_boundary_and_failed_cases():
    mistake = outputs(lambda z: half_normal(z) / 2, DENSITY_CASES)  # unnormalised posterior
    got = list(mistake)
    got[-1] = N(99.0)  # boundary: ignored
    got[2] = "raised RuntimeError"  # no output there: ignored
    assert fn.agrees(got, mistake, DENSITY_CASES, DENSITY) is True


def test_agrees_needs_at_least_one_compared_case():
    got = ["raised RuntimeError"] * len(PAIR_CASES)
    assert fn.agrees(got, EXPECTED_PAIR, PAIR_CASES, PAIR) is False


def test_agrees_fails_on_one_differing_case():
    mistake = outputs(q4a_std, PAIR_CASES)
    got = list(mistake)
    got[2] = EXPECTED_PAIR[2]
    assert fn.agrees(got, mistake, PAIR_CASES, PAIR) is False


# ---------------------------------------------------------------------------------------------
# parse_outputs
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    pytest.param((1.0, 2.0), (1.0, 2.0), id="tuple"),
    pytest.param([1.0, 2.0], (1.0, 2.0), id="list"),
    pytest.param(NumpyArray("float64", (2,), (1.0, 2.0)), (1.0, 2.0), id="numpy-array"),
    pytest.param(("1/2", "inf"), (0.5, math.inf), id="strings"),
    pytest.param(through_child(collections.namedtuple("Q", "mean variance")(1.0, 2.0)), (1.0, 2.0), id="namedtuple"),
    pytest.param(through_child(collections.namedtuple("Q", "variance mean")(2.0, 1.0)), (1.0, 2.0),
                 id="namedtuple-read-by-name"),
    pytest.param(through_child({"variance": 2.0, "mean": 1.0}), (1.0, 2.0), id="dict-by-name"),
    pytest.param(through_child((Fraction(1, 2), Decimal("2.5"))), (0.5, 2.5), id="fraction-and-decimal"),
])
def test_parse_outputs_pair(value, expected):
    parsed = fn.parse_outputs(value, PAIR)
    assert tuple(p.real for p in parsed) == expected


@pytest.mark.parametrize("value, error, fragment", [
    pytest.param((1.0,), WrongType, "returned 1 values; expected 2", id="tuple-too-short"),
    pytest.param((1.0, 2.0, 3.0), WrongType, "returned 3 values; expected 2", id="tuple-too-long"),
    pytest.param([], WrongType, "returned 0 values", id="empty-list"),
    pytest.param(NumpyArray("float64", (3,), (1.0, 2.0, 3.0)), WrongType, "returned 3 values", id="array-3"),
    pytest.param(1.0, WrongType, "expected a tuple (mean, variance)", id="single-number"),
    pytest.param("1, 2", WrongType, "expected a tuple", id="string"),
    pytest.param(None, NotAnswered, "None", id="None"),
    pytest.param((True, 1.0), WrongType, "bool", id="bool-component"),
    pytest.param((1.0, [2.0, 3.0]), WrongType, "list", id="nested-list-component"),
    pytest.param(through_child({"mean": 1.0, "var": 2.0}), WrongType,
                 "keys 'mean', 'var'; expected exactly 'mean', 'variance' (not 'var')", id="dict-wrong-key"),
    pytest.param(through_child({"mean": 1.0}), WrongType, "expected exactly 'mean', 'variance'", id="dict-missing-key"),
    pytest.param(through_child({1.0, 2.0}), WrongType, "expected a tuple (mean, variance), or a dict", id="set"),
    pytest.param(through_child(collections.namedtuple("R", "variance mean_x")(2.0, 1.0)), WrongType,
                 "a R with the fields 'variance', 'mean_x'; expected exactly 'mean', 'variance' (not 'mean_x')",
                 id="namedtuple-fields-half-right"),
])
def test_parse_outputs_errors(value, error, fragment):
    with pytest.raises(error) as info:
        fn.parse_outputs(value, PAIR)
    assert fragment in str(info.value)


def test_a_one_output_function_may_return_a_dict_or_namedtuple_by_name():
    assert fn.parse_outputs(through_child({"density": 0.25}), DENSITY)[0].real == 0.25
    assert fn.parse_outputs(through_child(collections.namedtuple("D", "density")(0.5)), DENSITY)[0].real == 0.5
    with pytest.raises(WrongType, match="expected exactly 'density'"):
        fn.parse_outputs(through_child({"value": 0.25}), DENSITY)


def test_an_expression_that_overflows_at_the_inputs_is_too_complex():
    with pytest.raises(TooComplex):
        evaluate("exp(exp(exp(exp(10))))*z", DENSITY, DENSITY_CASES)


def test_parse_outputs_single():
    assert fn.parse_outputs(0.25, DENSITY)[0].real == 0.25
    with pytest.raises(WrongType):
        fn.parse_outputs((0.25, 0.5), DENSITY)
    with pytest.raises(NotAnswered):
        fn.parse_outputs(None, DENSITY)


# ---------------------------------------------------------------------------------------------
# outputs_from_expression: an expression in z instead of a callable


def evaluate(value, spec, cases):
    """An expression answer as the reading step evaluates it: read, then computed at each input."""
    return fn.outputs_from_expression(fn.read_expression(value, spec), spec, cases)
# ---------------------------------------------------------------------------------------------

Z = sympy.Symbol("z", real=True)
TZ = {"f": "Symbol", "v": "z"}


def tree_half_normal() -> SympyTree:
    """Piecewise((2·exp(−z²/2)/√(2π), z ≥ 0), (0, True)) in the child's tree format, built by hand."""
    density = {"f": "Mul", "a": [
        {"f": "Integer", "v": "2"},
        {"f": "Pow", "a": [{"f": "Mul", "a": [{"f": "Integer", "v": "2"}, {"f": "Pi"}]},
                           {"f": "Rational", "v": ["-1", "2"]}]},
        {"f": "exp", "a": [{"f": "Mul", "a": [{"f": "Rational", "v": ["-1", "2"]},
                                              {"f": "Pow", "a": [TZ, {"f": "Integer", "v": "2"}]}]}]},
    ]}
    tree = {"f": "Piecewise", "a": [
        {"f": "ExprCondPair", "a": [density, {"f": "GreaterThan", "a": [TZ, {"f": "Integer", "v": "0"}]}]},
        {"f": "ExprCondPair", "a": [{"f": "Integer", "v": "0"}, {"f": "BooleanTrue"}]},
    ]}
    return SympyTree(tree, "Piecewise((sqrt(2)*exp(-z**2/2)/sqrt(pi), z >= 0), (0, True))")


RIGHT_EXPRESSIONS = [
    pytest.param("2*exp(-z**2/2)/sqrt(2*pi) * Heaviside(z)", id="formula-Heaviside"),
    pytest.param("2 exp(-z^2/2)/√(2π) · Heaviside(z)", id="formula-handwritten"),
    pytest.param(tree_half_normal(), id="tree-Piecewise-by-hand"),
    pytest.param(through_child(sympy.Piecewise((2 * sympy.exp(-Z**2 / 2) / sympy.sqrt(2 * sympy.pi), Z >= 0),
                                               (0, True))), id="tree-Piecewise-from-child"),
    pytest.param(through_child(2 * sympy.exp(-Z**2 / 2) / sympy.sqrt(2 * sympy.pi) * sympy.Heaviside(Z)),
                 id="tree-Heaviside-from-child"),
]


@pytest.mark.parametrize("expression", RIGHT_EXPRESSIONS)
def test_outputs_from_expression_right(expression):
    got = evaluate(expression, DENSITY, DENSITY_CASES)
    assert len(got) == len(DENSITY_CASES)
    verdict = fn.grade(got, EXPECTED_DENSITY, DENSITY_CASES, DENSITY)
    assert verdict.outcome is Outcome.CORRECT, verdict.feedback


def test_hand_built_tree_is_the_half_normal():
    got = evaluate(tree_half_normal(), DENSITY, DENSITY_CASES)
    assert [o[0].real for o in got] == pytest.approx([half_normal(c.args[0]) for c in DENSITY_CASES])


@pytest.mark.parametrize("expression, fraction", [
    pytest.param("2*exp(-z**2/2)/sqrt(2*pi)", 4 / 6, id="no-indicator"),  # wrong where z < 0
    pytest.param("exp(-z**2/2)/sqrt(2*pi)*Heaviside(z)", 2 / 6, id="unnormalised"),  # right at z < 0 only
])
def test_outputs_from_expression_wrong(expression, fraction):
    got = evaluate(expression, DENSITY, DENSITY_CASES)
    verdict = fn.grade(got, EXPECTED_DENSITY, DENSITY_CASES, DENSITY)
    assert verdict.fraction == pytest.approx(fraction)


@pytest.mark.parametrize("expression, error", [
    pytest.param("x", Unparsable, id="other-variable-in-formula"),
    pytest.param("foo(z)", Unparsable, id="unknown-function"),
    pytest.param(SympyTree({"f": "Symbol", "v": "y"}, "y"), WrongType, id="other-variable-in-tree"),
    pytest.param(SympyTree({"f": "UndefinedFunction:p", "a": [TZ]}, "p(z)"), Unparsable, id="undefined-function"),
    pytest.param(3.0, WrongType, id="plain-number"),
    pytest.param((1.0, 2.0), WrongType, id="tuple"),
])
def test_outputs_from_expression_errors(expression, error):
    with pytest.raises(error):
        evaluate(expression, DENSITY, DENSITY_CASES)


def test_expression_needs_an_expression_variable():
    with pytest.raises(WrongType, match="not a function"):
        evaluate("z", PAIR, PAIR_CASES)


def test_mistake_expression_agrees():
    got = evaluate("2*exp(-z**2/2)/sqrt(2*pi)", DENSITY, DENSITY_CASES)
    prior_times_two = outputs(lambda z: 2 * math.exp(-z * z / 2) / math.sqrt(2 * math.pi), DENSITY_CASES)
    assert fn.agrees(got, prior_times_two, DENSITY_CASES, DENSITY) is True
    assert fn.agrees(got, EXPECTED_DENSITY, DENSITY_CASES, DENSITY) is False


def test_outputs_from_expression_total_time_limit_survives_the_first_case(monkeypatch):
    real = number._from_sympy
    calls = []

    def slow_after_first(expr, source):
        result = real(expr, source)  # enters and leaves the inner 2 s limit
        calls.append(1)
        if len(calls) == 2:
            time.sleep(7)  # slow work after the first case: the outer 5 s limit must stop it
        return result

    monkeypatch.setattr(number, "_from_sympy", slow_after_first)
    start = time.monotonic()
    try:
        with pytest.raises(TooComplex):
            evaluate("z", DENSITY, DENSITY_CASES)
    finally:
        elapsed = time.monotonic() - start
    assert elapsed < 6.5
