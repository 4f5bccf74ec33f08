"""Decode the tagged JSON a submission's process sends back, in the trusted parent.

The encoding (written by `grader/sandbox/child/harness.py`):

| JSON                                              | decoded as                          |
| ------------------------------------------------- | ----------------------------------- |
| null, true, false, string, finite number, array   | None, bool, str, int/float, list    |
| {"$float": "inf" / "-inf" / "nan"}                | float                               |
| {"$int": "123..."}                                | int (at most 1000 digits)           |
| {"$complex": [re, im]}                            | complex                             |
| {"$tuple": [...]}                                 | tuple                               |
| {"$numpy_scalar": {"dtype", "value"}}             | NumpyScalar                         |
| {"$ndarray": {"dtype", "shape", "data"}}          | NumpyArray (flat data + shape)      |
| {"$sympy": {"tree", "text"}}                      | SympyTree (rebuilt by `mathparse`)  |
| {"$callable": {"name", "signature"}}              | CallableInfo                        |
| {"$object": {"type", "repr"}}                     | OpaqueObject                        |

Anything else is a `ProtocolError`: the parent accepts only these types, never executes or
unpickles what it receives, and rejects bare NaN/Infinity constants and absurd nesting.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 64
MAX_INT_DIGITS = 1000
MAX_ARRAY_SIZE = 100_000


class ProtocolError(Exception):
    """The child sent something outside the tagged encoding."""


@dataclass(frozen=True)
class NumpyScalar:
    dtype: str
    value: Any


@dataclass(frozen=True)
class NumpyArray:
    dtype: str
    shape: tuple[int, ...]
    data: tuple[Any, ...]

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class SympyTree:
    tree: Any
    text: str


@dataclass(frozen=True)
class CallableInfo:
    name: str
    signature: str


@dataclass(frozen=True)
class OpaqueObject:
    type: str
    repr: str


def _reject_constant(name: str) -> None:
    raise ProtocolError(f"bare {name} is not allowed in an answer message")


def loads(line: str | bytes) -> Any:
    """Parse one message line: strict JSON, no NaN/Infinity literals."""
    try:
        return json.loads(line, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise ProtocolError(f"not valid JSON: {exc}") from None


def _text(x: Any, limit: int = 100_000) -> str:
    if not isinstance(x, str):
        raise ProtocolError(f"expected a string, got {type(x).__name__}")
    return clean_text(x[:limit])


# Control characters other than newline and tab: a student's string must not be able to move a
# terminal's cursor, retitle its window or hide text when a report is printed. Lone surrogates
# (a JSON "\\ud800") could not be written as UTF-8: a report must always be writable.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(text: str) -> str:
    return _CONTROL.sub("\ufffd", text)


def decode(x: Any, depth: int = 0) -> Any:
    """Turn one tagged JSON value into the Python value the checkers read."""
    if depth > MAX_DEPTH:
        raise ProtocolError("value nested too deeply")
    if isinstance(x, str):
        return clean_text(x)
    if x is None or isinstance(x, bool):
        return x
    if isinstance(x, int):
        return x
    if isinstance(x, float):
        if not math.isfinite(x):
            raise ProtocolError("non-finite float outside a $float tag")
        return x
    if isinstance(x, list):
        return [decode(v, depth + 1) for v in x]
    if not isinstance(x, dict) or len(x) != 1:
        raise ProtocolError(f"unexpected value {str(x)[:80]}")
    (tag, body), = x.items()
    if tag == "$float":
        if body not in ("inf", "-inf", "nan"):
            raise ProtocolError(f"bad $float {body!r}")
        return float(body)
    if tag == "$int":
        digits = _text(body)
        unsigned = digits[1:] if digits.startswith("-") else digits
        if not (0 < len(unsigned) <= MAX_INT_DIGITS and unsigned.isascii() and unsigned.isdigit()):
            raise ProtocolError("bad $int")
        return int(digits)
    if tag == "$complex":
        if not isinstance(body, list) or len(body) != 2:
            raise ProtocolError("bad $complex")
        parts = [decode(v, depth + 1) for v in body]
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in parts):
            raise ProtocolError("bad $complex")
        return complex(*parts)
    if tag == "$tuple":
        if not isinstance(body, list):
            raise ProtocolError("bad $tuple")
        return tuple(decode(v, depth + 1) for v in body)
    if not isinstance(body, dict):
        raise ProtocolError(f"bad {tag}")
    if tag == "$numpy_scalar":
        return NumpyScalar(_text(body.get("dtype"), 40), decode(body.get("value"), depth + 1))
    if tag == "$ndarray":
        shape = body.get("shape")
        data = body.get("data")
        if (not isinstance(shape, list) or len(shape) > 32
                or not all(type(n) is int and 0 <= n <= MAX_ARRAY_SIZE for n in shape)):
            raise ProtocolError("bad $ndarray shape")
        if not isinstance(data, list) or len(data) != math.prod(shape):
            raise ProtocolError("$ndarray data does not match its shape")
        return NumpyArray(_text(body.get("dtype"), 40), tuple(shape),
                          tuple(decode(v, depth + 1) for v in data))
    if tag == "$sympy":
        _check_tree(body.get("tree"), 0)
        return SympyTree(body["tree"], _text(body.get("text", ""), 500))
    if tag == "$callable":
        return CallableInfo(_text(body.get("name"), 100), _text(body.get("signature"), 200))
    if tag == "$object":
        return OpaqueObject(_text(body.get("type"), 200), _text(body.get("repr"), 300))
    raise ProtocolError(f"unknown tag {tag!r}")


def _check_tree(node: Any, depth: int) -> None:
    """Shape-check a sympy tree; `mathparse.rebuild` decides which functions are allowed."""
    if depth > 3 * MAX_DEPTH or not isinstance(node, dict) or not isinstance(node.get("f"), str):
        raise ProtocolError("bad sympy tree")
    if not isinstance(node.get("a", []), list):
        raise ProtocolError("bad sympy tree")
    for child in node.get("a", []):
        _check_tree(child, depth + 1)


def describe(value: Any) -> str:
    """A short, student-readable rendering of a decoded value."""
    if isinstance(value, SympyTree):
        return f"{value.text} (a sympy expression)"
    if isinstance(value, NumpyScalar):
        return f"{describe(value.value)} (numpy.{value.dtype})"
    if isinstance(value, NumpyArray):
        shown = ", ".join(describe(v) for v in value.data[:6]) + (", …" if value.size > 6 else "")
        return f"array of shape {value.shape}: [{shown}]"
    if isinstance(value, CallableInfo):
        return f"a function {value.name}{value.signature}"
    if isinstance(value, OpaqueObject):
        return f"an object of type {value.type}: {value.repr}"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return f"{value:.6g}"
    if isinstance(value, str):
        return repr(value if len(value) <= 80 else value[:77] + "...")
    if isinstance(value, (list, tuple)):
        inner = ", ".join(describe(v) for v in value[:6]) + (", …" if len(value) > 6 else "")
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    if isinstance(value, int) and abs(value) >= 10**20:
        return f"an integer with {len(str(abs(value)))} digits"
    return repr(value)


def encode(value: Any) -> Any:
    """The inverse of `decode`, used to cache the reference's answers on disk."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**53 else {"$int": str(value)}
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": "nan" if value != value else (
            "inf" if value > 0 else "-inf")}
    if isinstance(value, complex):
        return {"$complex": [encode(value.real), encode(value.imag)]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, NumpyScalar):
        return {"$numpy_scalar": {"dtype": value.dtype, "value": encode(value.value)}}
    if isinstance(value, NumpyArray):
        return {"$ndarray": {"dtype": value.dtype, "shape": list(value.shape),
                             "data": [encode(v) for v in value.data]}}
    if isinstance(value, SympyTree):
        return {"$sympy": {"tree": value.tree, "text": value.text}}
    if isinstance(value, CallableInfo):
        return {"$callable": {"name": value.name, "signature": value.signature}}
    if isinstance(value, OpaqueObject):
        return {"$object": {"type": value.type, "repr": value.repr}}
    raise TypeError(f"cannot encode {type(value).__name__}")
