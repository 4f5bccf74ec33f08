"""Grade one run against the reference: parse, then check, then look for common mistakes.

Three outcomes never mix (ARCHITECTURE.md, the trust boundary, rule 4): the answer is wrong
(INCORRECT), the answer could not be read (INVALID, with what was expected), the grader failed
(GRADER_ERROR: the reference has no usable answer — never the student's fault). Plus not answered,
raised, timed out.
"""

from __future__ import annotations

import logging
import weakref
from typing import Any

from grader.checking.checkers import function
from grader.checking.checkers.base import AnswerFormatError, TooComplex, Verdict
from grader.checking.kinds import ValueKind, value_kind
from grader.checking.reading import Unread, Unreadable, read_function, read_value
from grader.problemset.loader import ProblemSet
from grader.problemset.plan import PartPlan, RunPlan, mistake_id
from grader.problemset.spec import FreeTextChecker, FunctionChecker, Policies
from grader.report.results import GradeReport, Outcome, PartResult, QuestionResult
from grader.sandbox.records import AnswerStatus, RunRecord

log = logging.getLogger(__name__)


class ReferenceUnusable(Exception):
    """The reference solution has no usable answer: a problem for course staff, not students."""


# Parsed expected answers and mistakes of one reference run, shared by every submission graded
# against it (a batch parses them once, not once per student). Keyed by the run's identity.
_parsed_references: dict[int, tuple[weakref.ref, dict[tuple[str, ...], Any]]] = {}


def _parsed_for(reference: RunRecord) -> dict[tuple[str, ...], Any]:
    entry = _parsed_references.get(id(reference))
    if entry is None or entry[0]() is not reference:
        if len(_parsed_references) > 64:
            _parsed_references.clear()
        entry = (weakref.ref(reference), {})
        _parsed_references[id(reference)] = entry
    return entry[1]


def resolve_checker(checker: Any, policies: Policies) -> Any:
    """Fill unset tolerances from the assignment's policy (one documented default)."""
    updates = {}
    if getattr(checker, "rtol", "absent") is None:
        updates["rtol"] = policies.tolerance.rtol
    if getattr(checker, "atol", "absent") is None:
        updates["atol"] = policies.tolerance.atol
    return checker.model_copy(update=updates) if updates else checker


def _expected_value(reference: RunRecord, request_id: str, what: str) -> Any:
    raw = reference.answer(request_id)
    if raw.status is not AnswerStatus.VALUE:
        problem = raw.problem.summary() if raw.problem else (raw.detail or raw.status.value)
        raise ReferenceUnusable(f"the reference solution gave no value for {what}: {problem}")
    return raw.value


class _PartGrader:
    def __init__(self, pp: PartPlan, student: RunRecord, reference: RunRecord, policies: Policies):
        self.pp, self.part, self.student, self.reference = pp, pp.part, student, reference
        self.spec = resolve_checker(pp.part.checker, policies)
        self.policies = policies
        self.parsed = _parsed_for(reference)

    def _once(self, key: tuple[str, ...], compute: Any) -> Any:
        """`compute()` for this part's reference data, parsed once per reference run."""
        key = (self.part.name, *key)
        if key not in self.parsed:
            self.parsed[key] = compute()
        return self.parsed[key]

    def result(self, outcome: Outcome, fraction: float = 0.0, feedback: tuple[str, ...] = (),
               **extra: Any) -> PartResult:
        provisional = outcome is Outcome.NEEDS_REVIEW
        counts = not provisional or self.policies.free_text_counts_provisionally
        return PartResult(
            question=self.pp.question.id, name=self.part.name, kind=self.spec.kind,
            possible=self.part.points, earned=round(self.part.points * fraction, 6) if counts else 0.0,
            outcome=outcome, feedback=feedback, explanation=self.part.explanation,
            provisional=provisional, prompt=self.part.prompt, **extra,
        )

    def grade(self) -> PartResult:
        try:
            if isinstance(self.spec, FunctionChecker):
                return self._grade_function()
            return self._grade_value()
        except ReferenceUnusable as exc:
            return self.result(Outcome.GRADER_ERROR, feedback=(
                f"The grader could not check this part ({exc}). This is not your fault: course staff "
                "have to fix the reference solution.",))
        except Exception as exc:  # a bug of ours costs this part's check, never the whole report
            log.exception("checking part %s (%s) failed", self.part.name, self.spec.kind)
            return self.result(Outcome.GRADER_ERROR, feedback=(
                f"The grader failed while checking this part ({type(exc).__name__}). This is not your "
                "fault: tell course staff.",))

    # -- value parts ----------------------------------------------------------------------------

    def _expected(self, kind: ValueKind) -> Any:
        return self._once(("expected",), lambda: self._parse_expected(kind))

    def _parse_expected(self, kind: ValueKind) -> Any:
        if isinstance(self.spec, FreeTextChecker):
            return kind.parse(self.spec.model_answer, self.spec)
        value = _expected_value(self.reference, self.pp.request_ids[0], f"`{self.part.reference_name}`")
        try:
            return kind.parse(value, self.spec)
        except AnswerFormatError:
            raise ReferenceUnusable(f"its answer is not readable by the {self.spec.kind} checker") from None

    def _grade_value(self) -> PartResult:
        kind = value_kind(self.spec.kind)
        rid = self.pp.request_ids[0]
        raw = self.student.answer(rid)
        expected = self._expected(kind)
        expected_text = kind.show(expected)
        read = read_value(raw, kind, self.spec, self.part.name, self.student.load_problems)
        if isinstance(read, Unread):
            return self.result(read.outcome, feedback=(read.message,), problem=read.problem,
                               expected=expected_text)
        if isinstance(read, Unreadable):
            if read.not_answered:
                return self.result(Outcome.NOT_ANSWERED, feedback=(f"Not answered yet: {read.error}.",),
                                   expected=expected_text)
            return self.result(Outcome.INVALID, feedback=(f"Could not read your answer: {read.error}.",),
                               understood=read.understood, expected=expected_text)
        try:
            verdict: Verdict = kind.grade(read.answer, expected, self.spec)
        except TooComplex as exc:
            return self.result(Outcome.INVALID, feedback=(f"Could not check your answer: {exc}.",),
                               understood=read.understood, expected=expected_text)
        feedback = verdict.feedback
        mistake = None
        if not verdict.is_correct:
            mistake = self._matching_mistake(kind, read.answer, rid)
            if mistake:  # the targeted message says more than the checker's generic hints
                feedback = (mistake,)
        return self.result(verdict.outcome, verdict.fraction, feedback, understood=read.understood,
                           formula=read.formula, expected=expected_text, mistake=mistake)

    def _matching_mistake(self, kind: ValueKind, answer: Any, rid: str) -> str | None:
        for j, mistake in enumerate(self.part.mistakes):
            other = self._once(("mistake", rid, str(j)), lambda j=j: self._parse_mistake(kind, rid, j))
            if kind.same(answer, other, self.spec):
                return mistake.message
        return None

    def _parse_mistake(self, kind: ValueKind, rid: str, j: int) -> Any:
        mistake = self.part.mistakes[j]
        if mistake.ref:
            value = _expected_value(self.reference, mistake_id(rid, j), f"mistake `{mistake.ref}`")
        else:
            value = mistake.value
        try:
            return kind.parse(value, self.spec)
        except AnswerFormatError as exc:
            raise ReferenceUnusable(f"common mistake {j + 1} ({value!r}) is not readable: {exc}") from None

    # -- function parts -------------------------------------------------------------------------

    def _expected_outputs(self, request_ids: tuple[str, ...], what: str) -> list[function.Outputs]:
        return self._once(("outputs", *request_ids), lambda: self._parse_outputs(request_ids, what))

    def _parse_outputs(self, request_ids: tuple[str, ...], what: str) -> list[function.Outputs]:
        outputs = []
        for rid in request_ids:
            value = _expected_value(self.reference, rid, what)
            try:
                outputs.append(function.parse_outputs(value, self.spec))
            except AnswerFormatError:
                raise ReferenceUnusable(f"{what} returned a value the function checker cannot read") from None
        return outputs

    def _grade_function(self) -> PartResult:
        spec: FunctionChecker = self.spec
        ids, cases = self.pp.request_ids, self.pp.cases
        raws = [self.student.answer(rid) for rid in ids]
        expected = self._expected_outputs(ids, f"`{self.part.reference_name}`")
        read = read_function(raws, spec, cases, self.part.name, self.student.load_problems)
        if isinstance(read, Unread):
            return self.result(read.outcome, feedback=(read.message,), problem=read.problem)
        if isinstance(read, Unreadable):
            return self.result(Outcome.INVALID, feedback=(f"Could not read your answer: {read.error}.",),
                               understood=read.understood)
        got = read.outputs
        usable = [g for g, c in zip(got, cases) if not isinstance(g, str) and c.counts]
        if not usable:
            reasons = [g for g in got if isinstance(g, str)] or ["only boundary inputs were answered"]
            outcome = Outcome.RAISED if read.problem else (
                Outcome.TIMED_OUT if read.timed_out else Outcome.INVALID)
            return self.result(outcome, feedback=(f"No usable result at any input: {reasons[0]}",),
                               problem=read.problem)
        verdict = function.grade(got, expected, cases, spec)
        feedback = list(verdict.feedback)
        mistake = None
        if not verdict.is_correct:
            for j, m in enumerate(self.part.mistakes):
                if m.ref is None:
                    continue
                other = self._expected_outputs(tuple(mistake_id(rid, j) for rid in ids), f"mistake `{m.ref}`")
                if function.agrees(got, other, cases, spec):
                    mistake = m.message
                    feedback.insert(0, m.message)
                    break
        if read.problem:
            feedback.append(f"At some inputs your function raised {read.problem.summary()}.")
        return self.result(verdict.outcome, verdict.fraction, tuple(feedback), understood=read.understood,
                           formula=read.formula, mistake=mistake, problem=read.problem, cases=verdict.cases)


def grade_run(problem_set: ProblemSet, plan: RunPlan, student: RunRecord, reference: RunRecord,
              submission_name: str, show_expected: bool | None = None) -> GradeReport:
    """Grade every part of `plan`; always returns a report, whatever the run did."""
    assignment = problem_set.assignment
    policies = assignment.policies
    by_question: dict[str, list[PartResult]] = {}
    for pp in plan.parts:
        by_question.setdefault(pp.question.id, []).append(
            _PartGrader(pp, student, reference, policies).grade())
    questions = tuple(
        QuestionResult(q.id, q.title, q.section, tuple(by_question.get(q.id, ())), q.prompt.strip() or None)
        for q in problem_set.questions
    )
    grader_error = student.grader_error or reference.grader_error
    return GradeReport(
        assignment=assignment.slug, title=assignment.title, submission=submission_name,
        questions=questions, sections=dict(assignment.sections),
        file_problems=student.load_problems, skipped_statements=student.skipped_statements,
        notes=student.notes,
        show_expected=policies.show_expected == "always" if show_expected is None else show_expected,
        show_expected_at_visible_inputs=policies.show_expected == "visible_inputs",
        show_hidden_inputs=policies.show_hidden_inputs, isolation=student.isolation,
        seconds=round(student.seconds, 3), grader_error=grader_error,
    )
