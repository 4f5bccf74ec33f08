"""Turn a student's formula string or sympy tree into a sympy expression — without eval.

sympy's own string parsing calls `eval`, so student text never reaches `sympify`/`parse_expr`.
Instead a string becomes Python-syntax formula text — LaTeX (a backslash, a brace or a $) through
`latex.translate`, plain text through `normalise` (−, ∞, π, √, ², ^, ln 2, 2pi ...) — which is
parsed by Python's `ast` module and walked against a whitelist of node types, names and functions;
sympy objects are built directly from the allowed nodes, so both spellings meet the same whitelist
and limits. A derivation ending in its value ("1 - 0.2 = 0.8", "p = 1/2") is read after its last
`=` (`read_formula` says so in its note). Trees sent by the child are rebuilt in `sympy_tree.py`
with this module's checked operations. Sizes are capped so that `10**10**10` cannot freeze the
grader.
"""

from __future__ import annotations

import ast
import cmath
import keyword
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy

from grader.checking import latex
from grader.checking.checkers.base import TooComplex, Unparsable
from grader.checking.timebox import TimeLimitExceeded, time_limit

MAX_TEXT = 300
MAX_NODES = 400
MAX_EXPONENT = 1000
MAX_INT_DIGITS = 60
MAX_RESULT_DIGITS = 10_000
BUILD_SECONDS = 2.0

CONSTANTS: dict[str, Any] = {
    "pi": sympy.pi, "e": sympy.E, "E": sympy.E,
    "oo": sympy.oo, "inf": sympy.oo, "infinity": sympy.oo, "Infinity": sympy.oo, "infty": sympy.oo,
    "nan": sympy.nan, "NaN": sympy.nan, "zoo": sympy.zoo,
    "I": sympy.I, "j": sympy.I,
}

def checked_power(base: Any, exponent: Any) -> Any:
    """base ** exponent, refusing powers whose exact value would have an absurd number of digits.

    A time limit cannot interrupt one huge big-integer operation in C, so the size is estimated first.
    """
    finite_exponent = exponent.is_Number and exponent.is_finite is True  # nan compares with nothing
    if finite_exponent and abs(exponent) > MAX_EXPONENT:
        raise TooComplex(f"exponents above {MAX_EXPONENT} are not accepted")
    if base.is_Rational and finite_exponent and base not in (0, 1, -1):
        magnitude = max(abs(base.p), abs(base.q))
        if float(abs(exponent)) * math.log10(magnitude) > MAX_RESULT_DIGITS:
            raise TooComplex("the number is too large to check; simplify it")
    return base ** exponent


def _digits(number: Any) -> float:
    return (number.p.bit_length() + number.q.bit_length()) * 0.302 if number.is_Rational else 0.0


def checked_product(*factors: Any) -> Any:
    """A product, refusing exact integers whose product would have an absurd number of digits."""
    if sum(_digits(f) for f in factors) > MAX_RESULT_DIGITS:
        raise TooComplex("the number is too large to check; simplify it")
    return sympy.Mul(*factors)


def checked_gamma(x: Any) -> Any:
    if x.is_Number and x.is_finite is True and abs(x) > 1000:
        raise TooComplex("gamma of such a large argument is too large to check")
    return sympy.gamma(x)


def real_root(x: Any, n: Any) -> Any:
    """The n-th root a student means: real for an odd n (the cube root of −8 is −2), sympy's
    principal root otherwise."""
    if n.is_Integer and n.is_odd:
        return sympy.real_root(x, n)
    return checked_power(x, 1 / n)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "log": sympy.log, "ln": sympy.log, "exp": sympy.exp, "sqrt": sympy.sqrt,
    "root": real_root, "cbrt": lambda x: real_root(x, sympy.Integer(3)),
    "log10": lambda x: sympy.log(x, 10), "log2": lambda x: sympy.log(x, 2),
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan,
    "sec": sympy.sec, "csc": sympy.csc, "cot": sympy.cot,
    "asin": sympy.asin, "acos": sympy.acos, "atan": sympy.atan,
    "arcsin": sympy.asin, "arccos": sympy.acos, "arctan": sympy.atan,
    "sinh": sympy.sinh, "cosh": sympy.cosh, "tanh": sympy.tanh, "abs": sympy.Abs, "Abs": sympy.Abs,
    "erf": sympy.erf, "erfc": sympy.erfc, "gamma": checked_gamma,
    "Phi": lambda x: (1 + sympy.erf(x / sympy.sqrt(2))) / 2,
    "Heaviside": sympy.Heaviside, "sign": sympy.sign,
}

_REPLACEMENTS = [
    ("−", "-"), ("–", "-"), ("—", "-"), ("×", "*"), ("·", "*"), ("⋅", "*"), ("÷", "/"),
    ("∞", " oo "), ("π", " pi "), ("√", " sqrt "), ("^", "**"), ("Φ", " Phi "),
    *latex.GREEK_LETTERS.items(),  # α → alpha, as LaTeX's \alpha
]
_ONE_ARGUMENT = ("ln", "log", "log10", "log2", "exp", "sqrt", "sin", "cos", "tan", "sec", "csc", "cot",
                 "asin", "acos", "atan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh")
# "ln 2", "sin x": a function name followed by a bare number or name, no parenthesis
_BARE_CALL = (r"\b(" + "|".join(_ONE_ARGUMENT) + r")\s+((?:[0-9.]+|[A-Za-z_]\w*)"
              r"(?:\s*(?:\^|\*\*)\s*(?:[0-9.]+|[A-Za-z_]\w*|\([^()]*\)))?)")
"""The power goes with the argument, as in LaTeX: "ln e^2" is ln(e²), "sin x^2" is sin(x²)."""
# implicit multiplication of a number and a name or bracket: 2pi, 2 sqrt(2), 0.5(1+x); a number
# may group its digits with underscores as Python does (1_000), so `_` never starts the name
_NUMBER_THEN_NAME = (r"(?<![\w.])((?>\d(?:_?\d)*\.?(?:\d(?:_?\d)*)?(?:[eE][+-]?\d+)?))\s*"
                     r"(?=[A-Za-z(])(?!(?:if|else|for|in|and|or|not|is|lambda)\b)")
_INFINITY_WORDS = {"+inf": "oo", "-inf": "-oo", "+infinity": "oo", "-infinity": "-oo", "infinity": "oo",
                   "inf": "oo", "+oo": "oo", "-oo": "-oo", "positiveinfinity": "oo",
                   "negativeinfinity": "-oo", "minusinfinity": "-oo"}
# zero-width spaces, word joiner, byte-order mark, soft hyphen: pasted along, never seen by the student
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_CALL_LABEL = r"([A-Za-z_]\w*)\(\s*[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*\s*\)"
SIDES_RTOL = 1e-9
"""Two number sides of a derivation's `=` agree this closely, beyond the rounding of a last value
written as a decimal ("1/3 = 0.333" is read as 0.333; "1 - 0.2 = 0.7" is refused)."""
# Python names for what LaTeX spells out (\epsilon, \lambda): variables eps_pred, lam
_ABBREVIATIONS = {"epsilon": "eps", "lambda": "lam", "lamda": "lam"}


def normalise(text: str) -> str:
    """Make common plain-text spellings parseable: −ln 2, √2/2, 2^3, 2pi, ∞, π, α, x², 1_000."""
    text = unicodedata.normalize("NFKC", re.sub(_SUPERSCRIPT_RUN, _as_power, text))  # NFKC: ² → 2
    for old, new in _REPLACEMENTS:
        text = text.replace(old, new)
    text = re.sub(_BARE_CALL, r"\1(\2)", text)
    text = re.sub(_NUMBER_THEN_NAME, r"\1*", text)
    return text.strip()


def _name_key(name: str) -> str:
    """One spelling for x_0 and x0, epsilon_pred and eps_pred (LaTeX's x_0 and \\epsilon_{pred})."""
    spelled = "_".join(_ABBREVIATIONS.get(part, part) for part in name.split("_"))
    return re.sub(r"_(?=\d)", "", spelled)


def _symbols_by_key(symbols: dict[str, sympy.Symbol]) -> dict[str, sympy.Symbol]:
    keys: dict[str, sympy.Symbol | None] = {}
    for name, symbol in symbols.items():
        key = _name_key(name)
        keys[key] = None if key in keys else symbol  # two variables spelled alike: neither by its key
    return {key: symbol for key, symbol in keys.items() if symbol is not None}


class _Builder:
    def __init__(self, symbols: dict[str, sympy.Symbol], source: str):
        self.symbols = symbols
        self.symbols_by_key = _symbols_by_key(symbols)
        self.source = source.encode()  # ast's column offsets count UTF-8 bytes
        self.nodes = 0

    def build(self, node: ast.AST) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise TooComplex("the expression is too long to check; simplify it")
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise Unparsable(f"'{ast.unparse(node)[:40]}' is not allowed in a formula: use numbers, "
                             "+ - * / **, parentheses and functions such as log, exp, sqrt")
        return method(node)

    def _Expression(self, node: ast.Expression) -> Any:
        return self.build(node.body)

    def _Constant(self, node: ast.Constant) -> Any:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise Unparsable(f"{value!r} is not a number")
        if isinstance(value, int):
            if len(str(abs(value))) > MAX_INT_DIGITS:
                raise TooComplex("an integer in the formula has too many digits")
            return sympy.Integer(value)
        if math.isinf(value) or value == 0:
            return self._beyond_float_range(node)
        return sympy.Float(value)

    def _beyond_float_range(self, node: ast.Constant) -> Any:
        """1e400 overflows a float to inf and 1e-400 underflows to 0: read them as m·10^k, so that
        1e400 is the finite number that 10**400 is (with the same limits), never ∞."""
        literal = self.source[node.col_offset:node.end_col_offset].decode().replace("_", "").lower()
        mantissa, _, exponent = literal.partition("e")
        if float(mantissa) == 0:
            return sympy.Float(0.0)
        return checked_product(sympy.Float(float(mantissa)),
                               checked_power(sympy.Integer(10), sympy.Integer(int(exponent or 0))))

    def _Name(self, node: ast.Name) -> Any:
        if node.id in self.symbols:
            return self.symbols[node.id]
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        if _name_key(node.id) in self.symbols_by_key:
            return self.symbols_by_key[_name_key(node.id)]
        if len(node.id) <= 10 and all(letter in self.symbols for letter in node.id):
            return sympy.Mul(*(self.symbols[letter] for letter in node.id))  # "xy": x·y, as in TeX
        known = ", ".join(sorted(self.symbols)) or "none"
        raise Unparsable(f"unknown name '{node.id}' (variables allowed here: {known}; constants: "
                         "pi, e, oo)")

    def _UnaryOp(self, node: ast.UnaryOp) -> Any:
        operand = self.build(node.operand)
        if isinstance(node.op, ast.USub):
            return -operand
        if isinstance(node.op, ast.UAdd):
            return operand
        raise Unparsable("only + and - may stand before a value")

    def _BinOp(self, node: ast.BinOp) -> Any:
        left, right = self.build(node.left), self.build(node.right)
        op = type(node.op)
        if op is ast.Add:
            return left + right
        if op is ast.Sub:
            return left - right
        if op is ast.Mult:
            return checked_product(left, right)
        if op is ast.Div:
            return left / right
        if op is ast.Pow:
            return checked_power(left, right)
        raise Unparsable(f"the operator {ast.unparse(node)[:30]!r} is not allowed")

    def _Call(self, node: ast.Call) -> Any:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            name = ast.unparse(node.func)[:30]
            raise Unparsable(f"the function '{name}' is not allowed; allowed: "
                             + ", ".join(sorted(FUNCTIONS)))
        if node.keywords or not node.args or len(node.args) > 2:
            raise Unparsable(f"call {node.func.id}(...) with one or two plain arguments")
        return FUNCTIONS[node.func.id](*[self.build(a) for a in node.args])


@dataclass(frozen=True)
class ReadFormula:
    """A formula read from text, and how, where a report should say so."""

    expr: Any
    note: str = ""
    """e.g. "read the value after the last '='"; "" when the text was read as it stands."""


def read_formula(text: str, variables: list[str] | tuple[str, ...] = ()) -> ReadFormula:
    """Read a formula string (plain or LaTeX, possibly a derivation ending in `= value`) into a
    sympy expression, or raise Unparsable/TooComplex saying what was not understood."""
    if len(text) > MAX_TEXT:
        raise TooComplex(f"the formula is longer than {MAX_TEXT} characters")
    text = _visible_text(text)
    if len(text) > 2 * MAX_TEXT:  # NFKC can lengthen text (a ligature or ﷽ becomes many letters)
        raise TooComplex(f"the formula is longer than {MAX_TEXT} characters once normalised")
    as_latex = latex.looks_like_latex(text)  # all sides alike: in $p = 1/2$ the p is LaTeX too
    text = latex.strip_delimiters(text)
    if "#" in text:  # ast would drop the rest as a comment: "1#2" must not read as 1
        raise Unparsable("the '#' is not understood in a formula (Python would ignore everything after "
                         "it): write only the formula")
    sides = _split_at_equals(text)
    if len(sides) == 1:
        return ReadFormula(_read_side(text, variables, as_latex))
    return _read_derivation(sides, variables, as_latex)


def parse_formula(text: str, variables: list[str] | tuple[str, ...] = ()) -> Any:
    """Parse a formula string into a sympy expression, or raise Unparsable/TooComplex."""
    return read_formula(text, variables).expr


_SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾ⁿˣ", "0123456789+-()nx"))
_SUPERSCRIPT_RUN = f"[{''.join(_SUPERSCRIPTS)}]+"


def _as_power(run: re.Match[str]) -> str:
    """10⁻⁶ is 10^(-6): NFKC would make it 10-6."""
    return "^(" + "".join(_SUPERSCRIPTS[c] for c in run.group()) + ")"


def _visible_text(text: str) -> str:
    """Whitespace (newlines too) as spaces, invisible characters dropped, NFKC; a control character refused."""
    text = re.sub(_SUPERSCRIPT_RUN, _as_power, text.translate(_INVISIBLE))  # before NFKC (x⁻¹ → x-1)
    for char in text:
        if not char.isspace() and unicodedata.category(char).startswith("C"):
            raise Unparsable(f"a control character (U+{ord(char):04X}) is not understood in a formula: "
                             "type the formula again as plain text")
    return unicodedata.normalize("NFKC", "".join(" " if char.isspace() else char for char in text))


def _split_at_equals(text: str) -> list[str]:
    """The sides of a derivation's `=`s outside brackets; ==, <=, >=, != and := are not such an
    `=` (they are refused later, as is log(x=1))."""
    depth, cuts = 0, [-1]
    for position, char in enumerate(text):
        depth += (char in "([{") - (char in ")]}")
        if depth == 0 and char == "=" and text[position + 1:position + 2] != "=" \
                and text[position - 1:position] not in ("=", "<", ">", "!", ":"):
            cuts.append(position)
    return [text[start + 1:end] for start, end in zip(cuts, [*cuts[1:], len(text)])]


def _formula_text(side: str, variables: list[str] | tuple[str, ...], as_latex: bool) -> str:
    """Python-syntax formula text: LaTeX through its translator, plain text through normalise."""
    if as_latex:
        return latex.translate(side, FUNCTIONS.keys() - set(variables), variables)
    cleaned = normalise(side)
    return _INFINITY_WORDS.get(cleaned.lower().replace(" ", ""), cleaned)


def _read_side(side: str, variables: list[str] | tuple[str, ...], as_latex: bool) -> Any:
    cleaned = _formula_text(side, variables, as_latex)
    try:
        tree = ast.parse(cleaned, mode="eval")
    except SyntaxError as exc:
        raise Unparsable(_syntax_message(side, cleaned, exc)) from None
    except (RecursionError, MemoryError):
        raise TooComplex("the formula is nested too deeply") from None
    symbols = {name: sympy.Symbol(name, real=True) for name in variables}
    try:
        with time_limit(BUILD_SECONDS):
            return _Builder(symbols, cleaned).build(tree)
    except RecursionError:
        raise TooComplex("the formula is nested too deeply") from None
    except MemoryError:  # mpmath refuses a number too large to hold: gamma(gamma(1000**pi))
        raise TooComplex("the formula's value is too large to compute; simplify it") from None
    except TimeLimitExceeded:
        raise TooComplex("the formula takes too long to read; simplify it") from None
    except (TypeError, ValueError, ArithmeticError) as exc:  # e.g. exp(1, 2): a wrong argument count
        raise Unparsable(f"could not read '{side.strip()}' as a formula ({exc})") from None


def _syntax_message(side: str, cleaned: str, error: SyntaxError) -> str:
    where = ""
    if error.offset and 0 < error.offset <= len(cleaned):
        where = f" at '{cleaned[error.offset - 1:error.offset + 9]}'"
    grouping = (" (digits may be grouped with single underscores between them, as in 1_000)"
                if re.search(r"\d_|_\d", cleaned) else "")
    return (f"could not read '{side.strip()}' as a formula: {error.msg}{where}{grouping} (e.g. write "
            "-log(3), 0.25, 2*sqrt(5) or inf)")


def _read_derivation(sides: list[str], variables: list[str] | tuple[str, ...], as_latex: bool) -> ReadFormula:
    """"1 - 0.2 = 0.8", "p = 1/2": the value after the last `=`; a bare name before the first `=`
    is a label; sides that are numbers must agree with that value."""
    if any(not side.strip() for side in sides):
        raise Unparsable("a side of '=' is empty: write the value, or a derivation ending in it "
                         "(e.g. p = 1 - 0.2 = 0.8)")
    label = _is_label(_formula_text(sides[0], variables, as_latex))
    steps = sides[1:] if label else sides
    values = [_read_side(step, variables, as_latex) for step in steps]
    rounding = _written_rounding(steps[-1])
    for step, earlier in zip(steps, values[:-1]):
        if not _numbers_agree(earlier, values[-1], rounding):
            raise Unparsable(f"the sides of '=' disagree: {step.strip()} is {_shown(earlier)} but "
                             f"{steps[-1].strip()} is {_shown(values[-1])}; give only the value")
    named = f" ('{sides[0].strip()}' before it is a name)" if label else ""
    return ReadFormula(values[-1], f"read the value after the last '='{named}")


def _is_label(formula_text: str) -> bool:
    """`p`, `α_2`, `\\bar{\\alpha}_2`, `f(z)` before `=`: what is being computed, not a value."""
    text = formula_text.strip()
    if text.isidentifier():  # but pi = 3.14159 compares two values
        return not keyword.iskeyword(text) and text not in CONSTANTS
    call = re.fullmatch(_CALL_LABEL, text)
    return call is not None and call.group(1) not in FUNCTIONS


_DECIMAL_LITERAL = r"\s*[-+]?\d+(?:\.(\d*))?(?:[eE]([-+]?\d{1,3}))?\s*"


def _written_rounding(side: str) -> float:
    """Half a unit in the last place of a value written as a decimal ("0.7071": 5e-5), as a person
    rounds a derivation's result ("sqrt(2)/2 = 0.7071"); 0 for any other side."""
    match = re.fullmatch(_DECIMAL_LITERAL, side.replace("−", "-"))
    if not match:
        return 0.0
    places = len(match.group(1) or "") - int(match.group(2) or 0)
    return 0.5 * 10.0 ** -places


def _numbers_agree(a: Any, b: Any, rounding: float = 0.0) -> bool:
    """Whether two sides agree (within `rounding`, the last value's own rounding); only sides
    without variables are compared (a step such as x^2 - 1 = (x-1)(x+1) is left to the checker),
    and ones that cannot be evaluated pass."""
    if a.free_symbols or b.free_symbols or a == b:
        return True
    try:
        with time_limit(BUILD_SECONDS):
            x, y = complex(a.evalf(20)), complex(b.evalf(20))
    except (TypeError, ValueError, ArithmeticError, TimeLimitExceeded):
        return True
    if not (cmath.isfinite(x) and cmath.isfinite(y)):
        return x == y
    return abs(x - y) <= rounding * (1 + SIDES_RTOL) + SIDES_RTOL * max(abs(x), abs(y))


def _shown(expr: Any) -> str:
    try:
        value = complex(expr.evalf(12))
    except (TypeError, ValueError, ArithmeticError):
        return sympy.sstr(expr)[:40]
    if not cmath.isfinite(value) and expr.is_finite:  # 1e400 overflows the float, is not ∞
        return "a number beyond float range"
    return f"{value.real:.10g}" if value.imag == 0 else f"{value:.10g}"
