"""Tables for grader.checking.checkers.boolean: bools and yes/no words in, numbers out."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from grader.checking.checkers import boolean
from grader.checking.checkers.base import NotAnswered, WrongType
from grader.problemset.spec import BooleanChecker
from grader.report.results import Outcome
from grader.sandbox.wire import (
    CallableInfo,
    NumpyArray,
    NumpyScalar,
    OpaqueObject,
    SympyTree,
)

SPEC = BooleanChecker(kind="boolean")
TRUE = boolean.BooleanAnswer(True, "True")
FALSE = boolean.BooleanAnswer(False, "False")


@pytest.mark.parametrize("value, expected", [
    (True, True),
    (False, False),
    (NumpyScalar("bool", True), True),
    (NumpyScalar("bool", False), False),
    (NumpyScalar("bool_", False), False),
    ("yes", True),
    ("Yes", True),
    ("YES.", True),
    (" y ", True),
    ("true", True),
    ("True", True),
    ("finite", True),
    ("Finite", True),
    ("no", False),
    ("No!", False),
    ("n", False),
    ("false", False),
    ("FALSE", False),
    ("not finite", False),
    ("Not  finite.", False),
    ("infinite", False),
    ("Infinite", False),
    ("No, because the KL divergence is unbounded.", False),
    ("Yes - the integral converges.", True),
    ("ｙｅｓ", True),  # full-width: NFKC
])
def test_parse_reads(value, expected):
    assert boolean.parse(value, SPEC).value is expected


@pytest.mark.parametrize("value, error, fragment", [
    (None, NotAnswered, "no answer given"),
    ("", NotAnswered, "no answer given"),
    ("  ", NotAnswered, "no answer given"),
    ("TODO", NotAnswered, "no answer given"),
    ("None", NotAnswered, "no answer given"),
    (OpaqueObject("builtins.ellipsis", "Ellipsis"), NotAnswered, "no answer given"),
    (1, WrongType, "1 and 0 are not read as True and False"),  # not True: a 1 may be a count or a probability
    (0, WrongType, "1 and 0 are not read as True and False"),
    (1.0, WrongType, "1 and 0 are not read as True and False"),
    (0.0, WrongType, "1 and 0 are not read as True and False"),
    (-1, WrongType, "1 and 0 are not read as True and False"),
    (float("inf"), WrongType, "1 and 0 are not read as True and False"),
    (1j, WrongType, "1 and 0 are not read as True and False"),
    (NumpyScalar("int64", 1), WrongType, "1 and 0 are not read as True and False"),
    (NumpyScalar("float64", 0.0), WrongType, "1 and 0 are not read as True and False"),
    (NumpyScalar("bool", 1.5), WrongType, "expected True or False"),  # a corrupt message, not a bool
    (NumpyArray("bool", (1,), (True,)), WrongType, "expected True or False"),
    ([True], WrongType, "expected True or False"),
    ((False,), WrongType, "expected True or False"),
    ([], NotAnswered, "no answer given"),  # an empty list is a template's stub, as for every kind
    ({"value": True}, WrongType, "expected True or False"),
    (SympyTree({"f": "BooleanTrue"}, "True"), WrongType, "expected True or False"),
    (CallableInfo("q", "()"), WrongType, "expected True or False"),
    ("maybe", WrongType, "not a yes/no word"),
    ("no idea", WrongType, "not a yes/no word"),
    ("yesterday", WrongType, "not a yes/no word"),
    ("1", WrongType, "not a yes/no word"),
    ("0", WrongType, "not a yes/no word"),
    ("nope" * 100_000, WrongType, "not a yes/no word"),
    (Fraction(1, 1), WrongType, "1 and 0 are not read as True and False"),
    (Decimal("0"), WrongType, "1 and 0 are not read as True and False"),
    (frozenset({True}), WrongType, "expected True or False"),
])
def test_parse_refuses(value, error, fragment):
    with pytest.raises(error) as info:
        boolean.parse(value, SPEC)
    assert fragment in str(info.value)


def test_messages_say_what_is_expected():
    for value in (1, "maybe", [True]):
        with pytest.raises(WrongType) as info:
            boolean.parse(value, SPEC)
        assert "expected True or False" in str(info.value)
    with pytest.raises(WrongType) as info:
        boolean.parse(1, SPEC)
    assert "1 and 0 are not read as True and False" in str(info.value)


@pytest.mark.parametrize("value, expected, outcome", [
    (False, FALSE, Outcome.CORRECT),
    ("no", FALSE, Outcome.CORRECT),
    ("infinite", FALSE, Outcome.CORRECT),
    (NumpyScalar("bool", False), FALSE, Outcome.CORRECT),
    (True, FALSE, Outcome.INCORRECT),
    ("yes", FALSE, Outcome.INCORRECT),
    ("true", TRUE, Outcome.CORRECT),
    (False, TRUE, Outcome.INCORRECT),
])
def test_grade(value, expected, outcome):
    verdict = boolean.grade(boolean.parse(value, SPEC), expected, SPEC)
    assert verdict.outcome is outcome
    assert verdict.fraction == (1.0 if outcome is Outcome.CORRECT else 0.0)


@pytest.mark.parametrize("answer, other, hit", [
    ("no", False, True),
    (False, "false", True),
    ("yes", False, False),
])
def test_same(answer, other, hit):
    assert boolean.same(boolean.parse(answer, SPEC), boolean.parse(other, SPEC), SPEC) is hit


@pytest.mark.parametrize("value, shown", [
    (False, "False"),
    ("no", 'False (read from "no")'),
    (NumpyScalar("bool", True), 'True (read from "numpy.bool_(True)")'),
])
def test_show(value, shown):
    assert boolean.show(boolean.parse(value, SPEC)) == shown
