"""`grade validate`: the shipped sets pass; a broken reference or a mistake equal to the answer fails."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.checking.validate import validate
from grader.problemset.loader import load_problem_set

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("slug", ["genmodels", "probability"])
def test_shipped_problem_sets_validate(slug):
    checks = validate(load_problem_set(ROOT / "problems" / slug, ROOT))
    failed = [c for c in checks if not c.ok]
    assert not failed, failed
    whats = " ".join(c.what for c in checks)
    assert "the reference scores 100 %" in whats
    assert "is rejected with its message" in whats


@pytest.fixture
def course(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "problems" / "probability", tmp_path / "problems" / "probability")
    (tmp_path / "solutions").mkdir()
    shutil.copy(ROOT / "solutions" / "probability.py", tmp_path / "solutions")
    return tmp_path


def _failures(course: Path) -> list[str]:
    checks = validate(load_problem_set(course / "problems" / "probability", course))
    return [f"{c.what} {c.detail}" for c in checks if not c.ok]


def test_wrong_reference_is_reported(course):
    ref = course / "solutions" / "probability.py"
    ref.write_text(ref.read_text().replace("p1c = False", "p1c = True"))
    failures = " | ".join(_failures(course))
    assert "p1c" in failures


def test_reference_missing_an_answer_is_reported(course):
    ref = course / "solutions" / "probability.py"
    ref.write_text(ref.read_text().replace("p1c = False", ""))
    failures = " | ".join(_failures(course))
    assert "the reference answers every request" in failures and "p1c" in failures


def test_a_mistake_that_is_the_right_answer_is_reported(course):
    spec = course / "problems" / "probability" / "1a.yaml"
    spec.write_text(spec.read_text().replace("- ref: mistake_p1a_sum", "- value: 3.5"))
    failures = " | ".join(_failures(course))
    assert "mistake 3.5" in failures and "graded correct" in failures


def test_grade_validate_refuses_a_grader_function_family_typo(tmp_path):
    """`family: tahn` used to load as an affine function and pass validation; now the command stops
    at the spec (exit 3), naming the file, the field and the known families."""
    import subprocess
    import sys

    shutil.copytree(ROOT / "problems" / "genmodels", tmp_path / "problems" / "genmodels")
    shutil.copytree(ROOT / "solutions", tmp_path / "solutions")
    spec = tmp_path / "problems" / "genmodels" / "4b.yaml"
    spec.write_text(spec.read_text().replace("grader_function: {family: tanh, scale: [0.2",
                                             "grader_function: {family: tahn, scale: [0.2", 1))
    result = subprocess.run([sys.executable, "-m", "grader.cli", "validate", "-a", "genmodels",
                             "--course", str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "4b.yaml" in result.stderr and "grader_function.family" in result.stderr
    assert "known families: affine, tanh" in result.stderr and "Traceback" not in result.stderr


def _declare(course: Path, variation: str) -> None:
    spec = course / "problems" / "probability" / "assignment.yaml"
    spec.write_text(spec.read_text().replace("policies:", f"variation:\n  sides: {variation}\npolicies:"))


def test_every_variant_is_checked_and_each_passes(course):
    from grader.checking.validate import validate_variants

    _declare(course, "{choices: [4, 6, 8, 10, 12, 20]}")
    checks = validate_variants(load_problem_set(course / "problems" / "probability", course), 40)
    assert [c.ok for c in checks] == [True] * 6  # the document's and each of the five other values once
    assert checks[0].what == "variant document (sides=6)"


def test_validate_leaves_each_passing_variants_reference_in_the_cache(course):
    """A batch after `grade validate --variants` reuses the references it computed."""
    from grader.checking.reference import cached_reference
    from grader.checking.validate import validate_variants
    from grader.problemset.plan import build_plan
    from grader.problemset.variants import for_student

    _declare(course, "{choices: [6, 8, 12]}")
    problem_set = load_problem_set(course / "problems" / "probability", course)
    assert all(c.ok for c in validate_variants(problem_set, 30))
    cached = {}
    for identity in [None, *(f"student-{n}" for n in range(1, 31))]:
        variant = for_student(problem_set, identity)
        sides = variant.assignment.parameters["sides"]
        cached[sides] = cached_reference(problem_set, build_plan(variant)) is not None
    assert cached == {6: True, 8: True, 12: True}


def test_a_variant_where_a_mistake_is_the_right_answer_names_its_values(course):
    """A one-sided die: its mean 1 equals the mistake 'the sum of the faces' (also 1)."""
    from grader.checking.validate import validate_variants

    _declare(course, "{choices: [1, 6]}")
    checks = validate_variants(load_problem_set(course / "problems" / "probability", course), 30)
    failed = [c for c in checks if not c.ok]
    assert len(failed) == 1 and "(sides=1)" in failed[0].what
    assert "mistake mistake_p1a_sum is rejected with its message" in failed[0].detail


def test_grade_validate_variants_exits_nonzero_naming_the_values(course):
    import subprocess
    import sys

    _declare(course, "{choices: [1, 6]}")
    done = subprocess.run([sys.executable, "-m", "grader", "validate", "--course", str(course), "-a", "probability",
                           "--variants", "30"], capture_output=True, text=True, timeout=300)
    assert done.returncode != 0
    assert "FAIL variant" in done.stdout and "(sides=1)" in done.stdout and "1 of 2 checks passed" in done.stdout
