"""grader.batch.answer_groups: alike answers grouped so that a TA decides once per group."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from review_corpus import generate_class

from grader.batch.answer_groups import Answer, group_answers, normalise
from grader.problemset.loader import load_problem_set
from grader.problemset.spec import FreeTextChecker

ROOT = Path(__file__).resolve().parent.parent

DIFFUSION = "The forward process adds Gaussian noise step by step; the reverse process learns to denoise."
UNRELATED = "A GAN's discriminator tells real images from generated ones and trains the generator."


@pytest.mark.parametrize("a, b", [
    (DIFFUSION, DIFFUSION.upper()),
    (DIFFUSION, "  " + DIFFUSION.replace(" ", "   ") + "\n"),
    (DIFFUSION, DIFFUSION.replace(";", ",").rstrip(".") + "!"),
    ("ﬁxed ＫＬ term", "fixed KL term"),  # compatibility forms (ligature, full width)
    ("zero\u200bwidth", "zerowidth"),  # an invisible format character
])
def test_normalise_ignores_what_does_not_change_the_meaning(a, b):
    assert normalise(a) == normalise(b)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([DIFFUSION, UNRELATED, "short", "The KL term is zero."]), min_size=2, max_size=12),
       st.randoms(use_true_random=False))
def test_exact_duplicates_are_always_grouped(texts, rnd):
    spelled = [t.upper() if rnd.random() < 0.5 else t for t in texts]
    groups = group_answers([Answer(f"s{i}", t) for i, t in enumerate(spelled)])
    group_of = {s: n for n, g in enumerate(groups) for s in g.students}
    for i, a in enumerate(texts):
        for j, b in enumerate(texts):
            if a == b:
                assert group_of[f"s{i}"] == group_of[f"s{j}"]


def test_two_unrelated_answers_are_never_grouped():
    groups = group_answers([Answer("s1", DIFFUSION), Answer("s2", UNRELATED)])
    assert sorted(g.students for g in groups) == [("s1",), ("s2",)]


def test_a_light_edit_joins_its_source():
    edited = DIFFUSION.replace("Gaussian ", "").replace("learns", "learn")
    groups = group_answers([Answer("s1", DIFFUSION), Answer("s2", edited), Answer("s3", UNRELATED)])
    assert sorted(g.students for g in groups) == [("s1", "s2"), ("s3",)]


def test_groups_come_largest_first_with_the_most_written_answer_as_representative():
    answers = [Answer("s1", UNRELATED), Answer("s2", DIFFUSION + " Really."), Answer("s3", DIFFUSION),
               Answer("s4", DIFFUSION.lower(), 1.5), Answer("s5", DIFFUSION, 2.0)]
    groups = group_answers(answers)
    assert [len(g.members) for g in groups] == [4, 1]
    assert normalise(groups[0].representative.text) == normalise(DIFFUSION)
    assert groups[0].suggested_range == (0.0, 2.0)


def test_one_answer_and_no_answer():
    assert group_answers([]) == []
    assert [g.students for g in group_answers([Answer("s1", "x")])] == [("s1",)]


def test_answers_without_a_word_still_group():
    groups = group_answers([Answer("s1", "?"), Answer("s2", "!"), Answer("s3", "a")])
    assert sorted(s for g in groups for s in g.students) == ["s1", "s2", "s3"]


@pytest.fixture(scope="module")
def generated():
    problem_set = load_problem_set(ROOT / "problems" / "genmodels", ROOT)
    parts = [p for _, p in problem_set.parts() if isinstance(p.checker, FreeTextChecker)]
    return parts, generate_class(parts, 60, seed=3)


def test_a_generated_class_groups_by_source(generated):
    """Copies, edits and rewordings of one circulating answer land together; originals alone."""
    parts, answers = generated
    merged_wrongly = split = groups_total = 0
    for part in parts:
        mine = [a for a in answers if a.part == part.name]
        source = {a.student: a.source for a in mine}
        groups = group_answers([Answer(a.student, a.text) for a in mine])
        groups_total += len(groups)
        merged_wrongly += sum(len({source[s] for s in g.students}) > 1 for g in groups)
        per_source = Counter(src for g in groups for src in {source[s] for s in g.students})
        split += sum(n - 1 for n in per_source.values())
    assert groups_total <= len(answers) / 3
    assert merged_wrongly <= 0.02 * groups_total
    assert split <= 0.02 * groups_total


def test_grouping_does_not_depend_on_the_order_of_answers(generated):
    parts, answers = generated
    mine = [Answer(a.student, a.text) for a in answers if a.part == parts[0].name]
    shuffled = mine[:]
    random.Random(1).shuffle(shuffled)
    assert sorted(g.students for g in group_answers(mine)) == sorted(g.students for g in group_answers(shuffled))


def test_answers_beyond_the_clustered_ones_join_the_group_they_are_closest_to(monkeypatch):
    """A MOOC's part has more distinct answers than can be clustered pair by pair: the most written
    are clustered, and each later answer joins its closest group on the same rule, or stands alone."""
    import grader.batch.answer_groups as answer_groups

    monkeypatch.setattr(answer_groups, "CLUSTERED", 2)
    monkeypatch.setattr(answer_groups, "JOIN_CHUNK", 2)
    edited = DIFFUSION.replace("Gaussian ", "").replace("learns", "learn")
    answers = [Answer("s1", DIFFUSION), Answer("s2", DIFFUSION), Answer("s3", UNRELATED), Answer("s4", UNRELATED),
               Answer("s5", edited), Answer("s6", "The KL term is zero."), Answer("s7", UNRELATED + " Yes."),
               Answer("s8", "?")]
    groups = group_answers(answers)
    assert sorted(g.students for g in groups) == [("s1", "s2", "s5"), ("s3", "s4", "s7"), ("s6",), ("s8",)]


def test_many_distinct_answers_group_in_bounded_time():
    """5,000 distinct answers (more than are clustered pair by pair) are grouped, every one once."""
    rng = random.Random(3)
    words = (DIFFUSION + " " + UNRELATED).split()
    answers = [Answer(f"s{i}", " ".join(rng.choices(words, k=12)) + f" {i}") for i in range(5000)]
    groups = group_answers(answers)
    assert sorted(s for g in groups for s in g.students) == sorted(a.student for a in answers)
