"""Tagged JSON between the child and the parent: wire.decode/encode/loads and harness.Encoder."""

from __future__ import annotations

import cmath
import collections
import copy
import decimal
import json
import math
import pickle
import typing
from decimal import Decimal
from fractions import Fraction

import mpmath
import numpy  # noqa: F401  (imported before encoding so that harness.Encoder sees it in sys.modules)
import numpy as np
import pytest
import sympy

from grader.checking import mathparse, sympy_tree
from grader.sandbox import wire
from grader.sandbox.child import harness
from grader.sandbox.wire import (
    MAX_DEPTH,
    CallableInfo,
    NamedValues,
    NumpyArray,
    NumpyScalar,
    OpaqueObject,
    ProtocolError,
    SympyTree,
)


def same_value(a, b) -> bool:
    """Equality that also treats NaN as equal to NaN and checks types, recursively."""
    if type(a) is not type(b):
        return False
    if isinstance(a, NamedValues):
        return a.type == b.type and a.fields == b.fields and same_value(a.values, b.values)
    if isinstance(a, Decimal):
        return str(a) == str(b)  # also tells -0 from 0 and NaN equals NaN
    if isinstance(a, dict):
        return list(a) == list(b) and all(same_value(a[k], b[k]) for k in a)
    if isinstance(a, frozenset):
        return a == b  # NaN-free sets: frozenset equality is exact
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or a == b
    if isinstance(a, complex):
        return same_value(a.real, b.real) and same_value(a.imag, b.imag)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same_value(x, y) for x, y in zip(a, b))
    if isinstance(a, NumpyScalar):
        return a.dtype == b.dtype and same_value(a.value, b.value)
    if isinstance(a, NumpyArray):
        return a.dtype == b.dtype and a.shape == b.shape and same_value(a.data, b.data)
    return a == b


# ---------------------------------------------------------------------------------------------
# decode: one row per tag
# ---------------------------------------------------------------------------------------------

TREE_LOG2 = {"f": "log", "a": [{"f": "Integer", "v": "2"}]}

DECODE = [
    pytest.param(None, None, id="null"),
    pytest.param(True, True, id="true"),
    pytest.param(False, False, id="false"),
    pytest.param("−ln 2", "−ln 2", id="string"),
    pytest.param(3, 3, id="int"),
    pytest.param(-0.5, -0.5, id="float"),
    pytest.param([1, [2.5, "a"], []], [1, [2.5, "a"], []], id="array"),
    pytest.param({"$float": "inf"}, math.inf, id="$float-inf"),
    pytest.param({"$float": "-inf"}, -math.inf, id="$float--inf"),
    pytest.param({"$float": "nan"}, math.nan, id="$float-nan"),
    pytest.param({"$int": "9" * 30}, int("9" * 30), id="$int"),
    pytest.param({"$int": "-" + "9" * 30}, -int("9" * 30), id="$int-negative"),
    pytest.param({"$int": "1" * 1000}, int("1" * 1000), id="$int-1000-digits"),
    pytest.param({"$int": "-" + "1" * 1000}, -int("1" * 1000), id="$int-minus-1000-digits"),
    pytest.param({"$complex": [1.0, -2.0]}, complex(1, -2), id="$complex"),
    pytest.param({"$complex": [{"$float": "inf"}, 0]}, complex(math.inf, 0), id="$complex-inf"),
    pytest.param({"$tuple": [1, {"$tuple": []}, [2]]}, (1, (), [2]), id="$tuple"),
    pytest.param({"$numpy_scalar": {"dtype": "float64", "value": 0.25}}, NumpyScalar("float64", 0.25),
                 id="$numpy_scalar"),
    pytest.param({"$numpy_scalar": {"dtype": "float64", "value": {"$float": "-inf"}}},
                 NumpyScalar("float64", -math.inf), id="$numpy_scalar-inf"),
    pytest.param({"$ndarray": {"dtype": "float64", "shape": [2, 2], "data": [1.0, 2.0, 3.0, {"$float": "nan"}]}},
                 NumpyArray("float64", (2, 2), (1.0, 2.0, 3.0, math.nan)), id="$ndarray"),
    pytest.param({"$ndarray": {"dtype": "int64", "shape": [], "data": [7]}}, NumpyArray("int64", (), (7,)),
                 id="$ndarray-0d"),
    pytest.param({"$ndarray": {"dtype": "float64", "shape": [0, 3], "data": []}}, NumpyArray("float64", (0, 3), ()),
                 id="$ndarray-empty"),
    pytest.param({"$sympy": {"tree": TREE_LOG2, "text": "log(2)"}}, SympyTree(TREE_LOG2, "log(2)"), id="$sympy"),
    pytest.param({"$sympy": {"tree": {"f": "Infinity"}}}, SympyTree({"f": "Infinity"}, ""), id="$sympy-no-text"),
    pytest.param({"$callable": {"name": "q2b", "signature": "(z)"}}, CallableInfo("q2b", "(z)"), id="$callable"),
    pytest.param({"$object": {"type": "builtins.ellipsis", "repr": "Ellipsis"}},
                 OpaqueObject("builtins.ellipsis", "Ellipsis"), id="$object"),
]


@pytest.mark.parametrize("tagged, expected", DECODE)
def test_decode_table(tagged, expected):
    got = wire.decode(tagged)
    assert same_value(got, expected), got


@pytest.mark.parametrize("tagged, expected", DECODE)
def test_decode_after_json_text(tagged, expected):
    """The same rows after a trip through JSON text and wire.loads."""
    got = wire.decode(wire.loads(json.dumps(tagged, allow_nan=False)))
    assert same_value(got, expected), got


def test_decode_truncates_long_text_fields():
    obj = wire.decode({"$object": {"type": "t" * 1000, "repr": "r" * 10_000}})
    assert len(obj.type) == 200 and len(obj.repr) == 300
    tree = wire.decode({"$sympy": {"tree": {"f": "Pi"}, "text": "x" * 10_000}})
    assert len(tree.text) == 500


# ---------------------------------------------------------------------------------------------
# ProtocolError for anything outside the encoding
# ---------------------------------------------------------------------------------------------

def nested_lists(levels: int):
    x: list = []
    for _ in range(levels):
        x = [x]
    return x


def nested_tuples(levels: int):
    x: object = 1
    for _ in range(levels):
        x = {"$tuple": [x]}
    return x


def nested_tree(levels: int):
    node = {"f": "Symbol", "v": "x"}
    for _ in range(levels):
        node = {"f": "exp", "a": [node]}
    return node


BAD = [
    pytest.param({"$pickle": "gASV"}, id="unknown-tag-$pickle"),
    pytest.param({"$eval": "1+1"}, id="unknown-tag-$eval"),
    pytest.param({"f": "Infinity"}, id="bare-tree-without-$sympy"),
    pytest.param({}, id="empty-object"),
    pytest.param({"$float": "inf", "$int": "1"}, id="two-keys"),
    pytest.param(math.inf, id="raw-inf"),
    pytest.param(-math.inf, id="raw--inf"),
    pytest.param(math.nan, id="raw-nan"),
    pytest.param([1.0, math.nan], id="raw-nan-in-list"),
    pytest.param({"$float": "Infinity"}, id="$float-Infinity"),
    pytest.param({"$float": 1e308}, id="$float-number"),
    pytest.param({"$int": "1" * 1002}, id="$int-1002-digits"),
    pytest.param({"$int": "1" * 5000}, id="$int-5000-digits"),
    pytest.param({"$int": "12a"}, id="$int-not-digits"),
    pytest.param({"$int": ""}, id="$int-empty"),
    pytest.param({"$int": " 12"}, id="$int-space"),
    pytest.param({"$int": 12}, id="$int-number"),
    pytest.param({"$int": "1" * 1001}, id="$int-1001-digits"),
    pytest.param({"$int": "--5"}, id="$int-double-minus"),
    pytest.param({"$int": "²"}, id="$int-superscript-digit"),
    pytest.param({"$complex": [1.0]}, id="$complex-one-part"),
    pytest.param({"$complex": "1+2j"}, id="$complex-string"),
    pytest.param({"$complex": [None, 1.0]}, id="$complex-null-part"),
    pytest.param({"$complex": [[1.0], [2.0]]}, id="$complex-list-parts"),
    pytest.param({"$complex": ["1", 2.0]}, id="$complex-string-part"),
    pytest.param({"$tuple": {"a": 1}}, id="$tuple-object"),
    pytest.param({"$numpy_scalar": [1.0]}, id="$numpy_scalar-not-object"),
    pytest.param({"$numpy_scalar": {"value": 1.0}}, id="$numpy_scalar-no-dtype"),
    pytest.param({"$ndarray": {"dtype": "float64", "shape": [2, 2], "data": [1.0, 2.0, 3.0]}},
                 id="$ndarray-data-shorter-than-shape"),
    pytest.param({"$ndarray": {"dtype": "float64", "shape": [2], "data": [1.0, 2.0, 3.0]}},
                 id="$ndarray-data-longer-than-shape"),
    pytest.param({"$ndarray": {"dtype": "float64", "shape": [-1], "data": []}}, id="$ndarray-negative-dim"),
    pytest.param({"$ndarray": {"dtype": "float64", "shape": [2.0], "data": [1.0, 2.0]}}, id="$ndarray-float-dim"),
    pytest.param({"$ndarray": {"dtype": "float64", "shape": 2, "data": [1.0, 2.0]}}, id="$ndarray-shape-int"),
    pytest.param({"$ndarray": {"dtype": "float64", "shape": [2], "data": "ab"}}, id="$ndarray-data-string"),
    pytest.param({"$ndarray": {"shape": [1], "data": [1.0]}}, id="$ndarray-no-dtype"),
    pytest.param({"$ndarray": {"dtype": "float64", "shape": [1], "data": [math.inf]}}, id="$ndarray-raw-inf"),
    pytest.param({"$sympy": {"tree": "log(2)", "text": "log(2)"}}, id="$sympy-tree-string"),
    pytest.param({"$sympy": {"tree": {"a": []}, "text": ""}}, id="$sympy-node-without-f"),
    pytest.param({"$sympy": {"tree": {"f": 3}, "text": ""}}, id="$sympy-f-not-string"),
    pytest.param({"$sympy": {"tree": {"f": "Add", "a": ["x"]}, "text": ""}}, id="$sympy-child-string"),
    pytest.param({"$sympy": {"tree": {"f": "Pi"}, "text": 5}}, id="$sympy-text-number"),
    pytest.param({"$sympy": {"tree": {"f": "Add", "a": 5}, "text": ""}}, id="$sympy-args-number"),
    pytest.param({"$sympy": {"tree": nested_tree(3 * MAX_DEPTH + 1), "text": ""}}, id="$sympy-too-deep"),
    pytest.param({"$callable": {"name": "f"}}, id="$callable-no-signature"),
    pytest.param({"$callable": {"name": 1, "signature": "()"}}, id="$callable-name-number"),
    pytest.param({"$object": {"type": "a"}}, id="$object-no-repr"),
    pytest.param({"$object": {"type": "a", "repr": ["x"]}}, id="$object-repr-list"),
    pytest.param(nested_lists(MAX_DEPTH + 1), id="lists-deeper-than-MAX_DEPTH"),
    pytest.param(nested_tuples(MAX_DEPTH + 1), id="tuples-deeper-than-MAX_DEPTH"),
    pytest.param(nested_lists(5000), id="lists-5000-deep"),
]


@pytest.mark.parametrize("tagged", BAD)
def test_decode_rejects(tagged):
    with pytest.raises(ProtocolError):
        wire.decode(tagged)


def test_depth_limit_boundary():
    assert wire.decode(nested_lists(MAX_DEPTH)) == nested_lists(MAX_DEPTH)
    expected: object = 1
    for _ in range(MAX_DEPTH):
        expected = (expected,)
    assert wire.decode(nested_tuples(MAX_DEPTH)) == expected
    tree = nested_tree(3 * MAX_DEPTH)
    assert wire.decode({"$sympy": {"tree": tree, "text": ""}}).tree == tree


LOADS_BAD = [
    pytest.param("NaN", id="NaN"),
    pytest.param("Infinity", id="Infinity"),
    pytest.param("-Infinity", id="-Infinity"),
    pytest.param('[1, NaN]', id="NaN-in-list"),
    pytest.param('{"value": Infinity}', id="Infinity-in-object"),
    pytest.param('{"a": 1', id="truncated"),
    pytest.param("", id="empty"),
    pytest.param("[" * 200_000 + "]" * 200_000, id="200k-nested-brackets"),
    pytest.param(b"\xff\xfe", id="bad-bytes"),
]


@pytest.mark.parametrize("line", LOADS_BAD)
def test_loads_rejects(line):
    with pytest.raises(ProtocolError):
        wire.loads(line)


def test_loads_then_decode_rejects_overflowing_raw_float():
    parsed = wire.loads("1e400")  # valid JSON, but it is +inf once parsed
    with pytest.raises(ProtocolError):
        wire.decode(parsed)


def test_loads_accepts_bytes_and_str():
    assert wire.loads(b'{"$tuple": [1, 2]}') == {"$tuple": [1, 2]}
    assert wire.decode(wire.loads('{"$tuple": [1, 2]}')) == (1, 2)


# ---------------------------------------------------------------------------------------------
# encode is the inverse of decode
# ---------------------------------------------------------------------------------------------

ROUND_TRIP = [
    pytest.param(None, id="None"),
    pytest.param(True, id="True"),
    pytest.param(False, id="False"),
    pytest.param("∞ text", id="str"),
    pytest.param(0, id="int-0"),
    pytest.param(2**53 - 1, id="int-2**53-1"),
    pytest.param(2**53, id="int-2**53"),
    pytest.param(-(10**300), id="int-huge-negative"),
    pytest.param(int("7" * 1000), id="int-1000-digits"),
    pytest.param(0.1, id="float"),
    pytest.param(-0.0, id="float-minus-zero"),
    pytest.param(math.inf, id="float-inf"),
    pytest.param(-math.inf, id="float--inf"),
    pytest.param(math.nan, id="float-nan"),
    pytest.param(complex(1.5, -2), id="complex"),
    pytest.param(complex(math.inf, math.nan), id="complex-special"),
    pytest.param([1, [2, (3, [4.5])], ()], id="list-with-tuples"),
    pytest.param((1, "a", None, (math.inf,)), id="tuple"),
    pytest.param([], id="empty-list"),
    pytest.param(NumpyScalar("float32", 0.5), id="NumpyScalar"),
    pytest.param(NumpyScalar("complex128", complex(1, 2)), id="NumpyScalar-complex"),
    pytest.param(NumpyArray("float64", (2, 1), (math.nan, -math.inf)), id="NumpyArray"),
    pytest.param(NumpyArray("int64", (0,), ()), id="NumpyArray-empty"),
    pytest.param(SympyTree(TREE_LOG2, "log(2)"), id="SympyTree"),
    pytest.param(CallableInfo("q4a", "(x0, betas, t)"), id="CallableInfo"),
    pytest.param(OpaqueObject("answers.Thing", "<Thing>"), id="OpaqueObject"),
]


@pytest.mark.parametrize("value", ROUND_TRIP)
def test_round_trip_decode_encode(value):
    tagged = wire.encode(value)
    text = json.dumps(tagged, allow_nan=False)  # encode never produces bare NaN/Infinity
    back = wire.decode(wire.loads(text))
    assert same_value(back, value), back
    if isinstance(value, float) and value == 0:
        assert math.copysign(1, back) == math.copysign(1, value)


def test_encode_refuses_unknown_types():
    with pytest.raises(TypeError):
        wire.encode(object())


# ---------------------------------------------------------------------------------------------
# The child's encoder (harness.Encoder) followed by the parent's decoder
# ---------------------------------------------------------------------------------------------

def through_child(obj):
    tagged = harness.Encoder().encode(obj)
    return wire.decode(json.loads(json.dumps(tagged, allow_nan=False)))


class LyingFloat(float):
    def __repr__(self):
        return "0.5"

    __str__ = __repr__

    def __eq__(self, other):
        return True

    __hash__ = float.__hash__

    def __float__(self):
        return 0.5


class LyingStr(str):
    def __str__(self):
        return "lie"

    def __repr__(self):
        return "'lie'"

    def __eq__(self, other):
        return True

    __hash__ = str.__hash__


class LyingInt(int):
    def __int__(self):
        return 0

    __index__ = __int__

    def __repr__(self):
        return "0"


class LyingList(list):
    def __iter__(self):
        return iter([0])

    def __len__(self):
        return 1


class BadRepr:
    def __repr__(self):
        raise RuntimeError("no repr for you")


class Liar:
    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


Z = sympy.Symbol("z", real=True)
HALF_NORMAL = sympy.Piecewise((2 * sympy.exp(-Z**2 / 2) / sympy.sqrt(2 * sympy.pi), Z >= 0), (0, True))

CHILD = [
    pytest.param(1.5, 1.5, id="float"),
    pytest.param(math.inf, math.inf, id="float-inf"),
    pytest.param(-math.inf, -math.inf, id="float--inf"),
    pytest.param(math.nan, math.nan, id="float-nan"),
    pytest.param(2**53 - 1, 2**53 - 1, id="int-below-2**53"),
    pytest.param(2**53, 2**53, id="int-2**53"),
    pytest.param(10**999, 10**999, id="int-1000-digits"),
    pytest.param(-(10**200), -(10**200), id="int-huge-negative"),
    pytest.param(complex(1, -2), complex(1, -2), id="complex"),
    pytest.param(complex(math.inf, math.nan), complex(math.inf, math.nan), id="complex-special"),
    pytest.param([1, [2.5, [None, "x"]]], [1, [2.5, [None, "x"]]], id="nested-list"),
    pytest.param((1, (2, [3])), (1, (2, [3])), id="nested-tuple"),
    pytest.param((), (), id="empty-tuple"),
    pytest.param(True, True, id="bool"),
    pytest.param(np.float64(0.25), NumpyScalar("float64", 0.25), id="np.float64"),
    pytest.param(np.float32(0.5), NumpyScalar("float32", 0.5), id="np.float32"),
    pytest.param(np.int64(-7), NumpyScalar("int64", -7), id="np.int64"),
    pytest.param(np.bool_(True), NumpyScalar("bool", True), id="np.bool_"),
    pytest.param(np.complex128(1 + 2j), NumpyScalar("complex128", 1 + 2j), id="np.complex128"),
    pytest.param(np.float64("-inf"), NumpyScalar("float64", -math.inf), id="np.float64--inf"),
    pytest.param(np.float64("nan"), NumpyScalar("float64", math.nan), id="np.float64-nan"),
    pytest.param(np.array([[1.0, 2.0], [3.0, np.inf]]), NumpyArray("float64", (2, 2), (1.0, 2.0, 3.0, math.inf)),
                 id="np.array-2x2"),
    pytest.param(np.array(2.5), NumpyArray("float64", (), (2.5,)), id="np.array-0d"),
    pytest.param(np.arange(3), NumpyArray(str(np.arange(3).dtype), (3,), (0, 1, 2)), id="np.arange"),
    pytest.param(np.array([True, False]), NumpyArray("bool", (2,), (True, False)), id="np.array-bool"),
    pytest.param(LyingFloat(0.25), 0.25, id="float-subclass-lying"),
    pytest.param(LyingStr("truth"), "truth", id="str-subclass-lying"),
    pytest.param(LyingInt(42), 42, id="int-subclass-lying"),
    pytest.param(LyingList([1, 2, 3]), [1, 2, 3], id="list-subclass-lying"),
]


@pytest.mark.parametrize("obj, expected", CHILD)
def test_child_encoder_round_trip(obj, expected):
    got = through_child(obj)
    assert same_value(got, expected), got


def test_lying_float_subclass_sends_its_true_value():
    got = through_child(LyingFloat(0.25))
    assert type(got) is float and got == 0.25 and got != 0.5


def test_lying_str_subclass_sends_its_true_text():
    got = through_child(LyingStr("truth"))
    assert type(got) is str and got == "truth"


def test_object_whose_repr_raises_becomes_opaque():
    got = through_child(BadRepr())
    assert isinstance(got, OpaqueObject)
    assert got.type.endswith("BadRepr")
    assert "unprintable" in got.repr


def test_object_with_lying_eq_becomes_opaque():
    got = through_child(Liar())
    assert isinstance(got, OpaqueObject) and got.type.endswith("Liar")


@pytest.mark.parametrize("obj, kind", [
    pytest.param(np.array(["a", "b"]), "numpy.ndarray", id="np.array-of-str"),
    pytest.param(..., "builtins.ellipsis", id="Ellipsis"),
    pytest.param({1: "a"}, "builtins.dict", id="dict-with-int-keys"),
    pytest.param({"a": 1, 2: "b"}, "builtins.dict", id="dict-with-a-non-string-key"),
])
def test_other_objects_become_opaque(obj, kind):
    got = through_child(obj)
    assert isinstance(got, OpaqueObject)
    assert got.type.startswith(kind)


@pytest.mark.parametrize("obj, name, signature_part", [
    pytest.param(lambda z, t=1: z, "<lambda>", "(z, t=1)", id="lambda"),
    pytest.param(math.log, "log", "", id="builtin"),
    pytest.param(np.log, "log", "", id="ufunc"),
])
def test_callables_become_callable_info(obj, name, signature_part):
    got = through_child(obj)
    assert isinstance(got, CallableInfo)
    assert got.name == name and signature_part in got.signature


SYMPY_CHILD = [
    pytest.param(sympy.log(2), sympy.log(2), id="log(2)"),
    pytest.param(-sympy.log(2), -sympy.log(2), id="-log(2)"),
    pytest.param(sympy.Rational(1, 3), sympy.Rational(1, 3), id="Rational"),
    pytest.param(sympy.Float(0.25), sympy.Float(0.25), id="Float"),
    pytest.param(sympy.sqrt(2) / 2, sympy.sqrt(2) / 2, id="sqrt2/2"),
    pytest.param(sympy.oo, sympy.oo, id="oo"),
    pytest.param(-sympy.oo, -sympy.oo, id="-oo"),
    pytest.param(sympy.zoo, sympy.zoo, id="zoo"),
    pytest.param(sympy.nan, sympy.nan, id="nan"),
    pytest.param(sympy.pi * sympy.E, sympy.pi * sympy.E, id="pi*E"),
    pytest.param(HALF_NORMAL, HALF_NORMAL, id="Piecewise"),
    pytest.param(sympy.Heaviside(Z) * Z**2, sympy.Heaviside(Z) * Z**2, id="Heaviside"),
]


@pytest.mark.parametrize("expr, rebuilt", SYMPY_CHILD)
def test_child_encoder_sympy_round_trip(expr, rebuilt):
    got = through_child(expr)
    assert isinstance(got, SympyTree)
    assert got.text == str(expr)
    assert sympy_tree.rebuild_tree(got.tree, ["z"]) == rebuilt


def test_child_encoder_sympy_tree_shape():
    got = through_child(-sympy.log(2))
    assert got.tree == {"f": "Mul", "a": [{"f": "Integer", "v": "-1"},
                                         {"f": "log", "a": [{"f": "Integer", "v": "2"}]}]}


def test_child_encoder_marks_undefined_functions():
    f = sympy.Function("f")
    got = through_child(f(Z))
    assert got.tree["f"] == "UndefinedFunction:f"
    with pytest.raises(mathparse.Unparsable):
        sympy_tree.rebuild_tree(got.tree, ["z"])


def test_child_encoder_lambda_is_sent_and_refused_by_parent():
    got = through_child(sympy.Lambda(Z, Z**2))
    assert got.tree["f"] == "Lambda"
    with pytest.raises(mathparse.Unparsable):
        sympy_tree.rebuild_tree(got.tree, ["z"])


LIMITS = [
    pytest.param(nested_lists(100), id="list-100-deep"),
    pytest.param(list(range(10**6)), id="list-10**6-items"),
    pytest.param(np.zeros(10**6), id="array-10**6-items"),
    pytest.param([[0.0] * 1000 for _ in range(30)], id="30k-values-in-rows"),
    pytest.param(10**1000, id="int-1001-digits"),
    pytest.param("x" * 20_001, id="str-20001-chars"),
]


@pytest.mark.parametrize("obj", LIMITS)
def test_child_encoder_limits(obj):
    with pytest.raises(harness.EncodingLimit):
        harness.Encoder().encode(obj)


def test_child_encoder_limit_boundaries():
    assert through_child(nested_lists(harness.MAX_DEPTH)) == nested_lists(harness.MAX_DEPTH)
    assert through_child("x" * harness.MAX_STR) == "x" * harness.MAX_STR
    assert len(through_child(list(range(harness.MAX_NODES - 1)))) == harness.MAX_NODES - 1


def test_child_encoder_negative_1000_digit_int():
    value = -int("9" * 1000)
    assert through_child(value) == value


def test_child_encoder_output_is_strict_json():
    tagged = harness.Encoder().encode([math.nan, math.inf, -math.inf, np.float64("nan"), complex(math.nan, 1)])
    text = json.dumps(tagged, allow_nan=False)
    assert "NaN" not in text and "Infinity" not in text
    got = wire.decode(wire.loads(text))
    assert math.isnan(got[0]) and got[1] == math.inf and got[2] == -math.inf
    assert cmath.isnan(got[4])


@pytest.mark.parametrize("text", ["before\ud800after", "\udfff", "a\x1b[2Jb", "\x00"])
def test_text_from_the_child_can_always_be_written_as_utf8_and_moves_no_cursor(text):
    decoded = wire.decode(json.loads(json.dumps(text)))
    decoded.encode("utf-8")  # a lone surrogate here would make every report of the class unwritable
    assert "\x1b" not in decoded and "\x00" not in decoded and "\ufffd" in decoded


# ---------------------------------------------------------------------------------------------
# Exact numbers, sets, dicts and namedtuples (issue 12): $fraction, $decimal, $set, $dict, $namedtuple
# ---------------------------------------------------------------------------------------------

Posterior = collections.namedtuple("Posterior", "mean var")


class Moments(typing.NamedTuple):
    mu: float
    sigma2: float = 1.0


POSTERIOR = NamedValues("Posterior", ("mean", "var"), (0.5, Fraction(1, 3)))

DECODE_NEW = [
    pytest.param({"$fraction": ["-3", "4"]}, Fraction(-3, 4), id="$fraction"),
    pytest.param({"$fraction": ["6", "8"]}, Fraction(3, 4), id="$fraction-normalised"),
    pytest.param({"$fraction": ["5", "1"]}, Fraction(5), id="$fraction-whole"),
    pytest.param({"$fraction": ["1" * 1000, "-" * 0 + "7" * 1000]}, Fraction(int("1" * 1000), int("7" * 1000)),
                 id="$fraction-1000-digits-each"),
    pytest.param({"$decimal": "1.2500"}, Decimal("1.2500"), id="$decimal"),
    pytest.param({"$decimal": "-0.001"}, Decimal("-0.001"), id="$decimal-negative"),
    pytest.param({"$decimal": "1.5E+20"}, Decimal("1.5E+20"), id="$decimal-exponent"),
    pytest.param({"$decimal": "1e-7"}, Decimal("1E-7"), id="$decimal-lowercase-e"),
    pytest.param({"$decimal": ".5"}, Decimal("0.5"), id="$decimal-leading-point"),
    pytest.param({"$decimal": "-0"}, Decimal("-0"), id="$decimal-minus-zero"),
    pytest.param({"$decimal": "1E+100000"}, Decimal("1E+100000"), id="$decimal-largest-exponent"),
    pytest.param({"$decimal": "1E-100000"}, Decimal("1E-100000"), id="$decimal-smallest-exponent"),
    pytest.param({"$decimal": "Infinity"}, Decimal("Infinity"), id="$decimal-Infinity"),
    pytest.param({"$decimal": "-Infinity"}, Decimal("-Infinity"), id="$decimal--Infinity"),
    pytest.param({"$decimal": "NaN"}, Decimal("NaN"), id="$decimal-NaN"),
    pytest.param({"$decimal": "9" * 1000}, Decimal("9" * 1000), id="$decimal-1000-digits"),
    pytest.param({"$set": ["a", "c"]}, frozenset({"a", "c"}), id="$set"),
    pytest.param({"$set": []}, frozenset(), id="$set-empty"),
    pytest.param({"$set": [1, {"$tuple": [2, "x"]}, {"$set": [3]}, {"$fraction": ["1", "3"]}]},
                 frozenset({1, (2, "x"), frozenset({3}), Fraction(1, 3)}), id="$set-hashable-items"),
    pytest.param({"$set": [{"$sympy": {"tree": {"f": "Pi"}, "text": "pi"}}]},
                 frozenset({SympyTree({"f": "Pi"}, "pi")}), id="$set-of-sympy"),
    pytest.param({"$set": ["a", "a"]}, frozenset({"a"}), id="$set-duplicates-collapse"),
    pytest.param({"$dict": [["mean", 0.5], ["var", {"$int": "9" * 20}]]}, {"mean": 0.5, "var": int("9" * 20)},
                 id="$dict"),
    pytest.param({"$dict": []}, {}, id="$dict-empty"),
    pytest.param({"$dict": [["b", [1]], ["a", {"$dict": [["x", None]]}]]}, {"b": [1], "a": {"x": None}},
                 id="$dict-nested-in-its-order"),
    pytest.param({"$dict": [["a\x1bb", 1]]}, {"a\ufffdb": 1}, id="$dict-key-cleaned"),
    pytest.param({"$namedtuple": {"type": "Posterior", "fields": ["mean", "var"],
                                  "values": [0.5, {"$fraction": ["1", "3"]}]}}, POSTERIOR, id="$namedtuple"),
    pytest.param({"$namedtuple": {"type": "Empty", "fields": [], "values": []}}, NamedValues("Empty", (), ()),
                 id="$namedtuple-empty"),
    pytest.param({"$namedtuple": {"type": "P", "fields": ["μ", "σ"], "values": [1, 2]}},
                 NamedValues("P", ("μ", "σ"), (1, 2)), id="$namedtuple-unicode-names"),
]


@pytest.mark.parametrize("tagged, expected", DECODE_NEW)
def test_decode_new_types(tagged, expected):
    got = wire.decode(wire.loads(json.dumps(tagged, allow_nan=False)))
    assert same_value(got, expected), got


def colliding_ints(count: int) -> list:
    """Distinct ints with one hash (hash(n) is n modulo 2**61 - 1): a forged set built to be slow."""
    return [{"$int": str(k * (2**61 - 1))} for k in range(1, count + 1)]


BAD_NEW = [
    pytest.param({"$fraction": ["1", "0"]}, id="$fraction-zero-denominator"),
    pytest.param({"$fraction": ["1", "-2"]}, id="$fraction-negative-denominator"),
    pytest.param({"$fraction": ["1" * 1001, "1"]}, id="$fraction-1001-digit-numerator"),
    pytest.param({"$fraction": ["1", "1" * 1001]}, id="$fraction-1001-digit-denominator"),
    pytest.param({"$fraction": ["1"]}, id="$fraction-one-part"),
    pytest.param({"$fraction": ["1", "2", "3"]}, id="$fraction-three-parts"),
    pytest.param({"$fraction": [1, 2]}, id="$fraction-numbers"),
    pytest.param({"$fraction": "1/2"}, id="$fraction-string"),
    pytest.param({"$fraction": ["1.5", "2"]}, id="$fraction-float-text"),
    pytest.param({"$decimal": "1e999999999"}, id="$decimal-1e999999999"),
    pytest.param({"$decimal": "1e9999999"}, id="$decimal-exponent-beyond-100000"),
    pytest.param({"$decimal": "1E+100001"}, id="$decimal-1E+100001"),
    pytest.param({"$decimal": "0.01E-99999"}, id="$decimal-magnitude-below-1E-100000"),
    pytest.param({"$decimal": "1" * 1101}, id="$decimal-1101-chars"),
    pytest.param({"$decimal": "inf"}, id="$decimal-inf"),
    pytest.param({"$decimal": "sNaN"}, id="$decimal-sNaN"),
    pytest.param({"$decimal": "-NaN"}, id="$decimal--NaN"),
    pytest.param({"$decimal": "NaN12"}, id="$decimal-NaN-payload"),
    pytest.param({"$decimal": "+1"}, id="$decimal-plus"),
    pytest.param({"$decimal": " 1"}, id="$decimal-space"),
    pytest.param({"$decimal": "1_000"}, id="$decimal-underscore"),
    pytest.param({"$decimal": "١٢"}, id="$decimal-arabic-digits"),
    pytest.param({"$decimal": "1.2.3"}, id="$decimal-two-points"),
    pytest.param({"$decimal": "."}, id="$decimal-point-only"),
    pytest.param({"$decimal": ""}, id="$decimal-empty"),
    pytest.param({"$decimal": "1e"}, id="$decimal-bare-e"),
    pytest.param({"$decimal": 1.5}, id="$decimal-number"),
    pytest.param({"$set": [[1]]}, id="$set-holding-a-list"),
    pytest.param({"$set": [{"$dict": []}]}, id="$set-holding-a-dict"),
    pytest.param({"$set": [{"$tuple": [[1]]}]}, id="$set-holding-a-tuple-with-a-list"),
    pytest.param({"$set": {"a": 1}}, id="$set-object"),
    pytest.param({"$set": "ab"}, id="$set-string"),
    pytest.param({"$set": list(range(1001))}, id="$set-1001-items"),
    pytest.param({"$set": colliding_ints(wire.MAX_SAME_HASH + 1)}, id="$set-colliding-hashes"),
    pytest.param({"$dict": {"a": 1}}, id="$dict-json-object"),
    pytest.param({"$dict": [["a"]]}, id="$dict-entry-one-item"),
    pytest.param({"$dict": [["a", 1, 2]]}, id="$dict-entry-three-items"),
    pytest.param({"$dict": [[1, "a"]]}, id="$dict-int-key"),
    pytest.param({"$dict": [["a", 1], ["a", 2]]}, id="$dict-key-twice"),
    pytest.param({"$dict": [[str(k), k] for k in range(1001)]}, id="$dict-1001-entries"),
    pytest.param({"$dict": [["a", math.nan]]}, id="$dict-raw-nan"),
    pytest.param({"$namedtuple": {"type": "P", "fields": ["a", "b"], "values": [1]}}, id="$namedtuple-too-few"),
    pytest.param({"$namedtuple": {"type": "P", "fields": ["a"], "values": [1, 2]}}, id="$namedtuple-too-many"),
    pytest.param({"$namedtuple": {"type": "P", "fields": ["a", "a"], "values": [1, 2]}},
                 id="$namedtuple-field-twice"),
    pytest.param({"$namedtuple": {"type": "P", "fields": ["not a name"], "values": [1]}},
                 id="$namedtuple-field-not-identifier"),
    pytest.param({"$namedtuple": {"type": "P", "fields": ["a\x1b"], "values": [1]}},
                 id="$namedtuple-field-control-character"),
    pytest.param({"$namedtuple": {"type": "P", "fields": ["a" * 101], "values": [1]}},
                 id="$namedtuple-field-101-chars"),
    pytest.param({"$namedtuple": {"type": "P", "fields": [1], "values": [1]}}, id="$namedtuple-field-number"),
    pytest.param({"$namedtuple": {"fields": ["a"], "values": [1]}}, id="$namedtuple-no-type"),
    pytest.param({"$namedtuple": {"type": "P", "fields": "a", "values": [1]}}, id="$namedtuple-fields-string"),
    pytest.param({"$namedtuple": {"type": "P", "fields": ["a"]}}, id="$namedtuple-no-values"),
    pytest.param({"$namedtuple": ["P", ["a"], [1]]}, id="$namedtuple-list"),
]


@pytest.mark.parametrize("tagged", BAD_NEW)
def test_decode_rejects_new_types(tagged):
    with pytest.raises(ProtocolError):
        wire.decode(tagged)


def test_decode_set_boundaries():
    assert len(wire.decode({"$set": list(range(wire.MAX_SET_ITEMS))})) == wire.MAX_SET_ITEMS
    assert len(wire.decode({"$set": colliding_ints(wire.MAX_SAME_HASH)})) == wire.MAX_SAME_HASH
    assert len(wire.decode({"$dict": [[str(k), k] for k in range(wire.MAX_DICT_ITEMS)]})) == wire.MAX_DICT_ITEMS


def test_decoded_dict_keys_are_cleaned_and_truncated_like_text():
    got = wire.decode({"$dict": [["x" * 200_000, 1]]})
    assert list(got) == ["x" * 100_000]


ROUND_TRIP_NEW = [
    pytest.param(Fraction(-3, 4), id="Fraction"),
    pytest.param(Fraction(int("9" * 1000), int("7" * 999)), id="Fraction-1000-digits"),
    pytest.param(Decimal("1.2500"), id="Decimal"),
    pytest.param(Decimal("-1.5E-300"), id="Decimal-small"),
    pytest.param(Decimal("-0"), id="Decimal-minus-zero"),
    pytest.param(Decimal("NaN"), id="Decimal-NaN"),
    pytest.param(Decimal("-Infinity"), id="Decimal--Infinity"),
    pytest.param(frozenset({"a", "c"}), id="frozenset"),
    pytest.param(frozenset(), id="frozenset-empty"),
    pytest.param(frozenset({1, 2.5, "x", (1, "y"), frozenset({Fraction(1, 2)})}), id="frozenset-mixed"),
    pytest.param({"mean": 0.5, "var": [Decimal("2.5"), math.inf]}, id="dict"),
    pytest.param({}, id="dict-empty"),
    pytest.param(POSTERIOR, id="NamedValues"),
    pytest.param([POSTERIOR, (POSTERIOR,), {"p": POSTERIOR}], id="NamedValues-nested"),
]


@pytest.mark.parametrize("value", ROUND_TRIP_NEW)
def test_round_trip_new_types(value):
    tagged = wire.encode(value)
    back = wire.decode(wire.loads(json.dumps(tagged, allow_nan=False)))
    assert same_value(back, value), back
    assert wire.encode(back) == tagged


def test_encode_refuses_a_dict_with_other_keys():
    with pytest.raises(TypeError):
        wire.encode({1: 2})


# The child's encoder for the new types, then the parent's decoder ---------------------------------


class LyingFraction(Fraction):
    @property
    def numerator(self):
        return 1

    @property
    def denominator(self):
        return 1

    def __repr__(self):
        return "Fraction(1, 1)"

    def __float__(self):
        return 1.0


class FractionWithoutSlots(Fraction):
    """Keeps its parts elsewhere, so the base class's slots stay empty: it cannot be read."""

    __slots__ = ("_n", "_d")

    @property
    def _numerator(self):
        return self._n

    @_numerator.setter
    def _numerator(self, value):
        self._n = value

    @property
    def _denominator(self):
        return self._d

    @_denominator.setter
    def _denominator(self, value):
        self._d = value


class LyingDecimal(Decimal):
    def __str__(self):
        return "7"

    __repr__ = __str__

    def is_nan(self):
        return True

    def adjusted(self):
        return 0

    def as_tuple(self):
        return decimal.DecimalTuple(0, (7,), 0)


class LyingMpf(mpmath.mpf):
    def __str__(self):
        return "0"

    __repr__ = __str__

    def __float__(self):
        return 0.0


class LyingSet(set):
    def __iter__(self):
        return iter(["b"])

    def __len__(self):
        return 1


class LyingFrozenset(frozenset):
    def __iter__(self):
        return iter(["b"])


class LyingDict(dict):
    def items(self):
        return [("a", 0)]

    def keys(self):
        return ["a"]

    def values(self):
        return [0]

    def __iter__(self):
        return iter(["a"])

    def __getitem__(self, key):
        return 0

    def __len__(self):
        return 1


class LyingPosterior(Posterior):
    def __iter__(self):
        return iter((0.0, 0.0))

    def __getitem__(self, index):
        return 0.0

    def __len__(self):
        return 2

    @property
    def mean(self):
        return 0.0


class FakeFields(tuple):
    _fields = ("a", "b")  # but it holds three items: an ordinary tuple subclass


class HashableList(list):
    __hash__ = object.__hash__  # type: ignore[assignment]


CHILD_NEW = [
    pytest.param(Fraction(-3, 4), Fraction(-3, 4), id="Fraction"),
    pytest.param(Fraction(10**999, 3), Fraction(10**999, 3), id="Fraction-1000-digits"),
    pytest.param(LyingFraction(3, 4), Fraction(3, 4), id="Fraction-subclass-lying"),
    pytest.param(FractionWithoutSlots(3, 4), OpaqueObject(f"{__name__}.FractionWithoutSlots", "Fraction(3, 4)"),
                 id="Fraction-subclass-without-slots-is-opaque"),
    pytest.param(Decimal("1.2500"), Decimal("1.2500"), id="Decimal"),
    pytest.param(Decimal("-12345E+3"), Decimal("-1.2345E+7"), id="Decimal-exponent"),
    pytest.param(Decimal("0E-50"), Decimal("0"), id="Decimal-zero-drops-exponent"),
    pytest.param(Decimal("-0.00"), Decimal("-0"), id="Decimal-minus-zero"),
    pytest.param(Decimal("-NaN123"), Decimal("NaN"), id="Decimal-NaN-payload-dropped"),
    pytest.param(Decimal("sNaN"), Decimal("NaN"), id="Decimal-sNaN"),
    pytest.param(Decimal("-Infinity"), Decimal("-Infinity"), id="Decimal--Infinity"),
    pytest.param(Decimal("1E+100000"), Decimal("1E+100000"), id="Decimal-largest"),
    pytest.param(LyingDecimal("1.5"), Decimal("1.5"), id="Decimal-subclass-lying"),
    pytest.param(mpmath.mpf(0.25), Decimal("0.25"), id="mpf"),
    pytest.param(mpmath.mpf(1) / 3, Decimal("0.33333333333333331"), id="mpf-one-third"),
    pytest.param(mpmath.mpf(-3), Decimal("-3.0"), id="mpf-negative"),
    pytest.param(mpmath.mpf(0), Decimal("0"), id="mpf-zero"),
    pytest.param(mpmath.mpf("1e-30"), Decimal("1.0000000000000001E-30"), id="mpf-small"),
    pytest.param(mpmath.mpf("1e400"), Decimal("9.9999999999999997E+399"), id="mpf-beyond-float-range"),
    pytest.param(mpmath.inf, Decimal("Infinity"), id="mpf-inf"),
    pytest.param(-mpmath.inf, Decimal("-Infinity"), id="mpf--inf"),
    pytest.param(mpmath.nan, Decimal("NaN"), id="mpf-nan"),
    pytest.param(LyingMpf(0.25), Decimal("0.25"), id="mpf-subclass-lying"),
    pytest.param(mpmath.mpc(1, -2), complex(1, -2), id="mpc"),
    pytest.param(mpmath.mpc(mpmath.inf, 0), complex(math.inf, 0), id="mpc-inf"),
    pytest.param({"a", "c"}, frozenset({"a", "c"}), id="set"),
    pytest.param(frozenset({"a"}), frozenset({"a"}), id="frozenset"),
    pytest.param(set(), frozenset(), id="set-empty"),
    pytest.param({1, 2.5, (3, "x"), frozenset({4})}, frozenset({1, 2.5, (3, "x"), frozenset({4})}), id="set-mixed"),
    pytest.param({Fraction(1, 3), Decimal("0.5")}, frozenset({Fraction(1, 3), Decimal("0.5")}), id="set-exact"),
    pytest.param({np.float64(0.5)}, frozenset({NumpyScalar("float64", 0.5)}), id="set-numpy-scalar"),
    pytest.param({Posterior(1, 2)}, frozenset({NamedValues("Posterior", ("mean", "var"), (1, 2))}),
                 id="set-of-namedtuple"),
    pytest.param(LyingSet({"a", "c"}), frozenset({"a", "c"}), id="set-subclass-lying"),
    pytest.param(LyingFrozenset({"a", "c"}), frozenset({"a", "c"}), id="frozenset-subclass-lying"),
    pytest.param({"mean": 0.5, "var": Fraction(1, 3)}, {"mean": 0.5, "var": Fraction(1, 3)}, id="dict"),
    pytest.param({}, {}, id="dict-empty"),
    pytest.param({"b": [1, {"c": (2,)}], "a": None}, {"b": [1, {"c": (2,)}], "a": None}, id="dict-nested-in-order"),
    pytest.param(collections.OrderedDict(b=1, a=2), {"b": 1, "a": 2}, id="OrderedDict"),
    pytest.param(collections.Counter("aab"), {"a": 2, "b": 1}, id="Counter"),
    pytest.param(collections.defaultdict(list, x=[1]), {"x": [1]}, id="defaultdict"),
    pytest.param(LyingDict(a=1, b=2), {"a": 1, "b": 2}, id="dict-subclass-lying"),
    pytest.param({LyingStr("truth"): 1}, {"truth": 1}, id="dict-key-str-subclass-lying"),
    pytest.param(Posterior(0.5, 2), NamedValues("Posterior", ("mean", "var"), (0.5, 2)), id="namedtuple"),
    pytest.param(Moments(0.0), NamedValues("Moments", ("mu", "sigma2"), (0.0, 1.0)), id="typing.NamedTuple"),
    pytest.param(LyingPosterior(0.5, 2), NamedValues("LyingPosterior", ("mean", "var"), (0.5, 2)),
                 id="namedtuple-subclass-lying"),
    pytest.param(FakeFields((1, 2, 3)), (1, 2, 3), id="tuple-subclass-with-wrong-_fields"),
    pytest.param({HashableList([1])}, OpaqueObject("builtins.set", "[[1]]"), id="set-of-a-hashable-list-is-opaque"),
]


@pytest.mark.parametrize("obj, expected", CHILD_NEW)
def test_child_encoder_new_types(obj, expected):
    got = through_child(obj)
    if isinstance(expected, OpaqueObject):
        assert isinstance(got, OpaqueObject) and got.type == expected.type, got
        return
    assert same_value(got, expected), got


@pytest.mark.parametrize("obj, expected", CHILD_NEW)
def test_child_then_parent_encodings_agree(obj, expected):
    """child encode → JSON text → decode → wire.encode (the reference cache) → decode again: the
    same value, and the parent writes exactly what the child wrote (so cached answers are stable)."""
    del expected
    tagged = harness.Encoder().encode(obj)
    text = json.dumps(tagged, allow_nan=False)
    decoded = wire.decode(wire.loads(text))
    again = wire.encode(decoded)
    assert same_value(wire.decode(wire.loads(json.dumps(again, allow_nan=False))), decoded)
    assert again == json.loads(text)


def test_child_sends_a_set_in_the_same_order_whatever_its_history():
    first = set()
    for item in ["b", "a", "c", 3, (1, 2)]:
        first.add(item)
    second = {(1, 2), 3, "c", "a", "b"}
    assert harness.Encoder().encode(first) == harness.Encoder().encode(second)
    assert harness.Encoder().encode({"b", "a", "c"}) == {"$set": ["a", "b", "c"]}


def test_child_reads_mpf_at_its_own_precision():
    with mpmath.workdps(50):
        third = mpmath.mpf(1) / 3
        got = through_child(third)
    assert isinstance(got, Decimal)
    assert str(got).startswith("0." + "3" * 50)


CHILD_LIMITS_NEW = [
    pytest.param(Fraction(10 ** (10**6), 3), id="Fraction-10**6-digit-numerator"),
    pytest.param(Fraction(1, 10**1000), id="Fraction-1001-digit-denominator"),
    pytest.param(Decimal("1" * 1001), id="Decimal-1001-digits"),
    pytest.param(Decimal("1e999999999"), id="Decimal-1e999999999"),
    pytest.param(Decimal("1E+100001"), id="Decimal-1E+100001"),
    pytest.param(Decimal("1E-100001"), id="Decimal-1E-100001"),
    pytest.param(mpmath.mpf("1e1000000000"), id="mpf-1e1000000000"),
    pytest.param(mpmath.mpf("1e100000000000000000000"), id="mpf-beyond-what-a-Decimal-holds"),
    pytest.param(mpmath.mpf("1e-100000000000000000000"), id="mpf-tiny-beyond-what-a-Decimal-holds"),
    pytest.param(mpmath.mpc("1e400", 1), id="mpc-beyond-float-range"),
    pytest.param(set(range(1001)), id="set-1001-items"),
    pytest.param({str(k): k for k in range(1001)}, id="dict-1001-entries"),
    pytest.param({"x" * 20_001: 1}, id="dict-key-20001-chars"),
    pytest.param({"a": list(range(harness.MAX_NODES))}, id="dict-too-many-values"),
]


@pytest.mark.parametrize("obj", CHILD_LIMITS_NEW)
def test_child_encoder_limits_new_types(obj):
    with pytest.raises(harness.EncodingLimit):
        harness.Encoder().encode(obj)


def test_child_encoder_boundaries_new_types():
    assert through_child(set(range(harness.MAX_SET_ITEMS))) == frozenset(range(harness.MAX_SET_ITEMS))
    assert len(through_child({str(k): k for k in range(harness.MAX_DICT_ITEMS)})) == harness.MAX_DICT_ITEMS
    assert harness.MAX_DECIMAL_EXPONENT == wire.MAX_DECIMAL_EXPONENT
    assert harness.MAX_SET_ITEMS == wire.MAX_SET_ITEMS and harness.MAX_DICT_ITEMS == wire.MAX_DICT_ITEMS


def test_child_decimal_text_fits_the_parents_grammar_at_the_limits():
    for value in (Decimal("-" + "9" * 1000 + "E+99000"), Decimal("0." + "0" * 5 + "1" * 1000),
                  Decimal("-1." + "2" * 999 + "E-100000")):
        tagged = harness.Encoder().encode(value)
        assert len(tagged["$decimal"]) <= wire.MAX_DECIMAL_CHARS
        assert wire.decode(tagged) == value


def test_child_decimals_do_not_depend_on_the_students_decimal_context():
    with decimal.localcontext() as context:
        context.capitals = 0
        context.prec = 3
        context.traps[decimal.InvalidOperation] = False
        assert through_child(Decimal("1.23456E+50")) == Decimal("1.23456E+50")
        assert through_child(mpmath.mpf(0.125)) == Decimal("0.125")
        with pytest.raises(harness.EncodingLimit):
            harness.Encoder().encode(mpmath.mpf("1e100000000000000000000"))


# NamedValues and describe ---------------------------------------------------------------------


def test_named_values_read_by_name_and_as_a_tuple():
    assert POSTERIOR.as_dict() == {"mean": 0.5, "var": Fraction(1, 3)}
    assert POSTERIOR.values == (0.5, Fraction(1, 3)) == POSTERIOR
    assert isinstance(POSTERIOR, tuple) and len(POSTERIOR) == 2 and POSTERIOR[1] == Fraction(1, 3)
    mean, var = POSTERIOR
    assert (mean, var) == (0.5, Fraction(1, 3))
    assert hash(POSTERIOR) == hash((0.5, Fraction(1, 3)))
    assert repr(POSTERIOR) == "Posterior(mean=0.5, var=Fraction(1, 3))"


def test_named_values_are_immutable_and_survive_copy_and_pickle():
    with pytest.raises(AttributeError):
        POSTERIOR.type = "Other"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del POSTERIOR.fields
    for twin in (copy.deepcopy(POSTERIOR), pickle.loads(pickle.dumps(POSTERIOR))):
        assert same_value(twin, POSTERIOR)
    with pytest.raises(ValueError):
        NamedValues("P", ("a",), (1, 2))


@pytest.mark.parametrize("value, text", [
    pytest.param(Fraction(-3, 4), "Fraction(-3, 4)", id="Fraction"),
    pytest.param(Fraction(10**30, 7), "a fraction of 31 digits over 1 digits", id="Fraction-huge"),
    pytest.param(Decimal("1.2500"), "Decimal('1.2500')", id="Decimal"),
    pytest.param(Decimal("NaN"), "Decimal('NaN')", id="Decimal-NaN"),
    pytest.param(Decimal("1." + "2" * 100 + "E+500"), "Decimal('1.22222222222222222222222222…22222E+500')",
                 id="Decimal-long"),
    pytest.param(frozenset({"c", "a"}), "{'a', 'c'}", id="frozenset"),
    pytest.param(frozenset(), "an empty set", id="frozenset-empty"),
    pytest.param(frozenset(range(10)), "{0, 1, 2, 3, 4, 5, …}", id="frozenset-long"),
    pytest.param({"mean": 0.5, "var": 1}, "{'mean': 0.5, 'var': 1}", id="dict"),
    pytest.param({}, "{}", id="dict-empty"),
    pytest.param({str(k): k for k in range(8)}, "{'0': 0, '1': 1, '2': 2, '3': 3, '4': 4, '5': 5, …}",
                 id="dict-long"),
    pytest.param(POSTERIOR, "Posterior(mean=0.5, var=Fraction(1, 3))", id="NamedValues"),
    pytest.param(NamedValues("Big", [f"f{k}" for k in range(8)], range(8)),
                 "Big(f0=0, f1=1, f2=2, f3=3, f4=4, f5=5, …)", id="NamedValues-long"),
])
def test_describe_new_types(value, text):
    assert wire.describe(value) == text
