"""Spec loading: good specs load; every bad spec names the file, the field and what to do."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.problemset.loader import SpecError, find_problem_set, load_problem_set

ROOT = Path(__file__).resolve().parent.parent


def test_genmodels_loads_every_question_of_the_document():
    ps = load_problem_set(ROOT / "problems" / "genmodels", ROOT)
    ids = [q.id for q in ps.questions]
    assert ids[:4] == ["1a", "1b", "1c", "1d"]
    assert {"2a", "2b", "2c", "2d", "2e", "4a", "4b", "4c", "4d", "4e", "4f"} <= set(ids)
    assert [i for i in ids if i.startswith("3")] == [f"3{c}" for c in "abcdefghijklmnopqr"]
    assert ps.points == ps.assignment.total_points == 100


def test_every_contract_name_has_a_part():
    ps = load_problem_set(ROOT / "problems" / "genmodels", ROOT)
    names = {p.name for _, p in ps.parts()}
    contract = {"q1a", "q1b", "q1c", "q1d", "q3h_model", "q3j_model", "q3r_a_model", "q3r_b_model",
                "q2a", "q2b", "q2c", "q2d", "q2e", "q2e_finite", "q3p_mean", "q4a", "q4b",
                "q4c_alpha1", "q4c_alpha2", "q4c_alpha_bar2", "q4d_mean", "q4d_var", "q4e", "q4f"}
    contract |= {f"q3{c}" for c in "abcdefghijklmnopqr"}
    assert contract <= names


@pytest.fixture
def course(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "problems" / "probability", tmp_path / "problems" / "probability")
    shutil.copytree(ROOT / "solutions", tmp_path / "solutions")
    return tmp_path


def _break(course: Path, name: str, old: str, new: str) -> Path:
    path = course / "problems" / "probability" / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return path


@pytest.mark.parametrize("name, old, new, fragments", [
    ("1a.yaml", "points: 2", "points: two", ["1a.yaml", "parts[0].points", "number"]),
    ("1a.yaml", "kind: number", "kind: numbr", ["1a.yaml", "unknown checker kind 'numbr'"]),
    ("1a.yaml", "points: 2", "points: 2\n    colour: red", ["parts[0].colour", "unknown field"]),
    ("1a.yaml", "title: Expected", "titel: Expected", ["titel", "unknown field", "title: required"]),
    ("1b.yaml", "variables: [x, mu, sigma]", "variables: []", ["parts[0].checker.variables"]),
    ("1a.yaml", "prompt: |", "prompt: [unclosed", ["1a.yaml", "invalid YAML", "line"]),
    ("assignment.yaml", "total_points: 6", "total_points: 7", ["total_points is 7", "add up to 6"]),
    ("assignment.yaml", "questions: [1a, 1b, 1c]", "questions: [1a, 1b, 1c, 1d]", ["1d.yaml does not exist"]),
    ("assignment.yaml", "reference: solutions/probability.py", "reference: solutions/nope.py",
     ["nope.py does not exist"]),
    ("1c.yaml", "id: 1c", "id: 1x", ["file name says '1c'"]),
    ("1a.yaml", "- ref: mistake_p1a_sum", "- ref: mistake_p1a_sum\n        value: 21", ["exactly one of value or ref"]),
])
def test_bad_spec_names_file_field_and_expectation(course, name, old, new, fragments):
    _break(course, name, old, new)
    with pytest.raises(SpecError) as info:
        load_problem_set(course / "problems" / "probability", course)
    text = info.value.describe()
    for fragment in fragments:
        assert fragment in text, text
    assert "Traceback" not in text


def test_duplicate_part_names_are_refused(course):
    _break(course, "1c.yaml", "name: p1c", "name: p1a")
    with pytest.raises(SpecError, match="already used by question 1a"):
        load_problem_set(course / "problems" / "probability", course)


def test_unlisted_question_file_is_refused(course):
    (course / "problems" / "probability" / "9z.yaml").write_text("id: 9z\n")
    with pytest.raises(SpecError, match="not listed"):
        load_problem_set(course / "problems" / "probability", course)


def test_a_non_utf8_spec_is_reported(course):
    (course / "problems" / "probability" / "1a.yaml").write_bytes(b"id: 1a\ntitle: \xff\xfe\n")
    with pytest.raises(SpecError, match="not UTF-8"):
        load_problem_set(course / "problems" / "probability", course)


def test_find_problem_set_needs_a_name_when_there_are_several():
    with pytest.raises(SpecError, match="--assignment"):
        find_problem_set(ROOT, None)
    assert find_problem_set(ROOT, "probability").name == "probability"
    with pytest.raises(SpecError, match="known: genmodels, probability"):
        find_problem_set(ROOT, "nope")


def test_fingerprint_changes_with_any_spec_file(course):
    before = load_problem_set(course / "problems" / "probability", course).fingerprint
    _break(course, "1a.yaml", "What is the expected", "What is the mean")
    after = load_problem_set(course / "problems" / "probability", course).fingerprint
    assert before != after


@pytest.fixture
def genmodels(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "problems" / "genmodels", tmp_path / "problems" / "genmodels")
    shutil.copytree(ROOT / "solutions", tmp_path / "solutions")
    return tmp_path


HIDDEN_EPS = "eps_model: {grader_function: {family: tanh, scale: [0.2, 1.5], shift: [-0.5, 0.5]}}"
VISIBLE_EPS = "eps_model: {grader_function: {family: tanh, scale: 1.0, shift: -0.2}}"
HIDDEN_FIELD = "parts[0].checker.hidden_inputs.args.eps_model.grader_function"


@pytest.mark.parametrize("old, new, fragments", [
    (HIDDEN_EPS, HIDDEN_EPS.replace("tanh", "tahn"),
     [f"{HIDDEN_FIELD}.family", "unknown grader-function family 'tahn'", "known families: affine, tanh"]),
    (HIDDEN_EPS, HIDDEN_EPS.replace("family: tanh", "family: Affine"), ["'Affine'", "affine, tanh"]),
    (HIDDEN_EPS, HIDDEN_EPS.replace(", shift: [-0.5, 0.5]", ""), [f"{HIDDEN_FIELD}.shift: required field"]),
    (HIDDEN_EPS, HIDDEN_EPS.replace("shift:", "shfit:"), [f"{HIDDEN_FIELD}.shfit: unknown field"]),
    (HIDDEN_EPS, HIDDEN_EPS.replace("[0.2, 1.5]", "[0.2, 1.5, 3]"), [f"{HIDDEN_FIELD}.scale", "[low, high]"]),
    (VISIBLE_EPS, VISIBLE_EPS.replace("tanh", "tahn"),
     ["visible_inputs[1].eps_model.grader_function.family", "'tahn'", "known families: affine, tanh"]),
    (VISIBLE_EPS, VISIBLE_EPS.replace(", shift: -0.2", ""), ["visible_inputs[1].eps_model.grader_function.shift"]),
    (VISIBLE_EPS, VISIBLE_EPS.replace("scale: 1.0", "scale: [0.2, 1.5]"),
     ["visible_inputs[1].eps_model.grader_function.scale"]),
])
def test_a_grader_function_typo_is_refused_at_load_time(genmodels, old, new, fragments):
    """It used to become an affine function silently (the harness took every family but tanh for
    affine), and `grade validate` passed with the wrong hidden checks."""
    path = genmodels / "problems" / "genmodels" / "4b.yaml"
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(SpecError) as info:
        load_problem_set(genmodels / "problems" / "genmodels", genmodels)
    assert info.value.file == path
    described = info.value.describe()
    for fragment in fragments:
        assert fragment in described, described


def test_the_known_grader_function_families_are_the_harness_s():
    from grader.problemset.spec import RandomArg
    from grader.sandbox.child.harness import GRADER_FUNCTION_FAMILIES

    assert set(GRADER_FUNCTION_FAMILIES) == {"affine", "tanh"}
    for family in GRADER_FUNCTION_FAMILIES:
        arg = RandomArg.model_validate({"grader_function": {"family": family, "scale": [0.5, 1.5], "shift": 0.1}})
        assert arg.grader_function.family == family and arg.grader_function.scale == (0.5, 1.5)
