"""Class statistics for the dashboard: what they are, and the pure building blocks (no I/O).

They are gathered one submission at a time by `class_tally.ClassTally`.

Units and conventions:

* A *submission* is one graded file (a group's counts once); counts of answers, failures and
  pending reviews are per submission.
* Scores include the TA's overrides. The histogram is of the final totals (after the late
  penalty, what goes to the gradebook); item analysis uses the points before the penalty, since
  lateness says nothing about a question.
* Submissions whose grading failed for the grader's own reasons (`report.grader_error`) are left
  out of every score statistic (their zeros say nothing about the class or the questions) and
  counted under failures.
* Item analysis (classical test theory): a question's *difficulty* is the mean fraction of its
  points earned (1 = everyone got everything); its *discrimination* is the item–rest
  (point-biserial) correlation: Pearson's r between the fraction earned on the question and the
  total on the *other* questions. None when it is undefined: fewer than 3 submissions, or no
  variation in either variable.
* An answer is *wrong* when its outcome is incorrect or partially correct; wrong answers are
  counted by the text the grader read (`PartResult.understood`). A part's share of invalid
  answers is over the submissions that gave it a value the grader received (every outcome but
  not answered, raised, timed out and grader error).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from grader.report.results import Outcome

HISTOGRAM_BINS = 10
TOP_WRONG_ANSWERS = 5
INVALID_SHARE_FLAG = 0.2
"""Flag a part when at least this share of the answers the grader received were unreadable."""

WRONG = frozenset({Outcome.INCORRECT, Outcome.PARTIAL})
FAILURES = (Outcome.RAISED, Outcome.TIMED_OUT, Outcome.GRADER_ERROR)
NO_VALUE = frozenset({Outcome.NOT_ANSWERED, *FAILURES})
_EPSILON = 1e-12


@dataclass(frozen=True)
class HistogramBin:
    low: float
    high: float
    count: int
    last: bool = False
    """The last bin also holds its upper edge (full marks)."""


@dataclass(frozen=True)
class Summary:
    count: int
    mean: float | None = None
    median: float | None = None
    std: float | None = None
    """Population standard deviation."""
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class QuestionStats:
    id: str
    title: str
    possible: float
    count: int
    """Submissions the figures are over."""
    mean: float | None
    """Mean points earned."""
    difficulty: float | None
    """Mean fraction of the points earned, in [0, 1]."""
    discrimination: float | None
    """Item–rest (point-biserial) correlation, in [-1, 1]; None when undefined."""


@dataclass(frozen=True)
class WrongAnswer:
    answer: str
    count: int
    mistake: str | None = None
    """The common mistake this answer matched, if any."""


@dataclass(frozen=True)
class PartWrongAnswers:
    question: str
    part: str
    wrong: int
    """Submissions whose answer to the part was wrong (incorrect or partially correct)."""
    answers: tuple[WrongAnswer, ...]
    """The most common wrong answers, most frequent first (ties in text order)."""


@dataclass(frozen=True)
class InvalidShare:
    question: str
    part: str
    invalid: int
    answered: int

    @property
    def share(self) -> float:
        return self.invalid / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class PendingPart:
    question: str
    part: str
    count: int


@dataclass(frozen=True)
class FailureCounts:
    raised: int = 0
    timed_out: int = 0
    grader_error: int = 0
    """Parts with each outcome."""
    grader_error_submissions: tuple[str, ...] = ()
    """Keys of submissions the grader itself failed on (`report.grader_error`)."""

    @property
    def parts(self) -> int:
        return self.raised + self.timed_out + self.grader_error


@dataclass(frozen=True)
class ClassStats:
    submissions: int
    students: int
    possible: float
    scored: int
    """Submissions in the score statistics (all but those with a grader error)."""
    totals: Summary
    histogram: tuple[HistogramBin, ...]
    questions: tuple[QuestionStats, ...]
    wrong_answers: tuple[PartWrongAnswers, ...]
    invalid_shares: tuple[InvalidShare, ...]
    """Every part that received at least one value, in problem-set order."""
    flagged_invalid: tuple[InvalidShare, ...]
    """Parts where at least INVALID_SHARE_FLAG of the answers were unreadable."""
    pending_reviews: int
    """Parts still provisional (no TA override), over all submissions."""
    pending_by_part: tuple[PendingPart, ...]
    failures: FailureCounts


# --- building blocks -----------------------------------------------------------------------------

def histogram(values: Iterable[float], maximum: float, bins: int = HISTOGRAM_BINS) -> list[HistogramBin]:
    """Equal-width bins over [0, maximum]: [low, high), the last one [low, maximum].

    Values below 0 count in the first bin, above the maximum (bonus points) in the last.
    """
    if bins < 1 or maximum <= 0:
        raise ValueError("a histogram needs at least one bin and a positive maximum")
    counts = [0] * bins
    for value in values:
        index = math.floor(value / maximum * bins + 1e-9)
        counts[min(max(index, 0), bins - 1)] += 1
    width = maximum / bins
    return [HistogramBin(i * width, maximum if i == bins - 1 else (i + 1) * width, count,
                         last=i == bins - 1)
            for i, count in enumerate(counts)]


def summary(values: Sequence[float]) -> Summary:
    if not values:
        return Summary(0)
    return Summary(len(values), statistics.fmean(values), statistics.median(values),
                   statistics.pstdev(values), min(values), max(values))


def correlation(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Pearson's r; None with fewer than 3 pairs or when either variable does not vary."""
    if len(x) != len(y):
        raise ValueError("correlation needs pairs")
    n = len(x)
    if n < 3:
        return None
    mean_x, mean_y = math.fsum(x) / n, math.fsum(y) / n
    sxx = math.fsum((a - mean_x) ** 2 for a in x)
    syy = math.fsum((b - mean_y) ** 2 for b in y)
    if sxx <= _EPSILON * max(1.0, mean_x ** 2) * n or syy <= _EPSILON * max(1.0, mean_y ** 2) * n:
        return None
    sxy = math.fsum((a - mean_x) * (b - mean_y) for a, b in zip(x, y))
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def item_rest_correlation(fractions: Sequence[float], rest: Sequence[float]) -> float | None:
    """Discrimination of one question: r(fraction on the question, total on the others)."""
    return correlation(fractions, rest)


def flag_invalid(shares: Iterable[InvalidShare],
                 threshold: float = INVALID_SHARE_FLAG) -> list[InvalidShare]:
    """Parts where many answers could not be read: the question or its checker may be unclear."""
    return [s for s in shares if s.invalid and s.share >= threshold - 1e-12]
