"""Tables for grader.checking.checkers.multi_choice: reading selections and the partial-credit rules."""

from __future__ import annotations

import pytest

from grader.checking.checkers import multi_choice
from grader.checking.checkers.base import NotAnswered, Unparsable, WrongType
from grader.problemset.spec import MultiChoiceChecker
from grader.report.results import Outcome
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
