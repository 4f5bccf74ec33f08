"""The graded result of one submission: parts, questions, the whole report.

Plain frozen data: renderers read it, and decide (from `show_expected` / `show_hidden_inputs`)
what a student may see. Visibility is applied at rendering, never baked into the data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from grader.sandbox.records import StudentProblem


class Outcome(str, Enum):
    CORRECT = "correct"
    PARTIAL = "partially_correct"
    INCORRECT = "incorrect"
    INVALID = "invalid_format"
    NOT_ANSWERED = "not_answered"
    RAISED = "raised_exception"
    TIMED_OUT = "timed_out"
    NEEDS_REVIEW = "needs_review"
    GRADER_ERROR = "grader_error"

    @property
    def label(self) -> str:
        return {
            "correct": "correct",
            "partially_correct": "partially correct",
            "incorrect": "incorrect",
            "invalid_format": "invalid format",
            "not_answered": "not answered",
            "raised_exception": "raised an exception",
            "timed_out": "timed out",
            "needs_review": "needs review",
            "grader_error": "grader error",
        }[self.value]


@dataclass(frozen=True)
class CaseRow:
    """One input of a function answer: what it returned and what was expected there.

    Renderers decide whether `expected` (and hidden inputs) may be shown; checkers always fill it.
    """

    inputs: str
    got: str
    expected: str
    ok: bool
    hidden: bool = False
    boundary: bool = False


@dataclass(frozen=True)
class PartResult:
    question: str
    name: str
    kind: str
    possible: float
    earned: float
    outcome: Outcome
    feedback: tuple[str, ...] = ()
    understood: str | None = None
    """The answer as the grader read it, e.g. "1.09861 (read from sympy: log(3))"."""
    formula: str | None = None
    """The answer as LaTeX where it was written as a formula: HTML shows it as MathML, Markdown as $…$."""
    expected: str | None = None
    explanation: str | None = None
    mistake: str | None = None
    """The message of the common mistake this answer matched, if any."""
    problem: StudentProblem | None = None
    cases: tuple[CaseRow, ...] = ()
    provisional: bool = False
    """A free-text score suggested by the rubric, pending review by course staff."""
    prompt: str | None = None


@dataclass(frozen=True)
class QuestionResult:
    id: str
    title: str
    section: str
    parts: tuple[PartResult, ...]
    prompt: str | None = None
    """The question as the problem set asks it (shown above its parts)."""

    @property
    def earned(self) -> float:
        return sum(p.earned for p in self.parts)

    @property
    def possible(self) -> float:
        return sum(p.possible for p in self.parts)

    @property
    def outcome(self) -> Outcome:
        outcomes = {p.outcome for p in self.parts}
        if len(outcomes) == 1:
            return outcomes.pop()
        if Outcome.GRADER_ERROR in outcomes:
            return Outcome.GRADER_ERROR
        if Outcome.NEEDS_REVIEW in outcomes:
            return Outcome.NEEDS_REVIEW
        return Outcome.PARTIAL if self.earned > 0 else Outcome.INCORRECT


@dataclass(frozen=True)
class SectionTotal:
    section: str
    title: str
    earned: float
    possible: float


@dataclass(frozen=True)
class GradeReport:
    assignment: str
    title: str
    submission: str
    questions: tuple[QuestionResult, ...]
    sections: dict[str, str] = field(default_factory=dict)
    file_problems: tuple[StudentProblem, ...] = ()
    skipped_statements: tuple[tuple[int, str, str], ...] = ()
    """(line, reason, notebook cell or "")"""
    notes: tuple[str, ...] = ()
    show_expected: bool = False
    show_expected_at_visible_inputs: bool = False
    """A function part's expected values at its visible (the problem set's own) inputs may be shown."""
    show_hidden_inputs: bool = False
    isolation: str = "process"
    seconds: float = 0.0
    grader_error: str | None = None

    @property
    def parts(self) -> list[PartResult]:
        return [p for q in self.questions for p in q.parts]

    @property
    def failed_parts(self) -> list[PartResult]:
        """Parts the grader could not check: its own failure (e.g. a broken reference), never the
        student's."""
        return [p for p in self.parts if p.outcome is Outcome.GRADER_ERROR]

    @property
    def earned(self) -> float:
        return sum(q.earned for q in self.questions)

    @property
    def possible(self) -> float:
        return sum(q.possible for q in self.questions)

    @property
    def pending_review(self) -> float:
        """Points whose score is provisional until course staff review the free-text answers."""
        return sum(p.possible for p in self.parts if p.provisional)

    def section_totals(self) -> list[SectionTotal]:
        order: list[str] = []
        for q in self.questions:
            if q.section not in order:
                order.append(q.section)
        return [SectionTotal(s, self.sections.get(s, f"Section {s}"),
                             sum(q.earned for q in self.questions if q.section == s),
                             sum(q.possible for q in self.questions if q.section == s))
                for s in order]
