"""Late penalties: from the platform's submission time, the assignment's late policy and an extension.

All arithmetic is done on timezone-aware datetimes converted to UTC, so that a due date in one zone
and a submission time in another (or either side of a daylight-saving change) differ by the real
elapsed time. File modification times are never used here: a submission without a platform time
is on time, unless the platform marked it late, in which case the TA is asked to check.

Rules (`late_result`):
- an extension moves the due date, either to an absolute new due date or by a duration; the
  cutoff, if any, moves by the same amount;
- a submission at or before the due date plus `grace_minutes` is on time;
- after that, the lateness is counted from the (moved) due date, and the penalty is the rate times
  the number of *started* days (or hours) late, capped at `max_penalty`;
- after the (moved) cutoff the penalty is 1 and `past_cutoff` is True (the submission is still
  graded, so the student sees feedback).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from grader.problemset.spec import LatePolicy

Extension = datetime | timedelta
"""An absolute new due date (timezone-aware), or a duration added to the due date."""

DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
MINUS = "\u2212"


@dataclass(frozen=True)
class LateResult:
    late_by: timedelta
    """How late (zero when on time or within the grace period)."""
    penalty: float
    """Fraction of the points lost, in [0, 1]."""
    past_cutoff: bool
    explanation: str
    """One sentence for the student and the TA, e.g. "2 days late: −20 %"."""

    @classmethod
    def on_time(cls) -> LateResult:
        return cls(timedelta(0), 0.0, False, "on time")


# ---------------------------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------------------------


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def format_duration(delta: timedelta) -> str:
    """A short human duration: "1 day 3 h", "2 days", "45 min", "3 h 5 min", "20 s"."""
    seconds = int(delta.total_seconds())
    if seconds < 60:
        return f"{max(seconds, 0)} s"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    pieces = []
    if days:
        pieces.append(_plural(days, "day"))
    if hours:
        pieces.append(f"{hours} h")
    if minutes:
        pieces.append(f"{minutes} min")
    return " ".join(pieces)


def _percent(fraction: float) -> str:
    """0.1 → "10 %", 0.125 → "12.5 %" (at most two decimals, no trailing zeros)."""
    text = f"{fraction * 100:.2f}".rstrip("0").rstrip(".")
    return f"{text} %"


def _when(moment: datetime) -> str:
    """2026-11-20 23:59 -05:00 (UTC shown as "UTC")."""
    offset = moment.utcoffset()
    if offset == timedelta(0):
        return moment.strftime("%Y-%m-%d %H:%M UTC")
    text = moment.strftime("%Y-%m-%d %H:%M %z")
    return f"{text[:-2]}:{text[-2:]}"


# ---------------------------------------------------------------------------------------------
# The penalty
# ---------------------------------------------------------------------------------------------


def _require_aware(value: datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{what} {value.isoformat()} has no time zone; give an aware datetime "
                         "(e.g. 2026-11-20T23:59:00-05:00)")


def _shift(policy: LatePolicy, extension: Extension | None) -> timedelta:
    """How far the extension moves the due date (and the cutoff); never backwards."""
    if extension is None:
        return timedelta(0)
    if isinstance(extension, timedelta):
        shift = extension
    elif isinstance(extension, datetime):
        _require_aware(extension, "the extended due date")
        shift = extension.astimezone(UTC) - policy.due.astimezone(UTC)
    else:
        raise TypeError("an extension is a datetime or a timedelta, "
                        f"not {type(extension).__name__}")
    if shift < timedelta(0):
        raise ValueError(f"the extension ({extension}) would move the due date "
                         f"{_when(policy.due)} earlier; an extension can only move it later")
    return shift


def late_result(policy: LatePolicy | None, submitted_at: datetime | None,
                extension: Extension | None = None, marked_late: bool = False) -> LateResult:
    """The late penalty of one submission (see the module docstring for the rules)."""
    if policy is None:
        return LateResult.on_time()
    shift = _shift(policy, extension)
    due = policy.due.astimezone(UTC) + shift
    cutoff = policy.cutoff.astimezone(UTC) + shift if policy.cutoff is not None else None
    shown_due = due.astimezone(policy.due.tzinfo)
    moved = f" (extended to {_when(shown_due)})" if shift else ""

    if submitted_at is None:
        if marked_late:
            return LateResult(timedelta(0), 0.0, False,
                              "the platform marked this submission late but gave no submission "
                              "time, so no penalty was applied; a TA should check it")
        return LateResult.on_time()
    _require_aware(submitted_at, "the submission time")

    late_by = submitted_at.astimezone(UTC) - due
    grace = timedelta(minutes=policy.grace_minutes)
    if late_by <= timedelta(0):
        return LateResult(timedelta(0), 0.0, False, f"on time{moved}")
    if late_by <= grace:
        return LateResult(timedelta(0), 0.0, False,
                          f"on time: {format_duration(late_by)} after the due date{moved}, "
                          f"within the {format_duration(grace)} grace period")

    how_late = f"submitted {format_duration(late_by)} late{moved}"
    if cutoff is not None and submitted_at.astimezone(UTC) > cutoff:
        shown_cutoff = cutoff.astimezone((policy.cutoff or policy.due).tzinfo)
        return LateResult(late_by, 1.0, True,
                          f"{how_late}, after the cutoff {_when(shown_cutoff)}: "
                          f"{MINUS}100 % (graded for feedback only)")

    if policy.penalty_per_hour:
        rate, unit, word = policy.penalty_per_hour, HOUR, "hour"
    elif policy.penalty_per_day:
        rate, unit, word = policy.penalty_per_day, DAY, "day"
    else:
        return LateResult(late_by, 0.0, False, f"{how_late}: no penalty")
    started = -(-late_by // unit)  # timedelta // timedelta is an exact integer: ceiling
    raw = started * rate
    penalty = min(raw, policy.max_penalty)
    penalty = round(penalty, 12)  # 3 × 0.1 is 0.30000000000000004
    how = f"{_plural(started, 'started ' + word)} × {_percent(rate)}"
    if raw > policy.max_penalty + 1e-12:
        how += f" = {_percent(raw)}, capped at {_percent(policy.max_penalty)}"
    return LateResult(late_by, penalty, False, f"{how_late}: {MINUS}{_percent(penalty)} ({how})")
