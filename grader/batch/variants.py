"""Each student's variant in a batch: the problem set, the plan and the reference answers of their
own numbers, made once per distinct variant (not per student).

With `policies.variants: per_student`, the references of variants the cache does not hold yet are
computed together before grading starts, on warm process-level workers (one per job slot), and
cached like the document's: a rerun, or a batch after `grade validate --variants`, computes none.
Otherwise every student shares the document's variant: the single reference run it always was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, replace

from grader.batch.model import BatchSubmission
from grader.checking.reference import (
    ReferenceFailedError,
    cached_reference,
    compute_reference,
    reference_failures,
    reference_launcher,
    store_reference,
)
from grader.problemset.loader import ProblemSet
from grader.problemset.plan import RunPlan, build_plan
from grader.problemset.variants import DOCUMENT, for_student, identity_of, parameters_for, variant_label
from grader.report.results import GradeReport
from grader.sandbox.records import RunRecord


@dataclass(frozen=True)
class Variant:
    label: str
    problem_set: ProblemSet
    plan: RunPlan
    reference: RunRecord


@dataclass(frozen=True)
class BatchVariants:
    by_label: dict[str, Variant]
    """Every variant in the batch (the document's included), by label."""
    label_of: dict[str, str]
    """Submission key → the label of the variant it is graded against. Only while the batch's jobs
    are listed: `forget_students` lets it go before grading, each job then carrying its label."""
    document: Variant
    """The document's own numbers (whose answers, given by a student of another variant, get a
    targeted message)."""

    def plans(self) -> dict[str, RunPlan]:
        """Variant label → its run plan, for every variant in the batch."""
        return {label: v.plan for label, v in self.by_label.items()}

    def forget_students(self) -> BatchVariants:
        return replace(self, label_of={})

    def grade(self, label: str, student: RunRecord, submission_name: str) -> GradeReport:
        from grader.checking.grading import grade_run  # sympy: imported once the children run
        from grader.checking.other_variant import note_other_variant

        variant = self.by_label[label]
        report = grade_run(variant.problem_set, variant.plan, student, variant.reference, submission_name)
        if variant.label == self.document.label:
            return report
        return note_other_variant(report, variant.problem_set, student, self.document.problem_set,
                                  self.document.plan, self.document.reference)


def submission_identity(submission: BatchSubmission, emails: Mapping[str, str] | None = None) -> str | None:
    """Whose numbers: the first member of a group, by email where the platform or the roster (`emails`,
    id → email: Canvas gives only ids) knows it, as `grade bundle class` draws them."""
    first = submission.students[0] if submission.students else None
    if first is None:
        return None
    return identity_of(first.email or (emails or {}).get(first.id, ""), first.id)


def _computed(problem_set: ProblemSet, plans: list[RunPlan], jobs: int) -> list[RunRecord]:
    """The references of `plans`, cached or computed on up to `jobs` warm workers."""
    results: list[RunRecord | None] = [cached_reference(problem_set, plan) for plan in plans]
    missing = [i for i, r in enumerate(results) if r is None]
    if not missing:
        return [r for r in results if r is not None]
    slots = max(1, min(jobs, len(missing)))
    with ExitStack() as stack:
        launchers = [stack.enter_context(reference_launcher()) for _ in range(slots)]

        def one(position: int) -> None:
            index = missing[position]
            outcome = compute_reference(problem_set, plans[index], launchers[position % slots])
            store_reference(problem_set, plans[index], outcome)
            results[index] = outcome

        if slots == 1:
            for position in range(len(missing)):
                one(position)
        else:  # each worker takes every slots-th variant: no two threads share a worker
            def every_slots_th(start: int) -> None:
                for position in range(start, len(missing), slots):
                    one(position)

            with ThreadPoolExecutor(max_workers=slots) as pool:
                list(pool.map(every_slots_th, range(slots)))
    return [r for r in results if r is not None]


def prepare_variants(problem_set: ProblemSet, submissions: Iterable[BatchSubmission],
                     jobs: int = 1, emails: Mapping[str, str] | None = None) -> BatchVariants:
    """Each submission's variant, with the reference answers of every variant in the batch (and
    of the document's). Raises ReferenceFailedError when the reference fails in some variant (naming its values)."""
    assignment = problem_set.assignment
    per_student = assignment.policies.variants == "per_student"
    labels: dict[str, str] = {}
    sets: dict[str, ProblemSet] = {}
    for submission in submissions:
        identity = submission_identity(submission, emails) if per_student else None
        label = variant_label(assignment, parameters_for(assignment, identity))
        labels[submission.key] = label
        if label not in sets:
            sets[label] = for_student(problem_set, identity)
    sets.setdefault(DOCUMENT, problem_set)
    order = sorted(sets)
    plans = [build_plan(sets[label]) for label in order]
    references = _computed(problem_set, plans, jobs)
    variants = {label: Variant(label, sets[label], plan, reference)
                for label, plan, reference in zip(order, plans, references)}
    for variant in variants.values():
        if failures := reference_failures(variant.reference):
            values = ", ".join(f"{name}={variant.plan.parameters[name]!r}" for name in sorted(assignment.variation))
            where = f" in the variant {variant.label} ({values})" if values else ""
            raise ReferenceFailedError(
                f"the reference solution {problem_set.reference_path} fails{where}, so nothing was graded: "
                + "; ".join(failures[:5]) + (f" (and {len(failures) - 5} more)" if len(failures) > 5 else "")
                + f". Fix it, check it with `grade validate -a {assignment.slug}"
                + (" --variants 200" if values else "") + "`, then run the batch again.")
    return BatchVariants(variants, labels, variants[DOCUMENT])
