"""A time limit for trusted but possibly slow computations in the grader (sympy simplification).

sympy is pure Python, so an exception raised between two bytecodes interrupts it. In the main
thread a SIGALRM handler raises it (where there is SIGALRM: not on Windows); in any other thread
(a batch grader's workers), and on Windows, a timer thread raises it asynchronously in the limited
thread (PyThreadState_SetAsyncExc). Neither can interrupt
one long operation in C (a huge big-integer power), which is why callers also cap the size of what
they hand to sympy.
"""

from __future__ import annotations

import ctypes
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from grader.sandbox import portability


class TimeLimitExceeded(Exception):
    pass


REFIRE_SECONDS = 0.01
"""After a limit expires, how soon it fires again while the block has not ended."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise TimeLimitExceeded in this block after `seconds`; nests inside an outer limit."""
    if threading.current_thread() is threading.main_thread() and portability.ALARM:
        with _alarm_limit(seconds):
            yield
    else:
        with _async_limit(seconds):
            yield


@contextmanager
def _alarm_limit(seconds: float) -> Iterator[None]:
    def _expire(signum, frame):
        # Fire again shortly in case this exception is swallowed (raised inside a gc callback or a
        # __del__, or caught by a broad `except` in library code): the block must still end.
        signal.setitimer(signal.ITIMER_REAL, REFIRE_SECONDS)
        raise TimeLimitExceeded(f"took longer than {seconds:g} s")

    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, _expire)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer_left) if outer_left else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:  # give the enclosing limit back what is left of it
            left = outer_left - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3))


_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc


@contextmanager
def _async_limit(seconds: float) -> Iterator[None]:
    thread_id = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    armed = [True]
    stopped = threading.Event()

    def expire() -> None:
        # Raised again every REFIRE_SECONDS until the block ends: a broad `except` in library code
        # may swallow one.
        while True:
            with lock:
                if not armed[0]:
                    return
                _set_async_exc(thread_id, ctypes.py_object(TimeLimitExceeded))
            if stopped.wait(REFIRE_SECONDS):
                return

    timer = threading.Timer(seconds, expire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            armed[0] = False
            stopped.set()
            timer.cancel()
            _set_async_exc(thread_id, None)  # drop an exception that fired but was not raised yet
