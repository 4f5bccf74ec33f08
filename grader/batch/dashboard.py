"""`summary.html`: a self-contained class dashboard (inline CSS and SVG, no scripts, no network).

Built only through a Jinja2 template with autoescaping, like the student reports: answers, names
and messages reach the page escaped. The histogram's geometry is computed here as plain numbers
(`histogram_chart`); the template draws it. Never build markup here with string formatting.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader

from grader.batch.class_tally import MAX_DISTINCT_WRONG, ClassTally
from grader.batch.model import InputProblem, StudentInfo, StudentResult
from grader.batch.stats import INVALID_SHARE_FLAG, HistogramBin
from grader.batch.variant_fairness import MIN_FOR_TREND, TREND_FLAG, FairnessTally
from grader.problemset.loader import ProblemSet
from grader.report.render import common, mathtext
from grader.report.results import Outcome

TEMPLATE = "summary.html.j2"
SMALL_CLASS = 30
"""Below this many graded submissions, item statistics come with a note that they are rough."""
LOW_DISCRIMINATION = 0.2
"""Below this item–rest correlation a question barely separates strong from weak submissions."""


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    count: int
    label: str
    """The score range, e.g. "3–3.6" (the last bin includes full marks)."""


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class Chart:
    width: float
    height: float
    left: float
    top: float
    plot_width: float
    plot_height: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    x_labels: tuple[tuple[float, str], ...]
    """(x, text) under the bin edges."""

    @property
    def baseline(self) -> float:
        return self.top + self.plot_height


def _y_ticks(peak: int) -> list[int]:
    if peak <= 0:
        return [0]
    step = 1
    while peak / step > 5:
        step = step * 2 if str(step)[0] in "15" else step * 5 // 2
    return list(range(0, peak + step, step)) if peak % step else list(range(0, peak + 1, step))


def histogram_chart(bins: Sequence[HistogramBin], width: float = 640, height: float = 240,
                    left: float = 40, right: float = 12, top: float = 20,
                    bottom: float = 36) -> Chart:
    """Bar positions (SVG user units) for the score histogram: numbers only, for the template."""
    plot_width, plot_height = width - left - right, height - top - bottom
    ticks = _y_ticks(max((b.count for b in bins), default=0))
    scale_max = max(ticks[-1], 1)
    slot = plot_width / max(len(bins), 1)
    gap = min(4.0, slot * 0.15)
    bars = []
    for i, b in enumerate(bins):
        h = plot_height * b.count / scale_max
        bars.append(Bar(round(left + i * slot + gap / 2, 2), round(top + plot_height - h, 2),
                        round(slot - gap, 2), round(h, 2), b.count,
                        f"{common.points(b.low)}–{common.points(b.high)}"))
    edges = [(round(left + i * slot, 2), common.points(b.low)) for i, b in enumerate(bins)]
    if bins:
        edges.append((round(left + len(bins) * slot, 2), common.points(bins[-1].high)))
    return Chart(width, height, left, top, plot_width, plot_height, tuple(bars),
                 tuple(Tick(round(top + plot_height - plot_height * t / scale_max, 2), t)
                       for t in ticks),
                 tuple(edges))


@dataclass(frozen=True)
class StudentRow:
    """One submission in the dashboard's table of students."""

    key: str
    names: str
    total: float
    possible: float
    late: str
    """The late policy's sentence ("on time", "2 days late: −20 %")."""
    pending: int
    """Free-text parts still provisional (no review yet)."""
    problems: int
    """Parts that raised, timed out or could not be checked (grader error)."""
    report: str
    """The student's report, relative to the dashboard."""


PROBLEM_OUTCOMES = (Outcome.RAISED, Outcome.TIMED_OUT, Outcome.GRADER_ERROR)
STUDENT_TABLE_LIMIT = 1000
"""Rows per order in the table of students: a MOOC's dashboard stays a page (gradebook.csv has all)."""


def student_row(r: StudentResult, with_report: bool = True) -> StudentRow:
    names = ", ".join(s.name or s.id for s in r.submission.students) or r.submission.key
    return StudentRow(
        r.submission.key, names, r.total, r.report.possible, r.late.explanation,
        sum(p.provisional and p.name not in r.overrides for p in r.report.parts),
        sum(p.outcome in PROBLEM_OUTCOMES for p in r.report.parts),
        f"students/{r.submission.key}/report.html" if with_report else "")


@dataclass(frozen=True)
class StudentOrder:
    key: str
    label: str
    rows: tuple[StudentRow, ...]


def _lowest(r: StudentRow) -> tuple[float, str, str]:
    return (r.total, r.names.casefold(), r.key)


# The orders a TA sorts the table by (the page has no script to sort); ties in the lowest-first order.
ORDERS: tuple[tuple[str, str, Callable[[StudentRow], tuple[Any, ...]]], ...] = (
    ("lowest", "lowest total first", _lowest),
    ("name", "by name", lambda r: (r.names.casefold(), r.key)),
    ("pending", "most pending reviews first", lambda r: (-r.pending, *_lowest(r))),
    ("failed", "most failed parts first", lambda r: (-r.problems, *_lowest(r))),
)


class StudentTable:
    """The first `limit` rows of each order, kept while the class streams past."""

    def __init__(self, limit: int = STUDENT_TABLE_LIMIT):
        self.limit = limit
        self.count = 0
        self._kept: list[list[StudentRow]] = [[] for _ in ORDERS]

    def add(self, row: StudentRow) -> None:
        self.count += 1
        for kept, (_, _, key) in zip(self._kept, ORDERS):
            kept.append(row)
            if len(kept) >= 2 * self.limit:  # cut back now and then: n log(limit) in all
                kept.sort(key=key)
                del kept[self.limit:]

    def orders(self) -> list[StudentOrder]:
        return [StudentOrder(name, label, tuple(sorted(kept, key=key)[:self.limit]))
                for kept, (name, label, key) in zip(self._kept, ORDERS)]


@dataclass(frozen=True)
class SectionRow:
    section: str
    title: str
    possible: float
    mean: float | None
    """Mean points over the submissions the grader did not fail on (None: there are none)."""


class SectionTally:
    """Per section of the problem set: the points possible and the class's mean."""

    def __init__(self) -> None:
        self.order: dict[str, tuple[str, float]] = {}
        self.order_unscored: dict[str, tuple[str, float]] = {}
        self.earned: dict[str, array[float]] = {}

    def add(self, result: StudentResult) -> None:
        scored = not result.report.grader_error
        for t in result.report.section_totals():
            (self.order if scored else self.order_unscored).setdefault(t.section, (t.title, t.possible))
            if scored:
                self.earned.setdefault(t.section, array("d")).append(t.earned)

    def rows(self) -> list[SectionRow]:
        return [SectionRow(section, title, possible,
                           sum(self.earned[section]) / len(self.earned[section]) if self.earned.get(section) else None)
                for section, (title, possible) in (self.order or self.order_unscored).items()]


def section_rows(results: Iterable[StudentResult]) -> list[SectionRow]:
    tally = SectionTally()
    for result in results:
        tally.add(result)
    return tally.rows()


class DashboardTally:
    """Everything the dashboard shows, gathered one submission at a time (see class_tally.py)."""

    def __init__(self, problem_set: ProblemSet, emails: Mapping[str, str] | None = None,
                 with_reports: bool = True):
        self.problem_set = problem_set
        self.with_reports = with_reports
        self.stats = ClassTally(problem_set)
        self.students = StudentTable()
        self.sections = SectionTally()
        self.fairness = FairnessTally(problem_set, emails)

    def add(self, result: StudentResult) -> None:
        self.stats.add(result)
        self.students.add(student_row(result, self.with_reports))
        self.sections.add(result)
        self.fairness.add(result)

    def render(self, missing: Sequence[StudentInfo], input_problems: Sequence[InputProblem],
               failures: Sequence[str]) -> str:
        stats = self.stats.stats()
        orders = self.students.orders()
        return environment().get_template(TEMPLATE).render(
            assignment=self.problem_set.assignment, stats=stats, chart=histogram_chart(stats.histogram),
            students=orders[0].rows, students_total=self.students.count, student_orders=orders,
            with_reports=self.with_reports, sections=self.sections.rows(),
            wrong_answers_truncated=self.stats.wrong_answers_truncated(),
            missing=sorted(missing, key=lambda s: (s.name.casefold(), s.id)),
            input_problems=list(input_problems), failures=list(failures),
            fairness=self.fairness.fairness(), MIN_FOR_TREND=MIN_FOR_TREND, TREND_FLAG=TREND_FLAG,
        )


def percent(fraction: float | None) -> str:
    return "—" if fraction is None else f"{round(100 * fraction, 1):g} %"


def correlation(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f}"


def amount(value: float | None) -> str:
    """A class statistic, to one decimal (a mean of 30.54 points reads as 30.5)."""
    return "—" if value is None else f"{round(value, 1) + 0.0:g}"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("grader.batch", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals.update(points=common.points, score=common.score, amount=amount, percent=percent,
                       correlation=correlation, LOW_DISCRIMINATION=LOW_DISCRIMINATION, SMALL_CLASS=SMALL_CLASS,
                       INVALID_SHARE_FLAG=INVALID_SHARE_FLAG, MAX_DISTINCT_WRONG=MAX_DISTINCT_WRONG,
                       math=mathtext.html)
    return env


def render_summary(results: Iterable[StudentResult], problem_set: ProblemSet,
                   missing: Sequence[StudentInfo], input_problems: Sequence[InputProblem],
                   failures: Sequence[str], emails: Mapping[str, str] | None = None) -> str:
    """The class dashboard as one HTML page, from the whole class at once (`emails`: the roster's,
    id → email, whose variants a batch graded against)."""
    tally = DashboardTally(problem_set, emails)
    for result in results:
        tally.add(result)
    return tally.render(missing, input_problems, failures)
