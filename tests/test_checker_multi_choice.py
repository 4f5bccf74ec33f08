"""Tables for grader.checking.checkers.multi_choice: reading selections and the partial-credit rules."""

from __future__ import annotations

import collections
import json

import numpy as np  # imported before encoding, so that harness.Encoder sees numpy in sys.modules
import pytest

from grader.checking.checkers import multi_choice
from grader.checking.checkers.base import NotAnswered, Unparsable, WrongType
from grader.problemset.spec import MultiChoiceChecker
from grader.report.results import Outcome
from grader.sandbox import wire
from grader.sandbox.child import harness
from grader.sandbox.wire import CallableInfo, NumpyArray, NumpyScalar, OpaqueObject

OPTIONS = [
    {"key": "a", "aliases": ["autoregressive models", "autoregressive", "AR models"]},
    {"key": "b", "aliases": ["latent variable models", "VAEs"],
     "feedback": "p(x) = ∫ p(x|z) p(z) dz is intractable."},
    {"key": "c", "aliases": ["flow-based models", "flow-based", "normalizing flows"]},
    {"key": "d", "aliases": ["all of the above"]},
]


def spec(partial_credit: str = "right_minus_wrong") -> MultiChoiceChecker:
    return MultiChoiceChecker(kind="multi_choice", options=OPTIONS, correct=["a", "c"],
                              partial_credit=partial_credit)


RMW = spec()
AON = spec("all_or_nothing")
EXPECTED = multi_choice.MultiChoiceAnswer(frozenset({"a", "c"}), "a, c")


@pytest.mark.parametrize("value, keys", [
    (["a", "c"], {"a", "c"}),
    (("A", "C"), {"a", "c"}),
    ({"c", "a"}, {"a", "c"}),
    (["(a)", "(c)"], {"a", "c"}),
    (NumpyArray("<U1", (2,), ("a", "c")), {"a", "c"}),
    ("a", {"a"}),
    ("(a) and (c)", {"a", "c"}),
    ("a, c", {"a", "c"}),
    ("a,c", {"a", "c"}),
    ("a & c", {"a", "c"}),
    ("A and C", {"a", "c"}),
    ("a; c", {"a", "c"}),
    ("a + c", {"a", "c"}),
    ("a c", {"a", "c"}),
    ("(a) (c)", {"a", "c"}),
    ("a) and c)", {"a", "c"}),
    ("Autoregressive and flow-based models", {"a", "c"}),
    ("autoregressive models, normalizing flows", {"a", "c"}),
    ("a flow-based model and an autoregressive model", {"a", "c"}),
    ("(a) Autoregressive models and (c) Flow-based models", {"a", "c"}),
    ("(a) and (c) because both give an exact likelihood without any bound", {"a", "c"}),
    (["Autoregressive", "flow-based"], {"a", "c"}),
    ("d", {"d"}),
    ("All of the above", {"d"}),
    ("(d) all of the above", {"d"}),
    ("a, b, c", {"a", "b", "c"}),
    ("a, b, c, d", {"a", "b", "c", "d"}),
    ("latent variable models", {"b"}),
])
def test_parse_reads_a_selection(value, keys):
    assert multi_choice.parse(value, RMW).keys == frozenset(keys)


@pytest.mark.parametrize("value, error", [
    (None, NotAnswered),
    ("", NotAnswered),
    ("TODO", NotAnswered),
    (OpaqueObject("builtins.ellipsis", "Ellipsis"), NotAnswered),
    ([], NotAnswered),
    ((), NotAnswered),
    ([""], NotAnswered),
    (1, WrongType),
    (3.0, WrongType),
    (True, WrongType),
    (NumpyScalar("int64", 1), WrongType),
    (CallableInfo("q1c", "()"), WrongType),
    ([1, 3], WrongType),
    ([["a", "c"]], WrongType),
    (["a", None], WrongType),
    ([True, False], WrongType),
    ("e", Unparsable),
    ("a, e", Unparsable),
    ("banana", Unparsable),
    ("a and banana split", Unparsable),
    ("?!", Unparsable),
    ("a, " * 2000, Unparsable),
    (["a"] * 51, Unparsable),
])
def test_parse_refuses(value, error):
    with pytest.raises(error):
        multi_choice.parse(value, RMW)


def test_unparsable_message_names_the_piece_and_the_options():
    with pytest.raises(Unparsable) as info:
        multi_choice.parse("a, e", RMW)
    message = str(info.value)
    assert '"e"' in message
    assert '"a" (autoregressive models)' in message and '"d" (all of the above)' in message


def test_messages_do_not_hint_at_the_answer():
    # the example in the message must not be the correct selection of this very question
    with pytest.raises(Unparsable) as info:
        multi_choice.parse("banana", RMW)
    assert '"(a) and (c)"' not in str(info.value) and '["a", "c"]' not in str(info.value)


@pytest.mark.parametrize("value, rmw, aon", [
    (["a", "c"], 1.0, 1.0),
    (["a"], 0.5, 0.0),
    (["c"], 0.5, 0.0),
    (["a", "b"], 0.0, 0.0),
    (["a", "c", "b"], 0.5, 0.0),
    (["a", "c", "d"], 0.5, 0.0),
    (["a", "b", "c", "d"], 0.0, 0.0),  # selecting everything earns nothing
    (["b"], 0.0, 0.0),
    (["d"], 0.0, 0.0),
    (["b", "d"], 0.0, 0.0),  # floored at 0, never negative
])
def test_fraction(value, rmw, aon):
    for checker, fraction in ((RMW, rmw), (AON, aon)):
        verdict = multi_choice.grade(multi_choice.parse(value, checker), EXPECTED, checker)
        assert verdict.fraction == pytest.approx(fraction)


@pytest.mark.parametrize("value, outcome", [
    ("(a) and (c)", Outcome.CORRECT),
    ("a", Outcome.PARTIAL),
    ("a, b, c", Outcome.PARTIAL),
    ("d", Outcome.INCORRECT),
    ("b", Outcome.INCORRECT),
])
def test_outcome(value, outcome):
    assert multi_choice.grade(multi_choice.parse(value, RMW), EXPECTED, RMW).outcome is outcome


def test_feedback_names_missed_and_wrong_options():
    verdict = multi_choice.grade(multi_choice.parse("a, b", RMW), EXPECTED, RMW)
    text = "\n".join(verdict.feedback)
    assert "did not select: (c) flow-based models" in text
    assert "selected wrongly: (b) latent variable models" in text
    assert "p(x) = ∫ p(x|z) p(z) dz is intractable." in text  # the option's own feedback


def test_correct_selection_has_no_complaints():
    assert multi_choice.grade(multi_choice.parse(["a", "c"], RMW), EXPECTED, RMW).feedback == ()


@pytest.mark.parametrize("answer, mistake, hit", [
    ("d", ["d"], True),
    ("All of the above", ["d"], True),
    ("a, b, c", ["a", "b", "c"], True),
    ("a, c, d", ["d"], False),  # a mistake is a whole selection
    ("a", ["a", "c"], False),
])
def test_same(answer, mistake, hit):
    parsed = multi_choice.parse(answer, RMW)
    assert multi_choice.same(parsed, multi_choice.parse(mistake, RMW), RMW) is hit


@pytest.mark.parametrize("value, shown", [
    (["a", "c"], "a, c"),
    ("(a) and (c)", 'a, c (read from "(a) and (c)")'),
])
def test_show(value, shown):
    assert multi_choice.show(multi_choice.parse(value, RMW)) == shown


# ---------------------------------------------------------------------------------------------
# Selections as the submission's process sends them: sets, frozensets, tuples, lists (issue 12)
# ---------------------------------------------------------------------------------------------

NUMBERED = MultiChoiceChecker(kind="multi_choice", correct=["1", "3"], options=[
    {"key": "1", "aliases": ["autoregressive models"]},
    {"key": "2", "aliases": ["latent variable models"]},
    {"key": "3", "aliases": ["flow-based models"]},
])


def via_child(obj):
    """What the parent receives when the submission defines `obj`: the child's encoder, JSON text
    and the parent's decoder."""
    return wire.decode(wire.loads(json.dumps(harness.Encoder().encode(obj), allow_nan=False)))


@pytest.mark.parametrize("obj, checker, keys, text", [
    pytest.param({"a", "c"}, RMW, {"a", "c"}, "a, c", id="set"),
    pytest.param({"c", "a"}, RMW, {"a", "c"}, "a, c", id="set-any-order"),
    pytest.param(frozenset({"a"}), RMW, {"a"}, "a", id="frozenset"),
    pytest.param(("a", "c"), RMW, {"a", "c"}, "a, c", id="tuple"),
    pytest.param(("c", "a"), RMW, {"a", "c"}, "c, a", id="tuple-in-its-order"),
    pytest.param(["a", "c"], RMW, {"a", "c"}, "a, c", id="list"),
    pytest.param({"A", "c"}, RMW, {"a", "c"}, "A, c", id="set-case-ignored"),
    pytest.param({"(a)", "flow-based models"}, RMW, {"a", "c"}, "(a), flow-based models", id="set-of-labels-and-names"),
    pytest.param({"a", "TODO"}, RMW, {"a"}, "a", id="set-with-a-placeholder"),
    pytest.param({1, 3}, NUMBERED, {"1", "3"}, "1, 3", id="set-of-ints-numbered-options"),
    pytest.param({"1", "3"}, NUMBERED, {"1", "3"}, "1, 3", id="set-of-numerals"),
    pytest.param((3, "1"), NUMBERED, {"1", "3"}, "3, 1", id="tuple-of-int-and-numeral"),
    pytest.param(np.array([1, 3]), NUMBERED, {"1", "3"}, "1, 3", id="numpy-array-of-ints"),
    pytest.param(collections.namedtuple("Pick", "first second")("a", "c"), RMW, {"a", "c"}, "a, c",
                 id="namedtuple"),
])
def test_selection_through_the_child(obj, checker, keys, text):
    answer = multi_choice.parse(via_child(obj), checker)
    assert answer.keys == frozenset(keys)
    assert answer.text == text


@pytest.mark.parametrize("obj, checker, error, message", [
    pytest.param(set(), RMW, NotAnswered, "no option selected", id="empty-set"),
    pytest.param(frozenset(), RMW, NotAnswered, "no option selected", id="empty-frozenset"),
    pytest.param((), RMW, NotAnswered, "no option selected", id="empty-tuple"),
    pytest.param({"", "TODO"}, RMW, NotAnswered, "no option selected", id="set-of-placeholders"),
    pytest.param({1, 3}, RMW, WrongType, "got 1 inside your set, each item should be a string", id="ints-lettered"),
    pytest.param({4}, NUMBERED, WrongType, "got 4 inside your set, each item should be a string",
                 id="int-that-is-no-option"),
    pytest.param({True}, NUMBERED, WrongType, "got True inside your set", id="bool-is-not-option-1"),
    pytest.param({1.0}, NUMBERED, WrongType, "got 1 inside your set", id="float-is-not-an-option-key"),
    pytest.param(("a", 3), RMW, WrongType, "got 3 inside your tuple", id="tuple-with-an-int"),
    pytest.param({"a", ("c",)}, RMW, WrongType, "inside your set", id="set-holding-a-tuple"),
    pytest.param({"a", "e"}, RMW, Unparsable, 'could not read "e" as an option', id="set-with-an-unknown-key"),
    pytest.param(set(map(str, range(51))), RMW, Unparsable, "your set has 51 items", id="set-too-long"),
    pytest.param({"a": True, "c": True}, RMW, WrongType, "got {'a': True, 'c': True}", id="dict"),
])
def test_selection_through_the_child_refused(obj, checker, error, message):
    with pytest.raises(error) as info:
        multi_choice.parse(via_child(obj), checker)
    assert message in str(info.value)


def test_set_selection_is_graded_like_a_list():
    for obj in ({"a", "c"}, frozenset({"c", "a"}), ("a", "c")):
        verdict = multi_choice.grade(multi_choice.parse(via_child(obj), RMW), EXPECTED, RMW)
        assert verdict.outcome is Outcome.CORRECT
    partial = multi_choice.grade(multi_choice.parse(via_child({"a", "b"}), RMW), EXPECTED, RMW)
    assert partial.fraction == pytest.approx(0.0)
    assert multi_choice.show(multi_choice.parse(via_child({"c", "a"}), RMW)) == "a, c"


def test_expects_mentions_a_set():
    assert '{"x", "y"}' in multi_choice.expects(RMW)
