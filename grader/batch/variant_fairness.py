"""Fairness across variants for the dashboard: is some student's set of numbers harder than another's?

Two views, because a class of 200 may have 200 variants of one student each:
- per variant (the largest first): students, mean and spread; flagged where its mean is more than
  two standard errors (class spread / √students) below the class mean, with at least 3 students;
- per varied number: the correlation of its value with the score across the class; flagged from
  |r| ≥ 0.3 with at least 30 students (e.g. "a higher threshold goes with lower scores").
Scores are before any late penalty: the question is about the numbers, not lateness.
"""

from __future__ import annotations

import statistics
from array import array
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from grader.batch.model import StudentResult
from grader.batch.variants import submission_identity
from grader.problemset.loader import ProblemSet
from grader.problemset.placeholders import show_value
from grader.problemset.variants import parameters_for, variant_label

SHOWN = 20
MIN_FOR_VARIANT_FLAG = 3
MIN_FOR_TREND = 30
TREND_FLAG = 0.3


@dataclass(frozen=True)
class VariantRow:
    label: str
    values: str
    students: int
    mean: float
    spread: float | None
    harder: bool


@dataclass(frozen=True)
class Trend:
    parameter: str
    correlation: float | None
    flagged: bool


@dataclass(frozen=True)
class Fairness:
    variants: tuple[VariantRow, ...]
    """The largest variants, at most SHOWN."""
    count: int
    """How many variants the class has."""
    trends: tuple[Trend, ...]
    class_mean: float


def _numbers(name: str, value: object) -> list[tuple[str, float]]:
    if isinstance(value, bool):
        return []
    if isinstance(value, (int, float)):
        return [(name, float(value))]
    if isinstance(value, list):
        return [pair for i, v in enumerate(value) for pair in _numbers(f"{name}[{i}]", v)]
    return []


class FairnessTally:
    """The scores by variant and by varied number, one submission at a time (8 bytes a number)."""

    def __init__(self, problem_set: ProblemSet, emails: Mapping[str, str] | None = None):
        self.assignment = problem_set.assignment
        self.emails = emails
        self.active = self.assignment.policies.variants == "per_student" and bool(self.assignment.variation)
        self.groups: dict[str, array[float]] = {}
        self.shown: dict[str, str] = {}
        self.columns: dict[str, tuple[array[float], array[float]]] = {}
        self.scores = array("d")

    def add(self, result: StudentResult) -> None:
        if not self.active:
            return
        assignment = self.assignment
        values = parameters_for(assignment, submission_identity(result.submission, self.emails))
        label = variant_label(assignment, values)
        score = result.earned_before_penalty
        self.scores.append(score)
        self.groups.setdefault(label, array("d")).append(score)
        if label not in self.shown:
            self.shown[label] = ", ".join(f"{n} = {show_value(values[n])}" for n in sorted(assignment.variation))
        for name in sorted(assignment.variation):
            for column, number in _numbers(name, values[name]):
                xs, ys = self.columns.setdefault(column, (array("d"), array("d")))
                xs.append(number)
                ys.append(score)

    def fairness(self) -> Fairness | None:
        """None unless the set grades each student against their own numbers (and someone was graded)."""
        if not self.active or not self.scores:
            return None
        scores = self.scores
        mean = statistics.fmean(scores)
        spread = statistics.pstdev(scores) if len(scores) > 1 else 0.0
        rows = []
        for label, members in sorted(self.groups.items(), key=lambda item: (-len(item[1]), item[0]))[:SHOWN]:
            own = statistics.fmean(members)
            harder = (len(members) >= MIN_FOR_VARIANT_FLAG and spread > 0
                      and own < mean - 2 * spread / len(members) ** 0.5)
            rows.append(VariantRow(label, self.shown[label], len(members), own,
                                   statistics.stdev(members) if len(members) > 1 else None, harder))
        trends = []
        for column, (xs, ys) in self.columns.items():
            try:
                r = statistics.correlation(xs, ys)
            except statistics.StatisticsError:  # the value (or the score) is the same for everyone
                r = None
            trends.append(Trend(column, r, r is not None and len(xs) >= MIN_FOR_TREND and abs(r) >= TREND_FLAG))
        return Fairness(tuple(rows), len(self.groups), tuple(trends), mean)


def variant_fairness(results: Iterable[StudentResult], problem_set: ProblemSet,
                     emails: Mapping[str, str] | None = None) -> Fairness | None:
    """The whole class at once (`emails`: the roster's, id → email)."""
    tally = FairnessTally(problem_set, emails)
    for result in results:
        tally.add(result)
    return tally.fairness()
