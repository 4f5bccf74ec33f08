"""Every hostile file, one after another at each level, then the good submissions: a hostile batch
never affects good submissions, and every hostile file gets a fair report of its own.

Runs last (see conftest.py): the good submissions are graded after all the hostile ones.
"""

from __future__ import annotations

import hashlib
import json

import pytest
import secsupport as s

GOLDEN_TYPICAL = json.loads((s.ROOT / "tests" / "golden" / "typical.json").read_text())["earned"]
SUBMISSIONS = s.ROOT / "submissions" / "genmodels"
HOSTILE_NAMES = [p.stem for p in s.hostile_files()]


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def course_cache_before():
    """The real course's cached expected answers, before the batch (other runs may add files)."""
    return {p: _digest(p) for p in (s.ROOT / ".grade-cache").glob("*.json")}


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_every_hostile_file_gets_a_fair_report(grader, problem_set, level, name, request):
    m = s.meta(s.hostile(name))
    if m.crashes in ("both", level):
        request.applymarker(pytest.mark.xfail(strict=True, reason=(
            f"VULNERABILITY: the grader fails on hostile/{name}.py (see its docstring and "
            "test_protocol.py)")))
    g = grader.grade(name, level)
    assert g.error is None, f"grade_submission raised {g.error!r}"
    assert g.report.grader_error is None, g.report.grader_error
    s.assert_complete(g.report, problem_set)
    s.assert_honest(g.report, m.honest)
    # At the process level, what a file can read from the grader's own file system is documented,
    # not defended (see test_introspection.py): those parts are exempt there; at the user level
    # only while the course's reference is world-readable (as in a developer's checkout).
    exposed = level == "process" or (level == "user" and s.readable_by_others(s.ROOT / "solutions" / "genmodels.py"))
    s.assert_attacked(g.report, [n for n in m.attacked if not (exposed and n in m.wins_at_process)])
    assert g.report.isolation == level
    assert g.seconds < s.GRADING_BOUND


def test_good_submissions_are_graded_as_usual_after_the_hostile_batch(grader, level, course_cache_before):
    for name in HOSTILE_NAMES:  # every hostile file has been graded at this level (now, if not yet)
        grader.grade(name, level)
    s.kill_leftovers()
    perfect = grader.grade(SUBMISSIONS / "perfect.py", level, fresh=True)
    typical = grader.grade(SUBMISSIONS / "typical.py", level, fresh=True)
    for g in (perfect, typical):
        assert g.error is None and g.report.grader_error is None
        assert g.report.isolation == level
        assert not g.leftovers
    assert perfect.report.earned == 100
    assert typical.report.earned == pytest.approx(GOLDEN_TYPICAL)
    # The batch did not touch the real course's cached expected answers.
    for path, digest in course_cache_before.items():
        if path.exists():
            assert _digest(path) == digest, f"{path} was rewritten during the batch"
    assert not [p for p in s.repo_files() if s.MARKER in p.name]
