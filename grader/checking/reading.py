"""Reading one part's answer from a run: the step grading and the bundle's local check share.

Before anything is compared, an answer is read, with one of three results:

- `Unread`: there is no value at all (missing, the template's stub, raised, timed out, lost, too
  large, or the grader itself got nothing), with the outcome and a sentence saying why;
- `Unreadable`: there is a value, but the kind's `parse` refused it (a placeholder such as `None`
  is `NotAnswered`, anything else is an invalid format);
- the value read into the kind's own type (`Read`, or `FunctionReading` for a function part).

Grading (`grading.py`) then compares what was read with the reference's answer; the bundle's check
(`grader/handout/check.py`), which has no reference, stops here. Both word the unreadable case
themselves: the exception's message says what was expected.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from grader.checking import pretty
from grader.checking.checkers import function
from grader.checking.checkers.base import AnswerFormatError, NotAnswered, is_placeholder
from grader.checking.kinds import ValueKind
from grader.problemset.plan import Case
from grader.report.results import Outcome
from grader.sandbox.records import AnswerStatus, RawAnswer, StudentProblem, place
from grader.sandbox.wire import describe


@dataclass(frozen=True)
class Unread:
    """No value to read, and why."""

    outcome: Outcome
    message: str
    problem: StudentProblem | None = None


@dataclass(frozen=True)
class Unreadable:
    """A value the checker kind could not read; the error's message says what was expected."""

    error: AnswerFormatError
    value: Any

    @property
    def not_answered(self) -> bool:
        """A placeholder (None, ..., "", "TODO"): not answered rather than invalid."""
        return isinstance(self.error, NotAnswered)

    @property
    def understood(self) -> str:
        return describe(self.value)


@dataclass(frozen=True)
class Read:
    answer: Any
    """The value in the kind's own type, ready to grade."""
    understood: str
    """The answer as the grader read it, e.g. "1.09861 (read from sympy: log(3))"."""
    formula: str | None = None
    """The answer as LaTeX where it was written as a formula (−log 2, a sympy expression)."""


@dataclass(frozen=True)
class FunctionReading:
    outputs: list[function.Outputs | str]
    """Per case: the parsed outputs, or a sentence saying why there are none at that input."""
    understood: str | None
    """For an answer given as an expression: the expression as received."""
    problem: StudentProblem | None
    """The first exception the function raised at some input."""
    timed_out: bool
    """Whether some input did not finish in time."""
    formula: str | None = None
    """For an answer given as an expression: the expression as LaTeX, for reports."""


def unread(raw: RawAnswer, name: str, file_problems: Sequence[StudentProblem] = ()) -> Unread | None:
    """Why an answer has no value to read, or None when it has one."""
    status = raw.status
    if status is AnswerStatus.MISSING:
        cause = next((p for p in file_problems if name in p.defines), None)
        if cause is not None:
            where = place(cause.line or 0, cause.cell)
            return Unread(Outcome.NOT_ANSWERED, f"`{name}` is not defined: the statement at {where} "
                                                f"that defines it failed with {cause.type}: {cause.message}")
        return Unread(Outcome.NOT_ANSWERED, f"`{name}` is not defined in your file.")
    if status is AnswerStatus.NOT_IMPLEMENTED:
        return Unread(Outcome.NOT_ANSWERED, f"`{name}` is still the template's stub (it raises NotImplementedError).")
    if status is AnswerStatus.RAISED:
        assert raw.problem is not None
        return Unread(Outcome.RAISED, f"Computing `{name}` raised {raw.problem.summary()}.", raw.problem)
    if status is AnswerStatus.TIMED_OUT:
        return Unread(Outcome.TIMED_OUT, f"Computing `{name}` did not finish in time"
                                         f"{': ' + raw.detail if raw.detail else ''}. Look for an endless loop.")
    if status is AnswerStatus.LOST:
        return Unread(Outcome.RAISED, f"Your code ended the process while computing `{name}` ({raw.detail}).")
    if status in (AnswerStatus.TOO_LARGE, AnswerStatus.UNREADABLE):
        return Unread(Outcome.INVALID, f"The value of `{name}` could not be transferred: {raw.detail}.")
    if status is AnswerStatus.NO_ANSWER:
        return Unread(Outcome.GRADER_ERROR, f"The grader could not obtain `{name}` ({raw.detail}). This is "
                                            "not your fault: tell course staff.")
    return None


def read_value(raw: RawAnswer, kind: ValueKind, spec: Any, name: str,
               file_problems: Sequence[StudentProblem] = ()) -> Read | Unread | Unreadable:
    """Read a value part's answer with its kind's `parse`."""
    if (missing := unread(raw, name, file_problems)) is not None:
        return missing
    try:
        answer = kind.parse(raw.value, spec)
    except AnswerFormatError as exc:
        return Unreadable(exc, raw.value)
    # Kinds whose answers can be formulas (number, symbolic) give their parsed answers a `formula`.
    return Read(answer, kind.show(answer), getattr(answer, "formula", None))


def _case_output(raw: RawAnswer, spec: Any, name: str) -> function.Outputs | str:
    """The parsed outputs at one input, or a sentence saying why there are none."""
    if raw.status is AnswerStatus.VALUE:
        try:
            return function.parse_outputs(raw.value, spec)
        except AnswerFormatError as exc:
            return f"unreadable result ({exc})"
    if raw.status is AnswerStatus.RAISED and raw.problem:
        return f"raised {raw.problem.summary()}"
    if raw.status is AnswerStatus.TIMED_OUT:
        return "timed out"
    missing = unread(raw, name)
    return missing.message if missing else raw.status.value


def read_function(raws: Sequence[RawAnswer], spec: Any, cases: Sequence[Case], name: str,
                  file_problems: Sequence[StudentProblem] = ()) -> FunctionReading | Unread | Unreadable:
    """Read a function part's answers, one per case: the function's results at each input, or an
    expression in the spec's variable evaluated there (a plain value where a function is expected)."""
    first = raws[0]
    if len({r.status for r in raws}) == 1 and (missing := unread(first, name, file_problems)) is not None:
        # The same reason at every input; a function that raised differently at different inputs
        # is read input by input instead, so that each input's exception is said.
        if missing.outcome is not Outcome.RAISED or all(r.problem == first.problem for r in raws):
            return missing
    noncallable = next((r for r in raws if r.status is AnswerStatus.NONCALLABLE), None)
    if noncallable is not None:
        if is_placeholder(noncallable.value):
            return Unread(Outcome.NOT_ANSWERED, f"`{name}` is not defined yet.")
        try:
            expr = function.read_expression(noncallable.value, spec)
            outputs: list[function.Outputs | str] = list(function.outputs_from_expression(expr, spec, cases))
        except AnswerFormatError as exc:
            return Unreadable(exc, noncallable.value)
        return FunctionReading(outputs, f"{pretty.shown(expr)} (an expression in {spec.expression_variable})",
                               None, False, pretty.latex(expr))
    return FunctionReading([_case_output(r, spec, name) for r in raws], None,
                           next((r.problem for r in raws if r.problem), None),
                           any(r.status is AnswerStatus.TIMED_OUT for r in raws))
