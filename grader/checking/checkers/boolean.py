"""Yes/no answers: a Python bool, a numpy bool, or a yes/no word such as "no" or "finite".

The integers 0 and 1 are refused on purpose: `q = 1` may be a count or a probability, and
reading it as True would turn a misunderstanding into a lucky mark. numpy.bool_ is a bool.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from grader.checking.checkers.base import (
    NotAnswered,
    Verdict,
    WrongType,
    correct,
    incorrect,
    is_placeholder,
)
from grader.checking.checkers.choice import plain_words, short_text
from grader.problemset.spec import BooleanChecker
from grader.sandbox.wire import NumpyScalar, describe

EXPECTED = 'expected True or False (or one of the words "yes", "no", "true", "false")'

WORDS: dict[str, bool] = {
    "yes": True, "y": True, "true": True, "finite": True,
    "no": False, "n": False, "false": False, "not finite": False, "infinite": False,
}
"""Whole answers accepted as words (after `_words`)."""

LEADING_WORD = re.compile(r"^\s*(yes|no|true|false)\b\s*[,.;:!—–-]", re.IGNORECASE)
""""No, because the KL is unbounded." reads as its first word; "no idea" does not."""

NUMPY_BOOL_DTYPES = frozenset({"bool", "bool_", "bool8"})


@dataclass(frozen=True)
class BooleanAnswer:
    value: bool
    text: str


def _from_string(text: str) -> BooleanAnswer:
    word = plain_words(text)
    if word in WORDS:
        return BooleanAnswer(WORDS[word], text)
    lead = LEADING_WORD.match(text)
    if lead:
        return BooleanAnswer(WORDS[lead.group(1).lower()], text)
    raise WrongType(f"got {describe(text)}, which is not a yes/no word; {EXPECTED}")


def parse(value: Any, spec: BooleanChecker) -> BooleanAnswer:
    del spec
    if is_placeholder(value) or (isinstance(value, (list, tuple)) and not value):
        raise NotAnswered(f"no answer given; {EXPECTED}")
    if isinstance(value, bool):
        return BooleanAnswer(value, str(value))
    if isinstance(value, NumpyScalar) and value.dtype in NUMPY_BOOL_DTYPES \
            and isinstance(value.value, bool):
        return BooleanAnswer(value.value, f"numpy.bool_({value.value})")
    if isinstance(value, str):
        return _from_string(value)
    if isinstance(value, (int, float, complex, Fraction, Decimal, NumpyScalar)):
        raise WrongType(f"got the number {describe(value)}; {EXPECTED}. 1 and 0 are not read "
                        "as True and False")
    raise WrongType(f"got {describe(value)}; {EXPECTED}")


def grade(answer: BooleanAnswer, expected: BooleanAnswer, spec: BooleanChecker) -> Verdict:
    del spec
    return correct() if answer.value == expected.value else incorrect()


def same(answer: BooleanAnswer, other: BooleanAnswer, spec: BooleanChecker) -> bool:
    del spec
    return answer.value == other.value


def show(answer: BooleanAnswer) -> str:
    plain = str(answer.value)
    if answer.text == plain:
        return plain
    return f'{plain} (read from "{short_text(answer.text)}")'


def expects(spec: Any) -> str:
    """What a student gives for this part, in words."""
    del spec
    return 'True or False (or "yes" / "no")'


def stub_arguments(spec: Any) -> tuple[str, ...]:
    """The starter file's stub: a function of no arguments (a plain value may replace it)."""
    del spec
    return ()
