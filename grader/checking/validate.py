"""`grade validate`: prove that a problem set is fit to grade students.

1. The specs load (a SpecError otherwise, naming file and field).
2. The reference solution, graded as a submission by the same engine, scores 100 %; its free-text
   parts are answered with each spec's model answer, which must earn the full rubric.
3. Every listed common mistake, submitted as an answer, is rejected and earns its own message.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from grader.checking.grading import grade_run
from grader.checking.reference import reference_failures, reference_launcher, run_reference, store_reference
from grader.problemset.loader import ProblemSet
from grader.problemset.plan import PartPlan, RunPlan, build_plan, mistake_id
from grader.problemset.spec import FreeTextChecker
from grader.report.results import Outcome
from grader.sandbox import levels
from grader.sandbox.launch import Launcher
from grader.sandbox.records import AnswerStatus, RawAnswer, RunRecord
from grader.sandbox.runner import run_file


@dataclass(frozen=True)
class Check:
    what: str
    ok: bool
    detail: str = ""


def _with_model_answers(outcome: RunRecord, plan: RunPlan) -> RunRecord:
    answers = dict(outcome.answers)
    for pp in plan.parts:
        if isinstance(pp.part.checker, FreeTextChecker):
            answers[pp.request_ids[0]] = RawAnswer(AnswerStatus.VALUE, pp.part.checker.model_answer)
    return replace(outcome, answers=answers)


def _mistake_run(pp: PartPlan, index: int, reference: RunRecord) -> RunRecord:
    """A run whose answer to this part is the mistake's value (literal, or computed by the reference)."""
    mistake = pp.part.mistakes[index]
    if mistake.ref:
        answers = {rid: reference.answer(mistake_id(rid, index)) for rid in pp.request_ids}
    else:
        answers = {rid: RawAnswer(AnswerStatus.VALUE, mistake.value) for rid in pp.request_ids}
    return RunRecord(answers=answers)


def validate(problem_set: ProblemSet, launcher: Launcher | None = None) -> list[Check]:
    plan = build_plan(problem_set)
    checks: list[Check] = [Check(f"{len(problem_set.questions)} question specs load", True)]
    reference = run_reference(problem_set, plan, use_cache=False, launcher=launcher)
    failures = reference_failures(reference)
    if not failures:  # computed afresh and complete: a batch after `grade validate` reuses it
        store_reference(problem_set, plan, reference)
    checks.append(Check("the reference answers every request of the plan", not failures,
                        "; ".join(failures[:10])))
    run = run_file(problem_set.reference_path, plan.student_requests(), plan.parameters, plan.limits,
                   levels.choose("process"), launcher)
    as_student = _with_model_answers(run, plan)
    report = grade_run(problem_set, plan, as_student, reference, problem_set.reference_path.name)
    for part in report.parts:
        full = part.earned == part.possible and part.outcome in (Outcome.CORRECT, Outcome.NEEDS_REVIEW)
        what = (f"{part.question} {part.name}: model answer earns the full rubric"
                if part.provisional else f"{part.question} {part.name}: the reference is correct")
        checks.append(Check(what, full, "" if full else f"{part.outcome.label}: {' '.join(part.feedback)}"))
    checks.append(Check(f"the reference scores 100 % ({report.earned:g} / {report.possible:g})",
                        abs(report.earned - report.possible) < 1e-9))
    for pp in plan.parts:
        single = replace(plan, parts=(pp,))
        for j, mistake in enumerate(pp.part.mistakes):
            graded = grade_run(problem_set, single, _mistake_run(pp, j, reference), reference, "mistake")
            result = graded.parts[0]
            rejected = result.outcome is not Outcome.CORRECT and result.earned < result.possible
            ok = rejected and result.mistake == mistake.message
            detail = "" if ok else (f"graded {result.outcome.label}" + (
                f", but matched another message: {result.mistake!r}" if rejected else ""))
            label = mistake.ref or repr(mistake.value)
            checks.append(Check(f"{pp.question.id} {pp.part.name}: mistake {label} is rejected with its message",
                                ok, detail))
    return checks


def validate_variants(problem_set: ProblemSet, count: int) -> list[Check]:
    """`validate` for the document's values and for `count` students' variants ("student-1" …):
    one check per distinct variant, failing with the parameter values and what failed, so that a
    variant where a mistake equals the right answer names the values to exclude."""
    from grader.problemset.variants import for_student, variant_label

    checks = []
    seen: set[str] = set()
    with reference_launcher() as launcher:
        for identity in [None, *(f"student-{n}" for n in range(1, count + 1))]:
            variant = for_student(problem_set, identity)
            label = variant_label(problem_set.assignment, variant.assignment.parameters)
            if label in seen:
                continue
            seen.add(label)
            values = ", ".join(f"{name}={variant.assignment.parameters[name]!r}"
                               for name in sorted(problem_set.assignment.variation))
            failed = [c for c in validate(variant, launcher) if not c.ok]
            detail = "; ".join(f"{c.what}" + (f" ({c.detail})" if c.detail else "") for c in failed[:5])
            checks.append(Check(f"variant {label} ({values or 'no variation declared'})", not failed, detail))
    return checks
