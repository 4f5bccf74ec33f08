"""Math in problem-set text: MathML in HTML, $…$ in Markdown, Unicode in text; code spans untouched,
and nothing but letters, digits and arithmetic ever reaches the MathML converter."""

from __future__ import annotations

import pytest

from grader.report.render import mathtext


@pytest.mark.parametrize("fragment, latex", [
    ("x_{t−1}", "x_{t-1}"),
    ("ᾱ_2", "\\bar{\\alpha}_{2}"),
    ("β̃_t", "\\tilde{\\beta}_{t}"),
    ("q_φ", "q_{\\varphi}"),
    ("p_data", "p_{\\mathrm{data}}"),
    ("x^{(1)}", "x^{(1)}"),
    ("ᾱ_{t−1}", "\\bar{\\alpha}_{t-1}"),
    ("D_KL", "D_{\\mathrm{KL}}"),
])
def test_a_fragment_as_latex(fragment, latex):
    assert mathtext.to_latex(fragment) == latex


@pytest.mark.parametrize("text, plain", [
    ("q(x_{t−1} | x_t)", "q(xₜ₋₁ | xₜ)"),
    ("ᾱ_2 = 0.72", "ᾱ₂ = 0.72"),
    ("x^{(1)}", "x⁽¹⁾"),
    ("p_data(x0)", "p_data(x0)"),  # d has no subscript letter: left as written
    ("`q4e(x_t, x0)` returns μ̃_t", "`q4e(x_t, x0)` returns μ̃ₜ"),  # code is never math
    ("eps_pred and KL_div", "eps_pred and KL_div"),  # a name, not a letter with a subscript
])
def test_plain_text_uses_unicode_scripts(text, plain):
    assert mathtext.plain(text) == plain


def test_markdown_wraps_math_in_dollars_and_escapes_the_rest():
    shown = mathtext.markdown("mean μ̃_t of `x_t` <b>", escape_text=lambda t: t.replace("<", "\\<"))
    assert shown == "mean $\\tilde{\\mu}_{t}$ of `x_t` \\<b>"


def test_html_is_mathml_with_everything_else_escaped():
    shown = str(mathtext.html("q(x_{t−1}) & `x_t` <script>"))
    assert shown.startswith('q(<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline">')
    assert "<msub><mi>x</mi>" in shown and "&amp; <code>x_t</code> &lt;script&gt;" in shown


@pytest.mark.parametrize("text", ["x_{<script>}", "x_{a&b}", "x_{\\alert}", 'x_{"}'])
def test_markup_inside_a_script_is_never_math(text):
    shown = str(mathtext.html(text))
    assert "<math" not in shown and "<script>" not in shown
