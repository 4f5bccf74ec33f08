"""Per-student variants: each student's own parameter values, drawn from `assignment.variation`.

A variant is a pure function of (assignment slug, seed, student identity): the same student always
gets the same numbers, and there is no table to keep or lose. The document's own values are
variant 0, used wherever no student is named. Every answer and every anticipated mistake is
computed by the reference from PARAMETERS, so a variant is only new values: `for_student` returns
the problem set with them, and everything downstream (the plan, the cached reference answers, the
grading) follows — the reference cache is keyed by the plan, which holds the parameters.

Text a student reads may name the values (`placeholders.py`): the loader fills the templates with
the document's values, `for_student` with the student's.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import replace
from typing import Any

from grader.problemset.loader import ProblemSet
from grader.problemset.placeholders import fill_questions
from grader.problemset.spec import Assignment, Variation

DOCUMENT = "document"
"""The label of variant 0, the document's own values."""
MAX_TRIES = 1000


def _rng(assignment: Assignment, identity: str) -> random.Random:
    digest = hashlib.sha256(f"{assignment.slug}\0{assignment.seed}\0{identity}".encode()).digest()
    return random.Random(int.from_bytes(digest[:16], "big"))


def _draw(variation: Variation, document: Any, rng: random.Random) -> Any:
    if variation.choices is not None:
        return rng.choice(variation.choices)
    if variation.integer is not None:
        return rng.randint(*variation.integer)
    if variation.uniform is not None:
        return round(rng.uniform(*variation.uniform), variation.decimals)
    assert variation.increasing is not None
    low, high = variation.increasing
    for _ in range(MAX_TRIES):  # distinct after rounding; a narrow range may need a few draws
        values = sorted(round(rng.uniform(low, high), variation.decimals) for _ in document)
        if len(set(values)) == len(values):
            return values
    raise ValueError(f"cannot draw {len(document)} distinct values in [{low}, {high}] at "
                     f"{variation.decimals} decimals: widen the range or allow more decimals")


def parameters_for(assignment: Assignment, identity: str | None) -> dict[str, Any]:
    """The parameters of `identity`'s variant (the document's for None, or without variation)."""
    values = dict(assignment.parameters)
    if identity is None or not assignment.variation:
        return values
    rng = _rng(assignment, identity)
    for name in sorted(assignment.variation):  # a fixed order: the draws never depend on dict order
        values[name] = _draw(assignment.variation[name], assignment.parameters[name], rng)
    return values


def variant_label(assignment: Assignment, parameters: dict[str, Any]) -> str:
    """A short stable name for a set of values: "document" for variant 0, else a hash of the
    varied values (students with equal values share it)."""
    varied = {name: parameters[name] for name in sorted(assignment.variation)}
    if all(varied[name] == assignment.parameters[name] for name in varied):
        return DOCUMENT
    return "v" + hashlib.sha256(repr(sorted(varied.items())).encode()).hexdigest()[:8]


def for_student(problem_set: ProblemSet, identity: str | None) -> ProblemSet:
    """The problem set with `identity`'s values as its parameters (itself for the document's)."""
    values = parameters_for(problem_set.assignment, identity)
    if values == problem_set.assignment.parameters:
        return problem_set
    assignment = problem_set.assignment.model_copy(update={"parameters": values})
    questions = fill_questions(problem_set.templates or problem_set.questions, values)
    return replace(problem_set, assignment=assignment, questions=questions)


def identity_of(email: str = "", platform_id: str = "") -> str | None:
    """The identity a student's variant is drawn from: their email (lowercased) where the platform
    knows it, so that a handout made from a roster, the Gradescope autograder and a batch agree;
    else the platform's id; None (the document's variant) when there is neither."""
    return email.strip().lower() or platform_id.strip() or None
