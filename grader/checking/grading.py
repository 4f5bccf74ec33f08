"""Grade one run against the reference: parse, then check, then look for common mistakes.

Three outcomes never mix (DESIGN.md, invariant 4): the answer is wrong (INCORRECT), the answer
could not be read (INVALID, with what was expected), the grader failed (GRADER_ERROR: the
reference has no usable answer — never the student's fault). Plus not answered, raised, timed out.
"""

from __future__ import annotations

import importlib
import weakref
from types import ModuleType
from typing import Any

from grader.checking.checkers import function
from grader.checking.checkers.base import (
    AnswerFormatError,
    NotAnswered,
    TooComplex,
    Verdict,
    is_placeholder,
)
from grader.problemset.loader import ProblemSet
from grader.problemset.plan import PartPlan, RunPlan, mistake_id
from grader.problemset.spec import FreeTextChecker, FunctionChecker, Policies
from grader.report.results import GradeReport, Outcome, PartResult, QuestionResult
from grader.sandbox.records import AnswerStatus, RawAnswer, RunRecord, StudentProblem
from grader.sandbox.wire import describe


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


def checker_module(kind: str) -> ModuleType:
    return importlib.import_module(f"grader.checking.checkers.{kind}")


def resolve_checker(checker: Any, policies: Policies) -> Any:
    """Fill unset tolerances from the assignment's policy (one documented default)."""
    updates = {}
    if getattr(checker, "rtol", "absent") is None:
        updates["rtol"] = policies.tolerance.rtol
    if getattr(checker, "atol", "absent") is None:
        updates["atol"] = policies.tolerance.atol
    return checker.model_copy(update=updates) if updates else checker


def _status_result(raw: RawAnswer, name: str,
                   file_problems: tuple[StudentProblem, ...] = ()) -> tuple[Outcome, str] | None:
    """The outcome for an answer that has no value to check, or None if there is one."""
    status = raw.status
    if status is AnswerStatus.MISSING:
        cause = next((p for p in file_problems if name in p.defines), None)
        if cause is not None:
            return Outcome.NOT_ANSWERED, (f"`{name}` is not defined: the statement at line {cause.line} "
                                          f"that defines it failed with {cause.type}: {cause.message}")
        return Outcome.NOT_ANSWERED, f"`{name}` is not defined in your file."
    if status is AnswerStatus.NOT_IMPLEMENTED:
        return Outcome.NOT_ANSWERED, f"`{name}` is still the template's stub (it raises NotImplementedError)."
    if status is AnswerStatus.RAISED:
        assert raw.problem is not None
        return Outcome.RAISED, f"Computing `{name}` raised {raw.problem.summary()}."
    if status is AnswerStatus.TIMED_OUT:
        return Outcome.TIMED_OUT, (f"Computing `{name}` did not finish in time"
                                   f"{': ' + raw.detail if raw.detail else ''}. Look for an endless loop.")
    if status is AnswerStatus.LOST:
        return Outcome.RAISED, f"Your code ended the process while computing `{name}` ({raw.detail})."
    if status in (AnswerStatus.TOO_LARGE, AnswerStatus.UNREADABLE):
        return Outcome.INVALID, f"The value of `{name}` could not be transferred: {raw.detail}."
    if status is AnswerStatus.NO_ANSWER:
        return Outcome.GRADER_ERROR, (f"The grader could not obtain `{name}` ({raw.detail}). This is "
                                      "not your fault: tell course staff.")
    return None


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
            return self.result(Outcome.GRADER_ERROR, feedback=(
                f"The grader failed while checking this part ({type(exc).__name__}). This is not your "
                "fault: tell course staff.",))

    # -- value parts ----------------------------------------------------------------------------

    def _expected(self, module: ModuleType) -> Any:
        return self._once(("expected",), lambda: self._parse_expected(module))

    def _parse_expected(self, module: ModuleType) -> Any:
        if isinstance(self.spec, FreeTextChecker):
            return module.parse(self.spec.model_answer, self.spec)
        value = _expected_value(self.reference, self.pp.request_ids[0], f"`{self.part.reference_name}`")
        try:
            return module.parse(value, self.spec)
        except AnswerFormatError:
            raise ReferenceUnusable(f"its answer is not readable by the {self.spec.kind} checker") from None

    def _grade_value(self) -> PartResult:
        module = checker_module(self.spec.kind)
        rid = self.pp.request_ids[0]
        raw = self.student.answer(rid)
        expected = self._expected(module)
        expected_text = module.show(expected)
        status = _status_result(raw, self.part.name, self.student.load_problems)
        if status:
            return self.result(status[0], feedback=(status[1],), problem=raw.problem,
                               expected=expected_text)
        try:
            answer = module.parse(raw.value, self.spec)
        except NotAnswered as exc:
            return self.result(Outcome.NOT_ANSWERED, feedback=(f"Not answered yet: {exc}.",),
                               expected=expected_text)
        except AnswerFormatError as exc:
            return self.result(Outcome.INVALID, feedback=(f"Could not read your answer: {exc}.",),
                               understood=describe(raw.value), expected=expected_text)
        try:
            verdict: Verdict = module.grade(answer, expected, self.spec)
        except TooComplex as exc:
            return self.result(Outcome.INVALID, feedback=(f"Could not check your answer: {exc}.",),
                               understood=module.show(answer), expected=expected_text)
        feedback = verdict.feedback
        mistake = None
        if not verdict.is_correct:
            mistake = self._matching_mistake(module, answer, rid)
            if mistake:  # the targeted message says more than the checker's generic hints
                feedback = (mistake,)
        return self.result(verdict.outcome, verdict.fraction, feedback,
                           understood=module.show(answer), expected=expected_text, mistake=mistake)

    def _matching_mistake(self, module: ModuleType, answer: Any, rid: str) -> str | None:
        for j, mistake in enumerate(self.part.mistakes):
            other = self._once(("mistake", rid, str(j)), lambda: self._parse_mistake(module, rid, j))
            if module.same(answer, other, self.spec):
                return mistake.message
        return None

    def _parse_mistake(self, module: ModuleType, rid: str, j: int) -> Any:
        mistake = self.part.mistakes[j]
        if mistake.ref:
            value = _expected_value(self.reference, mistake_id(rid, j), f"mistake `{mistake.ref}`")
        else:
            value = mistake.value
        try:
            return module.parse(value, self.spec)
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
        statuses = {r.status for r in raws}
        if len(statuses) == 1 and (status := _status_result(raws[0], self.part.name,
                                                                    self.student.load_problems)):
            if status[0] is not Outcome.RAISED or all(r.problem == raws[0].problem for r in raws):
                return self.result(status[0], feedback=(status[1],), problem=raws[0].problem)
        got: list[function.Outputs | str]
        noncallable = next((r for r in raws if r.status is AnswerStatus.NONCALLABLE), None)
        if noncallable is not None:
            if is_placeholder(noncallable.value):
                return self.result(Outcome.NOT_ANSWERED, feedback=(f"`{self.part.name}` is not defined yet.",))
            try:
                got = list(function.outputs_from_expression(noncallable.value, spec, cases))
            except AnswerFormatError as exc:
                return self.result(Outcome.INVALID, feedback=(f"Could not read your answer: {exc}.",),
                                   understood=describe(noncallable.value))
            understood = describe(noncallable.value)
        else:
            got = [self._case_output(r) for r in raws]
            understood = None
        usable = [g for g, c in zip(got, cases) if not isinstance(g, str) and c.counts]
        first_problem = next((r.problem for r in raws if r.problem), None)
        if not usable:
            reasons = [g for g in got if isinstance(g, str)] or ["only boundary inputs were answered"]
            outcome = Outcome.RAISED if first_problem else (
                Outcome.TIMED_OUT if AnswerStatus.TIMED_OUT in statuses else Outcome.INVALID)
            return self.result(outcome, feedback=(f"No usable result at any input: {reasons[0]}",),
                               problem=first_problem)
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
        if first_problem:
            feedback.append(f"At some inputs your function raised {first_problem.summary()}.")
        return self.result(verdict.outcome, verdict.fraction, tuple(feedback), understood=understood,
                           mistake=mistake, problem=first_problem, cases=verdict.cases)

    def _case_output(self, raw: RawAnswer) -> function.Outputs | str:
        if raw.status is AnswerStatus.VALUE:
            try:
                return function.parse_outputs(raw.value, self.spec)
            except AnswerFormatError as exc:
                return f"unreadable result ({exc})"
        if raw.status is AnswerStatus.RAISED and raw.problem:
            return f"raised {raw.problem.summary()}"
        if raw.status is AnswerStatus.TIMED_OUT:
            return "timed out"
        status = _status_result(raw, self.part.name)
        return status[1] if status else raw.status.value


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
        QuestionResult(q.id, q.title, q.section, tuple(by_question.get(q.id, ())))
        for q in problem_set.questions
    )
    grader_error = student.grader_error or reference.grader_error
    return GradeReport(
        assignment=assignment.slug, title=assignment.title, submission=submission_name,
        questions=questions, sections=dict(assignment.sections),
        file_problems=student.load_problems, skipped_statements=student.skipped_statements,
        notes=(),
        show_expected=policies.show_expected == "always" if show_expected is None else show_expected,
        show_hidden_inputs=policies.show_hidden_inputs, isolation=student.isolation,
        seconds=round(student.seconds, 3), grader_error=grader_error,
    )
