"""A sympy answer on one line, in the notation of a page of math."""

from __future__ import annotations

import pytest
import sympy

from grader.checking.pretty import one_line

x, y, z = sympy.symbols("x y z", real=True)


@pytest.mark.parametrize("expr, shown", [
    (x**2 - 1, "x² - 1"),
    ((x - 1) * (x + 1), "(x - 1)·(x + 1)"),
    (2 / x**2, "2/x²"),
    ((x + 1) ** 2, "(x + 1)²"),
    (sympy.sqrt(x + 1), "√(x + 1)"),
    (x ** sympy.Rational(1, 3), "x^(1/3)"),
    (sympy.exp(-z**2 / 2), "e^(-z²/2)"),
    (sympy.pi * sympy.oo, "∞"),
    (-sympy.oo, "−∞"),
    (sympy.Symbol("sigma") ** 2 + sympy.Symbol("mu") + sympy.Symbol("x0"), "μ + σ² + x0"),
    (sympy.Piecewise((sympy.sqrt(2) * sympy.exp(-z**2 / 2) / sympy.sqrt(sympy.pi), z >= 0), (0, True)),
     "{√(2)·e^(-z²/2)/√(π) if z ≥ 0; 0 otherwise}"),
])
def test_one_line(expr, shown):
    assert one_line(expr) == shown
