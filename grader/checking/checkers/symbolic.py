"""Symbolic expressions: exact equivalence first, then agreement at seeded random points.

Accepts sympy expressions (rebuilt from the child's tree through a whitelist), formula strings
(parsed by `mathparse`, never by sympify) and plain numbers for constant answers. A check that
runs out of time is an invalid answer ("too complex to check"), never a hang and never "wrong".
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import sympy

from grader.checking import mathparse, sympy_tree
from grader.checking.checkers import number
from grader.checking.checkers.base import (
    NotAnswered,
    TooComplex,
    Verdict,
    WrongType,
    correct,
    incorrect,
    is_placeholder,
)
from grader.checking.checkers.number import tolerance, within
from grader.checking.pretty import latex, shown
from grader.checking.timebox import TimeLimitExceeded, time_limit
from grader.problemset.spec import SymbolicChecker
from grader.sandbox.wire import NumpyScalar, SympyTree, describe


@dataclass(frozen=True)
class ParsedExpression:
    expr: Any
    source: str = ""

    @property
    def formula(self) -> str | None:
        """The expression as LaTeX, for reports that render math."""
        return latex(self.expr)


def parse(value: Any, spec: SymbolicChecker) -> ParsedExpression:
    if is_placeholder(value):
        raise NotAnswered("no expression given yet")
    if isinstance(value, bool):
        raise WrongType("a bool is not an expression")
    if isinstance(value, NumpyScalar):
        value = value.value
    if isinstance(value, (int, float)):
        return ParsedExpression(sympy.Float(value) if isinstance(value, float) else sympy.Integer(value))
    if isinstance(value, Fraction):
        return ParsedExpression(sympy.Rational(value.numerator, value.denominator), "a Fraction")
    if isinstance(value, Decimal):  # a rounded decimal, as a float: compared within the tolerance
        return ParsedExpression(sympy.Float(number.parse(value).real), "a Decimal")
    if isinstance(value, str):
        read = mathparse.read_formula(value, spec.variables)
        return ParsedExpression(read.expr, f"text {value.strip()!r}" + (f"; {read.note}" if read.note else ""))
    if isinstance(value, SympyTree):
        expr = sympy_tree.rebuild_tree(value.tree, spec.variables)
        if isinstance(expr, (sympy.core.relational.Relational, sympy.logic.boolalg.Boolean)):
            raise WrongType(f"{describe(value)} is an equation or a condition; give only the expression "
                            f"in {', '.join(spec.variables)}")
        return ParsedExpression(expr, "sympy")
    raise WrongType(f"{describe(value)} is not an expression in {', '.join(spec.variables)}")


def show(answer: ParsedExpression) -> str:
    text = shown(answer.expr)
    return f"{text} (read from {answer.source})" if answer.source.startswith("text") else text


def _symbols(spec: SymbolicChecker) -> list[sympy.Symbol]:
    return [sympy.Symbol(v, real=True) for v in spec.variables]


def _points(spec: SymbolicChecker) -> list[dict[sympy.Symbol, float]]:
    rng = random.Random(f"symbolic:{','.join(spec.variables)}:{spec.points}")
    lo, hi = spec.sample_range
    if spec.positive:
        lo = max(lo, 1e-3)
    return [{s: rng.uniform(lo, hi) for s in _symbols(spec)} for _ in range(spec.points)]


def _value_at(expr: Any, point: dict[sympy.Symbol, float]) -> complex:
    try:
        return complex(expr.evalf(20, subs=point))
    except (TypeError, ValueError, ArithmeticError, AttributeError, RecursionError, MemoryError):
        return complex(math.nan)  # no number here (exp(exp(exp(exp(10)))) overflows): the next point


def _expanded(difference: Any, seconds: float) -> Any | None:
    """The difference expanded exactly, or None when that takes longer than `seconds`
    ((1+x)^500·(1−x)^500 − (1−x²)^500 does): then the points decide alone."""
    try:
        with time_limit(seconds):
            return sympy.expand(difference)
    except TimeLimitExceeded:
        return None


def _provably_nonzero(difference: Any, symbols: list[sympy.Symbol]) -> bool:
    """A nonzero polynomial with exact rational coefficients: different everywhere but on a set
    of measure zero, however close the values at the points (x/3 + 1/10**9 against x/3). Floats,
    π or logs among the coefficients prove nothing (log(4) − 2·log(2) does not expand to 0)."""
    if difference.has(sympy.Float):
        return False
    try:
        coefficients = sympy.Poly(difference, *symbols).coeffs() if symbols else [difference]
    except (sympy.PolynomialError, sympy.GeneratorsNeeded, ArithmeticError, ValueError, RecursionError,
            MemoryError):  # ValueError: an integer past Python's 4300-digit str limit inside sympy
        return False
    return all(c.is_Rational for c in coefficients) and any(c != 0 for c in coefficients)


def _check(answer: Any, expected: Any, spec: SymbolicChecker) -> bool | str:
    """True/False when decided; a sentence when no point could be evaluated for both."""
    symbols = _symbols(spec)
    extra = answer.free_symbols - set(symbols) - expected.free_symbols
    if extra:
        names = ", ".join(sorted(str(s) for s in extra))
        raise TooComplex(f"the expression uses {names}; expected an expression in "
                         f"{', '.join(spec.variables)} only")
    difference = _expanded(answer - expected, spec.seconds / 2)
    if difference is not None:
        if difference == 0:
            return True
        if _provably_nonzero(difference, symbols):
            return False
    rtol, atol = tolerance(spec)
    compared = 0
    for point in _points(spec):
        a, b = _value_at(answer, point), _value_at(expected, point)
        if any(map(math.isnan, (b.real, b.imag))):
            continue  # the expected value is undefined here (a pole, log of a negative)
        if any(map(math.isnan, (a.real, a.imag))):
            return False  # undefined where the expected value is a number: wrong, as a NaN number is
        compared += 1
        if not (within(a.real, b.real, rtol, atol) and within(a.imag, b.imag, rtol, atol)):
            return False
    if compared:
        return True
    return "the expected expression could not be evaluated at any test point"


def grade(answer: ParsedExpression, expected: ParsedExpression, spec: SymbolicChecker) -> Verdict:
    try:
        with time_limit(spec.seconds):
            decided = _check(answer.expr, expected.expr, spec)
    except TimeLimitExceeded:
        raise TooComplex(f"the expression could not be checked within {spec.seconds:g} s; "
                         "simplify it and submit again") from None
    if isinstance(decided, str):
        raise TooComplex(decided)
    return correct() if decided else incorrect(
        "The expression differs from the expected one (compared at random points).")


def same(answer: ParsedExpression, other: ParsedExpression, spec: SymbolicChecker) -> bool:
    try:
        return grade(answer, other, spec).is_correct
    except TooComplex:
        return False


def expects(spec: Any) -> str:
    """What a student gives for this part, in words."""
    return f"a sympy expression, or a formula string, in {', '.join(spec.variables)}"


def stub_arguments(spec: Any) -> tuple[str, ...]:
    """The starter file's stub: a function of no arguments (a plain value may replace it)."""
    del spec
    return ()
