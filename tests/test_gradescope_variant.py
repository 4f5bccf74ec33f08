"""The Gradescope autograder grades each student against their own variant, picked from
submission_metadata.json (gradescope/run.py: _variant_identity; gradescope/worker.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from grader.gradescope.metadata import Metadata, Student
from grader.gradescope.run import _variant_identity
from grader.gradescope.worker import grade_job
from grader.problemset.loader import load_problem_set
from grader.problemset.variants import parameters_for

ROOT = Path(__file__).resolve().parent.parent


def test_the_variant_is_the_first_submitters_by_email():
    group = Metadata(students=(Student("123", "Ann", "Ann@Example.EDU"), Student("456", "Bob", "bob@example.edu")))
    assert _variant_identity(group) == "ann@example.edu"
    assert _variant_identity(Metadata(students=(Student("123", "Ann", ""),))) == "123"
    assert _variant_identity(Metadata()) is None


def test_the_worker_grades_against_the_metadatas_student(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(ROOT / "problems" / "probability", course / "problems" / "probability")
    (course / "solutions").mkdir()
    shutil.copy(ROOT / "solutions" / "probability.py", course / "solutions")
    spec = course / "problems" / "probability" / "assignment.yaml"
    spec.write_text(spec.read_text().replace(
        "policies:", "variation:\n  sides: {choices: [4, 8]}\npolicies:\n  variants: per_student"))
    assignment = load_problem_set(course / "problems" / "probability", course).assignment
    emails = (f"s{n}@example.edu" for n in range(100))
    email = next(e for e in emails if parameters_for(assignment, e)["sides"] == 8)
    answers = tmp_path / "answers.py"
    answers.write_text("p1a = 4.5\n")  # the mean of an eight-sided die

    def p1a(student: str | None) -> float:
        result = grade_job({"course": str(course), "assignment": "probability", "submission": str(answers),
                            "isolation": "process", "student": student})
        assert result["kind"] == "report", result
        return next(p["earned"] for q in result["report"]["questions"] for p in q["parts"] if p["name"] == "p1a")

    assert p1a(email) == 2
    assert p1a(None) == 0  # the document's die has six sides
