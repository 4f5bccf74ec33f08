"""What every checker returns, and the parse errors that keep "could not read" apart from "wrong".

A checker kind is a module of this package, named after the spec's `kind` (the protocol and the
map of kinds are in `grader/checking/kinds.py`). Its `parse` turns a decoded value (see
`grader/sandbox/wire.py`) into the kind's own type, or raises one of the `AnswerFormatError`s
below; the reference's answer and each common mistake go through the same `parse`, so that they
are compared like with like. Its `grade` returns a `Verdict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grader.report.results import CaseRow, Outcome
from grader.sandbox.wire import OpaqueObject


class AnswerFormatError(Exception):
    """The answer could not be interpreted. The message says what was expected."""


class NotAnswered(AnswerFormatError):
    """The value is a placeholder: None, ..., an empty string, the template's stub."""


class WrongType(AnswerFormatError):
    """A value of a kind this checker does not read (a bool for a number, a list for a string)."""


class Unparsable(AnswerFormatError):
    """A string or expression that does not follow the accepted syntax."""


class TooComplex(AnswerFormatError):
    """An expression the checker could not evaluate within its time or size limits."""


@dataclass(frozen=True)
class Verdict:
    """The result of grading one parsed answer against one expected answer."""

    outcome: Outcome
    fraction: float
    """Share of the part's points earned, in [0, 1]."""
    feedback: tuple[str, ...] = ()
    cases: tuple[CaseRow, ...] = field(default=())
    """Per-input results of a function part."""

    @property
    def is_correct(self) -> bool:
        return self.outcome is Outcome.CORRECT


def correct(*feedback: str) -> Verdict:
    return Verdict(Outcome.CORRECT, 1.0, tuple(feedback))


def incorrect(*feedback: str) -> Verdict:
    return Verdict(Outcome.INCORRECT, 0.0, tuple(feedback))


def partial(fraction: float, *feedback: str) -> Verdict:
    fraction = min(max(fraction, 0.0), 1.0)
    if fraction >= 1.0:
        return correct(*feedback)
    if fraction <= 0.0:
        return incorrect(*feedback)
    return Verdict(Outcome.PARTIAL, fraction, tuple(feedback))


PLACEHOLDER_STRINGS = {"", "todo", "your answer here", "answer", "none", "..."}


def is_placeholder(value: object) -> bool:
    """Values that mean "not answered yet" for every checker kind: None, `...`, "TODO", ""."""
    if value is None:
        return True
    if isinstance(value, OpaqueObject) and value.type == "builtins.ellipsis":
        return True
    if isinstance(value, str) and value.strip().lower() in PLACEHOLDER_STRINGS:
        return True
    return False
