"""Hand-built GradeReports shared by the renderer tests (one of every outcome a student can meet).

The strings a student must not see unless the policy allows are collected in EXPECTED_SECRETS and
HIDDEN_INPUTS; each is unique in the report, so "not in output" really means "not shown".
"""

from __future__ import annotations

from dataclasses import replace

from grader.report.results import (
    CaseRow,
    GradeReport,
    Outcome,
    PartResult,
    QuestionResult,
)
from grader.sandbox.records import Frame, StudentProblem

HOSTILE = "<script>alert('pwned')</script>"
Q2A_EXPECTED = "−log(2) ≈ −0.6931472"
Q2A_EXPLANATION = "P(z ≥ 0) = 0.5 under N(0, 1), so log p(x) = −ln 2."
Q2B_EXPECTED = "0.3068528194"
Q4A_CASE_EXPECTED = ("0.39894228", "0.24197072", "0.28669146", "0.18264909", "0.00000001")
EXPECTED_SECRETS = (Q2A_EXPECTED, Q2A_EXPLANATION, Q2B_EXPECTED, *Q4A_CASE_EXPECTED)
HIDDEN_INPUTS = ("x=0.8123", "x=-1.2501")

MISTAKE = "0.5 is p(x⁽¹⁾) itself; the question asks for its logarithm."
SYNTAX_CODE = "q3 = = 1"
SKIP_REASON = "it ran longer than 10 s"
GRADER_ERROR = "the sandbox could not start (out of memory)."

TRACE = StudentProblem(
    type="ZeroDivisionError", message="division by zero", line=14, code="return 1 / (x - x)",
    frames=(Frame(20, "q2d", "return helper(0.5)"), Frame(14, "helper", "return 1 / (x - x)")),
)


def _part(name: str, question: str, outcome: Outcome, earned: float, possible: float,
          **extra: object) -> PartResult:
    return PartResult(question=question, name=name, kind=extra.pop("kind", "number"),  # type: ignore[arg-type]
                      possible=possible, earned=earned, outcome=outcome, **extra)  # type: ignore[arg-type]


CORRECT = _part("q2a", "2a", Outcome.CORRECT, 4, 4,
                understood="-0.693147 (read from sympy: −log(2))", formula=r"- \log{\left(2 \right)}",
                expected=Q2A_EXPECTED,
                explanation=Q2A_EXPLANATION, feedback=("Within tolerance.",))
INCORRECT = _part("q2b", "2b", Outcome.INCORRECT, 0, 3, understood="0.5", expected=Q2B_EXPECTED,
                  mistake=MISTAKE, feedback=(MISTAKE, "Your answer is 0.19 away from the expected value."))
INVALID = _part("q2b_check", "2b", Outcome.INVALID, 0, 1, understood=repr(HOSTILE),
                feedback=(f"Could not read your answer: expected a number, got the string {HOSTILE!r}.",))
NOT_ANSWERED = _part("q2c", "2c", Outcome.NOT_ANSWERED, 0, 2,
                     feedback=("`q2c` is not defined in your file.",))
RAISED = _part("q2d", "2d", Outcome.RAISED, 0, 3, problem=TRACE,
               feedback=(f"Computing `q2d` raised {TRACE.summary()}.",))
TIMED_OUT = _part("q2e", "2e", Outcome.TIMED_OUT, 0, 2, feedback=(
    "Computing `q2e` did not finish in time: took longer than 3 s. Look for an endless loop.",))
FUNCTION = _part(
    "q4a", "4a", Outcome.PARTIAL, 2.5, 4, kind="function",
    feedback=("Correct at 3 of 4 counted inputs.",),
    cases=(
        CaseRow("x=0.0", "0.398942", Q4A_CASE_EXPECTED[0], True),
        CaseRow("x=1.0", "0.5", Q4A_CASE_EXPECTED[1], False),
        CaseRow(HIDDEN_INPUTS[0], "0.286691", Q4A_CASE_EXPECTED[2], True, hidden=True),
        CaseRow(HIDDEN_INPUTS[1], "0.182649", Q4A_CASE_EXPECTED[3], True, hidden=True),
        CaseRow("x=-inf", "nan", Q4A_CASE_EXPECTED[4], False, boundary=True),
    ),
)
FREE_TEXT = _part("q4b", "4b", Outcome.NEEDS_REVIEW, 2, 2, kind="free_text", provisional=True,
                  understood="Flows need an invertible map with a tractable Jacobian.",
                  feedback=("Mentions invertibility.", "Mentions the Jacobian determinant."))

QUESTIONS = (
    QuestionResult("2a", "Compute log p(x⁽¹⁾)", "2", (CORRECT,)),
    QuestionResult("2b", "Entropy gap", "2", (INCORRECT, INVALID)),
    QuestionResult("2c", "KL divergence", "2", (NOT_ANSWERED,)),
    QuestionResult("2d", "ELBO", "2", (RAISED,)),
    QuestionResult("2e", "Tightness", "2", (TIMED_OUT,)),
    QuestionResult("4a", "Density of x₁", "4", (FUNCTION,)),
    QuestionResult("4b", "Why flows are invertible", "4", (FREE_TEXT,)),
)

FILE_SYNTAX = StudentProblem("SyntaxError", "invalid syntax", line=31, code=SYNTAX_CODE)
FILE_RAISED = StudentProblem("RuntimeError", "setup failed", line=40, code="raise RuntimeError('setup failed')",
                             frames=(Frame(44, "<module>", "setup()"),
                                     Frame(40, "setup", "raise RuntimeError('setup failed')")))

EARNED, POSSIBLE, PENDING = 8.5, 21, 2
SECTION_TOTALS = {"2": (4, 15), "4": (4.5, 6)}


def make_report(show_expected: bool = False, show_hidden_inputs: bool = False,
                **changes: object) -> GradeReport:
    report = GradeReport(
        assignment="genmodels", title="Generative models", submission="alice.py",
        questions=QUESTIONS, sections={"2": "Latent variable model and ELBO", "4": "Numericals — DDPM"},
        file_problems=(FILE_SYNTAX, FILE_RAISED), skipped_statements=((12, SKIP_REASON, ""),),
        show_expected=show_expected, show_hidden_inputs=show_hidden_inputs, seconds=1.234,
    )
    return replace(report, **changes)  # type: ignore[arg-type]


def clean_report() -> GradeReport:
    """A perfect submission: no file problems, nothing pending."""
    return make_report(questions=(QUESTIONS[0],), file_problems=(), skipped_statements=())
