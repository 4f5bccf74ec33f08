"""Class statistics: histogram, item analysis, common wrong answers, invalid shares, failures.

Also home of the small builders the batch-output tests share: a problem set and StudentResults
made by hand, with chosen part outcomes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from grader.batch.class_tally import class_stats, invalid_shares, question_stats, wrong_answers
from grader.batch.model import (
    BatchSubmission,
    LateResult,
    Override,
    StudentInfo,
    StudentResult,
)
from grader.batch.stats import (
    HistogramBin,
    InvalidShare,
    correlation,
    flag_invalid,
    histogram,
)
from grader.problemset.loader import ProblemSet
from grader.problemset.spec import Assignment, Part, Question
from grader.report.results import CaseRow, GradeReport, Outcome, PartResult, QuestionResult

# question id → {part name: points}
LAYOUT: dict[str, dict[str, float]] = {"1a": {"p1": 2}, "1b": {"p2": 1, "p3": 1}, "1c": {"p4": 2}}
TITLES = {"1a": "Fair die", "1b": "Two dice", "1c": "Expected value"}


def make_problem_set(layout: Mapping[str, Mapping[str, float]] = LAYOUT,
                     title: str = "Probability warm-up") -> ProblemSet:
    questions = tuple(
        Question(id=qid, title=TITLES.get(qid, f"Question {qid}"), prompt="…",
                 parts=[Part(name=name, points=points, checker={"kind": "boolean"})
                        for name, points in parts.items()])
        for qid, parts in layout.items())
    assignment = Assignment(title=title, slug="probability", questions=list(layout),
                            total_points=sum(q.points for q in questions), reference="ref.py")
    return ProblemSet(assignment, questions, Path("."), Path("."), "test")


Spec = Outcome | tuple[Outcome, float]


def make_result(student_id: str, outcomes: Mapping[str, Spec] | None = None, *,
                answers: Mapping[str, str] | None = None, mistakes: Mapping[str, str] | None = None,
                provisional: tuple[str, ...] = (), overrides: Mapping[str, float] | None = None,
                late: LateResult | None = None, name: str = "", email: str = "",
                source: str = "folder entry", grader_error: str | None = None,
                members: tuple[StudentInfo, ...] | None = None,
                layout: Mapping[str, Mapping[str, float]] = LAYOUT) -> StudentResult:
    """A StudentResult whose parts have the given outcomes (default: not answered).

    An outcome alone earns all the part's points if correct, else none; (outcome, earned) sets
    the points.
    """
    outcomes, answers, mistakes = outcomes or {}, answers or {}, mistakes or {}
    questions = []
    for qid, parts in layout.items():
        built = []
        for part, possible in parts.items():
            spec = outcomes.get(part, Outcome.NOT_ANSWERED)
            outcome, earned = spec if isinstance(spec, tuple) else (
                spec, possible if spec is Outcome.CORRECT else 0.0)
            built.append(PartResult(question=qid, name=part, kind="number", possible=possible,
                                    earned=earned, outcome=outcome, understood=answers.get(part),
                                    mistake=mistakes.get(part), provisional=part in provisional))
        questions.append(QuestionResult(qid, TITLES.get(qid, qid), qid[:1], tuple(built)))
    report = GradeReport(assignment="probability", title="Probability warm-up",
                         submission=f"{student_id}.py", questions=tuple(questions),
                         grader_error=grader_error)
    students = members or (StudentInfo(student_id, name, email),)
    submission = BatchSubmission(key=student_id, students=students, path=Path(f"{student_id}.py"),
                                 submitted_at=None, source=source)
    at = datetime(2026, 11, 21, tzinfo=UTC)
    return StudentResult(submission, report, late or LateResult.on_time(),
                         {part: Override(points, "ok", "ta", at)
                          for part, points in (overrides or {}).items()})


# W for wrong: a lone I reads as 1 or l.
C, W, P, X, N = Outcome.CORRECT, Outcome.INCORRECT, Outcome.PARTIAL, Outcome.INVALID, Outcome.NOT_ANSWERED


# --- histogram -----------------------------------------------------------------------------------

def test_histogram_bins_are_half_open_and_the_last_holds_full_marks() -> None:
    bins = histogram([0, 0.5, 0.6, 3, 5.99, 6, 6], maximum=6, bins=10)
    assert [b.count for b in bins] == [2, 1, 0, 0, 0, 1, 0, 0, 0, 3]
    assert bins[0] == HistogramBin(0, 0.6, 2)
    assert bins[-1].high == 6 and bins[-1].last
    assert sum(b.count for b in bins) == 7


def test_histogram_clamps_out_of_range_values() -> None:
    bins = histogram([-1, 7.5], maximum=6, bins=3)
    assert [b.count for b in bins] == [1, 0, 1]


def test_class_histogram_uses_totals_after_late_penalty() -> None:
    ps = make_problem_set()
    late = LateResult(late_by=datetime(2026, 1, 2) - datetime(2026, 1, 1), penalty=0.5,
                      past_cutoff=False, explanation="1 day late: −50 %")
    results = [make_result("1", {"p1": C, "p2": C, "p3": C, "p4": C}),          # 6
               make_result("2", {"p1": C, "p2": C, "p3": C, "p4": C}, late=late),  # 3
               make_result("3")]                                                  # 0
    stats = class_stats(results, ps)
    assert [b.count for b in stats.histogram] == [1, 0, 0, 0, 0, 1, 0, 0, 0, 1]
    assert stats.totals.mean == pytest.approx(3) and stats.totals.median == 3


# --- item analysis -------------------------------------------------------------------------------

DATASET = {  # part outcomes per student; partial credit given as (outcome, points)
    "s1": {"p1": C, "p2": C, "p3": C, "p4": C},
    "s2": {"p1": C, "p2": C, "p3": W, "p4": (P, 1.0)},
    "s3": {"p1": W, "p2": C, "p3": C, "p4": W},
    "s4": {"p1": (P, 0.5), "p2": W, "p3": W, "p4": W},
    "s5": {"p1": C, "p2": W, "p3": C, "p4": C},
    "s6": {"p1": W, "p2": W, "p3": W, "p4": (P, 0.5)},
}


def _dataset() -> list[StudentResult]:
    return [make_result(sid, outcomes) for sid, outcomes in DATASET.items()]


def test_point_biserial_matches_a_direct_numpy_computation() -> None:
    ps = make_problem_set()
    stats = {q.id: q for q in question_stats(_dataset(), ps)}
    # Points per student and question, written out by hand from DATASET.
    points = np.array([[2, 2, 2], [2, 1, 1], [0, 2, 0], [0.5, 0, 0], [2, 1, 2], [0, 0, 0.5]])
    possible = np.array([2, 2, 2])
    for j, qid in enumerate(["1a", "1b", "1c"]):
        fraction = points[:, j] / possible[j]
        rest = points.sum(axis=1) - points[:, j]
        expected = np.corrcoef(fraction, rest)[0, 1]
        assert stats[qid].discrimination == pytest.approx(expected, abs=1e-12)
        assert stats[qid].difficulty == pytest.approx(fraction.mean())
        assert stats[qid].mean == pytest.approx(points[:, j].mean())
        assert stats[qid].count == 6


def test_discrimination_is_none_without_variance_or_with_too_few_submissions() -> None:
    ps = make_problem_set()
    everyone_right_on_1a = [make_result(str(i), {"p1": C, "p2": C if i % 2 else W, "p4": C if i > 1 else W})
                            for i in range(4)]
    stats = {q.id: q for q in question_stats(everyone_right_on_1a, ps)}
    assert stats["1a"].discrimination is None and stats["1a"].difficulty == 1
    assert stats["1b"].discrimination is not None
    two = question_stats(_dataset()[:2], ps)
    assert all(q.discrimination is None for q in two)
    assert correlation([1, 1, 1], [1, 2, 3]) is None
    assert correlation([1, 2, 3], [5, 5, 5]) is None


def test_overrides_count_in_question_points() -> None:
    ps = make_problem_set()
    results = [make_result("a", {"p4": Outcome.NEEDS_REVIEW}, provisional=("p4",), overrides={"p4": 1.5}),
               make_result("b", {"p4": (Outcome.NEEDS_REVIEW, 2.0)}, provisional=("p4",))]
    stats = class_stats(results, ps)
    q1c = next(q for q in stats.questions if q.id == "1c")
    assert q1c.mean == pytest.approx((1.5 + 2.0) / 2)
    assert stats.pending_reviews == 1  # a's review is done
    assert [(p.question, p.part, p.count) for p in stats.pending_by_part] == [("1c", "p4", 1)]


# --- wrong answers -------------------------------------------------------------------------------

def test_most_common_wrong_answers_ordered_by_count_then_text_top_five() -> None:
    ps = make_problem_set()
    given = (["0.5"] * 3 + ["1"] * 2 + ["0.25"] * 2 + ["2", "3", "4"])
    results = [make_result(f"s{i}", {"p1": W}, answers={"p1": a},
                           mistakes={"p1": "0.5 is P(one die), not the question's"} if a == "0.5" else None)
               for i, a in enumerate(given)]
    results.append(make_result("partial", {"p1": (P, 1.0)}, answers={"p1": "1"}))
    results.append(make_result("right", {"p1": C}, answers={"p1": "1/6"}))
    results.append(make_result("unreadable", {"p1": X}, answers={"p1": "'one sixth'"}))
    parts = wrong_answers(results, ps)
    assert [(p.question, p.part) for p in parts] == [("1a", "p1")]
    p1 = parts[0]
    assert p1.wrong == 11
    # Ties in text order: "0.5" before "1"; "4" (the sixth) is left off.
    assert [(a.answer, a.count) for a in p1.answers] == [("0.5", 3), ("1", 3), ("0.25", 2), ("2", 1), ("3", 1)]
    assert p1.answers[0].mistake == "0.5 is P(one die), not the question's"
    assert p1.answers[1].mistake is None


def test_function_parts_list_their_wrong_results_by_the_anticipated_mistake_they_match() -> None:
    """A function's answer is its results (no single value to show): grouped by the mistake matched."""
    ps = make_problem_set()
    forward = "β_t is the variance of the forward step. The posterior's variance is smaller."
    results = [make_result(f"s{i}", {"p1": W}, mistakes={"p1": forward}) for i in range(3)]
    results.append(make_result("other", {"p1": W}))  # wrong in no anticipated way, no inputs to show
    [p1] = wrong_answers(results, ps)
    assert p1.wrong == 4
    assert [(a.answer, a.count, a.mistake) for a in p1.answers] == [
        ("a function with the results of: β_t is the variance of the forward step", 3, forward),
        ("(no value to show)", 1, None)]  # every wrong answer is counted in some row


def test_function_parts_list_what_they_returned_at_the_problem_sets_inputs() -> None:
    ps = make_problem_set()
    cases = (CaseRow("z=1", "0.24", "0.48", False), CaseRow("z=2", "0.05", "0.11", False),
             CaseRow("z=0.3", "0.4", "0.8", False, hidden=True), CaseRow("z=0", "0.4", "0.8", False, boundary=True))
    results = [replace(r, report=replace(r.report, questions=tuple(
        replace(q, parts=tuple(replace(p, cases=cases) for p in q.parts)) for q in r.report.questions)))
        for r in [make_result(f"s{i}", {"p1": W}) for i in range(2)]]
    [p1] = wrong_answers(results, ps)
    assert [(a.answer, a.count) for a in p1.answers] == [("z=1 → 0.24; z=2 → 0.05", 2)]  # no hidden input


# --- invalid answers -----------------------------------------------------------------------------

def test_invalid_share_is_over_the_answers_received_and_flags_at_20_percent() -> None:
    ps = make_problem_set()
    # p1: 1 invalid of 5 received (20 %, flagged); p2: 1 of 6 (16.7 %, not flagged).
    # Not answered, raised and timed out do not count as received.
    p1 = [X, C, C, W, P, N, Outcome.RAISED, Outcome.TIMED_OUT]
    p2 = [X, C, C, C, W, W, N, N]
    results = [make_result(str(i), {"p1": a if a is not P else (P, 1.0), "p2": b})
               for i, (a, b) in enumerate(zip(p1, p2))]
    shares = {s.part: s for s in invalid_shares(results, ps)}
    assert (shares["p1"].invalid, shares["p1"].answered) == (1, 5)
    assert (shares["p2"].invalid, shares["p2"].answered) == (1, 6)
    assert "p4" not in shares  # nobody answered it
    assert [s.part for s in flag_invalid(shares.values())] == ["p1"]
    assert [s.part for s in class_stats(results, ps).flagged_invalid] == ["p1"]
    assert flag_invalid([InvalidShare("1a", "p1", 0, 0)]) == []


# --- failures ------------------------------------------------------------------------------------

def test_failures_are_counted_and_grader_errors_kept_out_of_scores() -> None:
    ps = make_problem_set()
    results = [make_result("ok", {"p1": C, "p2": Outcome.RAISED, "p3": Outcome.TIMED_OUT, "p4": C}),
               make_result("slow", {"p1": Outcome.TIMED_OUT}),
               make_result("broken", {"p1": Outcome.GRADER_ERROR}, grader_error="sandbox died")]
    stats = class_stats(results, ps)
    f = stats.failures
    assert (f.raised, f.timed_out, f.grader_error) == (1, 2, 1)
    assert f.grader_error_submissions == ("broken",)
    assert stats.submissions == 3 and stats.scored == 2
    assert sum(b.count for b in stats.histogram) == 2
    assert stats.totals.mean == pytest.approx(2)


def test_empty_class() -> None:
    stats = class_stats([], make_problem_set())
    assert stats.submissions == 0 and stats.totals.mean is None
    assert all(q.mean is None and q.discrimination is None for q in stats.questions)
    assert sum(b.count for b in stats.histogram) == 0
