"""Rebuild a sympy expression from the tree the child sent (`wire.SympyTree`), without eval.

The child describes a sympy value as nested {"f": class name, "a": [arguments]} / {"f": atom,
"v": value}; only the classes named here are rebuilt, with `mathparse`'s checked power, product
and gamma, under the same size and time caps as a formula string.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy

from grader.checking.checkers.base import TooComplex, Unparsable
from grader.checking.mathparse import (
    BUILD_SECONDS,
    MAX_INT_DIGITS,
    checked_gamma,
    checked_power,
    checked_product,
)
from grader.checking.timebox import TimeLimitExceeded, time_limit

MAX_TREE_NODES = 2_000

# sympy classes a tree from the child may contain, by class name.
TREE_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "Add": sympy.Add, "Mul": sympy.Mul, "Pow": sympy.Pow,
    "exp": sympy.exp, "log": sympy.log, "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan,
    "atan": sympy.atan, "tanh": sympy.tanh, "Abs": sympy.Abs, "sign": sympy.sign,
    "asin": sympy.asin, "acos": sympy.acos, "sinh": sympy.sinh, "cosh": sympy.cosh,
    "sec": sympy.sec, "csc": sympy.csc, "cot": sympy.cot,
    "erf": sympy.erf, "erfc": sympy.erfc, "gamma": checked_gamma, "Heaviside": sympy.Heaviside,
    "Piecewise": sympy.Piecewise, "ExprCondPair": sympy.functions.elementary.piecewise.ExprCondPair,
    "GreaterThan": sympy.Ge, "StrictGreaterThan": sympy.Gt, "LessThan": sympy.Le,
    "StrictLessThan": sympy.Lt, "Equality": sympy.Eq, "Unequality": sympy.Ne,
    "And": sympy.And, "Or": sympy.Or, "Not": sympy.Not, "Max": sympy.Max, "Min": sympy.Min,
}
TREE_ATOMS: dict[str, Any] = {
    "Pi": sympy.pi, "Exp1": sympy.E, "Infinity": sympy.oo, "NegativeInfinity": -sympy.oo,
    "ComplexInfinity": sympy.zoo, "NaN": sympy.nan, "ImaginaryUnit": sympy.I,
    "EulerGamma": sympy.EulerGamma, "BooleanTrue": sympy.true, "BooleanFalse": sympy.false,
    "Zero": sympy.Integer(0), "One": sympy.Integer(1), "NegativeOne": sympy.Integer(-1),
    "Half": sympy.Rational(1, 2),
}


def rebuild_tree(tree: dict[str, Any], variables: list[str] | tuple[str, ...] = ()) -> Any:
    """Rebuild a sympy expression from the child's tree, allowing only whitelisted classes."""
    symbols = {name: sympy.Symbol(name, real=True) for name in variables}
    count = [0]

    def walk(node: dict[str, Any], depth: int) -> Any:
        count[0] += 1
        if count[0] > MAX_TREE_NODES or depth > 200:
            raise TooComplex("the sympy expression is too large to check")
        f = node["f"]
        if f == "Integer":
            digits = str(node.get("v", ""))
            if len(digits) > MAX_INT_DIGITS or not digits.lstrip("-").isdigit():
                raise TooComplex("an integer in the expression has too many digits")
            return sympy.Integer(int(digits))
        if f == "Rational":
            p, q = node.get("v", ["0", "1"])
            if max(len(str(p)), len(str(q))) > MAX_INT_DIGITS:
                raise TooComplex("a fraction in the expression has too many digits")
            return sympy.Rational(int(p), int(q))
        if f == "Float":
            return sympy.Float(float(node["v"]))  # a missing value: KeyError, refused below
        if f == "Symbol":
            name = str(node.get("v"))
            return symbols.get(name) or sympy.Symbol(name, real=True)
        if f in TREE_ATOMS:
            return TREE_ATOMS[f]
        if f in TREE_FUNCTIONS:
            args = [walk(a, depth + 1) for a in node.get("a", [])]
            if f == "Pow" and len(args) == 2:
                return checked_power(*args)
            if f == "Mul":
                return checked_product(*args)
            return TREE_FUNCTIONS[f](*args)
        raise Unparsable(f"the sympy expression uses {f.split(':')[-1]}, which the grader does not "
                         "accept here; use elementary functions (log, exp, sqrt, erf, ...)")

    try:
        with time_limit(BUILD_SECONDS):
            return walk(tree, 0)
    except TimeLimitExceeded:
        raise TooComplex("the sympy expression takes too long to read; simplify it") from None
    except RecursionError:
        raise TooComplex("the sympy expression is nested too deeply") from None
    except (TypeError, ValueError, KeyError, AttributeError, ArithmeticError) as exc:
        raise Unparsable(f"the sympy expression could not be rebuilt ({exc})") from None
