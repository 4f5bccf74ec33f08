"""grader.batch.variant_fairness: the dashboard's per-variant means and trends."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from grader.batch.model import BatchSubmission, StudentInfo
from grader.batch.variant_fairness import variant_fairness
from grader.problemset.loader import load_problem_set
from grader.problemset.spec import Assignment
from grader.problemset.variants import parameters_for

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Scored:  # what the dashboard reads of a StudentResult
    submission: BatchSubmission
    earned_before_penalty: float


def probability(policy: str, choices: list[int]):
    problem_set = load_problem_set(ROOT / "problems" / "probability", ROOT)
    data = problem_set.assignment.model_dump()
    data["variation"] = {"sides": {"choices": choices}}
    data["policies"]["variants"] = policy
    return replace(problem_set, assignment=Assignment.model_validate(data))


def scored(problem_set, students: int, score) -> list[Scored]:
    results = []
    for n in range(students):
        sid = f"s{n}"
        sides = parameters_for(problem_set.assignment, sid)["sides"]
        submission = BatchSubmission(sid, (StudentInfo(sid),), Path(f"{sid}.py"), None, sid)
        results.append(Scored(submission, score(sides, n)))
    return results


def test_a_variant_whose_students_score_markedly_lower_is_flagged_and_its_number_trends():
    problem_set = probability("per_student", [4, 6, 8, 10])
    results = scored(problem_set, 120, lambda sides, n: (2.0 if sides == 10 else 5.0) + (n % 3) * 0.5)
    fairness = variant_fairness(results, problem_set)
    assert fairness is not None and fairness.count == 4
    flagged = {row.values for row in fairness.variants if row.harder}
    assert flagged == {"sides = 10"}
    assert sum(row.students for row in fairness.variants) == 120
    (trend,) = fairness.trends
    assert trend.parameter == "sides" and trend.flagged and trend.correlation < -0.3


def test_variants_that_score_alike_are_not_flagged():
    problem_set = probability("per_student", [4, 6, 8, 10])
    fairness = variant_fairness(scored(problem_set, 120, lambda sides, n: 3.0 + (n % 5) * 0.5), problem_set)
    assert fairness is not None and not any(row.harder for row in fairness.variants)
    assert not any(t.flagged for t in fairness.trends)


def test_no_fairness_section_when_everyone_has_the_documents_numbers():
    problem_set = probability("document", [4, 6])
    assert variant_fairness(scored(problem_set, 10, lambda sides, n: 3.0), problem_set) is None
