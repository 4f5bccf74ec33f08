"""Tables for grader.checking.checkers.free_text: word counts, rubric fractions, always NEEDS_REVIEW."""

from __future__ import annotations

import time

import pytest

from grader.checking.checkers import free_text
from grader.checking.checkers.base import NotAnswered, Unparsable, WrongType
from grader.problemset.spec import FreeTextChecker
from grader.report.results import Outcome
from grader.sandbox.wire import CallableInfo, NumpyScalar, OpaqueObject

SPEC = FreeTextChecker(
    kind="free_text",
    min_words=5,
    model_answer="The forward process adds Gaussian noise; the reverse process learns to denoise.",
    rubric=[
        {"name": "forward adds noise", "points": 1,
         "patterns": [r"(add|inject)\w*\W+(\w+\W+){0,3}noise", r"forward process"],
         "feedback": "Describe the forward process."},
        {"name": "reverse denoises", "points": 0.5,
         "patterns": [r"denois", r"reverse process"],
         "feedback": "Describe the reverse process."},
        {"name": "small steps", "points": 0.5,
         "patterns": [r"small\W+(\w+\W+){0,2}steps?", r"step[- ]by[- ]step"],
         "feedback": "Explain why many small steps help."},
    ],
)


@pytest.mark.parametrize("value, text", [
    ("  It adds noise and then denoises.  ", "It adds noise and then denoises."),
    (("It adds noise and then denoises.",), "It adds noise and then denoises."),  # `q = "...",`
    (["It adds noise", "and then denoises."], "It adds noise\nand then denoises."),
])
def test_parse_returns_the_stripped_text(value, text):
    assert free_text.parse(value, SPEC) == text


@pytest.mark.parametrize("value, error, fragment", [
    (None, NotAnswered, "no answer given"),
    ("", NotAnswered, "no answer given"),
    ("   \n\t", NotAnswered, "no answer given"),
    ("TODO", NotAnswered, "no answer given"),
    ("Your answer here", NotAnswered, "no answer given"),
    (OpaqueObject("builtins.ellipsis", "Ellipsis"), NotAnswered, "no answer given"),
    ([], NotAnswered, "no answer given"),
    ((), NotAnswered, "no answer given"),
    (True, WrongType, "got "),
    (False, WrongType, "got "),
    (42, WrongType, "got "),
    (3.14, WrongType, "got "),
    (NumpyScalar("float64", 1.0), WrongType, "got "),
    (CallableInfo("q3m", "()"), WrongType, "got "),
    ([["nested", "list"]], WrongType, "got "),
    (["text", 3], WrongType, "got "),
    ({"answer": "text"}, WrongType, "got "),
    ("Noise.", Unparsable, "write at least 5 words"),
    ("adds noise then denoises", Unparsable, "write at least 5 words"),  # four words
])
def test_parse_refuses(value, error, fragment):
    with pytest.raises(error) as info:
        free_text.parse(value, SPEC)
    assert fragment in str(info.value)


def test_too_short_message_asks_for_more_words():
    with pytest.raises(Unparsable) as info:
        free_text.parse("adds noise then denoises", SPEC)
    assert "write at least 5 words" in str(info.value)


def test_min_words_zero_accepts_one_word():
    spec = SPEC.model_copy(update={"min_words": 0})
    assert free_text.parse("denoising", spec) == "denoising"


@pytest.mark.parametrize("text, fraction", [
    ("The forward process adds noise and the model learns to denoise in small steps.", 1.0),
    ("We ADD Gaussian NOISE, then a network learns to undo it.", 0.5),
    ("A network is trained to denoise images, one step at a time.", 0.25),
    ("Going step-by-step, we inject a bit of noise each time.", 0.75),
    ("Forward\nprocess then the reverse\nprocess, in small\nsteps.", 1.0),  # across line breaks
    ("I don't know, generative models are cool", 0.0),
    ("ＦＯＲＷＡＲＤ ＰＲＯＣＥＳＳ and nothing else here", 0.5),  # NFKC before matching
    ("The model learns to de\u200bnois\u00ade the samples.", 0.25),  # invisible characters
])
def test_grade_fraction(text, fraction):
    verdict = free_text.grade(free_text.parse(text, SPEC), "", SPEC)
    assert verdict.outcome is Outcome.NEEDS_REVIEW
    assert verdict.fraction == pytest.approx(fraction)


def test_the_model_answer_is_not_used_as_expected():
    text = "The forward process adds noise and the model learns to denoise in small steps."
    assert free_text.grade(text, "anything at all", SPEC) == free_text.grade(text, "", SPEC)


def test_feedback_lists_found_and_missing_and_says_provisional():
    verdict = free_text.grade("We add noise, then a network learns to undo it.", "", SPEC)
    lines = verdict.feedback
    assert lines[0] == "Found: forward adds noise (1 pt)"
    assert any(line.startswith("Missing (0.5 pt) — ") and line.endswith(": Describe the reverse process.")
               for line in lines)
    assert any(line.endswith("Explain why many small steps help.") for line in lines)
    assert not any(line.endswith("Describe the forward process.") for line in lines)
    assert "automatic estimate" in lines[-1] and "course staff" in lines[-1]


def test_nothing_recognised_still_says_provisional():
    verdict = free_text.grade("I don't know, generative models are cool", "", SPEC)
    assert not any(line.startswith("Found") for line in verdict.feedback)
    assert "course staff" in verdict.feedback[-1]


def test_huge_answer_is_graded_quickly_and_flagged():
    text = "The forward process adds noise. " + "blah " * 2_000_000
    start = time.perf_counter()
    verdict = free_text.grade(free_text.parse(text, SPEC), "", SPEC)
    assert time.perf_counter() - start < 2.0
    assert verdict.fraction == pytest.approx(0.5)
    assert any("first 20000 characters" in line for line in verdict.feedback)


def test_matching_is_case_insensitive_without_inline_flags():
    spec = SPEC.model_copy(update={"rubric": [SPEC.rubric[0].model_copy(
        update={"patterns": ["FORWARD PROCESS", "ignored"]})]})
    assert free_text.grade("the forward process is fixed", "", spec).fraction == 1.0


@pytest.mark.parametrize("a, b, hit", [
    ("It adds noise.", "it adds   NOISE", True),
    ("It adds noise.", "It removes noise.", False),
])
def test_same(a, b, hit):
    assert free_text.same(a, b, SPEC) is hit


def test_show_gives_the_whole_answer_and_counts_words():
    shown = free_text.show("word " * 500)
    assert shown == "\"" + " ".join(["word"] * 500) + "\" (500 words)"
    huge = free_text.show("word " * 1000)
    assert huge.endswith("(1000 words)") and len(huge) < free_text.MAX_SHOWN + 40 and "…" in huge


def test_the_format_character_list_matches_unicodedata():
    import unicodedata

    from grader.checking.checkers.free_text import FORMAT_CHARACTERS

    format_characters = {chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"}
    matched = {chr(c) for c in range(0x110000) if FORMAT_CHARACTERS.fullmatch(chr(c))}
    assert matched == format_characters


def test_a_list_of_terms_is_suggested_no_points_and_told_why():
    salad = "forward process, add noise, denoise, small steps, reverse process, Gaussian"
    verdict = free_text.grade(salad, "", SPEC)
    assert verdict.outcome is Outcome.NEEDS_REVIEW and verdict.fraction == 0
    assert verdict.feedback == (free_text.TERM_LIST_FEEDBACK,)
    sentence = "The forward process adds noise in small steps and the reverse process learns to denoise."
    assert free_text.grade(sentence, "", SPEC).fraction == 1
