"""time_limit: ends a slow computation in the grader, in the main thread (SIGALRM) and in worker
threads (an asynchronous exception), nested or not, even when library code swallows it once."""

from __future__ import annotations

import signal
import threading
import time

import pytest

from grader.checking.timebox import TimeLimitExceeded, time_limit
from grader.sandbox import portability


def _spin(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pass


def _swallowing_spin(seconds: float) -> int:
    """Library code with a broad `except`: it swallows the first TimeLimitExceeded and goes on."""
    swallowed = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            _spin(0.001)
        except Exception:
            swallowed += 1
            if swallowed == 1:
                continue
            raise
    return swallowed


def _in_thread(function) -> object:
    result: list[object] = []
    thread = threading.Thread(target=lambda: result.append(_capture(function)))
    thread.start()
    thread.join(10)
    return result[0]


def _capture(function) -> object:
    try:
        return function()
    except TimeLimitExceeded as exc:
        return exc


@pytest.fixture(params=["main thread", "worker thread"])
def run(request):
    if request.param == "main thread":
        if not portability.ALARM:
            pytest.skip("no SIGALRM here")
        return _capture
    return _in_thread


def test_a_slow_block_is_ended(run):
    def slow() -> None:
        with time_limit(0.05):
            _spin(5)

    started = time.monotonic()
    assert isinstance(run(slow), TimeLimitExceeded)
    assert time.monotonic() - started < 2


def test_a_limit_swallowed_once_fires_again(run):
    def slow() -> None:
        with time_limit(0.05):
            _swallowing_spin(5)

    started = time.monotonic()
    assert isinstance(run(slow), TimeLimitExceeded)
    assert time.monotonic() - started < 2


def test_a_fast_block_is_left_alone_and_no_alarm_stays(run):
    def fast() -> int:
        with time_limit(1):
            return 42

    assert run(fast) == 42
    if portability.ALARM:
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_an_inner_limit_gives_the_outer_one_back_what_is_left(run):
    def nested() -> str:
        with time_limit(0.3):
            try:
                with time_limit(0.05):
                    _spin(5)
            except TimeLimitExceeded:
                pass
            _spin(5)  # the outer limit still ends this
        return "not ended"

    started = time.monotonic()
    assert isinstance(run(nested), TimeLimitExceeded)
    assert time.monotonic() - started < 2
