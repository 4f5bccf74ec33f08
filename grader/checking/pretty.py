"""A sympy expression on one line as a person writes it: z², √(2π), e^(−z²/2), π, ∞, x·y.

The report shows how the grader read an answer; Python syntax (`sqrt(2)*exp(-z**2/2)/sqrt(pi)`)
is not how students or staff write math. sympy's own `pretty` draws fractions over several lines,
which a report line cannot hold, so this printer stays on one line: integer powers as superscripts,
`sqrt` as √, `exp(x)` as e^(x), the constants by their symbols, products with a middle dot.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import sympy
from sympy.printing.precedence import PRECEDENCE, precedence
from sympy.printing.str import StrPrinter

from grader.checking.timebox import TimeLimitExceeded, time_limit

SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


class OneLinePrinter(StrPrinter):
    """sympy's str printer with the notation of a page of math, on one line."""

    def _print_Pow(self, expr: Any, rational: bool = False) -> str:
        base, exponent = expr.as_base_exp()
        if exponent == sympy.Rational(1, 2):
            return f"√({self._print(base)})"
        if exponent == -sympy.Rational(1, 2):
            return f"1/√({self._print(base)})"
        if exponent.is_Integer and exponent != -1:
            shown = self.parenthesize(base, PRECEDENCE["Pow"], strict=True)
            return shown + str(int(exponent)).translate(SUPERSCRIPTS)
        return super()._print_Pow(expr, rational).replace("**", "^")

    def _print_exp(self, expr: Any) -> str:
        return f"e^({self._print(expr.args[0])})"

    def _print_Mul(self, expr: Any) -> str:
        return super()._print_Mul(expr).replace("*", "·")

    def _print_Symbol(self, expr: Any) -> str:
        try:  # sigma → σ, mu → μ: a variable named after a Greek letter is that letter
            return unicodedata.lookup(f"GREEK SMALL LETTER {expr.name.upper()}") if expr.name.isalpha() else expr.name
        except KeyError:
            return str(expr.name)

    def _print_Pi(self, expr: Any) -> str:
        return "π"

    def _print_Exp1(self, expr: Any) -> str:
        return "e"

    def _print_Infinity(self, expr: Any) -> str:
        return "∞"

    def _print_NegativeInfinity(self, expr: Any) -> str:
        return "−∞"

    def _print_Piecewise(self, expr: Any) -> str:
        pieces = []
        for value, condition in expr.args:
            shown = self._print(value)
            pieces.append(f"{shown} otherwise" if condition == sympy.true else f"{shown} if {self._print(condition)}")
        return "{" + "; ".join(pieces) + "}"

    def _print_Relational(self, expr: Any) -> str:
        symbol = {">=": "≥", "<=": "≤", "!=": "≠", "==": "="}.get(expr.rel_op, expr.rel_op)
        left, right = (self.parenthesize(side, precedence(expr)) for side in (expr.lhs, expr.rhs))
        return f"{left} {symbol} {right}"


def one_line(expr: Any) -> str:
    """The expression on one line in the notation of a page of math."""
    return OneLinePrinter().doprint(expr)


MAX_SHOWN = 300
"""A report line, not a page: a longer expression is cut in the middle."""


def shown(expr: Any) -> str:
    """`one_line`, bounded in time and length, for an expression a student wrote."""
    try:
        with time_limit(1.0):  # printing orders terms, which may evaluate them
            text = one_line(expr)
    except (ValueError, TypeError, ArithmeticError, RecursionError, MemoryError, TimeLimitExceeded):
        return "an expression too large to print"  # e.g. an integer past Python's 4300-digit limit
    if len(text) <= MAX_SHOWN:
        return text
    return f"{text[:MAX_SHOWN // 2]} … {text[-MAX_SHOWN // 4:]} ({len(text)} characters)"


MAX_LATEX = 400
"""Longer LaTeX is not shown as math: a report line, not a page of symbols."""


def latex(expr: Any) -> str | None:
    """The expression as LaTeX, for reports that render math (HTML as MathML, Markdown as $…$);
    None for a plain number, ∞ or NaN (text says those as well) or an expression too large or
    slow to print."""
    if (expr.is_Number and not (expr.is_Rational and not expr.is_Integer)) or expr is sympy.zoo:
        return None
    try:
        with time_limit(1.0):  # printing orders terms, which may evaluate them
            text = sympy.latex(expr)
    except (ValueError, TypeError, ArithmeticError, RecursionError, MemoryError, TimeLimitExceeded):
        return None
    return text if len(text) <= MAX_LATEX else None
