"""Prose answers: a provisional score from a rubric of concepts, always marked for TA review.

Each concept of `spec.rubric` is recognised when any of its regular expressions matches
(case-insensitive) the answer, after Unicode NFKC and whitespace collapsing so that a pattern
may span a line break. The score is the share of rubric points recognised; an answer that is only
a list of terms (`term_list`) is suggested no points. A keyword rubric can be fooled either way,
which is why the outcome is NEEDS_REVIEW and never CORRECT.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from grader.checking.checkers.base import (
    NotAnswered,
    Unparsable,
    Verdict,
    WrongType,
    is_placeholder,
)
from grader.checking.checkers.choice import plain_words, short_text
from grader.checking.checkers.term_list import reads_as_term_list
from grader.problemset.spec import Concept, FreeTextChecker
from grader.report.results import Outcome
from grader.sandbox.wire import describe

TERM_LIST_FEEDBACK = ("This reads as a list of terms rather than an explanation, so no points are suggested "
                      "automatically: write sentences that say what the terms mean and how they answer the "
                      "question. Course staff read every answer and decide.")

MAX_MATCH_CHARS = 20_000
"""Only this much of an answer is searched: it bounds the time a course's patterns can take."""

WORD = re.compile(r"\w+")


def _expected(spec: FreeTextChecker) -> str:
    return f"expected a written answer (a string) of at least {spec.min_words} words"


def _text_of(value: Any, spec: FreeTextChecker) -> str:
    """A string, or a flat list/tuple of strings (`q = "text",` is a one-element tuple)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    raise WrongType(f"got {describe(value)}; " + _expected(spec))


def parse(value: Any, spec: FreeTextChecker) -> str:
    if is_placeholder(value) or (isinstance(value, (list, tuple)) and not value):
        raise NotAnswered("no answer given; " + _expected(spec))
    text = _text_of(value, spec).strip()
    if is_placeholder(text):
        raise NotAnswered("no answer given; " + _expected(spec))
    words = len(WORD.findall(text[:MAX_MATCH_CHARS]))
    if words < spec.min_words:
        raise Unparsable(f"write at least {spec.min_words} words (your answer has {words})")
    return text


# Unicode's format characters (category Cf, as in this Python's unicodedata): soft hyphen, zero-width and direction
# marks, BOM, ... (tests/test_checker_free_text.py checks the list against unicodedata).
FORMAT_CHARACTERS = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f]")


def _searchable(text: str) -> str:
    """NFKC, invisible format characters (category Cf) dropped, whitespace collapsed."""
    folded = unicodedata.normalize("NFKC", text[:MAX_MATCH_CHARS])
    return " ".join(FORMAT_CHARACTERS.sub("", folded).split())


def recognised(concept: Concept, text: str) -> bool:
    return any(re.search(p, text, re.IGNORECASE) for p in concept.patterns)


def grade(answer: str, expected: str, spec: FreeTextChecker) -> Verdict:
    """Provisional rubric score. `expected` is unused: the spec's model answer is the reference."""
    del expected
    text = _searchable(answer)
    if reads_as_term_list(text):
        return Verdict(Outcome.NEEDS_REVIEW, 0.0, (TERM_LIST_FEEDBACK,))
    found = [c for c in spec.rubric if recognised(c, text)]
    missing = [c for c in spec.rubric if c not in found]
    total = sum(c.points for c in spec.rubric)
    fraction = sum(c.points for c in found) / total
    lines = []
    if found:
        lines.append("Found: " + "; ".join(f"{c.name} ({c.points:g} pt)" for c in found))
    lines += [f"Missing ({c.points:g} pt) — {c.name}: {c.feedback}" for c in missing]
    if len(answer) > MAX_MATCH_CHARS:
        lines.append(f"Only the first {MAX_MATCH_CHARS} characters were read automatically.")
    lines.append(f"A first, automatic estimate ({fraction:.0%}): course staff read every answer and "
                 "confirm or change it.")
    return Verdict(Outcome.NEEDS_REVIEW, fraction, tuple(lines))


def same(answer: str, other: str, spec: FreeTextChecker) -> bool:
    """Equal up to case, punctuation and spacing: a listed mistake copied verbatim, say."""
    del spec
    return plain_words(answer) == plain_words(other)


MAX_SHOWN = 3000
"""A free-text answer is shown whole in its report, up to this many characters."""


def show(answer: str) -> str:
    return f'"{short_text(answer, MAX_SHOWN)}" ({len(WORD.findall(answer[:MAX_MATCH_CHARS]))} words)'


def expects(spec: Any) -> str:
    """What a student gives for this part, in words."""
    return (f"a few sentences of text (at least {spec.min_words} words); scored provisionally, then "
            "reviewed by course staff")


def stub_arguments(spec: Any) -> tuple[str, ...]:
    """The starter file's stub: a function of no arguments (a plain value may replace it)."""
    del spec
    return ()
