"""LaTeX formulas: one tokenizer and translator (grader/checking/latex.py), then mathparse's whitelist."""

from __future__ import annotations

import ast
import builtins
import inspect
import time
from pathlib import Path

import pytest
import sympy
import yaml

from grader.checking import latex, mathparse
from grader.checking.checkers.base import AnswerFormatError, TooComplex, Unparsable

ROOT = Path(__file__).resolve().parents[1]
NAMES = ("x", "y", "t", "z", "mu", "sigma", "x0", "x_t", "eps_pred", "alpha_t", "alpha_bar_2", "alpha_bar_t",
         "x_t_minus_1")
S = {name: sympy.Symbol(name, real=True) for name in NAMES}
x, y, t, z = S["x"], S["y"], S["t"], S["z"]
half = sympy.Rational(1, 2)

ACCEPTED = [
    # fractions
    pytest.param("\\frac{1}{2}", half, id="frac"),
    pytest.param("\\dfrac{1}{2}", half, id="dfrac"),
    pytest.param("\\tfrac{1}{2}", half, id="tfrac"),
    pytest.param("\\frac12", half, id="frac12"),
    pytest.param("\\frac 1 2", half, id="frac-spaced"),
    pytest.param("\\frac\\pi4", sympy.pi / 4, id="frac-pi-4"),
    pytest.param("\\frac1x", 1 / x, id="frac-1-x"),
    pytest.param("\\frac{1}{2x}", 1 / (2 * x), id="frac-implicit-denominator"),
    pytest.param("\\frac{\\frac{1}{2}}{3}", sympy.Rational(1, 6), id="nested-frac"),
    pytest.param("-\\frac{1}{2}", -half, id="minus-frac"),
    # roots
    pytest.param("\\sqrt{x}", sympy.sqrt(x), id="sqrt"),
    pytest.param("\\sqrt2", sympy.sqrt(2), id="sqrt2"),
    pytest.param("\\sqrt[3]{8}", sympy.Integer(2), id="cube-root"),
    pytest.param("\\sqrt[n]{x}".replace("n", "3"), sympy.real_root(x, 3), id="nth-root-of-x"),
    pytest.param("\\sqrt[3]{-8}", sympy.Integer(-2), id="odd-root-of-a-negative-is-real"),
    pytest.param("\\sqrt[4]{16}", sympy.Integer(2), id="fourth-root"),
    pytest.param("2\\sqrt{2}", 2 * sympy.sqrt(2), id="2-sqrt-2"),
    pytest.param("2\\sqrt{0.72}", 2 * sympy.sqrt(sympy.Float(0.72)), id="2-sqrt-0.72"),
    pytest.param("\\sqrt(x+1)", sympy.sqrt(x + 1), id="sqrt-of-parenthesis"),
    pytest.param("√{x}", sympy.sqrt(x), id="root-sign-braces"),
    # operators
    pytest.param("3 \\times 4", sympy.Integer(12), id="times"),
    pytest.param("3 \\cdot x", 3 * x, id="cdot"),
    pytest.param("6 \\div 4", sympy.Rational(3, 2), id="div"),
    pytest.param("2 \\cdot -3", sympy.Integer(-6), id="cdot-minus"),
    pytest.param("1.5 \\times 10^{-3}", sympy.Float(1.5) * sympy.Rational(1, 1000), id="scientific"),
    pytest.param("2^{10}", sympy.Integer(1024), id="power-braces"),
    pytest.param("x^2", x**2, id="power-digit"),
    pytest.param("x^-1", 1 / x, id="power-minus-one"),
    pytest.param("x^{-1}", 1 / x, id="power-minus-one-braces"),
    pytest.param("-x^2", -x**2, id="minus-binds-looser-than-power"),
    pytest.param("x^2y", x**2 * y, id="power-then-factor"),
    pytest.param("x_t^2", S["x_t"] ** 2, id="subscript-then-power"),
    pytest.param("{1+x}/2", (1 + x) / 2, id="tex-group"),
    # grouping and spacing
    pytest.param("\\left( 1 + x \\right)^2", (1 + x) ** 2, id="left-right-parens"),
    pytest.param("\\left[1+x\\right] y", (1 + x) * y, id="left-right-brackets"),
    pytest.param("\\{1+x\\}", 1 + x, id="escaped-braces"),
    pytest.param("\\left\\{ x \\right\\}", x, id="left-right-braces"),
    pytest.param("\\bigl(x\\bigr)", x, id="big-parens"),
    pytest.param("2\\,\\pi", 2 * sympy.pi, id="thin-space"),
    pytest.param("2\\;x\\!\\quad y\\qquad", 2 * x * y, id="spaces"),
    pytest.param("\\displaystyle \\frac{1}{2}", half, id="displaystyle"),
    pytest.param("$(1+x)(1-x)$", (1 + x) * (1 - x), id="brackets-side-by-side-in-latex"),
    pytest.param("$x y$", x * y, id="space-between-names"),
    # exponentials and constants
    pytest.param("e^{-1}", sympy.exp(-1), id="e-braces"),
    pytest.param("e^{x^2}", sympy.exp(x**2), id="e-nested-power"),
    pytest.param("e^{-\\frac{x^2}{2}}", sympy.exp(-x**2 / 2), id="gaussian"),
    pytest.param("\\exp(-x)", sympy.exp(-x), id="exp-parens"),
    pytest.param("\\exp{x}", sympy.exp(x), id="exp-braces"),
    pytest.param("\\mathrm{e}^{x}", sympy.exp(x), id="mathrm-e"),
    pytest.param("\\pi", sympy.pi, id="pi"),
    pytest.param("2\\pi", 2 * sympy.pi, id="2pi"),
    pytest.param("\\infty", sympy.oo, id="infty"),
    pytest.param("-\\infty", -sympy.oo, id="minus-infty"),
    pytest.param("+\\infty", sympy.oo, id="plus-infty"),
    # logarithms
    pytest.param("\\ln 2", sympy.log(2), id="ln-2"),
    pytest.param("-\\ln 2", -sympy.log(2), id="minus-ln-2"),
    pytest.param("−\\ln 2", -sympy.log(2), id="unicode-minus-ln-2"),
    pytest.param("\\ln(2)", sympy.log(2), id="ln-parens"),
    pytest.param("\\ln\\left(2\\right)", sympy.log(2), id="ln-left-right"),
    pytest.param("\\log 8", sympy.log(8), id="log-is-natural"),
    pytest.param("\\log_2 8", sympy.Integer(3), id="log-base-2"),
    pytest.param("\\log_{2}(8)", sympy.Integer(3), id="log-base-braces"),
    pytest.param("\\log_{10} 100", sympy.Integer(2), id="log-base-10"),
    pytest.param("\\frac{1}{2}\\ln 2", sympy.log(2) / 2, id="half-ln-2"),
    pytest.param("\\ln 2x", sympy.log(2 * x), id="ln-takes-the-product"),
    pytest.param("\\ln 2 + 1", sympy.log(2) + 1, id="ln-stops-at-plus"),
    pytest.param("\\ln 2 \\cdot 3", 3 * sympy.log(2), id="ln-stops-at-cdot"),
    pytest.param("\\ln(2)x", x * sympy.log(2), id="ln-parens-then-x"),
    pytest.param("\\ln x^2", sympy.log(x**2), id="ln-of-power"),
    pytest.param("\\frac{ln 2}{2}", sympy.log(2) / 2, id="plain-ln-inside-latex"),
    pytest.param("\\frac{log(8, 2)}{3}", sympy.Integer(1), id="plain-log-base-inside-latex"),
    # trigonometric and hyperbolic functions
    pytest.param("\\sin x", sympy.sin(x), id="sin"),
    pytest.param("\\sin x \\cos y", sympy.sin(x) * sympy.cos(y), id="sin-cos-product"),
    pytest.param("\\sin^2 x + \\cos^2 x", sympy.sin(x) ** 2 + sympy.cos(x) ** 2, id="sin-squared"),
    pytest.param("\\sin^2(x)^3", sympy.sin(x) ** 6, id="sin-squared-cubed"),
    pytest.param("\\tan\\frac{\\pi}{4}", sympy.Integer(1), id="tan"),
    pytest.param("\\arcsin 1", sympy.pi / 2, id="arcsin"),
    pytest.param("\\arccos 0", sympy.pi / 2, id="arccos"),
    pytest.param("\\arctan 1", sympy.pi / 4, id="arctan"),
    pytest.param("\\sinh x", sympy.sinh(x), id="sinh"),
    pytest.param("\\cosh 0", sympy.Integer(1), id="cosh"),
    pytest.param("\\tanh x", sympy.tanh(x), id="tanh"),
    pytest.param("\\sec 0", sympy.Integer(1), id="sec"),
    pytest.param("\\csc x", sympy.csc(x), id="csc"),
    pytest.param("\\cot x", sympy.cot(x), id="cot"),
    pytest.param("\\Phi(0)", half, id="Phi"),
    pytest.param("\\operatorname{erf}(x)", sympy.erf(x), id="operatorname-erf"),
    pytest.param("\\mathrm{erf}(x)", sympy.erf(x), id="mathrm-erf"),
    # absolute values
    pytest.param("|x|", sympy.Abs(x), id="bars"),
    pytest.param("|-2|", sympy.Integer(2), id="bars-of-negative"),
    pytest.param("\\lvert x \\rvert", sympy.Abs(x), id="lvert-rvert"),
    pytest.param("\\left| x \\right|", sympy.Abs(x), id="left-bar-right-bar"),
    pytest.param("2|x|", 2 * sympy.Abs(x), id="number-then-bars"),
    pytest.param("|x||y|", sympy.Abs(x) * sympy.Abs(y), id="two-bars-side-by-side"),
    pytest.param("||x|-1|", sympy.Abs(sympy.Abs(x) - 1), id="nested-bars"),
    pytest.param("|(|x|+1)|", sympy.Abs(sympy.Abs(x) + 1), id="bars-in-parens-in-bars"),
    # symbols
    pytest.param("\\mu + \\sigma", S["mu"] + S["sigma"], id="greek"),
    pytest.param("μ + σ", S["mu"] + S["sigma"], id="unicode-greek"),
    pytest.param("\\alpha_t", S["alpha_t"], id="alpha_t"),
    pytest.param("\\bar{\\alpha}_2", S["alpha_bar_2"], id="alpha-bar-2"),
    pytest.param("\\bar\\alpha_2", S["alpha_bar_2"], id="alpha-bar-2-unbraced"),
    pytest.param("\\overline{\\alpha}_{2}", S["alpha_bar_2"], id="overline"),
    pytest.param("\\bar{\\alpha_t}", S["alpha_bar_t"], id="bar-over-subscripted"),
    pytest.param("x_{t-1}", S["x_t_minus_1"], id="x-t-minus-1"),
    pytest.param("x_{t}", S["x_t"], id="x-t-braces"),
    pytest.param("x_0", S["x0"], id="x_0-is-x0"),
    pytest.param("\\epsilon_{pred}", S["eps_pred"], id="epsilon-pred-is-eps_pred"),
    pytest.param("\\varepsilon_{pred}", S["eps_pred"], id="varepsilon-pred"),
    pytest.param("\\sqrt{\\bar{\\alpha}_t}\\, x_0", sympy.sqrt(S["alpha_bar_t"]) * S["x0"], id="ddpm-mean"),
    pytest.param("\\frac{1}{\\sqrt{\\alpha_t}}\\left(x_t - \\frac{1 - \\alpha_t}{\\sqrt{1-\\bar{\\alpha}_t}}"
                 " \\epsilon_{pred}\\right)",
                 (S["x_t"] - (1 - S["alpha_t"]) / sympy.sqrt(1 - S["alpha_bar_t"]) * S["eps_pred"])
                 / sympy.sqrt(S["alpha_t"]), id="ddpm-reverse-mean"),
    # delimiters, unicode
    pytest.param("$\\frac{1}{2}$", half, id="dollars"),
    pytest.param("$$\\frac{1}{2}$$", half, id="double-dollars"),
    pytest.param("\\(\\pi\\)", sympy.pi, id="paren-delimiters"),
    pytest.param("\\[x\\]", x, id="bracket-delimiters"),
    pytest.param("$0.5$", sympy.Float(0.5), id="dollars-around-plain"),
    pytest.param("\\frac{π}{2}", sympy.pi / 2, id="unicode-pi"),
    pytest.param("\\frac{1}{2}·x", x / 2, id="unicode-middle-dot"),
    pytest.param("\\frac{∞}{2}", sympy.oo, id="unicode-infinity"),
    pytest.param("x² + \\frac{1}{2}", x**2 + half, id="superscript-two"),
    pytest.param("-" * 150 + "\\pi", sympy.pi, id="150-unary-minus"),
]


@pytest.mark.parametrize("text, expected", ACCEPTED)
def test_latex_accepted(text, expected):
    got = mathparse.parse_formula(text, NAMES)
    assert got == expected, f"{text!r} → {latex.translate(text, mathparse.FUNCTIONS)!r} → {got!r}"


NAMING = [
    pytest.param("\\bar{\\alpha}_2", "alpha_bar_2", id="bar-alpha-2"),
    pytest.param("\\alpha_t", "alpha_t", id="alpha-t"),
    pytest.param("x_{t-1}", "x_t_minus_1", id="x-t-minus-1"),
    pytest.param("x_{t+1}", "x_t_plus_1", id="x-t-plus-1"),
    pytest.param("x_{i,j}", "x_i_j", id="comma-subscript"),
    pytest.param("\\hat{x}", "x_hat", id="hat"),
    pytest.param("\\tilde{\\mu}_t", "mu_tilde_t", id="tilde"),
    pytest.param("\\widehat{\\theta}", "theta_hat", id="widehat"),
    pytest.param("\\lambda", "lam", id="lambda-is-lam"),
    pytest.param("\\varepsilon_{pred}", "epsilon_pred", id="varepsilon"),
    pytest.param("\\varphi", "phi", id="varphi"),
    pytest.param("\\Sigma", "Sigma", id="capital-sigma"),
    pytest.param("\\sigma_{\\theta}", "sigma_theta", id="greek-subscript"),
    pytest.param("x_{10}", "x_10", id="two-digit-subscript"),
    pytest.param("eps_pred", "eps_pred", id="python-name-untouched"),
    pytest.param("λ", "lam", id="unicode-lambda"),
]


@pytest.mark.parametrize("text, name", NAMING)
def test_symbol_naming_convention(text, name):
    assert latex.translate(text) == name


def _genmodels_variable_names() -> set[str]:
    """The names the genmodels problem set declares for its function and symbolic parts."""
    names: set[str] = set()
    for path in (ROOT / "problems" / "genmodels").glob("[0-9]*.yaml"):
        for part in yaml.safe_load(path.read_text(encoding="utf-8")).get("parts", []):
            checker = part.get("checker", {})
            names.update(checker.get("signature", []), checker.get("variables", []))
            names.update([checker["expression_variable"]] if checker.get("expression_variable") else [])
    return names


@pytest.mark.parametrize("text, declared", [
    pytest.param("z", "z", id="z-of-2b"),
    pytest.param("x_0", "x0", id="x_0-of-4a"),
    pytest.param("x_{0}", "x0", id="x_{0}-of-4a"),
    pytest.param("x_t", "x_t", id="x_t-of-3p"),
    pytest.param("x_{t}", "x_t", id="x_{t}-of-3p"),
    pytest.param("\\epsilon_{pred}", "eps_pred", id="epsilon_pred-of-3p"),
    pytest.param("\\varepsilon_{\\mathrm{pred}}", "eps_pred", id="varepsilon-mathrm-pred"),
    pytest.param("t", "t", id="t-of-4a"),
])
def test_latex_names_match_the_genmodels_variables(text, declared):
    assert declared in _genmodels_variable_names()
    got = mathparse.parse_formula(text, [declared])
    assert got == sympy.Symbol(declared, real=True)


REFUSED = [
    pytest.param("\\int_0^1 x\\,dx", Unparsable, "the LaTeX command \\int is not supported here", id="int"),
    pytest.param("\\sum_{i} i", Unparsable, "\\sum", id="sum"),
    pytest.param("\\foo{x}", Unparsable, "\\foo", id="unknown-command"),
    pytest.param("1 \\pm 2", Unparsable, "\\pm", id="pm"),
    pytest.param("x \\approx 2", Unparsable, "\\approx", id="approx"),
    pytest.param("x \\le 2", Unparsable, "\\le", id="le"),
    pytest.param("\\lim x", Unparsable, "\\lim", id="lim"),
    pytest.param("1 \\\\ 2", Unparsable, "\\\\", id="line-break"),
    pytest.param("\\frac{1}", Unparsable, "ends", id="frac-one-argument"),
    pytest.param("\\frac{1}{2", Unparsable, "never closed", id="unclosed-brace"),
    pytest.param("x^{2", Unparsable, "never closed", id="unclosed-exponent"),
    pytest.param("\\left( x \\right]", Unparsable, "closed by ']' instead of ')'", id="mismatched"),
    pytest.param("{x}}", Unparsable, "'}'", id="extra-brace"),
    pytest.param("\\frac123", Unparsable, "ambiguous", id="frac-three-digits"),
    pytest.param("$x^22$", Unparsable, "write ^{22}", id="unbraced-two-digit-exponent"),
    pytest.param("\\sqrt22", Unparsable, "\\sqrt{22}", id="unbraced-two-digit-root"),
    pytest.param("e^{x}^{2}", Unparsable, "double exponent", id="double-exponent"),
    pytest.param("1\\,000", Unparsable, "two numbers stand side by side", id="thin-space-thousands"),
    pytest.param("$x^2 3$", Unparsable, "side by side", id="power-then-number"),
    pytest.param("\\sin^{-1} x", Unparsable, "\\arcsin", id="sin-inverse"),
    pytest.param("\\left. x \\right|_{0}", Unparsable, "\\left.", id="evaluation-bar"),
    pytest.param("x'", Unparsable, "'''", id="prime"),
    pytest.param("3!", Unparsable, "'!'", id="factorial"),
    pytest.param("\\frac{1}{2} < x", Unparsable, "'<'", id="less-than"),
    pytest.param("x_{}", Unparsable, "empty subscript", id="empty-subscript"),
    pytest.param("x_{a^2}", Unparsable, "in a subscript", id="power-in-subscript"),
    pytest.param("\\bar{2}", Unparsable, "over '2'", id="bar-over-number"),
    pytest.param("\\alpha_{0.5}", Unparsable, "'0.5' in a subscript", id="decimal-subscript"),
    pytest.param("\\alpha", Unparsable, "unknown name 'alpha'", id="undeclared-greek"),
    pytest.param("\\gamma(2)", Unparsable, "unknown name 'gamma'", id="greek-gamma-is-no-function"),
    pytest.param("\\operatorname{sgn}(x)", Unparsable, "the function sgn is not supported", id="operatorname"),
    pytest.param("\\text{hello}", Unparsable, "unknown name 'hello'", id="text"),
    pytest.param("\\mathrm{}", Unparsable, "should hold a name", id="empty-mathrm"),
    pytest.param("\\ln", Unparsable, "needs an argument", id="ln-alone"),
    pytest.param("\\ln + 2", Unparsable, "needs an argument", id="ln-then-plus"),
    pytest.param("\\frac{1}{2} \\cdot", Unparsable, "ends", id="trailing-cdot"),
    pytest.param("\\cdot 2", Unparsable, "\\cdot", id="leading-cdot"),
    pytest.param("(1, 2) + \\pi", Unparsable, "','", id="comma"),
    pytest.param("$", Unparsable, "'$'", id="lone-dollar"),
    pytest.param("$x$ + $y$", Unparsable, "'$'", id="two-formulas"),
    pytest.param("\\{i for i in x\\}", Unparsable, "'for'", id="keyword"),
    pytest.param("\\frac{1}{2} # half", Unparsable, "'#'", id="comment"),
    pytest.param("\\frac{1}{" * 29 + "2" + "}" * 29, TooComplex, "nested too deeply", id="nested-fracs"),
    pytest.param("\\sqrt{" * 42 + "2" + "}" * 42, TooComplex, "nested too deeply", id="nested-roots"),
    pytest.param("\\ln" * 50 + " 2", TooComplex, "nested too deeply", id="nested-bare-functions"),
    pytest.param("{" * 140 + "1" + "}" * 140, TooComplex, "nested too deeply", id="nested-groups"),
    pytest.param("\\left(" * 50 + "1" + "\\right)" * 50, TooComplex, "", id="long-left-right"),
    pytest.param("e^{" * 45 + "x" + "}" * 45, TooComplex, "nested too deeply", id="nested-exponents"),
    pytest.param("10^{10^{10}}", TooComplex, "exponents", id="power-tower"),
    pytest.param("\\frac{1}{2}" * 40, TooComplex, "longer than", id="too-long"),
]


@pytest.mark.parametrize("text, error, fragment", REFUSED)
def test_latex_refused(text, error, fragment):
    start = time.monotonic()
    with pytest.raises(error) as info:
        mathparse.parse_formula(text, NAMES)
    assert fragment in str(info.value)
    assert time.monotonic() - start < 2.0


def test_translation_is_python_formula_text():
    assert latex.translate("\\frac{1}{2}\\ln 2", mathparse.FUNCTIONS) == "(1/2)*log(2)"
    assert latex.translate("\\log_{2}(8)", mathparse.FUNCTIONS) == "log(8, 2)"
    assert latex.translate("\\sqrt[3]{x}", mathparse.FUNCTIONS) == "root(x, 3)"


def test_a_bare_function_argument_stops_at_the_next_function_only():
    xexp = sympy.Symbol("xexp", real=True)
    assert mathparse.parse_formula("\\ln 2 xexp", ["xexp"]) == sympy.log(2 * xexp)
    assert mathparse.parse_formula("\\ln 2 \\exp x", ["x"]) == sympy.log(2) * sympy.exp(x)
    assert mathparse.parse_formula("\\ln 2 exp(x)", ["x"]) == sympy.log(2) * sympy.exp(x)


def test_a_declared_variable_named_like_a_function_is_a_variable():
    gamma = sympy.Symbol("gamma", real=True)
    assert mathparse.parse_formula("\\frac{gamma}{2}", ["gamma"]) == gamma / 2


def test_routing_plain_text_is_not_translated():
    assert not latex.looks_like_latex("2*sqrt(5) - ln 2")
    assert all(latex.looks_like_latex(text) for text in ("\\pi", "e^{x}", "x_{t}", "$x$", "\\frac12"))


def test_latex_never_calls_eval_or_sympify(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("eval/sympify called on student text")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    monkeypatch.setattr(sympy, "sympify", forbidden)
    import sympy.parsing.sympy_parser as sympy_parser

    monkeypatch.setattr(sympy_parser, "parse_expr", forbidden)
    for param in ACCEPTED:
        mathparse.parse_formula(param.values[0], NAMES)
    for param in REFUSED:
        with pytest.raises(AnswerFormatError):
            mathparse.parse_formula(param.values[0], NAMES)


def test_latex_module_builds_no_sympy_objects_and_evaluates_nothing():
    source = inspect.getsource(latex)
    assert "import sympy" not in source and "from sympy" not in source
    banned = {"eval", "exec", "compile", "sympify", "parse_expr", "parse_latex", "__import__", "lambdify"}
    calls = {node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
             for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)}
    assert not calls & banned


@pytest.mark.parametrize("text", [
    "\\frac{" * 150, "{" * 300, "\\left(" * 50, "|" * 300, "x_{" * 100, "\\sqrt" * 60 + "2",
    "\\bar" * 100 + "x", "^" * 300, "\\ln" * 100, "|" * 299 + "x",
])
def test_hostile_latex_is_refused_quickly(text):
    start = time.monotonic()
    with pytest.raises(AnswerFormatError):
        mathparse.parse_formula(text[:mathparse.MAX_TEXT], NAMES)
    assert time.monotonic() - start < 1.0
