"""Calibration after a review round: how the provisional free-text scores agreed with the points
course staff gave, part by part — so that staff see which rubrics to improve first.

`grade review stats` prints, per free-text part with reviewed answers: how many were reviewed,
how often the suggestion was exactly the final points, how often within half a point, the mean
absolute difference and its direction (a rubric that suggests too much, or too little).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from grader.batch.model import Override
from grader.report.results import GradeReport

AGREE = 1e-9


@dataclass(frozen=True)
class PartCalibration:
    part: str
    question: str
    possible: float
    reviewed: int
    exact: int
    """Suggestion equal to the staff's points."""
    within_half: int
    mean_abs_diff: float
    mean_diff: float
    """Suggested minus final, on average: positive when the rubric suggests too much."""


def calibration(reviews: Iterable[tuple[GradeReport, dict[str, Override]]]) -> list[PartCalibration]:
    """Per free-text part (in the order parts appear), from each stored report (its provisional
    scores) with the overrides staff gave that submission."""
    pairs: dict[str, list[tuple[float, float]]] = {}
    about: dict[str, tuple[str, float]] = {}
    for report, overrides in reviews:
        for part in report.parts:
            if part.kind != "free_text" or not part.provisional or part.name not in overrides:
                continue
            pairs.setdefault(part.name, []).append((part.earned, overrides[part.name].points))
            about[part.name] = (part.question, part.possible)
    out = []
    for name, scores in pairs.items():
        diffs = [suggested - final for suggested, final in scores]
        out.append(PartCalibration(
            part=name, question=about[name][0], possible=about[name][1], reviewed=len(scores),
            exact=sum(abs(d) <= AGREE for d in diffs), within_half=sum(abs(d) <= 0.5 + AGREE for d in diffs),
            mean_abs_diff=sum(abs(d) for d in diffs) / len(diffs), mean_diff=sum(diffs) / len(diffs)))
    return out


def calibration_table(rows: Sequence[PartCalibration]) -> str:
    """A plain-text table, worst-agreeing parts first."""
    if not rows:
        return "No reviewed free-text answers yet: import a review sheet first (grade review import)."
    header = f"{'part':<12} {'reviewed':>8} {'exact':>7} {'±0.5 pt':>8} {'mean |diff|':>12}  tends to"
    lines = [header, "-" * len(header)]
    for row in sorted(rows, key=lambda r: (-r.mean_abs_diff / (r.possible or 1), r.part)):
        tends = ("suggest too much" if row.mean_diff > 0.25 else "suggest too little" if row.mean_diff < -0.25
                 else "agree on average")
        lines.append(f"{row.part:<12} {row.reviewed:>8} {100 * row.exact / row.reviewed:>6.0f}% "
                     f"{100 * row.within_half / row.reviewed:>7.0f}% {row.mean_abs_diff:>9.2f} pt  {tends}")
    total = sum(r.reviewed for r in rows)
    exact = sum(r.exact for r in rows)
    within = sum(r.within_half for r in rows)
    lines.append(f"{'all':<12} {total:>8} {100 * exact / total:>6.0f}% {100 * within / total:>7.0f}%")
    return "\n".join(lines)
