"""A sympy answer on one line, in the notation of a page of math."""

from __future__ import annotations

import pytest
import sympy

from grader.checking.pretty import MAX_SHOWN, latex, one_line, shown

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


@pytest.mark.parametrize("expr, latex_text", [
    (-sympy.log(2), r"- \log{\left(2 \right)}"),
    (sympy.Rational(18, 25), r"\frac{18}{25}"),
    (sympy.exp(-z**2 / 2), r"e^{- \frac{z^{2}}{2}}"),
    (sympy.pi, r"\pi"),
])
def test_latex_of_a_formula(expr, latex_text):
    assert latex(expr) == latex_text


@pytest.mark.parametrize("expr", [sympy.Integer(3), sympy.Float(0.5), sympy.oo, -sympy.oo, sympy.nan, sympy.zoo])
def test_no_latex_where_text_says_it_as_well(expr):
    assert latex(expr) is None


def test_no_latex_for_an_expression_too_long_for_a_line():
    assert latex(sum(sympy.Symbol(f"x{i}") ** i for i in range(200))) is None


def test_shown_cuts_a_long_expression_in_the_middle():
    text = shown(sum(sympy.Symbol(f"x{i}") for i in range(400)))
    assert len(text) < MAX_SHOWN + 40 and " … " in text and text.endswith("characters)")
