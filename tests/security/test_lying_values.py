"""Values that lie about themselves: __eq__/__float__/__bool__/__repr__, numeric subclasses, numpy
arrays that broadcast, NaN everywhere, and choice answers that name every option. The parent only
ever sees data, so a lie has nothing to talk to."""

from __future__ import annotations

import math

import pytest
import secsupport as s

from grader.report.results import Outcome
from grader.sandbox import levels
from grader.sandbox.records import AnswerStatus
from grader.sandbox.runner import Request, run_file


def _graded(grader, problem_set, level, name):
    g = grader.grade(name, level)
    m = s.meta(s.hostile(name))
    assert g.error is None, g.error
    s.assert_complete(g.report, problem_set)
    s.assert_honest(g.report, m.honest)
    s.assert_attacked(g.report, m.attacked)
    return g, m


def test_objects_that_lie_cross_as_opaque_data(grader, problem_set, level):
    g, m = _graded(grader, problem_set, level, "lying_objects")
    for name in m.attacked:
        assert s.part(g.report, name).outcome in (Outcome.INVALID, Outcome.RAISED), name
    q2d = s.part(g.report, "q2d")
    assert q2d.outcome is Outcome.INVALID  # an opaque object, not a number
    assert "PlainLiar" in (q2d.understood or "") or any("PlainLiar" in f for f in q2d.feedback)


def test_numeric_subclasses_are_graded_on_their_real_value(grader, problem_set, level):
    g, m = _graded(grader, problem_set, level, "numeric_subclasses")
    for name in m.attacked:
        assert s.part(g.report, name).outcome is Outcome.INCORRECT, name
    assert s.part(g.report, "q2d").understood.startswith("0.5")
    assert "vae" in s.part(g.report, "q1b").understood.lower()


def test_a_float_subclass_reaches_the_parent_as_a_plain_float(level, tmp_path):
    """One answer is enough to see it: run_file with a single request and short limits."""
    out = run_file(s.hostile("numeric_subclasses"), [Request("q2d", "q2d"), Request("q1c", "q1c")],
                   {}, s.FAST, levels.choose(level))
    q2d, q1c = out.answers["q2d"], out.answers["q1c"]
    assert q2d.status is AnswerStatus.VALUE and type(q2d.value) is float and q2d.value == 0.5
    assert q1c.status is AnswerStatus.VALUE and q1c.value == ["b", "d"]


def test_numpy_arrays_that_broadcast_are_not_numbers(grader, problem_set, level):
    g, m = _graded(grader, problem_set, level, "numpy_broadcast")
    for name in m.attacked:
        assert s.part(g.report, name).outcome is Outcome.INVALID, name


def test_nan_is_never_correct_in_any_spelling(grader, problem_set, level):
    g, m = _graded(grader, problem_set, level, "nan_everywhere")
    for name in m.attacked:
        p = s.part(g.report, name)
        assert p.outcome in (Outcome.INCORRECT, Outcome.INVALID) and p.earned == 0, name
    assert not [p.name for p in g.report.parts if p.kind in ("number", "function") and p.earned > 0]


def test_naming_every_option_earns_nothing_and_keyword_salad_is_flagged(grader, problem_set, level):
    g, m = _graded(grader, problem_set, level, "choice_hedging")
    assert s.part(g.report, "q1a").outcome is Outcome.INVALID  # "name exactly one"
    assert s.part(g.report, "q1c").earned == 0                 # right minus wrong
    salad = s.part(g.report, "q3a")
    assert salad.outcome is Outcome.NEEDS_REVIEW and salad.provisional
    assert g.report.pending_review >= salad.possible


@pytest.mark.parametrize("value", [float("nan"), -math.nan, "nan", "NaN"], ids=["float", "negative", "str", "NaN"])
def test_nan_never_equals_the_expected_value(value):
    """The parent's own comparison, for completeness: NaN is not within any tolerance of anything."""
    from grader.checking.checkers import number
    from grader.problemset.spec import NumberChecker

    spec = NumberChecker(kind="number", rtol=1e-3, atol=1e-9)
    nan = number.parse(value, spec)
    for expected in (-0.6931471805599453, 0.0, math.inf, -math.inf):
        assert not number.grade(nan, number.parse(expected, spec), spec).is_correct
