"""grade_run on hand-made runs: the outcomes stay distinct, mistakes earn their message."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest

from grader.checking.grading import grade_run
from grader.checking.reference import run_reference
from grader.problemset.loader import load_problem_set
from grader.problemset.plan import build_plan
from grader.report.results import Outcome
from grader.sandbox.records import (
    AnswerStatus,
    Frame,
    RawAnswer,
    RunRecord,
    StudentProblem,
)
from grader.sandbox.wire import OpaqueObject, SympyTree

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def genmodels():
    ps = load_problem_set(ROOT / "problems" / "genmodels", ROOT)
    plan = build_plan(ps)
    return ps, plan, run_reference(ps, plan)


def part(report, name):
    return next(p for p in report.parts if p.name == name)


def grade_one(genmodels, answers: dict[str, RawAnswer], problems=()):
    ps, plan, reference = genmodels
    return grade_run(ps, plan, RunRecord(answers=answers, load_problems=problems), reference, "t.py")


def value(v):
    return RawAnswer(AnswerStatus.VALUE, v)


@pytest.mark.parametrize("raw, outcome, fragment", [
    (value(-math.log(2)), Outcome.CORRECT, None),
    (value("−ln 2"), Outcome.CORRECT, None),
    (value(SympyTree({"f": "Mul", "a": [{"f": "Integer", "v": "-1"},
                                        {"f": "log", "a": [{"f": "Integer", "v": "2"}]}]}, "-log(2)")),
     Outcome.CORRECT, None),
    (value(0.5), Outcome.INCORRECT, "logarithm"),
    (value(math.log10(0.5)), Outcome.INCORRECT, "log₁₀"),
    (value(True), Outcome.INVALID, "bool"),
    (value([0.5, 0.5]), Outcome.INVALID, "list of 2"),
    (value("minus log two"), Outcome.INVALID, "could not read"),
    (value(OpaqueObject("answers.Liar", "<Liar>")), Outcome.INVALID, "answers.Liar"),
    (value(None), Outcome.NOT_ANSWERED, None),
    (RawAnswer(AnswerStatus.MISSING), Outcome.NOT_ANSWERED, "not defined"),
    (RawAnswer(AnswerStatus.NOT_IMPLEMENTED), Outcome.NOT_ANSWERED, "stub"),
    (RawAnswer(AnswerStatus.RAISED, problem=StudentProblem("ValueError", "math domain error", 3,
                                                          frames=(Frame(3, "q2a", "math.log(0)"),))),
     Outcome.RAISED, "ValueError"),
    (RawAnswer(AnswerStatus.TIMED_OUT), Outcome.TIMED_OUT, "in time"),
    (RawAnswer(AnswerStatus.TOO_LARGE, detail="more than 20000 values"), Outcome.INVALID, "20000"),
])
def test_outcomes_of_a_number_part(genmodels, raw, outcome, fragment):
    result = part(grade_one(genmodels, {"q2a": raw}), "q2a")
    assert result.outcome is outcome
    assert result.earned == (4 if outcome is Outcome.CORRECT else 0)
    if fragment:
        assert fragment.lower() in " ".join(result.feedback).lower()


def test_a_mistake_replaces_the_generic_hint(genmodels):
    result = part(grade_one(genmodels, {"q2a": value(0.5)}), "q2a")
    assert result.mistake and result.feedback == (result.mistake,)


@pytest.mark.parametrize("answer", [math.inf, "inf", "∞", "infinity", SympyTree({"f": "Infinity"}, "oo")])
def test_plus_infinity_in_every_spelling(genmodels, answer):
    assert part(grade_one(genmodels, {"q2c": value(answer)}), "q2c").outcome is Outcome.CORRECT


@pytest.mark.parametrize("answer", [-math.inf, "-inf", "−∞", math.nan, SympyTree({"f": "ComplexInfinity"}, "zoo")])
def test_wrong_infinities_and_nan(genmodels, answer):
    assert part(grade_one(genmodels, {"q2c": value(answer)}), "q2c").outcome is Outcome.INCORRECT


def test_missing_name_blames_the_failing_statement(genmodels):
    problem = StudentProblem("ValueError", "math domain error", 8, defines=("q2c",))
    result = part(grade_one(genmodels, {"q2c": RawAnswer(AnswerStatus.MISSING)}, (problem,)), "q2c")
    assert "line 8" in result.feedback[0] and "ValueError" in result.feedback[0]


def test_reference_failure_is_a_grader_error_not_the_students(genmodels):
    ps, plan, reference = genmodels
    broken = RunRecord(answers={k: v for k, v in reference.answers.items() if k != "q2d"})
    report = grade_run(ps, plan, RunRecord(answers={"q2d": value(0.8413), "q2a": value(-0.6931)}),
                       broken, "t.py")
    result = part(report, "q2d")
    assert result.outcome is Outcome.GRADER_ERROR
    assert "not your fault" in result.feedback[0]
    assert part(report, "q2a").outcome is Outcome.CORRECT  # everything else still graded


def test_an_answer_the_grader_never_received_is_its_own_failure(genmodels):
    result = part(grade_one(genmodels, {}), "q2a")
    assert result.outcome is Outcome.GRADER_ERROR and "not your fault" in result.feedback[0]


def test_a_bug_in_a_checker_costs_one_part_not_the_report(genmodels, monkeypatch, caplog):
    from grader.checking.checkers import number

    def broken(*args, **kwargs):
        raise KeyError("bug")

    monkeypatch.setattr(number, "grade", broken)
    report = grade_one(genmodels, {"q2a": value(-0.6931), "q1b": value("GANs")})
    assert part(report, "q2a").outcome is Outcome.GRADER_ERROR
    assert part(report, "q1b").outcome is Outcome.CORRECT
    # The report says only the exception's type; the whole traceback is logged for staff.
    record = next(r for r in caplog.records if r.name == "grader.checking.grading")
    assert "q2a" in record.getMessage() and record.exc_info and record.exc_info[0] is KeyError


def test_function_part_hard_coded_at_the_document_values(genmodels):
    ps, plan, reference = genmodels
    pp = next(p for p in plan.parts if p.part.name == "q4a")
    answers = {rid: (value((1.6970562748477143, 0.28)) if case.kind == "visible" and case.args[2] == 2
                     else value((1.8973665961010275, 0.1)))
               for rid, case in zip(pp.request_ids, pp.cases)}
    result = part(grade_one(genmodels, answers), "q4a")
    assert result.outcome is Outcome.PARTIAL
    assert result.earned < 5 * 0.3
    assert any("hard-coded" in f for f in result.feedback)


def test_free_text_is_provisional_and_counts_by_policy(genmodels):
    ps, plan, reference = genmodels
    model = next(p for _, p in ps.parts() if p.name == "q1d").checker.model_answer
    result = part(grade_one(genmodels, {"q1d": value(model)}), "q1d")
    assert result.outcome is Outcome.NEEDS_REVIEW and result.provisional
    assert result.earned == result.possible


def test_what_the_grader_did_about_the_run_is_in_the_report(genmodels):
    ps, plan, reference = genmodels
    note = "the grader's worker process stopped while this submission ran"
    report = grade_run(ps, plan, RunRecord(answers={"q2a": value(-0.6931)}, notes=(note,)), reference, "t.py")
    assert report.notes == (note,)
    assert part(report, "q2a").outcome is Outcome.CORRECT


@pytest.mark.parametrize("policy, flags", [
    ("never", (False, False)), ("visible_inputs", (False, True)), ("always", (True, False)),
])
def test_the_show_expected_policy_reaches_the_report(genmodels, policy, flags):
    ps, plan, reference = genmodels
    policies = ps.assignment.policies.model_copy(update={"show_expected": policy})
    changed = replace(ps, assignment=ps.assignment.model_copy(update={"policies": policies}))
    report = grade_run(changed, plan, RunRecord(answers={}), reference, "t.py")
    assert (report.show_expected, report.show_expected_at_visible_inputs) == flags
