"""What a student may see of a graded part: the one place visibility policy is applied.

A report always carries the full truth (expected answers, hidden inputs), because staff tools need
it. Every renderer asks these functions instead of reading `expected`, `explanation` or a case's
inputs directly, so that a policy change here changes all four formats at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from grader.report.results import CaseRow, GradeReport, PartResult


@dataclass(frozen=True)
class VisibleCase:
    """A case row as the student may see it."""

    label: str
    """What to print in the "input" column: the inputs, or "hidden input #k"."""
    inputs: str | None
    """None when the input is hidden and the policy keeps hidden inputs secret."""
    got: str
    expected: str | None
    """None unless the policy shows expected answers."""
    ok: bool
    hidden: bool
    boundary: bool


def visible_expected(report: GradeReport, part: PartResult) -> str | None:
    return part.expected if report.show_expected else None


def visible_explanation(report: GradeReport, part: PartResult) -> str | None:
    # The explanation usually derives the answer, so it is as secret as the answer itself.
    return part.explanation if report.show_expected else None


def visible_case(report: GradeReport, case: CaseRow, hidden_number: int) -> VisibleCase:
    """`hidden_number` is the 1-based position of this case among the part's hidden cases."""
    conceal = case.hidden and not report.show_hidden_inputs
    return VisibleCase(
        label=f"hidden input #{hidden_number}" if conceal else case.inputs,
        inputs=None if conceal else case.inputs,
        got=case.got,
        expected=case.expected if report.show_expected or (
            report.show_expected_at_visible_inputs and not case.hidden and not case.boundary) else None,
        ok=case.ok,
        hidden=case.hidden,
        boundary=case.boundary,
    )


def visible_cases(report: GradeReport, part: PartResult) -> list[VisibleCase]:
    rows: list[VisibleCase] = []
    hidden_seen = 0
    for case in part.cases:
        hidden_seen += case.hidden
        rows.append(visible_case(report, case, hidden_seen))
    return rows
