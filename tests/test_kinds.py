"""grader.checking.kinds: one registry of checker kinds, which every spec kind has an entry in."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.checking import kinds
from grader.handout.public_spec import public_problem_set
from grader.problemset.loader import load_problem_set
from grader.problemset.spec import CHECKER_KINDS

ROOT = Path(__file__).resolve().parent.parent
GENMODELS = load_problem_set(ROOT / "problems" / "genmodels", ROOT)
PROBABILITY = load_problem_set(ROOT / "problems" / "probability", ROOT)
PARTS = [part for ps in (GENMODELS, PROBABILITY) for _, part in ps.parts()]
PUBLIC_PARTS = [part for ps in (GENMODELS, PROBABILITY) for _, part in public_problem_set(ps).parts()]


def test_every_kind_a_spec_may_name_has_a_module_and_no_other():
    assert set(kinds.KINDS) == set(CHECKER_KINDS)
    assert set(kinds.VALUE_KINDS) == set(CHECKER_KINDS) - {"function"}


@pytest.mark.parametrize("name", sorted(kinds.VALUE_KINDS))
def test_value_kinds_read_and_compare(name):
    module = kinds.value_kind(name)
    for function in ("parse", "grade", "same", "show", "expects", "stub_arguments"):
        assert callable(getattr(module, function)), (name, function)


def test_function_is_not_a_value_kind():
    with pytest.raises(KeyError):
        kinds.value_kind("function")


def test_the_shipped_sets_use_every_kind():
    """The shipped problem sets exercise every kind, so the tests below cover them all."""
    assert {p.checker.kind for p in PARTS} == set(CHECKER_KINDS)


@pytest.mark.parametrize("part", PARTS + PUBLIC_PARTS, ids=lambda p: f"{type(p.checker).__name__}-{p.name}")
def test_expects_says_what_to_give_for_full_and_public_specs(part):
    text = kinds.KINDS[part.checker.kind].expects(part.checker)
    assert text and text == text.strip()
    assert "True or False" not in text or part.checker.kind == "boolean"


def test_expects_names_what_matters():
    by_name = {p.name: p for p in PARTS}
    expects = {name: kinds.KINDS[p.checker.kind].expects(p.checker) for name, p in by_name.items()}
    assert expects["q4a"].startswith("a function of (x0, betas, t) returning the tuple (mean, variance)")
    assert "`flows`" in expects["q1a"] and "`gans`" in expects["q1a"]
    assert "sentences" in expects["q1d"]
    assert expects["q2e_finite"].startswith("True or False")


def test_only_function_stubs_take_arguments():
    for part in PARTS:
        arguments = kinds.KINDS[part.checker.kind].stub_arguments(part.checker)
        if part.checker.kind == "function":
            assert arguments == tuple(part.checker.signature)
        else:
            assert arguments == ()
