r"""Translate the LaTeX a student pastes from their notes into the formula text `mathparse` reads.

A tokenizer and a recursive-descent translator produce Python-syntax text (`\frac{1}{2}\ln 2` →
`(1/2)*log(2)`) that `mathparse` parses with `ast` against its whitelist and limits; nothing here
builds sympy objects or evaluates anything.

Supported: numbers (2, 0.5, 1.5e-3); + - * / ^ ** and unary -; \times \cdot \ast \div; \frac{a}{b}
\dfrac \tfrac, and \frac12 \frac\pi4 as in TeX; \sqrt{x} \sqrt[n]{x} \sqrt2; x^{..} x^2 x^-1 e^{..}
\mathrm{e}; ( ) [ ] { } \{ \} \left( \right) \bigl( as grouping; |x| \lvert x \rvert as Abs; spacing
(\, \; \! \quad ~ \displaystyle) ignored; \pi \infty, Greek letters, unicode − × · ÷ √ π ∞ α;
$..$ $$..$$ \(..\) \[..\] stripped; \ln \log (natural) \log_{b} (base b) \exp \sin \cos \tan \sec
\csc \cot \arcsin \arccos \arctan \sinh \cosh \tanh \Phi \Gamma \operatorname{erf} \mathrm{..}
\text{..}, \sin^2 x, and plain function names (log(8, 2), sqrt 2). A function without parentheses
takes the product after it, up to an operator or the next function (\ln 2x = ln(2x), \sin x \cos x
= sin(x)·cos(x)); adjacent factors multiply (2\pi, 2\sqrt{2}, \frac{1}{2}\ln 2, (1+x)(1-x), x y).

Names, one symbol each, spelled as a problem set's Python variables are: a Greek command is its
English name (\alpha → alpha, \varepsilon → epsilon, \lambda → lam as `lambda` is a keyword), a
decoration follows its letter (\bar{\alpha} → alpha_bar, \hat{x} → x_hat), a subscript follows
after `_` with + - spelled out and commas as `_` (\alpha_t → alpha_t, \bar{\alpha}_2 → alpha_bar_2,
x_{t-1} → x_t_minus_1, x_{\mathrm{pred}} → x_pred). mathparse matches x_0 to a variable x0.

Refused, naming what was not understood: other commands (\int, \sum, \pm, \approx ...), other
characters (' ! < = & ...), two numbers side by side (1\,000), ambiguous unbraced arguments (x^22,
\frac123), \sin^{-1}, unbalanced brackets; nesting deeper than MAX_DEPTH is TooComplex.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Collection
from typing import NamedTuple

from grader.checking.checkers.base import TooComplex, Unparsable

MAX_DEPTH = 40

_GREEK = ("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi "
          "pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega "
          "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega").split()


_GREEK_NAMES = {c: "lam" if c == "lambda" else c.removeprefix("var") for c in _GREEK}
_GREEK_CHARS = {c: unicodedata.lookup(f"GREEK {'CAPITAL' if c[0].isupper() else 'SMALL'} LETTER "
                                      + c.upper().replace("LAMBDA", "LAMDA")) for c in _GREEK if "var" not in c}
GREEK_LETTERS = {char: _GREEK_NAMES[c] for c, char in _GREEK_CHARS.items()}
"""Unicode Greek letters → names (α → alpha), shared with mathparse's plain-text path."""

VALUES = {**_GREEK_NAMES, "infty": "oo"}
FUNCTIONS = {"ln": "log", "log": "log", "exp": "exp", "sin": "sin", "cos": "cos", "tan": "tan", "sec": "sec",
             "csc": "csc", "cot": "cot", "arcsin": "asin", "arccos": "acos", "arctan": "atan", "sinh": "sinh",
             "cosh": "cosh", "tanh": "tanh", "Phi": "Phi", "Gamma": "gamma", "erf": "erf", "erfc": "erfc"}
FRACTIONS = {"frac", "dfrac", "tfrac"}
DECORATIONS = {"bar": "bar", "overline": "bar", "hat": "hat", "widehat": "hat", "tilde": "tilde",
               "widetilde": "tilde"}
WORDS = {"mathrm", "operatorname", "text", "textrm", "mathit"}
MULTIPLY = {"*": "*", "/": "/", "\\times": "*", "\\cdot": "*", "\\ast": "*", "\\div": "/"}
POWER = {"^", "**"}
OPEN = {"(": ")", "[": "]", "{": "}", "\\{": "\\}", "\\lbrace": "\\rbrace", "|": "|", "\\lvert": "\\rvert",
        "\\vert": "\\vert"}
CLOSE = set(OPEN.values())
ABS_OPEN = {"|", "\\lvert", "\\vert"}
# These only change how a formula looks, so they are dropped (\left( is just "(").
IGNORED = {"\\,", "\\;", "\\:", "\\!", "\\>", "\\ ", "~", "\\quad", "\\qquad", "\\displaystyle", "\\textstyle",
           "\\left", "\\right"} | {f"\\{size}{side}" for size in ("big", "Big", "bigg", "Bigg")
                                       for side in ("", "l", "r")}
_UNICODE = {"−": "-", "–": "-", "—": "-", "×": "\\times ", "·": "\\cdot ", "⋅": "\\cdot ", "÷": "\\div ",
            "∞": "\\infty ", "√": "\\sqrt ", **{char: f"\\{c} " for c, char in _GREEK_CHARS.items()}}
_TOKEN = (r"(?P<space>\s+)|(?P<command>\\(?:[A-Za-z]+|.))|(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
          r"|(?P<name>[A-Za-z][A-Za-z0-9]*)|(?P<symbol>\*\*|.)")
_DELIMITERS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))


class Token(NamedTuple):
    kind: str  # number, name, command, symbol or end
    text: str


def looks_like_latex(text: str) -> bool:
    """Text for this translator: a command, a TeX group, a $ delimiter or |x| (never plain Python)."""
    return any(mark in text for mark in ("\\", "{", "}", "$", "|"))


def strip_delimiters(text: str) -> str:
    """$x$, $$x$$, \\(x\\), \\[x\\] → x: math-mode delimiters are not part of the formula."""
    stripped = text.strip()
    for opening, closing in _DELIMITERS:
        if len(stripped) >= len(opening) + len(closing) and stripped.startswith(opening) \
                and stripped.endswith(closing):
            return stripped[len(opening):len(stripped) - len(closing)]
    return text


def tokenize(text: str) -> list[Token]:
    for char, spelled in _UNICODE.items():
        text = text.replace(char, spelled)
    tokens = []
    for match in re.finditer(_TOKEN, text, re.DOTALL):
        kind, value = match.lastgroup or "symbol", match.group()
        if value in ("\\left", "\\right") and text[match.end():match.end() + 1] == ".":
            raise Unparsable(f"{value}. (an invisible bracket) is not supported here: leave it out")
        if kind != "space" and value not in IGNORED:
            tokens.append(Token(kind, value))
    return tokens + [Token("end", "")]


def translate(text: str, functions: Collection[str] = (), variables: Collection[str] = ()) -> str:
    """LaTeX (or LaTeX mixed with plain notation) → Python-syntax formula text; `functions` are the
    plain names (log, sqrt ...) applied as \\ln is when written without a backslash; `variables`:
    a run of letters that are each a variable is their product, as in TeX (xy^2 is x·y²)."""
    tokens = [split for token in tokenize(strip_delimiters(text)) for split in _letters(token, variables)]
    translator = _Translator(tokens, functions)
    result = translator.expression()
    if translator.peek().kind != "end":
        raise _refuse(translator.peek())
    return result


def _letters(token: Token, variables: Collection[str]) -> list[Token]:
    if (token.kind == "name" and len(token.text) > 1 and token.text not in variables
            and all(letter in variables for letter in token.text)):
        return [Token("name", letter) for letter in token.text]
    return [token]


def _refuse(token: Token) -> Unparsable:
    if token.kind == "end":
        return Unparsable("the formula ends where a value is expected")
    if token.kind == "command":
        return Unparsable(f"the LaTeX command {token.text} is not supported here")
    return Unparsable(f"the '{token.text}' is not understood here")


class _Translator:
    """expression := term (± term)*; term := signed ((* | / | adjacent) factor)*;
    signed := (±)* power; power := atom [^ argument]; atom := number | name | group | command."""

    def __init__(self, tokens: list[Token], functions: Collection[str]):
        self.tokens, self.functions = tokens, set(functions)
        self.i = self.depth = 0
        self.inside_abs = False  # then a | where an operator could stand closes |...|

    def peek(self) -> Token:
        return self.tokens[self.i]

    def next(self) -> Token:
        token = self.tokens[self.i]
        self.i += token.kind != "end"
        return token

    def expect(self, text: str, opened: str) -> None:
        token = self.next()
        if token.text != text and (token.kind == "end" or token.text in CLOSE):
            found = f"closed by '{token.text}' instead of" if token.text else "never closed by"
            raise Unparsable(f"the '{opened}' is {found} '{text}'")
        if token.text != text:
            raise _refuse(token)

    def expression(self) -> str:
        parts = [self.term()]
        while self.peek().text in ("+", "-"):
            parts += [self.next().text, self.term()]
        return "".join(parts)

    def term(self) -> str:
        factors = [self.signed()]
        while self.peek().text in MULTIPLY or self.starts_factor(self.peek()):
            if self.peek().text in MULTIPLY:
                factors += [MULTIPLY[self.next().text], self.signed()]
            else:
                factors += ["*", self.adjacent_factor()]
        return "".join(factors)

    def adjacent_factor(self) -> str:
        before, token = self.tokens[self.i - 1], self.peek()
        if before.kind == "number" and token.kind == "number":  # 1\,000 or x^2 3: refused, not 1·000
            raise Unparsable(f"two numbers stand side by side ('{before.text}' and '{token.text}'): "
                             "write a product with \\cdot, or one number without spaces")
        return self.power()

    def negative(self) -> bool:
        """Leading signs, in a loop rather than recursion (------1 is fine): whether they negate."""
        negative = False
        while self.peek().text in ("+", "-"):
            negative ^= self.next().text == "-"
        return negative

    def signed(self) -> str:
        return f"-{self.power()}" if self.negative() else self.power()

    def power(self) -> str:
        base = self.atom()
        if self.peek().text not in POWER:
            return base
        self.next()
        exponent = self.exponent()
        if self.peek().text in POWER:
            raise Unparsable("a double exponent is ambiguous: write x^{a^{b}} or (x^{a})^{b}")
        return f"{base}**{exponent}"

    def exponent(self) -> str:
        return f"(-{self.argument('^')})" if self.negative() else self.argument("^")  # x^-1 is x^{-1}

    def starts_factor(self, token: Token) -> bool:
        if token.text in ABS_OPEN:
            return not self.inside_abs
        return token.kind in ("number", "name") or token.text in OPEN or (
            token.kind == "command" and token.text not in MULTIPLY and token.text not in CLOSE)

    def starts_function(self, token: Token) -> bool:
        return token.text[1:] in FUNCTIONS if token.kind == "command" else token.text in self.functions

    def atom(self) -> str:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise TooComplex(f"the formula is nested too deeply (more than {MAX_DEPTH} levels)")
        token = self.next()
        result = (token.text if token.kind == "number" else self.named(token.text) if token.kind == "name"
                  else self.group(token.text) if token.text in OPEN else self.command(token))
        self.depth -= 1
        return result

    def group(self, opening: str) -> str:
        outer, self.inside_abs = self.inside_abs, opening in ABS_OPEN
        body = self.expression()
        self.expect(OPEN[opening], opening)
        self.inside_abs = outer
        if opening in ABS_OPEN:
            return f"Abs({body})"
        return body if re.fullmatch(r"\w+", body) else f"({body})"  # x^{2} → x**2, not x**(2)

    def named(self, word: str) -> str:
        if word in self.functions:
            return self.apply(word)
        if keyword.iskeyword(word):
            raise Unparsable(f"the word '{word}' is not understood in a formula")
        return word + self.subscript()

    def command(self, token: Token) -> str:
        name = token.text[1:] if token.kind == "command" else ""
        if name in FUNCTIONS:
            return self.apply(FUNCTIONS[name])
        if name in VALUES:
            return VALUES[name] + ("" if name == "infty" else self.subscript())
        if name in FRACTIONS:
            pair = self.peek()
            if len(pair.text) == 2 and (pair.text.isdigit() or pair.text.isalpha()):  # \frac12: 1 over 2
                self.tokens[self.i:self.i + 1] = [Token(pair.kind, pair.text[0]), Token(pair.kind, pair.text[1])]
            return f"({self.argument(token.text)}/{self.argument(token.text)})"
        if name == "sqrt":
            index = self.group(self.next().text) if self.peek().text == "[" else ""  # \sqrt[3]{x}
            radicand = self.argument("\\sqrt")
            return f"root({radicand}, {index})" if index else f"sqrt({radicand})"  # ∛−8 is −2
        if name in DECORATIONS:
            return self.decorated(DECORATIONS[name])
        if name in WORDS:
            return self.word(token.text)
        raise _refuse(token)

    def argument(self, command: str) -> str:
        """The argument of ^, \\frac, \\sqrt: a {group} or, as in TeX, one character or command."""
        token = self.peek()
        if token.kind in ("number", "name") and len(token.text) > 1:
            raise Unparsable(f"'{command}{token.text}' is ambiguous: write {command}{{{token.text}}} "
                             f"(or {command}{{{token.text[0]}}}{token.text[1:]})")
        return self.atom()

    def apply(self, function: str) -> str:
        power = self.exponent() if self.peek().text in POWER and self.next() else ""
        if power == "(-1)":
            raise Unparsable(f"{function}^{{-1}} is ambiguous: write \\arc{function} x for the inverse "
                             f"function or 1/{function}(x) for the reciprocal")
        base = self.argument("\\log_") if function == "log" and self.peek().text == "_" and self.next() else ""
        arguments = self.call_arguments() if self.peek().text == "(" else [self.bare_argument(function)]
        call = f"{function}({', '.join(arguments + ([base] if base else []))})"  # \log_{b} x: log(x, b)
        return f"({call}**{power})" if power else call

    def call_arguments(self) -> list[str]:
        self.next()
        outer, self.inside_abs = self.inside_abs, False
        arguments = [self.expression()]
        while self.peek().text == "," and self.next():
            arguments.append(self.expression())
        self.expect(")", "(")
        self.inside_abs = outer
        return arguments

    def bare_argument(self, function: str) -> str:
        """\\ln 2x = ln(2x): the product that follows, up to an operator or the next function."""
        if not (self.starts_factor(self.peek()) or self.peek().text == "-"):  # \sin -x, not \ln + 2
            raise Unparsable(f"the function {function} needs an argument, e.g. {function}(x)")
        factors = [self.signed()]
        while self.starts_factor(self.peek()) and not self.starts_function(self.peek()):
            factors.append(self.adjacent_factor())
        return "*".join(factors)

    def subscript(self) -> str:
        if self.peek().text != "_":
            return ""
        self.next()
        if self.peek().text != "{":
            return "_" + self.subscript_part(self.next())
        self.next()
        parts, braces = [], 0
        while self.peek().text != "}" or braces:
            token = self.next()
            if token.text in ("{", "}"):  # those of \mathrm{pred} in x_{\mathrm{pred}}
                braces += 1 if token.text == "{" else -1
            elif token.text != "," and token.text[1:] not in WORDS:
                parts.append(self.subscript_part(token))
        self.next()
        if not parts:
            raise Unparsable("an empty subscript _{} is not understood")
        return "_" + "_".join(parts)

    def subscript_part(self, token: Token) -> str:
        if token.kind == "name" or token.text.isdigit():
            return token.text
        if token.kind == "command" and token.text[1:] in VALUES and token.text != "\\infty":
            return VALUES[token.text[1:]]
        if token.text in ("+", "-"):
            return "plus" if token.text == "+" else "minus"
        found = "the end of the formula" if token.kind == "end" else f"'{token.text}'"
        raise Unparsable(f"{found} in a subscript is not understood: use letters, digits, + and -")

    def decorated(self, decoration: str) -> str:
        braced = self.peek().text == "{" and bool(self.next())
        token = self.next()
        if not (token.kind == "name" or token.kind == "command" and token.text[1:] in VALUES):
            raise Unparsable(f"a {decoration} over '{token.text or 'nothing'}' is not understood: "
                             "put it over one letter, e.g. \\bar{\\alpha}_t")
        name = self.subscript_part(token) + "_" + decoration + self.subscript()
        if braced:
            self.expect("}", "{")
        return name + self.subscript()

    def word(self, command: str) -> str:
        """\\mathrm{e}, \\operatorname{erf}, \\text{...}: the letters inside as one name."""
        self.expect("{", command)
        word = ""
        while self.peek().kind in ("name", "number"):
            word += self.next().text
        self.expect("}", command + "{")
        if not word or word[0].isdigit():
            raise Unparsable(f"{command}{{{word}}} is not understood: it should hold a name such as e or erf")
        if command == "\\operatorname" and word not in self.functions:
            raise Unparsable(f"\\operatorname{{{word}}}: the function {word} is not supported here")
        return self.named(word)
