"""A generated class's free-text answers, written the way classes share answers: a few answers
that circulate (copied exactly, or with case, punctuation and spacing changed), light edits of
them (a word dropped, a typo, a synonym), reworded copies (synonyms and sentences reordered) and
original answers built from their own sentences.

Used by tests/test_batch_answer_groups.py and bench/bench_review.py. Each answer carries the
source it was made from, so a test can tell which answers *should* share a group.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from grader.problemset.spec import FreeTextChecker, Part

SYNONYMS = {
    "learn": "estimate", "learns": "estimates", "model": "network", "models": "networks",
    "distribution": "density", "data": "dataset", "generate": "produce", "new": "fresh",
    "samples": "examples", "sample": "draw", "noise": "Gaussian noise", "because": "since",
    "the": "the", "uses": "employs", "use": "employ", "large": "big", "small": "tiny",
    "training": "optimisation", "latent": "hidden", "so": "therefore", "which": "that",
    "makes": "renders", "while": "whereas", "can": "is able to", "gives": "yields",
}

OPENINGS = ["In my view", "Basically", "To answer this", "Put simply", "From the lectures",
            "As far as I understand", "In short", "Roughly speaking"]

# An original answer's sentences come from a small grammar with many combinations, so that two
# students who write their own answers share ideas and words but not sentences.
SUBJECTS = ["the encoder", "the decoder", "a discriminator", "the generator", "the prior", "the posterior",
            "a normalizing flow", "the diffusion model", "the variational bound", "the likelihood",
            "the KL term", "the reconstruction loss", "the score network", "a mixture model"]
VERBS = ["controls", "approximates", "penalises", "depends on", "limits", "improves", "measures",
         "collapses to", "is trained against", "competes with", "is bounded by", "ignores"]
OBJECTS = ["the latent code", "the sample quality", "the true density", "mode coverage", "the Jacobian",
           "the noise schedule", "the data manifold", "the entropy", "the gradient signal",
           "the evidence", "the number of steps", "blurry outputs", "the training stability",
           "the inverse map", "the marginal"]
QUALIFIERS = ["in practice", "at least for images", "when the model is small", "during training",
              "at sampling time", "for high dimensional data", "as the lecture notes say",
              "if the schedule is chosen well", "unless we regularise", "most of the time",
              "compared with a VAE", "in the limit of many steps"]


@dataclass(frozen=True)
class GeneratedAnswer:
    student: str
    part: str
    text: str
    source: str
    """What it was made from: "shared-K" for the K-th circulating answer (copies, edits and
    rewordings of it share this), or "original-<student>" for an answer of its own."""


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if s.strip()]


def circulating_answers(part: Part) -> list[str]:
    """The answers that go around a class for one part: the model answer cut to two or three
    sentences, each rubric point's feedback on its own, and a confident wrong answer."""
    checker = part.checker
    assert isinstance(checker, FreeTextChecker)
    model = sentences(checker.model_answer)
    shared = [" ".join(model[:2]), " ".join(model[2:4]) or " ".join(model)]
    shared += [" ".join(c.feedback.split()) for c in checker.rubric]
    shared.append("I think it is mostly about making the training faster and using less memory, "
                  f"which is why {part.name} works better with more layers.")
    return shared


def _case_and_spacing(text: str, rng: random.Random) -> str:
    text = text.lower() if rng.random() < 0.5 else text
    text = text.replace(", ", " , ") if rng.random() < 0.3 else text
    return text.rstrip(".") + (rng.choice(["", ".", "!", " ."]))


def _light_edit(text: str, rng: random.Random) -> str:
    words = text.split()
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(words))
        edit = rng.random()
        if edit < 0.35 and len(words) > 6:
            del words[i]
        elif edit < 0.7 and len(words[i]) > 4:  # a typo: two letters swapped
            w = words[i]
            j = rng.randrange(len(w) - 1)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
        else:
            words[i] = SYNONYMS.get(words[i].lower(), words[i])
    return " ".join(words)


def _reword(text: str, rng: random.Random) -> str:
    parts = sentences(text)
    if len(parts) > 1 and rng.random() < 0.6:
        rng.shuffle(parts)
    words = " ".join(parts).split()
    words = [SYNONYMS.get(w.lower(), w) if rng.random() < 0.4 else w for w in words]
    return f"{rng.choice(OPENINGS)}, " + " ".join(words)


def _original(rng: random.Random) -> str:
    """Sentences of the student's own, from the grammar above."""
    said = [f"{rng.choice(SUBJECTS).capitalize()} {rng.choice(VERBS)} {rng.choice(OBJECTS)} "
            f"{rng.choice(QUALIFIERS)}." for _ in range(rng.randint(2, 4))]
    return " ".join(said)


def generate_class(parts: list[Part], students: int, seed: int = 7, *, copy: float = 0.4,
                   edit: float = 0.2, reword: float = 0.2) -> list[GeneratedAnswer]:
    """`students` × `parts` answers; the rest of each part's answers (1 − copy − edit − reword)
    are originals."""
    rng = random.Random(seed)
    out: list[GeneratedAnswer] = []
    for part in parts:
        shared = circulating_answers(part)
        weights = [2.0 ** -k for k in range(len(shared))]  # a few answers circulate most
        for n in range(students):
            student = f"s{n:04d}"
            k = rng.choices(range(len(shared)), weights)[0]
            draw = rng.random()
            if draw < copy:
                text = _case_and_spacing(shared[k], rng)
            elif draw < copy + edit:
                text = _light_edit(shared[k], rng)
            elif draw < copy + edit + reword:
                text = _reword(shared[k], rng)
            else:
                out.append(GeneratedAnswer(student, part.name, _original(rng), f"original-{student}"))
                continue
            out.append(GeneratedAnswer(student, part.name, text, f"shared-{k}"))
    return out
