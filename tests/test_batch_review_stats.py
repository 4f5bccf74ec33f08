"""grader.batch.review_stats: provisional scores against the staff's final points, per part."""

from __future__ import annotations

from datetime import UTC, datetime

from grader.batch.model import Override
from grader.batch.review_stats import calibration, calibration_table
from grader.report.results import GradeReport, Outcome, PartResult, QuestionResult

NOW = datetime(2026, 12, 6, tzinfo=UTC)


def report(suggested: dict[str, float]) -> GradeReport:
    parts = tuple(PartResult("3", name, "free_text", 2, points, Outcome.NEEDS_REVIEW, provisional=True)
                  for name, points in suggested.items())
    number = PartResult("1", "q1", "number", 1, 1, Outcome.CORRECT)
    questions = (QuestionResult("1", "", "1", (number,)), QuestionResult("3", "", "3", parts))
    return GradeReport("ps", "PS", "s.py", questions)


def review(**points: float) -> dict[str, Override]:
    return {name: Override(p, "", "ta", NOW) for name, p in points.items()}


def test_agreement_per_part_counts_only_reviewed_free_text():
    rows = calibration([
        (report({"q3a": 2, "q3b": 1}), review(q3a=2, q3b=0, q1=0)),
        (report({"q3a": 1, "q3b": 2}), review(q3a=1.5)),  # q3b not reviewed yet
        (report({"q3a": 2, "q3b": 0}), review(q3a=0, q3b=0)),
    ])
    by_part = {r.part: r for r in rows}
    assert set(by_part) == {"q3a", "q3b"}
    q3a = by_part["q3a"]
    assert (q3a.reviewed, q3a.exact, q3a.within_half) == (3, 1, 2)
    assert abs(q3a.mean_abs_diff - 2.5 / 3) < 1e-9 and abs(q3a.mean_diff - 1.5 / 3) < 1e-9
    assert (by_part["q3b"].reviewed, by_part["q3b"].exact, by_part["q3b"].mean_diff) == (2, 1, 0.5)


def test_table_lists_the_worst_part_first_and_says_which_way_it_errs():
    rows = calibration([(report({"q3a": 2, "q3b": 1}), review(q3a=0, q3b=1))])
    lines = calibration_table(rows).splitlines()
    assert lines[2].startswith("q3a") and "suggest too much" in lines[2]
    assert lines[3].startswith("q3b") and "agree on average" in lines[3]
    assert lines[-1].startswith("all")


def test_nothing_reviewed_says_what_to_do():
    assert "grade review import" in calibration_table(calibration([(report({"q3a": 1}), {})]))
