"""The conceptual questions of the generative-models set (1a–1d, 3a–3r, 4f) as specs.

Checks that each spec validates, keeps its fixed part names, kinds and points, and that its
checker agrees with the course document: model answers earn full rubric credit, an irrelevant
answer earns little, every alias reads as its own option, every listed mistake is rejected.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from grader.checking.checkers import choice, free_text, multi_choice
from grader.problemset.spec import (
    ChoiceChecker,
    FreeTextChecker,
    MultiChoiceChecker,
    Part,
    Question,
)

SPEC_DIR = Path(__file__).resolve().parent.parent / "problems" / "genmodels"

# question id -> [(part name, kind, points)], fixed by the problem set's design. A question may
# have further parts of other kinds (3p also asks for the function q3p_mean); those are tested
# with their own checkers.
LAYOUT: dict[str, list[tuple[str, str, float]]] = {
    "1a": [("q1a", "choice", 2)],
    "1b": [("q1b", "choice", 2)],
    "1c": [("q1c", "multi_choice", 3)],
    "1d": [("q1d", "free_text", 4)],
    **{f"3{c}": [(f"q3{c}", "free_text", 2)] for c in "abcdefgiklmnopq"},
    "3h": [("q3h_model", "choice", 1), ("q3h", "free_text", 2)],
    "3j": [("q3j_model", "choice", 1), ("q3j", "free_text", 2)],
    "3r": [("q3r_a_model", "choice", 1), ("q3r_b_model", "choice", 1), ("q3r", "free_text", 2)],
    "4f": [("q4f", "choice", 2)],
}

ACCEPTED = {
    "q1a": {"flows"}, "q1b": {"gans"}, "q3h_model": {"vaes", "flows"}, "q3j_model": {"gans"},
    "q3r_a_model": {"flows", "diffusion"}, "q3r_b_model": {"diffusion", "gans"}, "q4f": {"data"},
}

MODEL_CLASSES = {"flows", "vaes", "gans", "autoregressive", "diffusion"}

IRRELEVANT = "I don't know, generative models are cool"

CHOICE_KINDS = {"choice": choice, "multi_choice": multi_choice}


def load(question_id: str) -> Question:
    data = yaml.safe_load((SPEC_DIR / f"{question_id}.yaml").read_text(encoding="utf-8"))
    return Question.model_validate(data)


QUESTIONS = {qid: load(qid) for qid in LAYOUT}


def parts_of(kinds: set[str]) -> list[tuple[str, Part]]:
    return [(q.id, p) for q in QUESTIONS.values() for p in q.parts if p.checker.kind in kinds]


FREE_TEXT = parts_of({"free_text"})
CHOICES = parts_of({"choice", "multi_choice"})


def ids(items: list[tuple[str, Part]]) -> list[str]:
    return [part.name for _, part in items]


@pytest.mark.parametrize("question_id", sorted(LAYOUT))
def test_layout(question_id):
    question = QUESTIONS[question_id]
    assert question.id == question_id
    mine = {name for name, _, _ in LAYOUT[question_id]}
    got = [(p.name, p.checker.kind, p.points) for p in question.parts if p.name in mine]
    assert got == LAYOUT[question_id]


@pytest.mark.parametrize("question_id, part", FREE_TEXT, ids=ids(FREE_TEXT))
def test_model_answer_earns_full_credit(question_id, part):
    checker: FreeTextChecker = part.checker
    answer = free_text.parse(checker.model_answer, checker)
    verdict = free_text.grade(answer, answer, checker)
    missing = [c.name for c in checker.rubric if not free_text.recognised(c, answer)]
    assert verdict.fraction == 1.0, f"{question_id}: model answer misses {missing}"


@pytest.mark.parametrize("question_id, part", FREE_TEXT, ids=ids(FREE_TEXT))
def test_irrelevant_answer_scores_low(question_id, part):
    checker: FreeTextChecker = part.checker
    verdict = free_text.grade(free_text.parse(IRRELEVANT, checker), "", checker)
    assert verdict.fraction <= 0.25


@pytest.mark.parametrize("question_id, part", FREE_TEXT, ids=ids(FREE_TEXT))
def test_rubric_shape(question_id, part):
    checker: FreeTextChecker = part.checker
    assert 2 <= len(checker.rubric) <= 5
    assert sum(c.points for c in checker.rubric) == pytest.approx(part.points)
    for concept in checker.rubric:
        assert len(concept.patterns) >= 2, concept.name
        assert concept.feedback.strip(), concept.name
    assert 40 <= len(checker.model_answer.split()) <= 150


@pytest.mark.parametrize("question_id, part", CHOICES, ids=ids(CHOICES))
def test_every_alias_reads_as_its_own_option(question_id, part):
    module = CHOICE_KINDS[part.checker.kind]
    for option in part.checker.options:
        for name in (option.key, *option.aliases):
            assert module.parse(name, part.checker).keys == {option.key}, (option.key, name)


@pytest.mark.parametrize("question_id, part", parts_of({"choice"}), ids=ids(parts_of({"choice"})))
def test_accepted_aliases_are_correct(question_id, part):
    checker: ChoiceChecker = part.checker
    assert set(checker.accept) == ACCEPTED[part.name]
    expected = choice.parse(checker.accept[0], checker)
    for option in checker.options:
        if option.key not in checker.accept:
            continue
        for name in (option.key, *option.aliases):
            answer = choice.parse(name, checker)
            assert answer.keys <= set(checker.accept)
            assert choice.grade(answer, expected, checker).is_correct, name


@pytest.mark.parametrize("question_id, part", CHOICES, ids=ids(CHOICES))
def test_every_mistake_is_rejected(question_id, part):
    module = CHOICE_KINDS[part.checker.kind]
    assert part.mistakes, "choice parts list the plausible wrong answers"
    for mistake in part.mistakes:
        wrong = module.parse(mistake.value, part.checker)
        assert not module.grade(wrong, wrong, part.checker).is_correct, mistake.value
        assert module.same(wrong, wrong, part.checker)
        assert mistake.message.strip()


@pytest.mark.parametrize("question_id, part", parts_of({"choice"}), ids=ids(parts_of({"choice"})))
def test_each_plausible_wrong_option_has_a_mistake_message(question_id, part):
    checker: ChoiceChecker = part.checker
    covered = set().union(*(choice.parse(m.value, checker).keys for m in part.mistakes))
    wrong = {o.key for o in checker.options} - set(checker.accept)
    # 4f lists a few distractors beyond the plausible ones; the model classes must all be covered.
    assert wrong & MODEL_CLASSES <= covered
    assert covered <= wrong


def test_model_class_keys_are_shared():
    for _, part in parts_of({"choice"}):
        keys = {o.key for o in part.checker.options}
        if part.name != "q4f":
            assert keys == MODEL_CLASSES, part.name


@pytest.mark.parametrize("value, keys, correct", [
    ("Normalizing flows (NF)", {"flows"}, True),
    ("RealNVP", {"flows"}, True),
    ("VAE", {"vaes"}, False),
    ("GANs", {"gans"}, False),
])
def test_1a_typical_answers(value, keys, correct):
    part = QUESTIONS["1a"].parts[0]
    answer = choice.parse(value, part.checker)
    assert answer.keys == keys
    assert choice.grade(answer, answer, part.checker).is_correct is correct


@pytest.mark.parametrize("value, fraction", [
    ("(a) and (c)", 1.0),
    (["a", "c"], 1.0),
    ("Autoregressive and flow-based models", 1.0),
    ("a", 0.5),
    ("a, b, c", 0.5),
    ("All of the above", 0.0),
])
def test_1c_typical_answers(value, fraction):
    checker: MultiChoiceChecker = QUESTIONS["1c"].parts[0].checker
    answer = multi_choice.parse(value, checker)
    assert multi_choice.grade(answer, answer, checker).fraction == pytest.approx(fraction)


@pytest.mark.parametrize("part_name, value, correct", [
    ("q3h_model", "VAE or Normalizing Flow", True),
    ("q3h_model", "normalizing flow", True),
    ("q3h_model", "a VAE", True),
    ("q3h_model", "VAE or GAN", False),
    ("q3j_model", "StyleGAN", True),
    ("q3j_model", "diffusion model", False),
    ("q3r_a_model", "Normalizing Flow or Diffusion Model", True),
    ("q3r_b_model", "Diffusion model or GAN", True),
    ("q3r_b_model", "Stable Diffusion", True),
    ("q3r_b_model", "VAE", False),
    ("q4f", "the data distribution p_data(x0)", True),
    ("q4f", "p_data(x₀)", True),
    ("q4f", "N(0, I)", False),
    ("q4f", "Gaussian noise", False),
])
def test_document_answers(part_name, value, correct):
    part = next(p for q in QUESTIONS.values() for p in q.parts if p.name == part_name)
    answer = choice.parse(value, part.checker)
    assert choice.grade(answer, answer, part.checker).is_correct is correct


def test_4f_gaussian_noise_earns_the_forward_process_message():
    part = QUESTIONS["4f"].parts[0]
    answer = choice.parse("Gaussian noise N(0, I)", part.checker)
    messages = [m.message for m in part.mistakes
                if choice.same(answer, choice.parse(m.value, part.checker), part.checker)]
    assert len(messages) == 1 and "FORWARD process" in messages[0]
