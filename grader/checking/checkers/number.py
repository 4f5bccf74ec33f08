"""Numbers: |answer − expected| ≤ atol + rtol·|expected|, with exact rules for ±∞ and NaN.

Read from floats, ints, numpy scalars, single-element arrays, sympy expressions and formula strings
("−ln 3", "inf", "∞", "2*sqrt(5)"). ±∞ equals only the same-signed ∞; NaN is never correct;
complex infinity (sympy's zoo) is not +∞; a bool is not a number.
"""

from __future__ import annotations

import cmath
import math
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

from grader.checking import mathparse, sympy_tree
from grader.checking.checkers.base import (
    NotAnswered,
    TooComplex,
    Unparsable,
    Verdict,
    WrongType,
    correct,
    incorrect,
    is_placeholder,
)
from grader.checking.pretty import latex, shown
from grader.checking.timebox import TimeLimitExceeded, time_limit
from grader.problemset.spec import NumberChecker, Tolerance
from grader.sandbox.wire import (
    CallableInfo,
    NumpyArray,
    NumpyScalar,
    OpaqueObject,
    SympyTree,
    describe,
)


@dataclass(frozen=True)
class ParsedNumber:
    value: complex
    source: str = ""
    """How the value was read, e.g. "sympy: log(3)" ("" for a plain float)."""
    complex_infinity: bool = False
    exact: Fraction | None = None
    """The value as an exact rational, where it was given as one (a Fraction, a Decimal, an int):
    an exact check (rtol = atol = 0) then compares exactly, not as floats."""
    formula: str | None = None
    """The answer as LaTeX where it was written as a formula (−log 2, 18/25), for reports."""

    @property
    def is_real(self) -> bool:
        return not self.complex_infinity and self.value.imag == 0

    @property
    def real(self) -> float:
        return self.value.real


def _from_sympy(expr: Any, source: str) -> ParsedNumber:
    import sympy

    if expr.free_symbols:
        names = ", ".join(sorted(str(s) for s in expr.free_symbols))
        raise Unparsable(f"the answer contains the symbol(s) {names}; a number was expected")
    if expr is sympy.zoo:
        return ParsedNumber(complex(math.nan), source, complex_infinity=True)
    if expr is sympy.oo:
        return ParsedNumber(complex(math.inf), source)
    if expr is -sympy.oo or expr == -sympy.oo:
        return ParsedNumber(complex(-math.inf), source)
    if expr is sympy.nan:
        return ParsedNumber(complex(math.nan), source)
    if not expr.is_number or expr.has(sympy.Eq, sympy.Ne, sympy.Rel):
        raise Unparsable("the answer is not a number")
    try:
        with time_limit(2.0):
            value = complex(expr.evalf(30))
    except (TypeError, ValueError, ArithmeticError, AttributeError, RecursionError, MemoryError):
        # MemoryError: mpmath refuses a number too large to hold (gamma(gamma(1000**pi)))
        raise TooComplex("the expression could not be evaluated to a number") from None
    except TimeLimitExceeded:
        raise TooComplex("the expression took too long to evaluate; simplify it") from None
    if not (math.isfinite(value.real) and math.isfinite(value.imag)):
        # a finite expression such as 10**400 overflowing a float is not ∞
        raise TooComplex("the number is finite but too large to represent as a float")
    return ParsedNumber(value, source, exact=Fraction(int(expr.p), int(expr.q)) if expr.is_Rational else None)


MAX_DECIMAL_EXPONENT = 400
"""Decimals are read exactly only within float's range (and a little beyond, for tiny values)."""


def _short(digits: str) -> str:
    """A long number as its first and last digits (a report line, not a 1000-digit dump)."""
    return digits if len(digits) <= 40 else f"{digits[:18]}…{digits[-18:]} ({len(digits)} characters)"


def _exact(value: Fraction, source: str) -> ParsedNumber:
    try:
        return ParsedNumber(complex(float(value)), source, exact=value)
    except OverflowError:  # finite, not ∞: as for an int beyond float range
        raise TooComplex("the number is finite but too large to represent as a float") from None


def parse(value: Any, spec: NumberChecker | None = None) -> ParsedNumber:
    if is_placeholder(value):
        raise NotAnswered("no number given yet")
    if isinstance(value, bool):
        raise WrongType(f"{value} is a bool, not a number: give the number itself")
    if isinstance(value, (int, float)):
        try:
            return ParsedNumber(complex(value), exact=Fraction(value) if isinstance(value, int) else None)
        except OverflowError:  # an int beyond float range is finite, not ∞
            raise TooComplex("the number is finite but too large to represent as a float") from None
    if isinstance(value, Fraction):
        return _exact(value, f"Fraction({_short(str(value.numerator))}, {_short(str(value.denominator))})")
    if isinstance(value, Decimal):
        if value.is_nan():
            return ParsedNumber(complex(math.nan), "Decimal('NaN')")
        if value.is_infinite():
            return ParsedNumber(complex(-math.inf if value < 0 else math.inf), f"Decimal('{value}')")
        if not value.is_zero() and not -MAX_DECIMAL_EXPONENT <= value.adjusted() <= MAX_DECIMAL_EXPONENT:
            raise TooComplex("the number is finite but too large (or too small) to represent as a float")
        # A decimal written out is a rounded value, as a float is: compared within the tolerance
        # even by an exact check (Fraction and int are exact).
        return replace(_exact(Fraction(value), f"Decimal('{_short(str(value))}')"), exact=None)
    if isinstance(value, complex):
        return ParsedNumber(value, "a complex number")
    if isinstance(value, NumpyScalar):
        if value.dtype == "bool":
            raise WrongType("a numpy bool is not a number: give the number itself")
        inner = parse(value.value, spec)
        return ParsedNumber(inner.value, f"numpy.{value.dtype}", inner.complex_infinity, inner.exact)
    if isinstance(value, NumpyArray):
        if value.size != 1:
            raise WrongType(f"an array of shape {value.shape} where one number is expected")
        inner = parse(value.data[0], spec)
        return ParsedNumber(inner.value, "the only element of a numpy array", inner.complex_infinity, inner.exact)
    if isinstance(value, (list, tuple, frozenset, dict)):
        kind = {list: "list", frozenset: "set", dict: "dict"}.get(type(value), "tuple")
        raise WrongType(f"a {kind} of {len(value)} values where one number is expected")
    if isinstance(value, str):
        read = mathparse.read_formula(value)
        number = _from_sympy(read.expr, f"text {value.strip()!r}" + (f"; {read.note}" if read.note else ""))
        return replace(number, formula=latex(read.expr))
    if isinstance(value, SympyTree):
        expr = sympy_tree.rebuild_tree(value.tree)
        return replace(_from_sympy(expr, f"sympy: {shown(expr)}"), formula=latex(expr))
    if isinstance(value, CallableInfo):
        raise WrongType(f"a function {value.name}{value.signature} that needs arguments; "
                        "define a number (or a function of no arguments returning one)")
    if isinstance(value, OpaqueObject):
        raise WrongType(f"an object of type {value.type} where a number is expected")
    raise WrongType(f"{describe(value)} is not a number")


def format_number(x: complex | float) -> str:
    if isinstance(x, complex):
        if x.imag != 0 and not cmath.isnan(x):
            return f"{x.real:.6g}{x.imag:+.6g}j"
        x = x.real
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "+∞" if x > 0 else "−∞"
    return f"{x:.6g}"


def show(answer: ParsedNumber) -> str:
    text = "complex infinity (zoo)" if answer.complex_infinity else format_number(answer.value)
    return f"{text} (read from {answer.source})" if answer.source else text


def tolerance(spec: Any) -> tuple[float, float]:
    """(rtol, atol) of a checker spec; unset values take the documented default (spec.Tolerance)."""
    default = Tolerance()
    return (default.rtol if spec.rtol is None else spec.rtol,
            default.atol if spec.atol is None else spec.atol)


SLACK = 1e-12
"""Relative slack on top of the tolerance, as edX and STACK add: binary floating point cannot hold
1.05 exactly, so an answer exactly at the boundary (1.05 against 1 at 5 %) would otherwise miss, and
an exact check (rtol = atol = 0) would refuse 0.1 + 0.2 for 0.3."""


def within(a: float, b: float, rtol: float, atol: float) -> bool:
    """numpy.isclose's rule with b the reference, plus SLACK: infinities only equal themselves."""
    if math.isinf(b) or math.isinf(a):
        return a == b
    return abs(a - b) <= atol + rtol * abs(b) + SLACK * max(abs(a), abs(b))


def _explains(transformed: float, a: float, b: float, rtol: float, atol: float) -> bool:
    """Whether `transformed` (the answer undone by a likely slip: negated, inverted, halved) is
    the expected value, and closer to it than the answer itself: a hint never names a slip for an
    answer that is as near as that to the right value."""
    return within(transformed, b, rtol, atol) and abs(transformed - b) < abs(a - b)


def _hint(a: float, b: float, rtol: float, atol: float) -> str:
    """A generic hint for an answer outside the tolerance: how far off, or a likely slip. A near
    miss is told as one first: near the right value, "the reciprocal" would mislead (1/1.05 is
    within 5 % of 1)."""
    scale = abs(b) if b != 0 else 1.0
    relative = abs(a - b) / scale
    allowed = (atol + rtol * abs(b)) / scale
    if relative <= 10 * allowed:
        return (f"Close, but outside the tolerance: off by {100 * relative:.2g} % (accepted: within "
                f"{100 * allowed:.2g} %). Keep at least four significant figures and avoid rounding "
                "intermediate results.")
    if b != 0 and _explains(-a, a, b, rtol, atol):
        return "The magnitude is right but the sign is wrong."
    if a != 0 and _explains(1 / a, a, b, rtol, atol):
        return "This is the reciprocal of the expected value."
    for factor, words in ((2, "twice"), (0.5, "half")):
        if b != 0 and _explains(a / factor, a, b, rtol, atol):
            return f"This is {words} the expected value: check for a missing or extra factor of 2."
    if b != 0 and a != 0 and a / b > 0:
        ratio = math.log10(abs(a / b)) if math.isfinite(a / b) else math.inf
        if math.isfinite(ratio) and abs(ratio - round(ratio)) < 0.02 and round(ratio) != 0:
            return f"Off by a factor of about 10^{round(ratio)}: check units and powers of ten."
    return f"Not within the tolerance of the expected value (off by more than {100 * 10 * allowed:.2g} %)."


def grade(answer: ParsedNumber, expected: ParsedNumber, spec: NumberChecker) -> Verdict:
    rtol, atol = tolerance(spec)
    b = expected.real
    if answer.complex_infinity:
        return incorrect("Complex infinity (sympy's zoo) has no sign, so it is not ±∞; "
                         "use sympy.oo or math.inf for +∞.")
    if not answer.is_real and not cmath.isnan(answer.value):
        return incorrect(f"The answer is complex ({format_number(answer.value)}); a real number was expected.")
    a = answer.real
    if math.isnan(a):
        return incorrect("The answer is NaN (not a number), which is never correct: it usually comes "
                         "from 0·∞, ∞ − ∞ or log of a negative number.")
    if rtol == atol == 0 and answer.exact is not None and expected.exact is not None:
        if answer.exact == expected.exact:  # an exact check between exact values: no float rounding
            return correct()
    elif within(a, b, rtol, atol):
        return correct()
    feedback = []
    if rtol == atol == 0 and answer.exact is not None and expected.exact is not None:
        feedback.append(f"An exact value is required here, and {answer.exact} is not the expected one.")
    elif math.isinf(b):
        if math.isinf(a):
            feedback.append("The sign of the infinity is wrong.")
    elif math.isinf(a):
        feedback.append("The expected value is finite.")
    else:
        feedback.append(_hint(a, b, rtol, atol))
    if spec.sanity and not math.isinf(a) and not spec.sanity[0] <= a <= spec.sanity[1]:
        lo, hi = spec.sanity
        feedback.append(f"A value outside [{lo:g}, {hi:g}] cannot be right here.")
    return incorrect(*(feedback or ["Not correct."]))


def same(answer: ParsedNumber, other: ParsedNumber, spec: NumberChecker) -> bool:
    if answer.complex_infinity or other.complex_infinity:
        return answer.complex_infinity and other.complex_infinity
    if not answer.is_real or not other.is_real:
        return False
    rtol, atol = tolerance(spec)
    if rtol == atol == 0 and answer.exact is not None and other.exact is not None:
        return answer.exact == other.exact
    a, b = answer.real, other.real
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return within(a, b, rtol, atol)


def expects(spec: Any) -> str:
    """What a student gives for this part, in words (for `grade show`, the starter file, the bundle)."""
    text = ('a number: a float, a numpy or sympy value, or a formula string such as "sqrt(2)/4"; '
            "±∞ as `math.inf` / `-math.inf`")
    if getattr(spec, "sanity", None):
        text += f". It must lie in [{spec.sanity[0]:g}, {spec.sanity[1]:g}]"
    return text


def stub_arguments(spec: Any) -> tuple[str, ...]:
    """The starter file's stub: a function of no arguments (a plain value may replace it)."""
    del spec
    return ()
