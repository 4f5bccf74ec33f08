"""mathparse: formula strings and child sympy trees → sympy, through whitelists only (never eval)."""

from __future__ import annotations

import ast
import builtins
import inspect
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sympy

from grader.checking import mathparse
from grader.checking.checkers.base import AnswerFormatError, TooComplex, Unparsable

ROOT = Path(__file__).resolve().parents[1]
x = sympy.Symbol("x", real=True)
y = sympy.Symbol("y", real=True)
XY = ("x", "y")

# ---------------------------------------------------------------------------------------------
# Accepted syntax
# ---------------------------------------------------------------------------------------------

ACCEPTED = [
    # minus signs and operators
    pytest.param("−ln 2", -sympy.log(2), id="unicode-minus-ln-2"),
    pytest.param("–ln 2", -sympy.log(2), id="en-dash-minus"),
    pytest.param("-ln 2", -sympy.log(2), id="ascii-minus-ln-2"),
    pytest.param("2×3", sympy.Integer(6), id="times-sign"),
    pytest.param("2·3", sympy.Integer(6), id="middle-dot"),
    pytest.param("2⋅3", sympy.Integer(6), id="dot-operator"),
    pytest.param("6÷4", sympy.Rational(3, 2), id="division-sign"),
    pytest.param("1/3", sympy.Rational(1, 3), id="exact-fraction"),
    pytest.param("2^3", sympy.Integer(8), id="caret-power"),
    pytest.param("x^2 - 1", x**2 - 1, id="caret-power-symbol"),
    pytest.param("e^{-1}", sympy.exp(-1), id="latex-braces-power"),
    pytest.param("e**-1", sympy.exp(-1), id="e-power"),
    pytest.param("{1+x}/2", (1 + x) / 2, id="braces-as-parens"),
    # roots, pi, infinity
    pytest.param("√2", sympy.sqrt(2), id="root-sign"),
    pytest.param("√2/2", sympy.sqrt(2) / 2, id="root-sign-over-2"),
    pytest.param("√(x+1)", sympy.sqrt(x + 1), id="root-sign-parens"),
    pytest.param("sqrt 2", sympy.sqrt(2), id="sqrt-space-2"),
    pytest.param("\\sqrt{2}", sympy.sqrt(2), id="latex-sqrt"),
    pytest.param("π", sympy.pi, id="pi-letter"),
    pytest.param("2π", 2 * sympy.pi, id="2-pi-letter"),
    pytest.param("\\pi", sympy.pi, id="latex-pi"),
    pytest.param("∞", sympy.oo, id="infinity-sign"),
    pytest.param("+∞", sympy.oo, id="plus-infinity-sign"),
    pytest.param("-∞", -sympy.oo, id="minus-infinity-sign"),
    pytest.param("−∞", -sympy.oo, id="unicode-minus-infinity-sign"),
    pytest.param("inf", sympy.oo, id="inf"),
    pytest.param("Infinity", sympy.oo, id="Infinity"),
    pytest.param("-infinity", -sympy.oo, id="minus-infinity-word"),
    pytest.param("negative infinity", -sympy.oo, id="negative-infinity-words"),
    pytest.param("\\infty", sympy.oo, id="latex-infty"),
    pytest.param("oo", sympy.oo, id="oo"),
    pytest.param("zoo", sympy.zoo, id="zoo"),
    pytest.param("nan", sympy.nan, id="nan"),
    # implicit multiplication and function application without parentheses
    pytest.param("2pi", 2 * sympy.pi, id="implicit-2pi"),
    pytest.param("2 pi", 2 * sympy.pi, id="implicit-2-space-pi"),
    pytest.param("2x", 2 * x, id="implicit-2x"),
    pytest.param("2 sqrt(2)", 2 * sympy.sqrt(2), id="implicit-2-sqrt"),
    pytest.param("2sqrt(2)", 2 * sympy.sqrt(2), id="implicit-2sqrt"),
    pytest.param("0.5(1+x)", sympy.Float(0.5) * (1 + x), id="implicit-number-bracket"),
    pytest.param("2(3)", sympy.Integer(6), id="implicit-2(3)"),
    pytest.param("ln 2", sympy.log(2), id="ln-space-2"),
    pytest.param("log 2", sympy.log(2), id="log-space-2"),
    pytest.param("ln x", sympy.log(x), id="ln-space-x"),
    pytest.param("\\ln 2", sympy.log(2), id="latex-ln"),
    # numbers
    pytest.param("1e-3", sympy.Float(0.001), id="1e-3-stays-0.001"),
    pytest.param("1E-3", sympy.Float(0.001), id="1E-3-stays-0.001"),
    pytest.param("2.5e3", sympy.Float(2500.0), id="2.5e3"),
    pytest.param("1e-3*x", sympy.Float(0.001) * x, id="1e-3-times-x"),
    pytest.param(".5", sympy.Float(0.5), id="leading-dot"),
    pytest.param("２", sympy.Integer(2), id="fullwidth-digit"),
    pytest.param("1" * 60, sympy.Integer(int("1" * 60)), id="60-digit-int"),
    pytest.param("2**1000", sympy.Integer(2) ** 1000, id="2**1000"),
    # functions
    pytest.param("log10(100)", sympy.Integer(2), id="log10"),
    pytest.param("log2(8)", sympy.Integer(3), id="log2"),
    pytest.param("log(8, 2)", sympy.Integer(3), id="log-with-base"),
    pytest.param("exp(log(x))", x, id="exp-log"),
    pytest.param("Phi(0)", sympy.Rational(1, 2), id="Phi"),
    pytest.param("Φ(0)", sympy.Rational(1, 2), id="Phi-letter"),
    pytest.param("abs(-2)", sympy.Integer(2), id="abs"),
    pytest.param("atan(1)", sympy.pi / 4, id="atan"),
    pytest.param("erf(x)", sympy.erf(x), id="erf"),
    pytest.param("Heaviside(x)", sympy.Heaviside(x), id="Heaviside"),
    pytest.param("sin(x)**2 + cos(y)", sympy.sin(x)**2 + sympy.cos(y), id="two-variables"),
    pytest.param("(" * 140 + "1" + ")" * 140, sympy.Integer(1), id="140-nested-parens"),
    pytest.param("-" * 299 + "1", sympy.Integer(-1), id="299-unary-minus"),
    # superscripts (the module docstring lists ² among the handled spellings)
    pytest.param("2²", sympy.Integer(4), id="superscript-2-after-number"),
    pytest.param("x²", x**2, id="superscript-2-after-name"),
    pytest.param("x³", x**3, id="superscript-3-after-name"),
]


@pytest.mark.parametrize("text, expected", ACCEPTED)
def test_accepted_syntax(text, expected):
    got = mathparse.parse_formula(text, XY)
    assert got == expected, f"{text!r} → {got!r}"


def test_1e_minus_3_is_a_float_not_e_times_something():
    got = mathparse.parse_formula("1e-3")
    assert got.is_Float and float(got) == 0.001
    assert not got.has(sympy.E)


def test_variables_are_real_symbols():
    got = mathparse.parse_formula("x", ["x"])
    assert got == x and got.is_real


# ---------------------------------------------------------------------------------------------
# Rejected input
# ---------------------------------------------------------------------------------------------

REJECTED = [
    pytest.param("__import__('os')", Unparsable, "not allowed", id="dunder-import"),
    pytest.param("__import__('os').system('echo hi')", Unparsable, "not allowed", id="dunder-import-system"),
    pytest.param("(1).real", Unparsable, "not allowed", id="attribute-on-number"),
    pytest.param("x.real", Unparsable, "not allowed", id="attribute-on-name"),
    pytest.param("sin.__class__", Unparsable, "not allowed", id="attribute-dunder"),
    pytest.param("math.log(2)", Unparsable, "math.log", id="module-function"),
    pytest.param("sympy.log(2)", Unparsable, "sympy.log", id="sympy-function"),
    pytest.param("x[0]", Unparsable, "not allowed", id="subscript"),
    pytest.param("x[1:2]", Unparsable, "not allowed", id="slice"),
    pytest.param("lambda: 1", Unparsable, "not allowed", id="lambda"),
    pytest.param("(lambda: 1)()", Unparsable, "not allowed", id="called-lambda"),
    pytest.param("[i for i in x]", Unparsable, "not allowed", id="list-comprehension"),
    pytest.param("(i for i in x)", Unparsable, "not allowed", id="generator"),
    pytest.param("{i for i in x}", Unparsable, "", id="set-comprehension"),
    pytest.param("{i: i for i in x}", Unparsable, "", id="dict-comprehension"),
    pytest.param("log(x=1)", Unparsable, "plain arguments", id="keyword-argument"),
    pytest.param("log(*x)", Unparsable, "not allowed", id="star-argument"),
    pytest.param("log(**x)", Unparsable, "plain arguments", id="double-star-argument"),
    pytest.param("log()", Unparsable, "plain arguments", id="no-arguments"),
    pytest.param("log(1, 2, 3)", Unparsable, "plain arguments", id="three-arguments"),
    pytest.param("'abc'", Unparsable, "not a number", id="string-literal"),
    pytest.param('"abc" * 3', Unparsable, "not a number", id="string-times"),
    pytest.param("b'abc'", Unparsable, "not a number", id="bytes-literal"),
    pytest.param("f'{x}'", Unparsable, "", id="f-string"),
    pytest.param("True", Unparsable, "not a number", id="True"),
    pytest.param("None", Unparsable, "not a number", id="None"),
    pytest.param("...", Unparsable, "not a number", id="Ellipsis"),
    pytest.param("1 if x else 2", Unparsable, "", id="conditional"),
    pytest.param("x if x else 2", Unparsable, "not allowed", id="conditional-expression"),
    pytest.param("1 < 2", Unparsable, "not allowed", id="comparison"),
    pytest.param("1 and 2", Unparsable, "", id="boolean-op"),
    pytest.param("not 1", Unparsable, "+ and -", id="not"),
    pytest.param("~5", Unparsable, "+ and -", id="invert"),
    pytest.param("5 % 2", Unparsable, "operator", id="modulo"),
    pytest.param("5 // 2", Unparsable, "operator", id="floor-division"),
    pytest.param("1 << 2", Unparsable, "operator", id="shift"),
    pytest.param("x @ x", Unparsable, "operator", id="matmul"),
    pytest.param("[1]", Unparsable, "not allowed", id="list"),
    pytest.param("(1, 2)", Unparsable, "not allowed", id="tuple"),
    pytest.param("x = 1", Unparsable, "could not read", id="assignment"),
    pytest.param("(x := 1)", Unparsable, "not allowed", id="walrus"),
    pytest.param("x; y", Unparsable, "could not read", id="two-statements"),
    pytest.param("import os", Unparsable, "could not read", id="import-statement"),
    pytest.param("eval('1')", Unparsable, "eval", id="eval"),
    pytest.param("exec('1')", Unparsable, "exec", id="exec"),
    pytest.param("open('f')", Unparsable, "open", id="open"),
    pytest.param("getattr(x, 'real')", Unparsable, "getattr", id="getattr"),
    pytest.param("print(1)", Unparsable, "print", id="print"),
    pytest.param("foo(1)", Unparsable, "foo", id="unknown-function"),
    pytest.param("Symbol('x')", Unparsable, "Symbol", id="sympy-class"),
    pytest.param("sympify('1')", Unparsable, "sympify", id="sympify"),
    pytest.param("exec", Unparsable, "unknown name", id="bare-builtin-name"),
    pytest.param("z + 1", Unparsable, "unknown name 'z'", id="unknown-variable"),
    pytest.param("(1)(2)", Unparsable, "not allowed", id="call-of-number"),
    pytest.param("", Unparsable, "could not read", id="empty"),
    pytest.param("1 +", Unparsable, "could not read", id="syntax-error"),
    pytest.param("10**10**10", TooComplex, "exponents", id="10**10**10"),
    pytest.param("9**9**9", TooComplex, "exponents", id="9**9**9"),
    pytest.param("2**1001", TooComplex, "exponents", id="2**1001"),
    pytest.param("x**-1001", TooComplex, "exponents", id="negative-huge-exponent"),
    pytest.param("2.0**1e300", TooComplex, "exponents", id="float-huge-exponent"),
    pytest.param("1" * 61, TooComplex, "digits", id="61-digit-int"),
    pytest.param("x" * 100_000, TooComplex, "longer than", id="100k-characters"),
    pytest.param("(" * 100_000, TooComplex, "longer than", id="100k-open-parens"),
]


@pytest.mark.parametrize("text, error, fragment", REJECTED)
def test_rejected_input(text, error, fragment):
    start = time.monotonic()
    with pytest.raises(error) as info:
        mathparse.parse_formula(text, XY)
    assert fragment in str(info.value)
    assert time.monotonic() - start < 2.0


def test_10_to_the_10_to_the_10_is_refused_fast():
    start = time.monotonic()
    with pytest.raises(TooComplex):
        mathparse.parse_formula("10**10**10")
    assert time.monotonic() - start < 0.5


@pytest.mark.parametrize("depth", [150, 200, 500, 5000])
def test_deeply_nested_parentheses_do_not_crash(depth):
    text = "(" * depth + "1" + ")" * depth
    with pytest.raises((TooComplex, Unparsable)):
        mathparse.parse_formula(text)


@pytest.mark.parametrize("depth", [150, 500])
def test_deeply_nested_calls_do_not_crash(depth):
    text = "exp(" * depth + "1" + ")" * depth
    with pytest.raises((TooComplex, Unparsable)):
        mathparse.parse_formula(text)


def test_parse_never_calls_eval_or_sympify(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("eval/sympify called on student text")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    monkeypatch.setattr(sympy, "sympify", forbidden)
    monkeypatch.setattr(sympy, "parse_expr", forbidden, raising=False)
    import sympy.parsing.sympy_parser as sympy_parser

    monkeypatch.setattr(sympy_parser, "parse_expr", forbidden)
    for param in ACCEPTED:
        if not param.marks:
            mathparse.parse_formula(param.values[0], XY)
    for param in REJECTED:
        with pytest.raises(AnswerFormatError):
            mathparse.parse_formula(param.values[0], XY)


def test_module_source_has_no_eval_like_calls():
    tree = ast.parse(inspect.getsource(mathparse))
    banned = {"eval", "exec", "compile", "sympify", "parse_expr", "S", "__import__", "lambdify"}
    calls = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            calls.add(name)
    assert not calls & banned


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
    assert mathparse.rebuild_tree(tree, ["x"]) == expected


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
        mathparse.rebuild_tree(tree, ["x"])


def test_rebuild_tree_refusal_names_the_class():
    with pytest.raises(Unparsable, match=r"uses f,"):
        mathparse.rebuild_tree({"f": "UndefinedFunction:f", "a": [X]}, ["x"])
    with pytest.raises(Unparsable, match="Lambda"):
        mathparse.rebuild_tree({"f": "Lambda", "a": []}, ["x"])


def test_rebuild_tree_too_deep_or_too_large():
    deep = X
    for _ in range(250):
        deep = {"f": "exp", "a": [deep]}
    with pytest.raises(TooComplex):
        mathparse.rebuild_tree(deep, ["x"])
    wide = {"f": "Add", "a": [{"f": "Symbol", "v": f"s{i}"} for i in range(20 * mathparse.MAX_NODES + 1)]}
    start = time.monotonic()
    with pytest.raises(TooComplex):
        mathparse.rebuild_tree(wide, ["x"])
    assert time.monotonic() - start < 5


# ---------------------------------------------------------------------------------------------
# Size caps must keep every input from freezing the grader (run in a child so a hang is harmless)
# ---------------------------------------------------------------------------------------------

def _run_isolated(code: str, timeout: float = 4.0) -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    try:
        proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"did not finish within {timeout} s")
    return proc.stdout + proc.stderr


_FORMULA = """
from grader.checking import mathparse
try:
    mathparse.parse_formula({text!r})
    print("ACCEPTED")
except Exception as exc:
    print(type(exc).__name__)
"""

_TREE = """
from grader.checking import mathparse
I = lambda n: {{"f": "Integer", "v": str(n)}}
try:
    mathparse.rebuild_tree({tree})
    print("ACCEPTED")
except Exception as exc:
    print(type(exc).__name__)
"""

@pytest.mark.parametrize("text", [
    pytest.param("10**10**10", id="10**10**10"),
    pytest.param("((10**1000)**1000)**1000", id="nested-powers"),
    pytest.param("gamma(10**7)", id="gamma-of-big-int"),
])
def test_formula_size_caps_prevent_hangs(text):
    assert "TooComplex" in _run_isolated(_FORMULA.format(text=text))


@pytest.mark.parametrize("tree", [
    pytest.param('{"f": "Pow", "a": [I(10), I(10**10)]}', id="Pow-10**10**10"),
    pytest.param('{"f": "Pow", "a": [{"f": "Pow", "a": [{"f": "Pow", "a": [I(10), I(1000)]}, I(1000)]}, I(1000)]}',
                 id="nested-Pow"),
    pytest.param('{"f": "gamma", "a": [I(10**7)]}', id="gamma-of-big-Integer"),
])
def test_tree_size_caps_prevent_hangs(tree):
    assert "TooComplex" in _run_isolated(_TREE.format(tree=tree))
