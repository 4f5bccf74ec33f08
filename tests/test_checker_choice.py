"""Tables for grader.checking.checkers.choice: reading names, refusing odd values, grading by `accept`."""

from __future__ import annotations

import json
import time

import pytest

from grader.checking.checkers import choice
from grader.checking.checkers.base import NotAnswered, Unparsable, WrongType
from grader.problemset.spec import ChoiceChecker
from grader.report.results import Outcome
from grader.sandbox import wire
from grader.sandbox.child import harness
from grader.sandbox.wire import CallableInfo, NumpyScalar, OpaqueObject, SympyTree

OPTIONS = [
    {"key": "flows", "aliases": ["normalizing flows", "normalising flow", "flow-based models", "NF",
                                 "masked autoregressive flow", "RealNVP"]},
    {"key": "vaes", "aliases": ["VAE", "variational autoencoder", "variational auto-encoder"]},
    {"key": "gans", "aliases": ["GAN", "generative adversarial network", "StyleGAN"],
     "feedback": "GANs have no built-in inverse x → z."},
    {"key": "autoregressive", "aliases": ["autoregressive model", "PixelCNN"]},
    {"key": "diffusion", "aliases": ["diffusion model", "DDPM"]},
]


def spec(accept: tuple[str, ...] = ("flows",), allow_several: bool = False) -> ChoiceChecker:
    return ChoiceChecker(kind="choice", options=OPTIONS, accept=list(accept), allow_several=allow_several)


ONE = spec()
SEVERAL = spec(accept=("vaes", "flows"), allow_several=True)


@pytest.mark.parametrize("value, keys", [
    ("flows", {"flows"}),
    ("Flows", {"flows"}),
    ("  FLOWS  ", {"flows"}),
    ("flow", {"flows"}),
    ("Normalizing flows (NF)", {"flows"}),
    ("normalising flows", {"flows"}),
    ("Normalizing Flow.", {"flows"}),
    ("the normalizing flows", {"flows"}),
    ("a normalizing flow", {"flows"}),
    ("Flow-based models", {"flows"}),
    ("flow based model", {"flows"}),
    ("NF", {"flows"}),
    ("RealNVP", {"flows"}),
    ("Masked Autoregressive Flow", {"flows"}),  # the longer alias wins over "autoregressive"
    ("ｆｌｏｗｓ", {"flows"}),  # full-width letters: NFKC
    ("𝐕𝐀𝐄", {"vaes"}),  # mathematical bold: NFKC
    ("GAN", {"gans"}),
    ("GANs", {"gans"}),
    ("gans", {"gans"}),
    ("Generative Adversarial Networks", {"gans"}),
    ("generative-adversarial network", {"gans"}),
    ("variational auto-encoders", {"vaes"}),
    ("An autoregressive model", {"autoregressive"}),
    ("PixelCNN", {"autoregressive"}),
    ("I would use a normalizing flow.", {"flows"}),
    (["flows"], {"flows"}),
    (("NF",), {"flows"}),
    (["flows", "normalizing flow"], {"flows"}),
    (["", "flows"], {"flows"}),  # a blank item is ignored
])
def test_parse_reads_one_option(value, keys):
    assert choice.parse(value, ONE).keys == frozenset(keys)


@pytest.mark.parametrize("value, keys", [
    ("VAE or Normalizing Flow", {"vaes", "flows"}),
    ("VAE / NF", {"vaes", "flows"}),
    ("vaes and flows", {"vaes", "flows"}),
    (["VAE", "flow"], {"vaes", "flows"}),
    ({"VAE", "flow"}, {"vaes", "flows"}),
    ("a VAE", {"vaes"}),
    ("GAN or VAE", {"gans", "vaes"}),
])
def test_parse_reads_several_options_when_allowed(value, keys):
    assert choice.parse(value, SEVERAL).keys == frozenset(keys)


@pytest.mark.parametrize("value, error", [
    (None, NotAnswered),
    ("", NotAnswered),
    ("   ", NotAnswered),
    ("TODO", NotAnswered),
    ("your answer here", NotAnswered),
    (OpaqueObject("builtins.ellipsis", "Ellipsis"), NotAnswered),
    ([], NotAnswered),
    (["", "todo"], NotAnswered),
    (3, WrongType),
    (0, WrongType),
    (2.5, WrongType),
    (float("nan"), WrongType),
    (True, WrongType),
    (False, WrongType),
    (1 + 2j, WrongType),
    ([["flows"]], WrongType),
    (["flows", 3], WrongType),
    ([True], WrongType),
    ({"answer": "flows"}, WrongType),
    (NumpyScalar("float64", 1.0), WrongType),
    (NumpyScalar("bool", True), WrongType),
    (SympyTree({"f": "Symbol", "a": []}, "flows"), WrongType),
    (CallableInfo("q1a", "()"), WrongType),
    (OpaqueObject("builtins.object", "<object>"), WrongType),
    ("banana", Unparsable),
    ("???", Unparsable),
    ("flowers", Unparsable),
    ("VAE or Normalizing Flow", Unparsable),  # several, but ONE allows one
    (["VAE", "GAN"], Unparsable),
    ("flows " * 1000, Unparsable),
    (["flows"] * 51, Unparsable),
])
def test_parse_refuses(value, error):
    with pytest.raises(error):
        choice.parse(value, ONE)


def test_unparsable_message_lists_the_options():
    with pytest.raises(Unparsable) as info:
        choice.parse("banana", ONE)
    message = str(info.value)
    assert 'expected one of: "flows", "vaes", "gans", "autoregressive", "diffusion"' in message
    assert "(a string" in message


def test_several_message_asks_for_one():
    with pytest.raises(Unparsable) as info:
        choice.parse("VAE or GAN", ONE)
    assert "name exactly one" in str(info.value)


def test_wrong_type_message_says_what_was_given_and_expected():
    with pytest.raises(WrongType) as info:
        choice.parse(True, ONE)
    assert "True" in str(info.value) and "expected one of" in str(info.value)


@pytest.mark.parametrize("checker, value, outcome", [
    (ONE, "Normalizing flows", Outcome.CORRECT),
    (ONE, "VAE", Outcome.INCORRECT),
    (ONE, "GANs", Outcome.INCORRECT),
    (ONE, "diffusion", Outcome.INCORRECT),
    (SEVERAL, "VAE", Outcome.CORRECT),
    (SEVERAL, "flow", Outcome.CORRECT),
    (SEVERAL, "VAE or normalizing flow", Outcome.CORRECT),
    (SEVERAL, "VAE or GAN", Outcome.INCORRECT),  # every named option must be accepted
    (SEVERAL, "GAN", Outcome.INCORRECT),
])
def test_grade_follows_accept(checker, value, outcome):
    answer = choice.parse(value, checker)
    expected = choice.parse(checker.accept[0], checker)
    verdict = choice.grade(answer, expected, checker)
    assert verdict.outcome is outcome
    assert verdict.fraction == (1.0 if outcome is Outcome.CORRECT else 0.0)


def test_grade_ignores_expected_and_uses_accept():
    # The reference answered "vaes"; a student's "flows" is still right because both are accepted.
    verdict = choice.grade(choice.parse("flows", SEVERAL), choice.parse("vaes", SEVERAL), SEVERAL)
    assert verdict.is_correct


def test_grade_rejects_several_when_one_is_required():
    # parse refuses this already, but grade must not rely on it.
    answer = choice.ChoiceAnswer(frozenset({"flows", "vaes"}), "flows, vaes")
    assert not choice.grade(answer, answer, spec(accept=("flows", "vaes"))).is_correct


def test_grade_rejects_an_empty_selection():
    answer = choice.ChoiceAnswer(frozenset(), "")
    assert not choice.grade(answer, answer, ONE).is_correct


def test_wrong_option_feedback_is_given():
    verdict = choice.grade(choice.parse("GAN", ONE), choice.parse("flows", ONE), ONE)
    assert "GANs have no built-in inverse x → z." in verdict.feedback


def test_several_with_a_wrong_one_names_it():
    answer = choice.parse("VAE or GAN", SEVERAL)
    verdict = choice.grade(answer, choice.parse("vaes", SEVERAL), SEVERAL)
    assert any('"gans"' in line for line in verdict.feedback)


@pytest.mark.parametrize("checker, answer, mistake, hit", [
    (ONE, "GAN", "gans", True),
    (ONE, "Generative adversarial networks", "gans", True),
    (ONE, "VAE", "gans", False),
    (SEVERAL, "VAE or GAN", "gans", True),  # the answer makes the mistake of naming a GAN
    (SEVERAL, "VAE", "gans", False),
    (SEVERAL, "GAN", "VAE or GAN", False),
])
def test_same_detects_a_listed_mistake(checker, answer, mistake, hit):
    parsed, other = choice.parse(answer, checker), choice.parse(mistake, checker)
    assert choice.same(parsed, other, checker) is hit


@pytest.mark.parametrize("value, shown", [
    ("flows", "flows"),
    ("Normalizing flows (NF)", 'flows (read from "Normalizing flows (NF)")'),
    ("VAE or flow", 'flows, vaes (read from "VAE or flow")'),
])
def test_show(value, shown):
    assert choice.show(choice.parse(value, SEVERAL)) == shown


def test_show_shortens_long_text():
    text = "I think that the best answer here is a normalizing flow because it is invertible"
    assert len(choice.show(choice.parse(text, ONE))) < 90


def test_parse_is_deterministic():
    values = ["VAE or flow", ["flow", "VAE"], {"flow", "VAE"}]
    first = [choice.parse(v, SEVERAL) for v in values]
    assert [choice.parse(v, SEVERAL) for v in values] == first
    assert first[1].keys == first[2].keys


def test_long_text_is_refused_quickly():
    start = time.perf_counter()
    with pytest.raises(Unparsable):
        choice.parse("x" * 5_000_000, ONE)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize("text, normal", [
    ("Generative Adversarial Networks", "generative adversarial network"),
    ("  Flow-based   MODELS!! ", "flow based model"),
    ("N(0, I)", "n 0 i"),
    ("𝒩(0, I)", "n 0 i"),
    ("p_data(x₀)", "p data x0"),
    ("process", "process"),  # "ss" is not a plural
    ("V\u200bAE", "vae"),  # zero-width space
    ("nor\u00admal\u00adiz\u00ading flows", "normalizing flow"),  # soft hyphens
    ("ﬂows", "flow"),  # the fl ligature: NFKC
])
def test_normalize(text, normal):
    assert choice.normalize(text) == normal


def test_an_alias_shared_by_two_options_reads_as_both():
    checker = ChoiceChecker(kind="choice", accept=["a"], options=[
        {"key": "a", "aliases": ["same"]}, {"key": "b", "aliases": ["same"]}])
    with pytest.raises(Unparsable):
        choice.parse("same", checker)  # ambiguous: the spec's fault, reported rather than guessed


# ---------------------------------------------------------------------------------------------
# Answers as the submission's process sends them (issue 12): the child's encoder, JSON, wire.decode
# ---------------------------------------------------------------------------------------------

NUMBERED = ChoiceChecker(kind="choice", accept=["2"], options=[
    {"key": "1", "aliases": ["VAE"]}, {"key": "2", "aliases": ["normalizing flow"]}, {"key": "3", "aliases": ["GAN"]},
])


def via_child(obj):
    return wire.decode(wire.loads(json.dumps(harness.Encoder().encode(obj), allow_nan=False)))


@pytest.mark.parametrize("obj, checker, keys", [
    pytest.param("flows", ONE, {"flows"}, id="str"),
    pytest.param({"flows"}, ONE, {"flows"}, id="set-of-one"),
    pytest.param(frozenset({"NF"}), ONE, {"flows"}, id="frozenset-of-one"),
    pytest.param(("flows",), ONE, {"flows"}, id="tuple-of-one"),
    pytest.param({"VAE", "flow"}, SEVERAL, {"vaes", "flows"}, id="set-of-several"),
    pytest.param(("VAE", "flow"), SEVERAL, {"vaes", "flows"}, id="tuple-of-several"),
    pytest.param(2, NUMBERED, {"2"}, id="int-numbered-options"),
    pytest.param({2}, NUMBERED, {"2"}, id="set-of-int-numbered-options"),
    pytest.param("2", NUMBERED, {"2"}, id="numeral-numbered-options"),
])
def test_parse_through_the_child(obj, checker, keys):
    assert choice.parse(via_child(obj), checker).keys == frozenset(keys)


@pytest.mark.parametrize("obj, checker, error, message", [
    pytest.param(set(), ONE, NotAnswered, "the set is empty", id="empty-set"),
    pytest.param((), ONE, NotAnswered, "the tuple is empty", id="empty-tuple"),
    pytest.param({"VAE", "GAN"}, ONE, Unparsable, "name exactly one", id="set-of-two-where-one"),
    pytest.param({3}, ONE, WrongType, "got 3 inside your set, each item should be a string", id="set-of-int"),
    pytest.param(4, NUMBERED, WrongType, "got 4;", id="int-that-is-no-option"),
    pytest.param(True, NUMBERED, WrongType, "got True;", id="bool-is-not-option-1"),
    pytest.param({"answer": "flows"}, ONE, WrongType, "got {'answer': 'flows'};", id="dict"),
])
def test_parse_through_the_child_refused(obj, checker, error, message):
    with pytest.raises(error) as info:
        choice.parse(via_child(obj), checker)
    assert message in str(info.value)


def test_strings_of_names_the_container_and_sorts_a_set():
    assert choice.strings_of(frozenset({"b", "a"}), "x") == ["a", "b"]
    assert choice.strings_of(("b", "a"), "x") == ["b", "a"]
    with pytest.raises(WrongType, match="inside your tuple"):
        choice.strings_of(("a", 1), "x")
    with pytest.raises(NotAnswered, match="the list is empty"):
        choice.strings_of([], "x")
