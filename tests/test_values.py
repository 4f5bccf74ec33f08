"""Tagged JSON between the child and the parent: wire.decode/encode/loads and harness.Encoder."""

from __future__ import annotations

import cmath
import json
import math

import numpy  # noqa: F401  (imported before encoding so that harness.Encoder sees it in sys.modules)
import numpy as np
import pytest
import sympy

from grader.checking import mathparse
from grader.sandbox import wire
from grader.sandbox.child import harness
from grader.sandbox.wire import (
    MAX_DEPTH,
    CallableInfo,
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
    pytest.param({"a": 1}, "builtins.dict", id="dict"),
    pytest.param({1, 2}, "builtins.set", id="set"),
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
    assert mathparse.rebuild_tree(got.tree, ["z"]) == rebuilt


def test_child_encoder_sympy_tree_shape():
    got = through_child(-sympy.log(2))
    assert got.tree == {"f": "Mul", "a": [{"f": "Integer", "v": "-1"},
                                         {"f": "log", "a": [{"f": "Integer", "v": "2"}]}]}


def test_child_encoder_marks_undefined_functions():
    f = sympy.Function("f")
    got = through_child(f(Z))
    assert got.tree["f"] == "UndefinedFunction:f"
    with pytest.raises(mathparse.Unparsable):
        mathparse.rebuild_tree(got.tree, ["z"])


def test_child_encoder_lambda_is_sent_and_refused_by_parent():
    got = through_child(sympy.Lambda(Z, Z**2))
    assert got.tree["f"] == "Lambda"
    with pytest.raises(mathparse.Unparsable):
        mathparse.rebuild_tree(got.tree, ["z"])


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
