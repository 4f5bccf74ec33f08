"""`summary.html`: a self-contained class dashboard (inline CSS and SVG, no scripts, no network).

Built only through a Jinja2 template with autoescaping, like the student reports: answers, names
and messages reach the page escaped. The histogram's geometry is computed here as plain numbers
(`histogram_chart`); the template draws it. Never build markup here with string formatting.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import Environment, PackageLoader

from grader.batch.model import InputProblem, StudentInfo, StudentResult
from grader.batch.stats import INVALID_SHARE_FLAG, ClassStats, HistogramBin, class_stats
from grader.batch.variant_fairness import MIN_FOR_TREND, TREND_FLAG, variant_fairness
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


def student_rows(results: Sequence[StudentResult]) -> list[StudentRow]:
    """The class as the TA acts on it: lowest totals first (then by name)."""
    rows = []
    for r in results:
        names = ", ".join(s.name or s.id for s in r.submission.students) or r.submission.key
        rows.append(StudentRow(
            r.submission.key, names, r.total, r.report.possible, r.late.explanation,
            sum(p.provisional and p.name not in r.overrides for p in r.report.parts),
            sum(p.outcome in PROBLEM_OUTCOMES for p in r.report.parts),
            f"students/{r.submission.key}/report.html"))
    return sorted(rows, key=lambda row: (row.total, row.names.casefold(), row.key))


@dataclass(frozen=True)
class StudentOrder:
    key: str
    label: str
    rows: tuple[StudentRow, ...]


def student_orders(rows: Sequence[StudentRow]) -> list[StudentOrder]:
    """The table of students in each order a TA sorts it by (the page has no script to sort)."""
    return [
        StudentOrder("lowest", "lowest total first", tuple(rows)),
        StudentOrder("name", "by name", tuple(sorted(rows, key=lambda r: (r.names.casefold(), r.key)))),
        StudentOrder("pending", "most pending reviews first", tuple(sorted(rows, key=lambda r: -r.pending))),
        StudentOrder("failed", "most failed parts first", tuple(sorted(rows, key=lambda r: -r.problems))),
    ]


@dataclass(frozen=True)
class SectionRow:
    section: str
    title: str
    possible: float
    mean: float | None
    """Mean points over the submissions the grader did not fail on (None: there are none)."""


def section_rows(results: Sequence[StudentResult]) -> list[SectionRow]:
    """Per section of the problem set: the points possible and the class's mean."""
    scored = [r for r in results if not r.report.grader_error]
    order: dict[str, tuple[str, float]] = {}
    earned: dict[str, list[float]] = {}
    for r in scored or results:
        for t in r.report.section_totals():
            order.setdefault(t.section, (t.title, t.possible))
            if r in scored:
                earned.setdefault(t.section, []).append(t.earned)
    return [SectionRow(section, title, possible,
                       sum(earned[section]) / len(earned[section]) if earned.get(section) else None)
            for section, (title, possible) in order.items()]


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
                       INVALID_SHARE_FLAG=INVALID_SHARE_FLAG, math=mathtext.html)
    return env


def render_summary(results: Sequence[StudentResult], problem_set: ProblemSet,
                   missing: Sequence[StudentInfo], input_problems: Sequence[InputProblem],
                   failures: Sequence[str], stats: ClassStats | None = None,
                   emails: Mapping[str, str] | None = None) -> str:
    """The class dashboard as one HTML page (pass `stats` if already computed; `emails`: the
    roster's, id → email, whose variants a batch graded against)."""
    stats = stats or class_stats(results, problem_set)
    rows = student_rows(results)
    return environment().get_template(TEMPLATE).render(
        assignment=problem_set.assignment, stats=stats, chart=histogram_chart(stats.histogram),
        students=rows, student_orders=student_orders(rows), sections=section_rows(results),
        missing=sorted(missing, key=lambda s: (s.name.casefold(), s.id)),
        input_problems=list(input_problems), failures=list(failures),
        fairness=variant_fairness(results, problem_set, emails), MIN_FOR_TREND=MIN_FOR_TREND, TREND_FLAG=TREND_FLAG,
    )
