"""A wrong answer that is right for the document's numbers: the student answered another variant.

With per-student variants, the commonest wrong answer is the right one for somebody else's numbers
(the course document's, a friend's handout). Saying so is the feedback that helps: the method may
be fine, the numbers are not the student's own.
"""

from __future__ import annotations

from dataclasses import replace

from grader.checking.grading import grade_run
from grader.problemset.loader import ProblemSet
from grader.problemset.plan import RunPlan
from grader.problemset.spec import NumberChecker, SymbolicChecker
from grader.report.results import GradeReport, Outcome, PartResult
from grader.sandbox.records import RunRecord

# Parts whose answer is a value computed from the numbers; a function takes them as arguments.
_VALUE_KINDS = (NumberChecker, SymbolicChecker)


def _values(problem_set: ProblemSet, parameters: dict) -> str:
    return ", ".join(f"{name} = {parameters[name]!r}" for name in sorted(problem_set.assignment.variation))


def other_variant_message(own: ProblemSet, other: ProblemSet) -> str:
    return (f"This is the right answer for different numbers ({_values(own, other.assignment.parameters)}), "
            f"not for yours ({_values(own, own.assignment.parameters)}): check the numbers in your "
            "handout and compute with them.")


def note_other_variant(report: GradeReport, own: ProblemSet, student: RunRecord,
                       other: ProblemSet, other_plan: RunPlan, other_reference: RunRecord) -> GradeReport:
    """`report` with the targeted message on each wrong value part that `other`'s reference accepts."""
    if own.assignment.parameters == other.assignment.parameters:
        return report
    wrong = {p.name for p in report.parts
             if p.outcome is Outcome.INCORRECT and p.mistake is None and p.earned == 0}
    parts = tuple(pp for pp in other_plan.parts if pp.part.name in wrong and isinstance(pp.part.checker, _VALUE_KINDS))
    if not parts:
        return report
    graded = grade_run(other, replace(other_plan, parts=parts), student, other_reference, report.submission)
    matched = {p.name for p in graded.parts if p.outcome is Outcome.CORRECT}
    if not matched:
        return report
    message = other_variant_message(own, other)

    def marked(part: PartResult) -> PartResult:
        return replace(part, mistake=message, feedback=(message,)) if part.name in matched else part

    questions = tuple(replace(q, parts=tuple(marked(p) for p in q.parts)) for q in report.questions)
    return replace(report, questions=questions)
