"""grader.problemset.variants: each student's own values, reproducibly, from `variation`."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from pydantic import ValidationError

from grader.problemset.loader import load_problem_set
from grader.problemset.placeholders import fill
from grader.problemset.spec import Assignment
from grader.problemset.variants import DOCUMENT, for_student, parameters_for, variant_label

ROOT = Path(__file__).resolve().parent.parent


def assignment(**variation) -> Assignment:
    return Assignment(title="T", slug="t", questions=["1a"], total_points=1, reference="r.py", seed=3,
                      parameters={"sides": 6, "x0": 2.0, "betas": [0.1, 0.2, 0.3]}, variation=variation)


VARIED = assignment(sides={"choices": [4, 6, 8, 10]}, x0={"uniform": [1, 3], "decimals": 1},
                    betas={"increasing": [0.01, 0.5], "decimals": 2})


def test_the_same_identity_always_gets_the_same_values():
    assert parameters_for(VARIED, "alice") == parameters_for(VARIED, "alice")
    assert parameters_for(VARIED, "alice") == parameters_for(VARIED.model_copy(), "alice")


def test_identities_spread_over_the_declared_values():
    drawn = [parameters_for(VARIED, f"s{n}") for n in range(200)]
    assert {d["sides"] for d in drawn} == {4, 6, 8, 10}
    assert all(1 <= d["x0"] <= 3 and round(d["x0"], 1) == d["x0"] for d in drawn)
    for d in drawn:
        betas = d["betas"]
        assert len(betas) == 3 and betas == sorted(set(betas)) and all(0.01 <= b <= 0.5 for b in betas)
    assert len({variant_label(VARIED, d) for d in drawn}) > 150


def test_no_identity_or_no_variation_is_the_document():
    assert parameters_for(VARIED, None) == VARIED.parameters
    assert variant_label(VARIED, VARIED.parameters) == DOCUMENT
    assert parameters_for(assignment(), "alice") == assignment().parameters


def test_a_different_seed_gives_different_variants():
    other = VARIED.model_copy(update={"seed": 4})
    assert [parameters_for(VARIED, f"s{n}") for n in range(20)] != [parameters_for(other, f"s{n}") for n in range(20)]


@pytest.mark.parametrize("variation, fragment", [
    ({"nope": {"choices": [1, 2]}}, "no parameter 'nope'"),
    ({"sides": {"uniform": [1, 2], "choices": [1, 2]}}, "exactly one of"),
    ({"sides": {"uniform": [3, 1]}}, "low end must be below"),
    ({"betas": {"uniform": [0, 1]}}, "`increasing` is for a list parameter"),
    ({"sides": {"choices": [6]}}, "at least two values"),
])
def test_bad_variation_is_refused_saying_what_to_fix(variation, fragment):
    with pytest.raises(ValidationError, match=fragment):
        assignment(**variation)


def test_for_student_changes_only_the_parameters_and_the_text_filled_with_them():
    problem_set = load_problem_set(ROOT / "problems" / "probability", ROOT)
    varied = Assignment.model_validate({**problem_set.assignment.model_dump(),
                                        "variation": {"sides": {"choices": [4, 8]}}})
    with_variation = replace(problem_set, assignment=varied)
    student = for_student(with_variation, "bob")
    assert student.assignment.parameters["sides"] in (4, 8)
    assert [q.id for q in student.questions] == [q.id for q in problem_set.questions]
    assert student.fingerprint == problem_set.fingerprint and student.templates == problem_set.templates
    assert for_student(with_variation, None) is with_variation


@pytest.mark.parametrize("text, shown", [
    ("Let β_1 = $betas[0] and x_0 = $x0.", "Let β_1 = 0.1 and x_0 = 2."),
    ("A die with $sides faces costs $$3.", "A die with 6 faces costs $3."),
    ("$betas", "[0.1, 0.2, 0.3]"),
    ("$unknown and $betas[7] stay", "$unknown and $betas[7] stay"),
    ("D_KL = $x0²/2", "D_KL = 2²/2"),  # a name is ASCII: "²" follows the value
])
def test_fill_writes_the_values_into_text(text, shown):
    assert fill(text, assignment().parameters) == shown


def test_grade_submit_student_grades_against_that_students_variant(tmp_path):
    import shutil
    import subprocess
    import sys

    course = tmp_path / "course"
    shutil.copytree(ROOT / "problems" / "probability", course / "problems" / "probability")
    shutil.copytree(ROOT / "solutions", course / "solutions")
    spec = course / "problems" / "probability" / "assignment.yaml"
    spec.write_text(spec.read_text().replace("policies:", "variation:\n  sides: {choices: [4, 8]}\npolicies:"))
    problem_set = load_problem_set(course / "problems" / "probability", course)
    student = next(f"s{n}" for n in range(100) if parameters_for(problem_set.assignment, f"s{n}")["sides"] == 4)
    answers = tmp_path / "answers.py"
    answers.write_text("p1a = 3.5\n")  # the mean of the document's six-sided die

    def grade(*extra: str) -> str:
        done = subprocess.run([sys.executable, "-m", "grader", "submit", str(answers), "--course", str(course),
                               "-a", "probability", "--format", "json", "--isolation", "process", *extra],
                              capture_output=True, text=True, timeout=300)
        return done.stdout

    assert '"name": "p1a"' in grade() and _outcome(grade(), "p1a") == "correct"
    assert _outcome(grade("--student", student), "p1a") == "incorrect"  # a four-sided die's mean is 2.5


def _outcome(report_json: str, part: str) -> str:
    import json

    return next(p["outcome"] for p in json.loads(report_json)["parts"] if p["name"] == part)


def test_a_students_text_shows_their_own_numbers():
    """The probability set's 1a writes `$sides` in its prompt, messages and explanation."""
    problem_set = load_problem_set(ROOT / "problems" / "probability", ROOT)
    assert "faces 1, 2, ..., 6." in problem_set.questions[0].prompt  # the document's value
    varied = replace(problem_set, assignment=Assignment.model_validate(
        {**problem_set.assignment.model_dump(), "variation": {"sides": {"choices": [20, 30]}}}))
    student = for_student(varied, "zoe")
    sides = student.assignment.parameters["sides"]
    part = student.questions[0].parts[0]
    assert f"faces 1, 2, ..., {sides}." in student.questions[0].prompt
    assert f"probability 1/{sides}" in part.mistakes[0].message and part.explanation.endswith(f"({sides} + 1)/2.")
    assert "$sides" in problem_set.templates[0].prompt  # the templates stay as written


def test_genmodels_students_read_their_own_numbers_in_sections_2_and_4():
    """The declared variation reaches titles, prompts, messages and the function inputs printed."""
    from grader.problemset.plan import build_plan

    problem_set = load_problem_set(ROOT / "problems" / "genmodels", ROOT)
    student = for_student(problem_set, "student-7")
    values = student.assignment.parameters
    assert values != problem_set.assignment.parameters
    by_id = {q.id: q for q in student.questions}
    assert f"P_q(z ≥ {fill('$threshold', values)})" in by_id["2d"].title
    assert f"β_1 = {fill('$betas[0]', values)}, β_2 = {fill('$betas[1]', values)}" in by_id["4c"].prompt
    assert f"multiply by x_0 = {fill('$x0', values)}." in by_id["4d"].parts[0].mistakes[1].message
    assert not any("$" in q.prompt + q.title for q in student.questions)
    q4a = next(pp for pp in build_plan(student).parts if pp.part.name == "q4a")
    assert q4a.cases[0].args[:2] == (values["x0"], values["betas"])
