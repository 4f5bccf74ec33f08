"""Turn a student's formula string or sympy tree into a sympy expression — without eval.

sympy's own string parsing calls `eval`, so student text never reaches `sympify`/`parse_expr`.
Instead a string is normalised (−, ∞, π, √, ², ^, ln ...), parsed by Python's `ast` module and
walked against a whitelist of node types, names and functions; sympy objects are built directly
from the allowed nodes. Trees sent by the child (`values.SympyTree`) are rebuilt from a whitelist
of sympy classes in the same way. Sizes are capped so that `10**10**10` cannot freeze the grader.
"""

from __future__ import annotations

import ast
import math
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import sympy

from grader.checking.checkers.base import TooComplex, Unparsable
from grader.checking.timebox import TimeLimitExceeded, time_limit

MAX_TEXT = 300
MAX_NODES = 400
MAX_EXPONENT = 1000
MAX_INT_DIGITS = 60
MAX_RESULT_DIGITS = 10_000
MAX_TREE_NODES = 2_000
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


def _checked_gamma(x: Any) -> Any:
    if x.is_Number and x.is_finite is True and abs(x) > 1000:
        raise TooComplex("gamma of such a large argument is too large to check")
    return sympy.gamma(x)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "log": sympy.log, "ln": sympy.log, "exp": sympy.exp, "sqrt": sympy.sqrt,
    "log10": lambda x: sympy.log(x, 10), "log2": lambda x: sympy.log(x, 2),
    "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan, "atan": sympy.atan,
    "tanh": sympy.tanh, "abs": sympy.Abs, "Abs": sympy.Abs,
    "erf": sympy.erf, "erfc": sympy.erfc, "gamma": _checked_gamma,
    "Phi": lambda x: (1 + sympy.erf(x / sympy.sqrt(2))) / 2,
    "Heaviside": sympy.Heaviside, "sign": sympy.sign,
}

# sympy classes a tree from the child may contain, by class name.
TREE_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "Add": sympy.Add, "Mul": sympy.Mul, "Pow": sympy.Pow,
    "exp": sympy.exp, "log": sympy.log, "sin": sympy.sin, "cos": sympy.cos, "tan": sympy.tan,
    "atan": sympy.atan, "tanh": sympy.tanh, "Abs": sympy.Abs, "sign": sympy.sign,
    "erf": sympy.erf, "erfc": sympy.erfc, "gamma": _checked_gamma, "Heaviside": sympy.Heaviside,
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

_REPLACEMENTS = [
    ("−", "-"), ("–", "-"), ("—", "-"), ("×", "*"), ("·", "*"), ("⋅", "*"), ("÷", "/"),
    ("∞", " oo "), ("π", " pi "), ("√", " sqrt "), ("^", "**"),
    ("Φ", " Phi "), ("ℯ", " e "),
]


def normalise(text: str) -> str:
    """Make common handwritten spellings parseable: −ln 2, √2/2, 2^3, e^{-1}, ∞, π."""
    text = text.replace("²", "**2").replace("³", "**3")  # before NFKC, which turns ² into 2
    text = unicodedata.normalize("NFKC", text)
    for old, new in _REPLACEMENTS:
        text = text.replace(old, new)
    text = text.replace("{", "(").replace("}", ")")
    text = re.sub(r"\\(ln|log|exp|sqrt|pi|infty|Phi)\b", r"\1", text)  # LaTeX-ish
    # "ln 2" and "sqrt 2": a function name followed by a bare number or name, no parenthesis
    text = re.sub(r"\b(ln|log|log10|log2|exp|sqrt)\s+([0-9.]+|[A-Za-z_]\w*)", r"\1(\2)", text)
    # implicit multiplication of a number and a name or bracket: 2pi, 2 sqrt(2), 0.5(1+x)
    text = re.sub(r"(?<![\w.])((?>\d+\.?\d*(?:[eE][+-]?\d+)?))\s*"
                  r"(?=[A-Za-z_(])(?!(?:if|else|for|in|and|or|not|is|lambda)\b)", r"\1*", text)
    return text.strip()


class _Builder:
    def __init__(self, symbols: dict[str, sympy.Symbol]):
        self.symbols = symbols
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
        return sympy.Float(value) if value == value and abs(value) != float("inf") else (
            sympy.nan if value != value else (sympy.oo if value > 0 else -sympy.oo))

    def _Name(self, node: ast.Name) -> Any:
        if node.id in self.symbols:
            return self.symbols[node.id]
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
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


def parse_formula(text: str, variables: list[str] | tuple[str, ...] = ()) -> Any:
    """Parse a formula string into a sympy expression, or raise Unparsable/TooComplex."""
    if len(text) > MAX_TEXT:
        raise TooComplex(f"the formula is longer than {MAX_TEXT} characters")
    cleaned = normalise(text)
    lowered = cleaned.lower().replace(" ", "")
    for word, value in (("+inf", "oo"), ("-inf", "-oo"), ("+infinity", "oo"), ("-infinity", "-oo"),
                        ("infinity", "oo"), ("inf", "oo"), ("+oo", "oo"), ("-oo", "-oo"),
                        ("positiveinfinity", "oo"), ("negativeinfinity", "-oo"), ("minusinfinity", "-oo")):
        if lowered == word:
            cleaned = value
            break
    try:
        tree = ast.parse(cleaned, mode="eval")
    except SyntaxError:
        raise Unparsable(f"could not read '{text}' as a formula (e.g. write -log(3), 0.25, "
                         "2*sqrt(5) or inf)") from None
    except (RecursionError, MemoryError, ValueError):
        raise TooComplex("the formula is nested too deeply") from None
    symbols = {name: sympy.Symbol(name, real=True) for name in variables}
    try:
        with time_limit(BUILD_SECONDS):
            return _Builder(symbols).build(tree)
    except RecursionError:
        raise TooComplex("the formula is nested too deeply") from None
    except TimeLimitExceeded:
        raise TooComplex("the formula takes too long to read; simplify it") from None
    except (TypeError, ValueError, ArithmeticError) as exc:  # e.g. exp(1, 2): a wrong argument count
        raise Unparsable(f"could not read '{text}' as a formula ({exc})") from None


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
