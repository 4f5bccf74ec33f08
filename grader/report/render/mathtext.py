"""Math in a problem set's own text (titles, prompts, explanations), for each report format.

Problem sets write math as Unicode with TeX-style sub- and superscripts: `x_{t−1}`, `ᾱ_2`, `β̃_t`,
`q_φ(z|x)`, `p_data`, `x^{(1)}`. A *fragment* is one letter (Latin or Greek, with its accents)
followed by `_` or `^` and a braced group or a run of letters and digits. Each format shows it as
readers of that format expect:

- HTML: MathML (every current browser renders it, with no script and no network), converted by
  latex2mathml from the fragment spelled as LaTeX (`\\bar{\\alpha}_{t-1}`);
- Markdown: `$…$` with the same LaTeX (rendered by GitHub, Jupyter and most viewers);
- text: Unicode sub- and superscripts where every character has one (`xₜ₋₁`, `x⁽¹⁾`), else as written.

A fragment holds only letters, digits and arithmetic (`_SAFE`), so no text — not even a student's —
can reach latex2mathml with markup in it; everything between fragments is escaped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from latex2mathml.converter import convert
from markupsafe import Markup, escape

_SAFE = r"[\w +\-−=(),.'*/≤≥\u0300-\u036f]"
"""What a braced script may hold: letters, digits and arithmetic, never markup (<, &, \\)."""
FRAGMENT = re.compile(rf"(?<![\w\\])([^\W\d_][\u0300-\u036f]*|[∏∑])((?:[_^](?:\{{{_SAFE}{{1,40}}\}}|[^\W_]+))+)")
"""A letter with its accents (or a product or sum sign), then its sub- and superscripts."""

OPERATORS = {"∏": "\\prod", "∑": "\\sum"}
RELATIONS = {"≤": "\\le ", "≥": "\\ge "}
_SCRIPT = re.compile(rf"([_^])(?:\{{({_SAFE}{{1,40}})\}}|([^\W_]+))")

ACCENTS = {"\u0304": "bar", "\u0305": "bar", "\u0303": "tilde", "\u0302": "hat", "\u0307": "dot"}
"""Combining marks (after NFD: ᾱ is α + U+0304) and the LaTeX accent each stands for."""

SUBSCRIPTS = dict(zip("0123456789+-−=()aehijklmnoprstuvxβγρφχ", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ"))
SUPERSCRIPTS = dict(zip("0123456789+-−=()in", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁱⁿ"))


def _letter(char: str) -> str:
    """A letter as LaTeX: Greek letters by name (α → \\alpha, Γ → \\Gamma), others as they are."""
    if char in OPERATORS:
        return OPERATORS[char]
    name = unicodedata.name(char, "")
    if name.startswith("GREEK SMALL LETTER ") or name.startswith("GREEK CAPITAL LETTER "):
        word = name.split()[-1].lower()
        word = {"phi": "varphi", "epsilon": "varepsilon"}.get(word, word) if "SMALL" in name else word
        command = word.capitalize() if "CAPITAL" in name else word
        return f"\\{command} " if word.isalpha() else char
    return char


def _base(text: str) -> str:
    letters = unicodedata.normalize("NFD", text)
    latex = _letter(letters[0]).strip()
    for mark in letters[1:]:
        if mark in ACCENTS:
            latex = f"\\{ACCENTS[mark]}{{{latex}}}"
    return latex


def _script_latex(body: str) -> str:
    """A sub- or superscript's content as LaTeX: words upright (data, pred), minus signs ASCII."""
    out = []
    for token in re.findall(r"[^\W\d_]{2,}|.", body.replace("−", "-")):
        if len(token) > 1 and token.isalpha() and not all(unicodedata.name(c, "").startswith("GREEK") for c in token):
            out.append(f"\\mathrm{{{token}}}")
        elif token in RELATIONS:
            out.append(RELATIONS[token])
        elif len(token) == 1 and token.isalpha():
            out.append(_letter(token).strip() if ord(token) > 127 else token)
        else:
            out.append(token)
    return "".join(out)


def to_latex(fragment: str) -> str:
    match = FRAGMENT.fullmatch(fragment)
    if not match:
        return fragment
    latex = _base(match.group(1))
    for kind, braced, bare in _SCRIPT.findall(match.group(2)):
        latex += f"{kind}{{{_script_latex(braced or bare)}}}"
    return latex


_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)


def pieces(text: str) -> list[tuple[str, str]]:
    """The text as ("text" | "code" | "math", content) pieces: `code spans` (never math, content
    without the backticks), math fragments (content as written) and the text between them."""
    out: list[tuple[str, str]] = []

    def prose(part: str) -> None:
        end = 0
        for match in FRAGMENT.finditer(part):
            out.append(("text", part[end:match.start()]))
            out.append(("math", match.group()))
            end = match.end()
        out.append(("text", part[end:]))

    end = 0
    for span in _CODE_SPAN.finditer(text):
        prose(text[end:span.start()])
        out.append(("code", span.group(2)))
        end = span.end()
    prose(text[end:])
    return [(kind, content) for kind, content in out if content]


@lru_cache(maxsize=4096)
def _mathml(fragment: str) -> str:
    return convert(to_latex(fragment))


def html(text: str) -> Markup:
    """Escaped text with each fragment as MathML and each `code span` as <code>."""
    shown = {"text": escape,
             "code": lambda c: Markup("<code>{}</code>").format(c),
             "math": lambda m: Markup(_mathml(m))}  # latex2mathml's output of a _SAFE fragment
    return Markup("").join(shown[kind](content) for kind, content in pieces(text))


@lru_cache(maxsize=1024)
def formula_html(latex: str) -> Markup | None:
    """A formula the grader printed as LaTeX (sympy's printer, from an expression rebuilt from a
    whitelist) as MathML; None where latex2mathml cannot convert it, so the page shows text instead."""
    try:
        return Markup(convert(latex))
    except Exception:  # latex2mathml raises several unrelated types on input it does not know
        return None


def markdown(text: str, escape_text: Callable[[str], str] = str) -> str:
    """Each fragment as `$LaTeX$`, code spans kept; `escape_text` for the text between them."""
    shown = {"text": escape_text, "code": lambda c: f"`{c}`" if "`" not in c else f"`` {c} ``",
             "math": lambda m: f"${to_latex(m)}$"}
    return "".join(shown[kind](content) for kind, content in pieces(text))


def _unicode_script(kind: str, body: str) -> str | None:
    table = SUBSCRIPTS if kind == "_" else SUPERSCRIPTS
    if all(char in table for char in body):
        return "".join(table[char] for char in body)
    return None


def plain(text: str) -> str:
    """Text with sub- and superscripts as Unicode characters where each has one (xₜ₋₁, x⁽¹⁾)."""
    def one(match: re.Match[str]) -> str:
        scripts = [(kind, braced or bare) for kind, braced, bare in _SCRIPT.findall(match.group(2))]
        shown = [_unicode_script(kind, body) for kind, body in scripts]
        if any(s is None for s in shown):
            return match.group()
        return match.group(1) + "".join(s for s in shown if s)
    return "".join(FRAGMENT.sub(one, c) if kind == "math" else f"`{c}`" if kind == "code" else c
                   for kind, c in pieces(text))
