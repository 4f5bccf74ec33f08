"""Decode the tagged JSON a submission's process sends back, in the trusted parent.

The encoding (written by `grader/sandbox/child/harness.py`):

| JSON                                                  | decoded as                            |
| ----------------------------------------------------- | ------------------------------------- |
| null, true, false, string, finite number, array       | None, bool, str, int/float, list      |
| {"$float": "inf" / "-inf" / "nan"}                    | float                                 |
| {"$int": "123..."}                                    | int (at most 1000 digits)             |
| {"$fraction": ["-3", "4"]}                            | fractions.Fraction (1000 digits each) |
| {"$decimal": "-1.25E+7"}                              | decimal.Decimal (see below)           |
| {"$complex": [re, im]}                                | complex                               |
| {"$tuple": [...]}                                     | tuple                                 |
| {"$namedtuple": {"type", "fields", "values"}}         | NamedValues (a tuple, with its names) |
| {"$set": [...]}                                       | frozenset (at most 1000 items)        |
| {"$dict": [["key", value], ...]}                      | dict[str, Any] (at most 1000 entries) |
| {"$numpy_scalar": {"dtype", "value"}}                 | NumpyScalar                           |
| {"$ndarray": {"dtype", "shape", "data"}}              | NumpyArray (flat data + shape)        |
| {"$sympy": {"tree", "text"}}                          | SympyTree (rebuilt by `mathparse`)    |
| {"$callable": {"name", "signature"}}                  | CallableInfo                          |
| {"$object": {"type", "repr"}}                         | OpaqueObject                          |

How the child reads and sends the types beyond JSON's own:

- `fractions.Fraction` (and subclasses, read from the base class's slots): `$fraction`, the
  numerator with its sign and a positive denominator; the parent refuses a zero denominator.
- `decimal.Decimal` (read through the base class's methods): `$decimal`, the text of
  `Decimal.__str__` (`-0.00125`, `1.5E+20`), or `Infinity`, `-Infinity`, `NaN` (a NaN's sign and
  payload are dropped, a zero's exponent too). The parent accepts only that grammar, at most
  1100 characters, and refuses a magnitude beyond 10**±100000 (`MAX_DECIMAL_EXPONENT`) with a
  ProtocolError; the child refuses such a value itself (too large), so only a forged message
  meets the ProtocolError and a checker never sees an absurd exponent.
- mpmath's `mpf` (sympy's dependency): `$decimal`, converted by mpmath's own `to_str` with the
  digits its mantissa holds (at most 1000), within the same bounds. `mpc`: `$complex` of two floats
  (a complex answer is compared as floats anyway); one beyond the range of a float is refused.
- `set`/`frozenset`: `$set`, items sorted by their JSON text (the same set is sent the same way
  every time); decoded as a frozenset. A set whose items would decode unhashable (a hashable list
  subclass) is sent as `$object`. The parent refuses an unhashable item, and more than
  `MAX_SAME_HASH` items sharing one hash (a forged set built to make the parent slow).
- `dict` with string keys (any dict subclass, read with `dict.items`), in its own order; any other
  key makes it an `$object`. Decoded as a plain dict; keys are cleaned like any text.
- a namedtuple (a tuple subclass whose `_fields` are as many distinct identifiers as it has
  items): `$namedtuple`. It is decoded as `NamedValues`, a tuple subclass, so every checker that
  reads a tuple reads it unchanged, and `.type`, `.fields`, `.as_dict()` give the names.

Anything else is a `ProtocolError`: the parent accepts only these types, never executes or
unpickles what it receives, and rejects bare NaN/Infinity constants and absurd nesting.

One module of over 400 lines on purpose: each tag's decoding, its inverse (`encode`, for the
reference cache) and its rendering for students (`describe`) change together, next to this table.
"""

from __future__ import annotations

import collections
import decimal
import fractions
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

MAX_DEPTH = 64
MAX_INT_DIGITS = 1000
MAX_ARRAY_SIZE = 100_000
MAX_DECIMAL_CHARS = 1100
"""1000 digits, a sign, a point, leading zeros and an exponent."""
MAX_DECIMAL_EXPONENT = 100_000
"""A decimal beyond 10**±this is refused (the child refuses it too: harness.MAX_DECIMAL_EXPONENT)."""
MAX_SET_ITEMS = 1000
MAX_SAME_HASH = 16
"""More items of a $set sharing one hash than this is a forged message (building the set would
cost the square of their number in comparisons): an honest child sends distinct values."""
MAX_DICT_ITEMS = 1000
MAX_FIELD_NAME = 100


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

    def __hash__(self) -> int:  # the tree is a dict: hashed by its text, so that a set can hold it
        return hash(("SympyTree", self.text))


@dataclass(frozen=True)
class CallableInfo:
    name: str
    signature: str


@dataclass(frozen=True)
class OpaqueObject:
    type: str
    repr: str


class NamedValues(tuple[Any, ...]):
    """A namedtuple's values, with its type's name and its field names.

    A tuple (equal to, and hashed as, the plain tuple of its values), so that every reader of a
    tuple reads it unchanged; `fields` and `as_dict()` read it by name. Immutable.
    """

    type: str
    fields: tuple[str, ...]

    def __new__(cls, type_name: str, fields: Iterable[str], values: Iterable[Any]) -> NamedValues:
        self = super().__new__(cls, values)
        names = tuple(fields)
        if len(names) != len(self):
            raise ValueError("as many field names as values are needed")
        object.__setattr__(self, "type", type_name)
        object.__setattr__(self, "fields", names)
        return self

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("NamedValues is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("NamedValues is immutable")

    def __reduce__(self) -> tuple[Any, ...]:
        return (NamedValues, (self.type, self.fields, tuple(self)))

    @property
    def values(self) -> tuple[Any, ...]:
        return tuple(self)

    def as_dict(self) -> dict[str, Any]:
        return dict(zip(self.fields, self))

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={value!r}" for name, value in zip(self.fields, self))
        return f"{self.type}({inner})"


_dumps = json.JSONEncoder(ensure_ascii=True, allow_nan=False, separators=(",", ":")).encode
"""The child's JSON writer (harness._dumps): the order of a set's items is the order of these texts."""


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
        return _int(body, "$int")
    if tag == "$fraction":
        if not isinstance(body, list) or len(body) != 2:
            raise ProtocolError("bad $fraction")
        numerator, denominator = _int(body[0], "$fraction"), _int(body[1], "$fraction")
        if denominator <= 0:
            raise ProtocolError("a $fraction's denominator must be positive")
        return fractions.Fraction(numerator, denominator)
    if tag == "$decimal":
        return _decimal(body)
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
    if tag == "$set":
        return _set(body, depth)
    if tag == "$dict":
        return _dict(body, depth)
    if not isinstance(body, dict):
        raise ProtocolError(f"bad {tag}")
    if tag == "$namedtuple":
        return _namedtuple(body, depth)
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


def _int(x: Any, tag: str) -> int:
    """Decimal digits with an optional minus sign, at most MAX_INT_DIGITS of them."""
    digits = _text(x)
    unsigned = digits[1:] if digits.startswith("-") else digits
    if not (0 < len(unsigned) <= MAX_INT_DIGITS and unsigned.isascii() and unsigned.isdigit()):
        raise ProtocolError(f"bad {tag}")
    return int(digits)


_DECIMAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]{1,7})?|-?Infinity|NaN")


def _decimal(x: Any) -> decimal.Decimal:
    if not isinstance(x, str) or len(x) > MAX_DECIMAL_CHARS or not _DECIMAL.fullmatch(x):
        raise ProtocolError("bad $decimal")
    value = decimal.Decimal(x)  # exact: no context applies to a conversion from text
    if value.is_finite() and not value.is_zero() and abs(value.adjusted()) > MAX_DECIMAL_EXPONENT:
        raise ProtocolError(f"a $decimal beyond 10**±{MAX_DECIMAL_EXPONENT}")
    return value


def _set(body: Any, depth: int) -> frozenset[Any]:
    if not isinstance(body, list) or len(body) > MAX_SET_ITEMS:
        raise ProtocolError("bad $set")
    items = [decode(v, depth + 1) for v in body]
    try:
        hashes = collections.Counter(hash(v) for v in items)
    except TypeError:
        raise ProtocolError("a $set holds a value that cannot be in a set") from None
    if hashes and max(hashes.values()) > MAX_SAME_HASH:
        raise ProtocolError("a $set whose items share one hash")
    return frozenset(items)


def _dict(body: Any, depth: int) -> dict[str, Any]:
    if not isinstance(body, list) or len(body) > MAX_DICT_ITEMS:
        raise ProtocolError("bad $dict")
    result: dict[str, Any] = {}
    seen: set[str] = set()
    for entry in body:
        if not isinstance(entry, list) or len(entry) != 2 or not isinstance(entry[0], str):
            raise ProtocolError("bad $dict entry")
        if entry[0] in seen:
            raise ProtocolError("a $dict with a key twice")
        seen.add(entry[0])
        result[_text(entry[0])] = decode(entry[1], depth + 1)
    return result


def _namedtuple(body: dict[str, Any], depth: int) -> NamedValues:
    fields, values = body.get("fields"), body.get("values")
    if not isinstance(fields, list) or not isinstance(values, list) or len(fields) != len(values):
        raise ProtocolError("bad $namedtuple")
    if not all(isinstance(f, str) and len(f) <= MAX_FIELD_NAME and f.isidentifier() for f in fields) \
            or len(set(fields)) != len(fields):
        raise ProtocolError("bad $namedtuple field names")
    return NamedValues(_text(body.get("type"), MAX_FIELD_NAME), fields,
                       [decode(v, depth + 1) for v in values])


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
    if isinstance(value, NamedValues):
        shown = ", ".join(f"{k}={describe(v)}" for k, v in zip(value.fields[:6], value))
        return f"{value.type}({shown}{', …' if len(value) > 6 else ''})"
    if isinstance(value, (set, frozenset)):
        if not value:
            return "an empty set"
        items = sorted(describe(v) for v in value)  # iteration order varies between runs
        return "{" + ", ".join(items[:6]) + (", …" if len(items) > 6 else "") + "}"
    if isinstance(value, dict):
        shown = ", ".join(f"{describe(k)}: {describe(v)}" for k, v in list(value.items())[:6])
        return "{" + shown + (", …" if len(value) > 6 else "") + "}"
    if isinstance(value, fractions.Fraction):
        if max(abs(value.numerator), value.denominator) >= 10**20:
            return (f"a fraction of {len(str(abs(value.numerator)))} digits over "
                    f"{len(str(value.denominator))} digits")
        return f"Fraction({value.numerator}, {value.denominator})"
    if isinstance(value, decimal.Decimal):
        text = str(value)
        return f"Decimal('{text if len(text) <= 40 else text[:28] + '…' + text[-10:]}')"
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
    if isinstance(value, fractions.Fraction):
        return {"$fraction": [str(value.numerator), str(value.denominator)]}
    if isinstance(value, decimal.Decimal):
        if value.is_nan():
            return {"$decimal": "NaN"}
        return {"$decimal": ("-0" if value.is_signed() else "0") if value.is_zero() else str(value)}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, NamedValues):
        return {"$namedtuple": {"type": value.type, "fields": list(value.fields),
                                "values": [encode(v) for v in value]}}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        items = {_dumps(item): item for item in map(encode, value)}  # as the child: by JSON text
        return {"$set": [items[text] for text in sorted(items)]}
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("cannot encode a dict whose keys are not all strings")
        return {"$dict": [[k, encode(v)] for k, v in value.items()]}
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
