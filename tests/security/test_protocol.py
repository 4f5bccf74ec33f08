"""Messages forged on the answer channel. The channel's descriptor is on the harness's command line,
so a submission can write to it: whatever it writes may decide its own answers at most, and must
never crash the grader, blame the grader, or touch another request."""

from __future__ import annotations

import secsupport as s

from grader.report.results import Outcome


def test_a_malformed_problem_message_is_read_as_data(grader, problem_set, level):
    g = grader.grade("forge_channel_malformed", level)
    m = s.meta(s.hostile("forge_channel_malformed"))
    assert g.error is None, f"grade_submission raised {g.error!r}"
    s.assert_complete(g.report, problem_set)
    s.assert_honest(g.report, m.honest)
    s.assert_attacked(g.report, m.attacked)
    assert s.part(g.report, "q2d").outcome in (Outcome.RAISED, Outcome.INVALID)
    assert not g.leftovers


def test_a_forged_start_of_an_unknown_request_is_not_a_grader_error(grader, problem_set, level):
    """Found by this suite: a 'start' for an unknown id, then a hang, used to raise StopIteration in
    the runner, turned into a grader error for the whole file. Unknown ids are now ignored."""
    g = grader.grade("forge_channel_bogus_start", level)
    m = s.meta(s.hostile("forge_channel_bogus_start"))
    assert g.error is None, f"grade_submission raised {g.error!r}"
    assert g.report.grader_error is None, g.report.grader_error
    s.assert_complete(g.report, problem_set)
    s.assert_honest(g.report, m.honest)
    assert s.part(g.report, "q2d").outcome is Outcome.TIMED_OUT


def test_well_formed_forgeries_decide_only_the_submissions_own_answers(grader, problem_set, level):
    g = grader.grade("forge_channel_misc", level)
    m = s.meta(s.hostile("forge_channel_misc"))
    assert g.error is None, f"grade_submission raised {g.error!r}"
    s.assert_complete(g.report, problem_set)
    s.assert_honest(g.report, m.honest)
    s.assert_attacked(g.report, m.attacked)
    # The forged answer for q2d (sent while q2a was being computed) was ignored: q2d is graded on
    # the file's own value.
    assert s.part(g.report, "q2d").understood.startswith("0.5")
    assert not g.leftovers
