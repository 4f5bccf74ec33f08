"""grader.checking.late: late penalties from the platform's submission time and the late policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from grader.checking.late import LateResult, format_duration, late_result
from grader.problemset.spec import LatePolicy

EST = timezone(timedelta(hours=-5))
DUE = datetime(2026, 11, 20, 23, 59, tzinfo=EST)


def policy(**kw) -> LatePolicy:
    kw.setdefault("due", DUE)
    return LatePolicy(**kw)


def after(**kw) -> datetime:
    return DUE + timedelta(**kw)


PER_DAY = policy(grace_minutes=15, penalty_per_day=0.1, max_penalty=0.5,
                 cutoff=DUE + timedelta(days=7))
PER_HOUR = policy(penalty_per_hour=0.02)


# --- on time -------------------------------------------------------------------------------------


@pytest.mark.parametrize("submitted", [after(days=-2), after(seconds=-1), DUE])
def test_on_time_and_exactly_at_due(submitted):
    result = late_result(PER_DAY, submitted)
    assert result == LateResult(timedelta(0), 0.0, False, "on time")


def test_within_grace_is_on_time_with_zero_late_by():
    result = late_result(PER_DAY, after(minutes=15))
    assert result.penalty == 0 and result.late_by == timedelta(0) and not result.past_cutoff
    assert result.explanation.startswith("on time")
    assert "15 min grace period" in result.explanation


def test_one_minute_after_grace_is_one_started_day_counted_from_due():
    result = late_result(PER_DAY, after(minutes=16))
    assert result.late_by == timedelta(minutes=16)
    assert result.penalty == pytest.approx(0.1)
    assert result.explanation == "submitted 16 min late: \u221210 % (1 started day × 10 %)"


def test_explanation_example():
    result = late_result(PER_DAY, after(days=1, hours=3))
    assert result.explanation == "submitted 1 day 3 h late: \u221220 % (2 started days × 10 %)"


@pytest.mark.parametrize("late, days", [
    (timedelta(hours=23, minutes=59, seconds=59), 1),
    (timedelta(days=1), 1),                      # exactly one day: one started day
    (timedelta(days=1, microseconds=1), 2),
    (timedelta(days=2, hours=12), 3),
    (timedelta(days=3), 3),
])
def test_per_day_counts_started_days(late, days):
    result = late_result(policy(penalty_per_day=0.1), DUE + late)
    assert result.penalty == pytest.approx(0.1 * days)
    assert result.late_by == late


@pytest.mark.parametrize("late, hours", [
    (timedelta(seconds=1), 1),
    (timedelta(minutes=59), 1),
    (timedelta(hours=1), 1),
    (timedelta(hours=1, seconds=1), 2),
    (timedelta(hours=5, minutes=30), 6),
])
def test_per_hour_counts_started_hours(late, hours):
    result = late_result(PER_HOUR, DUE + late)
    assert result.penalty == pytest.approx(0.02 * hours)
    assert f"{hours} started hour" in result.explanation


def test_penalty_is_exact_not_float_noise():
    assert late_result(policy(penalty_per_day=0.1), after(days=2, hours=1)).penalty == 0.3


def test_max_penalty_caps():
    result = late_result(PER_DAY, after(days=6, hours=1))  # 7 started days × 10 % = 70 %
    assert result.penalty == 0.5 and not result.past_cutoff
    assert "capped at 50 %" in result.explanation and "\u221250 %" in result.explanation


def test_at_cutoff_is_not_past_it_but_after_is():
    at = late_result(PER_DAY, DUE + timedelta(days=7))
    assert not at.past_cutoff and at.penalty == 0.5
    past = late_result(PER_DAY, DUE + timedelta(days=7, seconds=1))
    assert past.past_cutoff and past.penalty == 1.0
    assert past.late_by == timedelta(days=7, seconds=1)
    assert "after the cutoff 2026-11-27 23:59 -05:00" in past.explanation


def test_late_without_a_rate_costs_nothing():
    result = late_result(policy(), after(hours=2))
    assert result.penalty == 0 and result.late_by == timedelta(hours=2)
    assert result.explanation == "submitted 2 h late: no penalty"


# --- extensions ----------------------------------------------------------------------------------


def test_extension_as_new_due_date():
    new_due = datetime(2026, 11, 23, 4, 59, tzinfo=UTC)  # 2026-11-22 23:59 -05:00
    on_time = late_result(PER_DAY, datetime(2026, 11, 22, 20, 0, tzinfo=EST), new_due)
    assert on_time.penalty == 0 and "extended to 2026-11-22 23:59 -05:00" in on_time.explanation
    late = late_result(PER_DAY, new_due + timedelta(hours=1), new_due)
    assert late.late_by == timedelta(hours=1) and late.penalty == pytest.approx(0.1)


def test_extension_as_duration():
    result = late_result(PER_DAY, after(days=2, hours=1), timedelta(days=2))
    assert result.late_by == timedelta(hours=1) and result.penalty == pytest.approx(0.1)
    assert late_result(PER_DAY, after(days=2), timedelta(days=2)).penalty == 0


@pytest.mark.parametrize("extension", [timedelta(days=3), DUE + timedelta(days=3)])
def test_extension_moves_the_cutoff_too(extension):
    # The cutoff is 7 days after the due date: with 3 more days, day 9 is before it.
    result = late_result(PER_DAY, after(days=9), extension)
    assert not result.past_cutoff and result.penalty == 0.5
    assert late_result(PER_DAY, after(days=10, seconds=1), extension).past_cutoff


def test_extension_before_the_due_date_is_refused():
    with pytest.raises(ValueError, match="earlier"):
        late_result(PER_DAY, DUE, DUE - timedelta(days=1))
    with pytest.raises(ValueError, match="time zone"):
        late_result(PER_DAY, DUE, datetime(2026, 11, 25, 12, 0))


# --- missing information -------------------------------------------------------------------------


def test_no_policy_is_on_time():
    assert late_result(None, after(days=30)) == LateResult.on_time()
    assert late_result(None, None, marked_late=True) == LateResult.on_time()


def test_no_submission_time_is_on_time():
    assert late_result(PER_DAY, None) == LateResult.on_time()


def test_no_submission_time_but_marked_late_asks_the_ta():
    result = late_result(PER_DAY, None, marked_late=True)
    assert result.penalty == 0 and not result.past_cutoff and result.late_by == timedelta(0)
    assert "marked this submission late" in result.explanation
    assert "no submission time" in result.explanation and "TA should check" in result.explanation


def test_naive_datetimes_are_refused():
    with pytest.raises(ValidationError, match="time zone"):
        LatePolicy(due=datetime(2026, 11, 20, 23, 59))
    with pytest.raises(ValidationError, match="time zone"):
        LatePolicy(due=DUE, cutoff=datetime(2026, 11, 27, 23, 59))
    with pytest.raises(ValueError, match="time zone"):
        late_result(PER_DAY, datetime(2026, 11, 21, 12, 0))


def test_time_zones_and_daylight_saving_use_real_elapsed_time():
    ny = ZoneInfo("America/New_York")
    # DST ends on 2026-11-01 at 02:00 in New York: 25 real hours between these wall-clock times.
    p = policy(due=datetime(2026, 10, 31, 12, 0, tzinfo=ny), penalty_per_hour=0.01)
    result = late_result(p, datetime(2026, 11, 1, 12, 0, tzinfo=ny))
    assert result.late_by == timedelta(hours=25) and result.penalty == 0.25
    # A submission time in another zone is compared by the instant, not the wall clock.
    utc = late_result(PER_DAY, datetime(2026, 11, 21, 4, 59, tzinfo=UTC))
    assert utc.penalty == 0


@pytest.mark.parametrize("delta, text", [
    (timedelta(seconds=20), "20 s"),
    (timedelta(minutes=45), "45 min"),
    (timedelta(hours=3, minutes=5), "3 h 5 min"),
    (timedelta(days=1, hours=3), "1 day 3 h"),
    (timedelta(days=2), "2 days"),
])
def test_format_duration(delta, text):
    assert format_duration(delta) == text


# --- extensions CSV ------------------------------------------------------------------------------
