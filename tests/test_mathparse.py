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
    pytest.param("1_000", sympy.Integer(1000), id="digit-grouping-1_000"),
    pytest.param("1_000_000.5", sympy.Float(1000000.5), id="digit-grouping-float"),
    pytest.param("2_000x", 2000 * x, id="digit-grouping-times-name"),
    pytest.param("1 -\n0.2", sympy.Float(0.8), id="newline-is-a-space"),
    pytest.param("1\t+ 1", sympy.Integer(2), id="tab-is-a-space"),
    pytest.param("1\u200b000", sympy.Integer(1000), id="zero-width-space-dropped"),
    pytest.param("2**1000", sympy.Integer(2) ** 1000, id="2**1000"),
    # functions
    pytest.param("log10(100)", sympy.Integer(2), id="log10"),
    pytest.param("log2(8)", sympy.Integer(3), id="log2"),
    pytest.param("log(8, 2)", sympy.Integer(3), id="log-with-base"),
    pytest.param("log(100, 10)", sympy.Integer(2), id="log-base-10"),
    pytest.param("log(x, 2)", sympy.log(x) / sympy.log(2), id="log-of-x-base-2"),
    pytest.param("asin(1)", sympy.pi / 2, id="asin"),
    pytest.param("arcsin(1)", sympy.pi / 2, id="arcsin"),
    pytest.param("acos(1)", sympy.Integer(0), id="acos"),
    pytest.param("arccos(0)", sympy.pi / 2, id="arccos"),
    pytest.param("arctan(1)", sympy.pi / 4, id="arctan"),
    pytest.param("sinh(x)", sympy.sinh(x), id="sinh"),
    pytest.param("cosh(0)", sympy.Integer(1), id="cosh"),
    pytest.param("sec(x)", sympy.sec(x), id="sec"),
    pytest.param("csc(x)", sympy.csc(x), id="csc"),
    pytest.param("cot(x)", sympy.cot(x), id="cot"),
    pytest.param("sin x", sympy.sin(x), id="sin-space-x"),
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
# A derivation ending in its value: read after the last "=", sides that are numbers must agree
# ---------------------------------------------------------------------------------------------

AFTER_LAST_EQUALS = "read the value after the last '='"

DERIVATIONS = [
    pytest.param("1 - 0.2 = 0.8", sympy.Float(0.8), AFTER_LAST_EQUALS, id="step-then-value"),
    # a value written with k decimals agrees to half a unit in its last place, as a person rounds
    pytest.param("1/3 = 0.333", sympy.Float(0.333), AFTER_LAST_EQUALS, id="rounded-value"),
    pytest.param("sqrt(2)/2 = 0.7071", sympy.Float(0.7071), AFTER_LAST_EQUALS, id="rounded-root"),
    pytest.param("ln 2 = 0.693", sympy.Float(0.693), AFTER_LAST_EQUALS, id="rounded-log"),
    pytest.param("pi = 3.14159", sympy.Float(3.14159), AFTER_LAST_EQUALS, id="constant-rounded"),
    pytest.param("1/8 = 1.25e-1", sympy.Float(0.125), AFTER_LAST_EQUALS, id="exponent-form"),
    pytest.param("α_2 = 0.8", sympy.Float(0.8), "'α_2' before it is a name", id="greek-label"),
    pytest.param("p = 1/2", sympy.Rational(1, 2), "'p' before it is a name", id="label-p"),
    pytest.param("x = 1", sympy.Integer(1), "'x' before it is a name", id="variable-as-label"),
    pytest.param("p = 1 - 0.2 = 0.8", sympy.Float(0.8), "'p' before it is a name", id="label-step-value"),
    pytest.param("q2b(z) = 2*x", 2 * x, "'q2b(z)' before it is a name", id="function-label"),
    pytest.param("0.1 + 0.2 = 0.3", sympy.Float(0.3), AFTER_LAST_EQUALS, id="float-rounding-agrees"),
    pytest.param("2*3 = 6", sympy.Integer(6), AFTER_LAST_EQUALS, id="exact-integers"),
    pytest.param("x^2 - 1 = (x-1)*(x+1)", (x - 1) * (x + 1), AFTER_LAST_EQUALS, id="expression-steps"),
    pytest.param("x = y", y, "'x' before it is a name", id="value-with-variable"),
    pytest.param("1/2 + 1/2 = 1\n= 1.0", sympy.Float(1.0), AFTER_LAST_EQUALS, id="multi-line"),
    pytest.param("inf = ∞", sympy.oo, AFTER_LAST_EQUALS, id="infinities-agree"),
    pytest.param("\\bar{\\alpha}_2 = 0.72", sympy.Float(0.72), "before it is a name", id="latex-label"),
    pytest.param("$p = \\frac{1}{2}$", sympy.Rational(1, 2), "'p' before it is a name", id="latex-dollars"),
    pytest.param("1 - \\frac{1}{5} = 0.8", sympy.Float(0.8), AFTER_LAST_EQUALS, id="latex-step"),
    pytest.param("2", sympy.Integer(2), "", id="no-equals-no-note"),
]


@pytest.mark.parametrize("text, expected, note", DERIVATIONS)
def test_derivation_reads_the_value_after_the_last_equals(text, expected, note):
    got = mathparse.read_formula(text, XY)
    assert got.expr == expected
    assert note in got.note
    assert mathparse.parse_formula(text, XY) == expected


DERIVATIONS_REFUSED = [
    pytest.param("1 - 0.2 = 0.7", Unparsable, "1 - 0.2 is 0.8 but 0.7 is 0.7", id="wrong-step"),
    pytest.param("1/3 = 0.34", Unparsable, "1/3 is 0.3333333333 but 0.34", id="rounded-the-wrong-way"),
    pytest.param("sqrt(2)/2 = 0.7072", Unparsable, "disagree", id="last-digit-wrong"),
    pytest.param("2 = 3", Unparsable, "disagree", id="two-numbers"),
    pytest.param("p = 1 = 2", Unparsable, "1 is 1 but 2 is 2", id="label-then-disagreeing"),
    pytest.param("inf = 1", Unparsable, "disagree", id="infinity-and-number"),
    pytest.param("1e400 = 1", Unparsable, "1e400 is a number beyond float range but 1 is 1", id="huge-and-one"),
    pytest.param("pi = 3.15", Unparsable, "disagree", id="constant-is-not-a-label"),
    pytest.param("= 0.8", Unparsable, "empty", id="nothing-before"),
    pytest.param("p =", Unparsable, "empty", id="nothing-after"),
    pytest.param("p = = 1", Unparsable, "empty", id="empty-middle"),
    pytest.param("1 == 1", Unparsable, "not allowed", id="double-equals"),
    pytest.param("1 <= 2", Unparsable, "not allowed", id="less-or-equal"),
    pytest.param("1 >= 2", Unparsable, "not allowed", id="greater-or-equal"),
    pytest.param("1 != 2", Unparsable, "not allowed", id="not-equal"),
    pytest.param("log(x=1)", Unparsable, "plain arguments", id="keyword-inside-brackets"),
    pytest.param("p = foo", Unparsable, "unknown name 'foo'", id="unknown-value"),
    pytest.param("\\int_0^1 x = 1/2", Unparsable, "\\int is not supported", id="latex-unknown-left"),
]


@pytest.mark.parametrize("text, error, fragment", DERIVATIONS_REFUSED)
def test_derivation_refused(text, error, fragment):
    with pytest.raises(error) as info:
        mathparse.read_formula(text, XY)
    assert fragment in str(info.value)


# ---------------------------------------------------------------------------------------------
# A float literal beyond float range is the finite number it names, like 10**k, never ∞
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("literal, power", [("1e400", "10**400"), ("-1e400", "-10**400"),
                                            ("2.5e400", "2.5*10**400"), ("1e-400", "10**-400")])
def test_float_literal_beyond_float_range_is_finite(literal, power):
    got, expected = mathparse.parse_formula(literal), mathparse.parse_formula(power)
    assert got.is_finite and got != 0
    assert abs(got - expected) <= abs(expected) * 1e-12


@pytest.mark.parametrize("literal, power", [("1e400", "10**400"), ("-1e400", "-10**400"),
                                            ("1e2000", "10**2000"), ("1e999999999", "10**999999999")])
def test_number_checker_treats_1e400_like_10_to_the_400(literal, power):
    from grader.checking.checkers import number

    messages = []
    for text in (literal, power):
        with pytest.raises(TooComplex) as info:
            number.parse(text)
        messages.append(str(info.value))
    assert messages[0] == messages[1]


@pytest.mark.parametrize("text", ["inf", "∞", "oo", "\\infty", "Infinity", "$\\infty$"])
def test_infinity_spellings_stay_infinite(text):
    assert mathparse.parse_formula(text) == sympy.oo


# ---------------------------------------------------------------------------------------------
# A declared variable may be written with or without the underscore before its digits
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, variables, expected", [
    pytest.param("x_0 + 1", ("x0",), sympy.Symbol("x0", real=True) + 1, id="x_0-for-x0"),
    pytest.param("x0 + 1", ("x_0",), sympy.Symbol("x_0", real=True) + 1, id="x0-for-x_0"),
    pytest.param("epsilon_pred", ("eps_pred",), sympy.Symbol("eps_pred", real=True), id="epsilon-for-eps"),
    pytest.param("x_0", ("x0", "x_0"), sympy.Symbol("x_0", real=True), id="exact-name-wins"),
])
def test_variable_spellings(text, variables, expected):
    assert mathparse.parse_formula(text, variables) == expected


@pytest.mark.parametrize("text, variables", [
    pytest.param("xt", ("x_t",), id="letters-stay-apart"),
    pytest.param("x_1", ("x0",), id="other-digits"),
])
def test_variable_spellings_that_stay_unknown(text, variables):
    with pytest.raises(Unparsable, match="unknown name"):
        mathparse.parse_formula(text, variables)


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
    pytest.param("x == 1", Unparsable, "not allowed", id="double-equals"),
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
    # "#" would make ast drop the rest as a comment
    pytest.param("1#2", Unparsable, "'#'", id="hash-inside-number"),
    pytest.param("n + 2 # comment", Unparsable, "'#'", id="trailing-comment"),
    pytest.param("x # the answer", Unparsable, "'#'", id="comment-after-name"),
    pytest.param("#", Unparsable, "'#'", id="only-hash"),
    pytest.param("＃1", Unparsable, "'#'", id="fullwidth-hash"),
    # every refusal says what was not understood
    pytest.param("1\x00", Unparsable, "control character (U+0000)", id="NUL"),
    pytest.param("\x072", Unparsable, "control character (U+0007)", id="bell"),
    pytest.param("1\u202e2", Unparsable, "control character (U+202E)", id="right-to-left-override"),
    pytest.param("1__000", Unparsable, "underscores", id="double-underscore"),
    pytest.param("1_", Unparsable, "underscores", id="trailing-underscore"),
    pytest.param("1e2000", TooComplex, "exponents", id="1e2000-like-10**2000"),
    pytest.param("\ufdfa" * 40, TooComplex, "once normalised", id="nfkc-expansion"),
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
from grader.checking import sympy_tree
I = lambda n: {{"f": "Integer", "v": str(n)}}
try:
    sympy_tree.rebuild_tree({tree})
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


@pytest.mark.parametrize("text, expected", [
    ("10⁴", sympy.Integer(10_000)),
    ("1.5×10⁻⁶", sympy.Float(1.5e-6)),
    ("10²³", sympy.Integer(10) ** 23),
    ("e⁻¹", sympy.exp(-1)),
    ("x⁻¹", 1 / x),
    ("x²", x ** 2),
    ("2ⁿ", None),  # n is not a variable here: refused, not read as 2n
])
def test_superscripts_are_powers_never_digits(text, expected):
    """Found by review: NFKC turned 10⁴ into 104 and x⁻¹ into x-1 (graded correct against x - 1)."""
    if expected is None:
        with pytest.raises(Unparsable):
            mathparse.parse_formula(text, ["x"])
    else:
        assert sympy.simplify(mathparse.parse_formula(text, ["x"]) - expected) == 0


@pytest.mark.parametrize("plain, latex_text", [("ln e^2", "\\ln e^2"), ("sin x^2", "\\sin x^2"),
                                               ("ln 2^3", "\\ln 2^3"), ("log 100^2", "\\log 100^2")])
def test_a_bare_function_takes_its_power_in_plain_text_as_in_latex(plain, latex_text):
    """Found by review: "ln e^2" was (ln e)² = 1 in plain text but ln(e²) = 2 in LaTeX."""
    assert mathparse.parse_formula(plain, ["x"]) == mathparse.parse_formula(latex_text, ["x"])


@pytest.mark.parametrize("text, expected", [("xy", x * y), ("2xy", 2 * x * y), ("$xy^2$", x * y ** 2),
                                            ("\\frac{xy}{2}", x * y / 2)])
def test_adjacent_single_letter_variables_multiply_as_in_tex(text, expected):
    assert mathparse.parse_formula(text, ["x", "y"]) == expected


def test_a_name_of_letters_that_are_not_all_variables_is_still_unknown():
    with pytest.raises(Unparsable, match="unknown name 'xz'"):
        mathparse.parse_formula("xz", ["x", "y"])
