"""grader.batch.variants: in a batch, each student is graded against their own numbers."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from grader.batch.executor import LocalExecutor
from grader.batch.run import run_batch
from grader.batch.store import Gradebook
from grader.problemset.loader import load_problem_set
from grader.problemset.variants import parameters_for
from grader.sandbox import levels

ROOT = Path(__file__).resolve().parent.parent
CLASS_SIZE = 200
P1B = '"-(x-mu)**2/(2*sigma**2) - log(sigma) - log(2*pi)/2"'


def make_course(tmp_path: Path, policy: str) -> Path:
    course = tmp_path / "course"
    shutil.copytree(ROOT / "problems" / "probability", course / "problems" / "probability")
    (course / "solutions").mkdir()
    shutil.copy(ROOT / "solutions" / "probability.py", course / "solutions")
    spec = course / "problems" / "probability" / "assignment.yaml"
    spec.write_text(spec.read_text().replace(
        "policies:", f"variation:\n  sides: {{integer: [4, 40]}}\npolicies:\n  variants: {policy}"))
    return course


def answers(sides: int) -> str:
    return f"p1a = {(sides + 1) / 2!r}\np1b = {P1B}\np1c = False\n"


def grade(course: Path, folder: Path, out: Path):
    problem_set = load_problem_set(course / "problems" / "probability", course)
    return run_batch(problem_set, folder, out, levels.choose("process"),
                     LocalExecutor(2, warm_python=sys.executable), student_reports=("html", "json"))


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory: pytest.TempPathFactory):
    """200 students, each with the right answers for their own die, and one who copied the
    document's (a six-sided die's mean)."""
    tmp_path = tmp_path_factory.mktemp("variants")
    course = make_course(tmp_path, "per_student")
    assignment = load_problem_set(course / "problems" / "probability", course).assignment
    folder = tmp_path / "submissions"
    folder.mkdir()
    sides = {}
    for n in range(CLASS_SIZE):
        student = f"s{n:03d}"
        sides[student] = parameters_for(assignment, student)["sides"]
        (folder / f"{student}.py").write_text(answers(sides[student]))
    copier = next(f"c{n}" for n in range(100) if parameters_for(assignment, f"c{n}")["sides"] != 6)
    (folder / f"{copier}.py").write_text(answers(6))
    out = tmp_path / "out"
    summary = grade(course, folder, out)
    return course, folder, out, summary, sides, copier


def test_every_student_answering_their_own_numbers_scores_full(graded_class):
    _, _, out, summary, sides, _ = graded_class
    assert summary.graded == CLASS_SIZE + 1 and not summary.failures
    assert len(set(sides.values())) > 20  # many variants, not one
    with Gradebook(out / "gradebook.sqlite") as book:
        assert all(book.get(student).earned == 6 for student in sides)


def test_the_documents_answers_from_another_variant_score_0_with_a_targeted_message(graded_class):
    _, _, out, _, _, copier = graded_class
    report = json.loads((out / "students" / copier / "report.json").read_text())
    p1a = next(p for p in report["parts"] if p["name"] == "p1a")
    assert p1a["earned"] == 0 and p1a["outcome"] == "incorrect"
    assert "right answer for different numbers (sides = 6)" in p1a["mistake"]
    assert "check the numbers in your handout" in p1a["mistake"]
    assert next(p for p in report["parts"] if p["name"] == "p1b")["earned"] == 3  # no numbers in it


def test_a_student_reads_their_own_numbers_in_the_report(graded_class):
    _, _, out, _, sides, _ = graded_class
    report = json.loads((out / "students" / "s007" / "report.json").read_text())
    assert f"faces 1, 2, ..., {sides['s007']}." in json.dumps(report, ensure_ascii=False)


def test_a_rerun_reuses_every_grade_and_every_variants_reference(graded_class, monkeypatch):
    course, folder, out, _, _, _ = graded_class

    def no_reference_run(*args, **kwargs):
        raise AssertionError("a cached variant's reference ran again")

    monkeypatch.setattr("grader.batch.variants.compute_reference", no_reference_run)
    summary = grade(course, folder, out)
    assert summary.reused == CLASS_SIZE + 1 and summary.graded == 0


def test_with_the_document_policy_everyone_is_graded_against_the_documents_numbers(tmp_path):
    course = make_course(tmp_path, "document")
    folder = tmp_path / "submissions"
    folder.mkdir()
    for student in ("ann", "bob", "cat"):
        (folder / f"{student}.py").write_text(answers(6))
    out = tmp_path / "out"
    grade(course, folder, out)
    with Gradebook(out / "gradebook.sqlite") as book:
        assert [book.get(s).earned for s in ("ann", "bob", "cat")] == [6, 6, 6]


def test_the_dashboard_shows_the_variants(graded_class):
    _, _, out, _, sides, _ = graded_class
    page = (out / "summary.html").read_text()
    assert '<section id="variants">' in page
    assert f"{len(set(sides.values()))} variants in this class" in page


def test_a_platform_with_ids_only_takes_the_email_from_the_roster(tmp_path):
    """Canvas and folders give ids; the handouts were drawn from the roster's emails."""
    course = make_course(tmp_path, "per_student")
    assignment = load_problem_set(course / "problems" / "probability", course).assignment
    by_id = parameters_for(assignment, "1002")["sides"]
    email = next(f"s{n}@example.edu" for n in range(100)
                 if parameters_for(assignment, f"s{n}@example.edu")["sides"] != by_id)
    folder = tmp_path / "submissions"
    folder.mkdir()
    (folder / "1002.py").write_text(answers(parameters_for(assignment, email)["sides"]))
    roster = tmp_path / "roster.csv"
    roster.write_text(f"id,name,email\n1002,Bob Roy,{email}\n")
    out = tmp_path / "out"
    problem_set = load_problem_set(course / "problems" / "probability", course)
    run_batch(problem_set, folder, out, levels.choose("process"), LocalExecutor(1), roster_path=roster)
    with Gradebook(out / "gradebook.sqlite") as book:
        assert book.get("1002").earned == 6
