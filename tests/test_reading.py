"""grader.checking.reading: the one step that reads an answer before it is graded or checked."""

from __future__ import annotations

import pytest

from grader.checking.checkers import number
from grader.checking.reading import (
    FunctionReading,
    Read,
    Unread,
    Unreadable,
    read_function,
    read_value,
    unread,
)
from grader.problemset.plan import Case
from grader.problemset.spec import FunctionChecker, NumberChecker
from grader.report.results import Outcome
from grader.sandbox.records import AnswerStatus, RawAnswer, StudentProblem

NUMBER = NumberChecker(kind="number")
PROBLEM = StudentProblem("ZeroDivisionError", "division by zero", 3)
OTHER_PROBLEM = StudentProblem("ValueError", "math domain error", 4)


@pytest.mark.parametrize("raw, outcome, fragment", [
    (RawAnswer(AnswerStatus.MISSING), Outcome.NOT_ANSWERED, "not defined in your file"),
    (RawAnswer(AnswerStatus.NOT_IMPLEMENTED), Outcome.NOT_ANSWERED, "template's stub"),
    (RawAnswer(AnswerStatus.RAISED, problem=PROBLEM), Outcome.RAISED, "raised ZeroDivisionError"),
    (RawAnswer(AnswerStatus.TIMED_OUT, detail="took longer than 3 s"), Outcome.TIMED_OUT, "endless loop"),
    (RawAnswer(AnswerStatus.LOST, detail="killed by signal SIGKILL"), Outcome.RAISED, "ended the process"),
    (RawAnswer(AnswerStatus.TOO_LARGE, detail="larger than 4 MiB"), Outcome.INVALID, "could not be transferred"),
    (RawAnswer(AnswerStatus.UNREADABLE, detail="bad tag"), Outcome.INVALID, "could not be transferred"),
    (RawAnswer(AnswerStatus.NO_ANSWER, detail="no answer"), Outcome.GRADER_ERROR, "not your fault"),
])
def test_an_answer_without_a_value_is_unread_with_its_reason(raw, outcome, fragment):
    reason = unread(raw, "q")
    assert isinstance(reason, Unread)
    assert reason.outcome is outcome and fragment in reason.message
    assert reason.problem == raw.problem


@pytest.mark.parametrize("status", [AnswerStatus.VALUE, AnswerStatus.NONCALLABLE])
def test_an_answer_with_a_value_is_not_unread(status):
    assert unread(RawAnswer(status, 1.0), "q") is None


def test_a_missing_name_says_which_statement_failed_to_define_it():
    cause = StudentProblem("NameError", "name 'np' is not defined", 7, defines=("q",))
    reason = unread(RawAnswer(AnswerStatus.MISSING), "q", [cause])
    assert reason is not None and "line 7" in reason.message and "NameError" in reason.message


@pytest.mark.parametrize("value, expected", [
    (0.5, Read),
    ("−ln 2", Read),
    (None, Unreadable),
    (True, Unreadable),
    ([1.0, 2.0], Unreadable),
])
def test_read_value_parses_with_the_kind(value, expected):
    read = read_value(RawAnswer(AnswerStatus.VALUE, value), number, NUMBER, "q")
    assert isinstance(read, expected)


def test_unreadable_keeps_not_answered_apart_from_invalid():
    placeholder = read_value(RawAnswer(AnswerStatus.VALUE, None), number, NUMBER, "q")
    invalid = read_value(RawAnswer(AnswerStatus.VALUE, True), number, NUMBER, "q")
    assert isinstance(placeholder, Unreadable) and placeholder.not_answered
    assert isinstance(invalid, Unreadable) and not invalid.not_answered
    assert "bool" in str(invalid.error) and invalid.understood == "True"


def test_read_shows_the_answer_as_the_grader_read_it():
    read = read_value(RawAnswer(AnswerStatus.VALUE, "ln 3"), number, NUMBER, "q")
    assert isinstance(read, Read) and read.understood.startswith("1.09861")
    assert read.formula == r"\log{\left(3 \right)}"  # shown as math by the HTML and Markdown reports


@pytest.mark.parametrize("value", [0.5, "0.5", "inf"])
def test_a_plain_number_has_no_formula_to_render(value):
    read = read_value(RawAnswer(AnswerStatus.VALUE, value), number, NUMBER, "q")
    assert isinstance(read, Read) and read.formula is None


FUNCTION = FunctionChecker(kind="function", signature=["x"], visible_inputs=[{"x": 1.0}, {"x": 2.0}],
                           expression_variable="x")
CASES = (Case((1.0,), "visible", "x=1"), Case((2.0,), "visible", "x=2"))


def test_the_same_reason_at_every_input_is_one_unread():
    raws = [RawAnswer(AnswerStatus.RAISED, problem=PROBLEM)] * 2
    read = read_function(raws, FUNCTION, CASES, "f")
    assert isinstance(read, Unread) and read.outcome is Outcome.RAISED and read.problem == PROBLEM


def test_different_exceptions_are_read_input_by_input():
    raws = [RawAnswer(AnswerStatus.RAISED, problem=PROBLEM), RawAnswer(AnswerStatus.RAISED, problem=OTHER_PROBLEM)]
    read = read_function(raws, FUNCTION, CASES, "f")
    assert isinstance(read, FunctionReading)
    assert read.outputs == ["raised " + PROBLEM.summary(), "raised " + OTHER_PROBLEM.summary()]
    assert read.problem == PROBLEM


def test_a_function_read_at_each_input():
    raws = [RawAnswer(AnswerStatus.VALUE, 2.0), RawAnswer(AnswerStatus.TIMED_OUT)]
    read = read_function(raws, FUNCTION, CASES, "f")
    assert isinstance(read, FunctionReading) and read.timed_out and read.understood is None
    assert read.outputs[0][0].real == 2.0 and read.outputs[1] == "timed out"


def test_an_expression_is_evaluated_at_each_input():
    raws = [RawAnswer(AnswerStatus.NONCALLABLE, "x**2")] * 2
    read = read_function(raws, FUNCTION, CASES, "f")
    assert isinstance(read, FunctionReading) and read.understood == "x² (an expression in x)"
    assert read.formula == "x^{2}"
    assert [o[0].real for o in read.outputs] == [1.0, 4.0]


@pytest.mark.parametrize("value, not_answered", [(None, True), ("y + 1", False), (3.0, False)])
def test_a_plain_value_where_a_function_is_expected(value, not_answered):
    read = read_function([RawAnswer(AnswerStatus.NONCALLABLE, value)] * 2, FUNCTION, CASES, "f")
    if not_answered:
        assert isinstance(read, Unread) and read.outcome is Outcome.NOT_ANSWERED
    else:
        assert isinstance(read, Unreadable) and not read.not_answered
