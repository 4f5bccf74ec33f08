"""Rebuilding a sympy expression from the child's tree: whitelisted sympy classes only, within caps."""

from __future__ import annotations

import time

import pytest
import sympy

from grader.checking import sympy_tree
from grader.checking.checkers.base import TooComplex, Unparsable

x = sympy.Symbol("x", real=True)
y = sympy.Symbol("y", real=True)

# ---------------------------------------------------------------------------------------------
# rebuild_tree: whitelisted sympy classes only
# ---------------------------------------------------------------------------------------------

def I(n):  # noqa: E743
    return {"f": "Integer", "v": str(n)}


X = {"f": "Symbol", "v": "x"}

TREE_ALLOWED = [
    pytest.param(I(3), sympy.Integer(3), id="Integer"),
    pytest.param(I(-7), sympy.Integer(-7), id="Integer-negative"),
    pytest.param({"f": "Rational", "v": ["1", "3"]}, sympy.Rational(1, 3), id="Rational"),
    pytest.param({"f": "Float", "v": "0.25"}, sympy.Float(0.25), id="Float"),
    pytest.param({"f": "Float", "v": "inf"}, sympy.oo, id="Float-inf"),
    pytest.param(X, x, id="Symbol-declared"),
    pytest.param({"f": "Symbol", "v": "y"}, y, id="Symbol-other"),
    pytest.param({"f": "Add", "a": [X, I(1)]}, x + 1, id="Add"),
    pytest.param({"f": "Mul", "a": [I(2), X]}, 2 * x, id="Mul"),
    pytest.param({"f": "Pow", "a": [X, I(1000)]}, x**1000, id="Pow-1000"),
    pytest.param({"f": "Pow", "a": [X, {"f": "Half"}]}, sympy.sqrt(x), id="Pow-half"),
    pytest.param({"f": "exp", "a": [X]}, sympy.exp(x), id="exp"),
    pytest.param({"f": "log", "a": [X]}, sympy.log(x), id="log"),
    pytest.param({"f": "sin", "a": [X]}, sympy.sin(x), id="sin"),
    pytest.param({"f": "cos", "a": [X]}, sympy.cos(x), id="cos"),
    pytest.param({"f": "tan", "a": [X]}, sympy.tan(x), id="tan"),
    pytest.param({"f": "atan", "a": [X]}, sympy.atan(x), id="atan"),
    pytest.param({"f": "tanh", "a": [X]}, sympy.tanh(x), id="tanh"),
    pytest.param({"f": "Abs", "a": [X]}, sympy.Abs(x), id="Abs"),
    pytest.param({"f": "sign", "a": [X]}, sympy.sign(x), id="sign"),
    pytest.param({"f": "erf", "a": [X]}, sympy.erf(x), id="erf"),
    pytest.param({"f": "erfc", "a": [X]}, sympy.erfc(x), id="erfc"),
    pytest.param({"f": "gamma", "a": [X]}, sympy.gamma(x), id="gamma"),
    pytest.param({"f": "Heaviside", "a": [X]}, sympy.Heaviside(x), id="Heaviside"),
    pytest.param({"f": "Max", "a": [X, I(0)]}, sympy.Max(x, 0), id="Max"),
    pytest.param({"f": "Min", "a": [X, I(0)]}, sympy.Min(x, 0), id="Min"),
    pytest.param({"f": "Piecewise", "a": [
        {"f": "ExprCondPair", "a": [X, {"f": "GreaterThan", "a": [X, I(0)]}]},
        {"f": "ExprCondPair", "a": [I(0), {"f": "BooleanTrue"}]}]},
        sympy.Piecewise((x, x >= 0), (0, True)), id="Piecewise"),
    pytest.param({"f": "And", "a": [{"f": "StrictLessThan", "a": [X, I(1)]},
                                    {"f": "Not", "a": [{"f": "Equality", "a": [X, I(0)]}]}]},
                 sympy.And(x < 1, sympy.Not(sympy.Eq(x, 0))), id="And-Not-Eq"),
    pytest.param({"f": "Or", "a": [{"f": "LessThan", "a": [X, I(1)]},
                                   {"f": "Unequality", "a": [X, I(2)]}]},
                 sympy.Or(x <= 1, sympy.Ne(x, 2)), id="Or-Ne"),
    pytest.param({"f": "Pi"}, sympy.pi, id="Pi"),
    pytest.param({"f": "Exp1"}, sympy.E, id="Exp1"),
    pytest.param({"f": "Infinity"}, sympy.oo, id="Infinity"),
    pytest.param({"f": "NegativeInfinity"}, -sympy.oo, id="NegativeInfinity"),
    pytest.param({"f": "ComplexInfinity"}, sympy.zoo, id="ComplexInfinity"),
    pytest.param({"f": "NaN"}, sympy.nan, id="NaN"),
    pytest.param({"f": "ImaginaryUnit"}, sympy.I, id="ImaginaryUnit"),
    pytest.param({"f": "EulerGamma"}, sympy.EulerGamma, id="EulerGamma"),
    pytest.param({"f": "Zero"}, sympy.Integer(0), id="Zero"),
    pytest.param({"f": "One"}, sympy.Integer(1), id="One"),
    pytest.param({"f": "NegativeOne"}, sympy.Integer(-1), id="NegativeOne"),
    pytest.param({"f": "Half"}, sympy.Rational(1, 2), id="Half"),
]


@pytest.mark.parametrize("tree, expected", TREE_ALLOWED)
def test_rebuild_tree_allowed(tree, expected):
    assert sympy_tree.rebuild_tree(tree, ["x"]) == expected


TREE_REFUSED = [
    pytest.param({"f": "UndefinedFunction:f", "a": [X]}, Unparsable, id="UndefinedFunction"),
    pytest.param({"f": "Lambda", "a": [{"f": "Tuple", "a": [X]}, X]}, Unparsable, id="Lambda"),
    pytest.param({"f": "Function", "a": [X]}, Unparsable, id="Function"),
    pytest.param({"f": "Integral", "a": [X, {"f": "Tuple", "a": [X]}]}, Unparsable, id="Integral"),
    pytest.param({"f": "Derivative", "a": [X, X]}, Unparsable, id="Derivative"),
    pytest.param({"f": "Sum", "a": [X]}, Unparsable, id="Sum"),
    pytest.param({"f": "Subs", "a": [X]}, Unparsable, id="Subs"),
    pytest.param({"f": "Tuple", "a": [X]}, Unparsable, id="Tuple"),
    pytest.param({"f": "Dummy", "v": "x"}, Unparsable, id="Dummy"),
    pytest.param({"f": "MatrixSymbol", "a": []}, Unparsable, id="MatrixSymbol"),
    pytest.param({"f": "eval", "a": [{"f": "Symbol", "v": "1+1"}]}, Unparsable, id="eval"),
    pytest.param({"f": "__import__", "a": []}, Unparsable, id="dunder-import"),
    pytest.param({"f": "sympify", "a": []}, Unparsable, id="sympify"),
    pytest.param({"f": "Add", "a": [X, {"f": "Lambda", "a": []}]}, Unparsable, id="Lambda-nested"),
    pytest.param({"f": "Float", "v": "abc"}, Unparsable, id="Float-bad-value"),
    pytest.param({"f": "Float"}, Unparsable, id="Float-no-value"),
    pytest.param({"f": "Rational", "v": ["a", "3"]}, Unparsable, id="Rational-bad-value"),
    pytest.param({"f": "Pow", "a": [X]}, Unparsable, id="Pow-one-argument"),
    pytest.param({"a": [X]}, Unparsable, id="no-f"),
    pytest.param({"f": "Pow", "a": [X, I(1001)]}, TooComplex, id="Pow-exponent-1001"),
    pytest.param({"f": "Pow", "a": [I(10), {"f": "Pow", "a": [I(10), I(10)]}]}, TooComplex, id="Pow-10**10**10"),
    pytest.param({"f": "Pow", "a": [X, I(-5000)]}, TooComplex, id="Pow-negative-huge"),
    pytest.param({"f": "Pow", "a": [X, {"f": "Float", "v": "1e300"}]}, TooComplex, id="Pow-float-huge"),
    pytest.param(I("1" * 61), TooComplex, id="Integer-61-digits"),
    pytest.param({"f": "Rational", "v": ["1", "3" * 61]}, TooComplex, id="Rational-61-digits"),
]


@pytest.mark.parametrize("tree, error", TREE_REFUSED)
def test_rebuild_tree_refused(tree, error):
    with pytest.raises(error):
        sympy_tree.rebuild_tree(tree, ["x"])


def test_rebuild_tree_refusal_names_the_class():
    with pytest.raises(Unparsable, match=r"uses f,"):
        sympy_tree.rebuild_tree({"f": "UndefinedFunction:f", "a": [X]}, ["x"])
    with pytest.raises(Unparsable, match="Lambda"):
        sympy_tree.rebuild_tree({"f": "Lambda", "a": []}, ["x"])


def test_rebuild_tree_too_deep_or_too_large():
    deep = X
    for _ in range(250):
        deep = {"f": "exp", "a": [deep]}
    with pytest.raises(TooComplex):
        sympy_tree.rebuild_tree(deep, ["x"])
    wide = {"f": "Add", "a": [{"f": "Symbol", "v": f"s{i}"} for i in range(sympy_tree.MAX_TREE_NODES + 1)]}
    start = time.monotonic()
    with pytest.raises(TooComplex):
        sympy_tree.rebuild_tree(wide, ["x"])
    assert time.monotonic() - start < 5


