"""Monkeypatching in the child: math, numpy, sympy, json, and the grader package itself. Comparison
happens in the parent with the parent's modules, so a patched copy in the child gains nothing."""

from __future__ import annotations

import secsupport as s

import grader.checking.checkers.number as number_checker
from grader.report.results import Outcome

PARENT_GRADE = number_checker.grade


def test_patched_math_numpy_sympy_and_json_gain_nothing(grader, problem_set, level):
    g = grader.grade("patch_math_numpy_sympy", level)
    m = s.meta(s.hostile("patch_math_numpy_sympy"))
    assert g.error is None
    s.assert_complete(g.report, problem_set)
    s.assert_honest(g.report, m.honest)
    s.assert_attacked(g.report, m.attacked)
    assert s.part(g.report, "q2d").outcome is Outcome.INCORRECT
    assert s.part(g.report, "q2d").understood.startswith("0.5")


def test_patching_the_grader_package_in_the_child_gains_nothing(grader, problem_set, level):
    g = grader.grade("patch_grader", level)
    m = s.meta(s.hostile("patch_grader"))
    assert g.error is None
    s.assert_complete(g.report, problem_set)
    s.assert_honest(g.report, m.honest)
    s.assert_attacked(g.report, m.attacked)
    assert number_checker.grade is PARENT_GRADE  # the parent's checker is its own
    said = g.raw("q3a").value
    if level in ("strict", "user"):
        # Both run the sandbox's interpreter: numpy, scipy and sympy, but not the grader.
        assert "could not import grader: ModuleNotFoundError" in said
    else:
        # DOCUMENTED (process level): the child uses the grader's own interpreter, so it can import
        # (and patch, in its own memory) the grader package — to no effect on the grade.
        assert "imported grader from" in said and "patched grader.checking.checkers.number.grade" in said
