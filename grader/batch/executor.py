"""Where submissions run: one small interface, so that another engine (a cluster) can take over.

An executor takes jobs (a key and a file) and a function that runs one of them with a launcher
(None for a fresh interpreter per launch), and yields each job with its result — or the exception
it raised — as soon as it is done, in any order; `prepare` lets it start its workers early.
`LocalExecutor` runs `jobs` at a time on this machine's cores; with `warm_python`, each slot owns a
warm worker (grader/sandbox/warm.py) that forks a confined child per submission instead of starting an
interpreter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from grader.sandbox.launch import Launcher

if TYPE_CHECKING:  # imported at run time only when a warm worker is wanted
    from grader.sandbox.warm import WarmWorker

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Job:
    key: str
    path: Path
    variant: str = "document"
    """The label of the student's variant (`grader/problemset/variants.py`): which plan runs the file."""


class Executor(Protocol):
    def prepare(self, jobs: int) -> None:
        """A hint that `jobs` jobs will follow: start what is slow to start (may do nothing)."""

    # Generic in the method, not the class: one executor serves works of any result type. `jobs`
    # is taken one at a time, as slots free up: a MOOC's are read from the gradebook as they go.
    def run(self, jobs: Iterable[Job],
            work: Callable[[Job, Launcher | None], T]) -> Iterator[tuple[Job, T | BaseException]]:
        ...

    def stop(self) -> None:
        """Start no new job; jobs already running finish (each is bounded by its own timeouts).
        Whatever `prepare` started and `run` did not use is closed."""


class LocalExecutor:
    def __init__(self, jobs: int, warm_python: str | None = None):
        self.jobs = max(1, jobs)
        self.warm_python = warm_python
        self._pool: ThreadPoolExecutor | None = None
        self._started: list[WarmWorker] = []

    def prepare(self, jobs: int) -> None:
        """Start a warm worker now, in the background: it imports while the caller works. (The
        other slots' workers are forked from it once it is warm, in `run`.)"""
        if self.warm_python and not self._started and jobs > 0:
            from grader.sandbox.warm import WarmWorker

            self._started = [WarmWorker(self.warm_python)]

    def _close_started(self) -> None:
        started, self._started = self._started, []
        for launcher in started:
            launcher.close()

    def run(self, jobs: Iterable[Job],
            work: Callable[[Job, Launcher | None], T]) -> Iterator[tuple[Job, T | BaseException]]:
        queue = iter(jobs)
        head = list(islice(queue, self.jobs))  # enough to know how many slots are worth starting
        if not head:
            self._close_started()
            return
        queue = chain(head, queue)
        self.prepare(len(head))
        slots = len(head)
        launchers: list[WarmWorker | None] = [*self._started] or [None] * slots
        self._started = []
        running: dict[Future[T], tuple[Job, WarmWorker | None]] = {}
        self._pool = ThreadPoolExecutor(max_workers=slots, thread_name_prefix="grade")
        pool = self._pool

        def fill_free_slots() -> None:
            while launchers and (job := next(queue, None)) is not None:
                launcher = launchers.pop()
                running[pool.submit(work, job, launcher)] = (job, launcher)

        try:
            first = launchers[0]
            if first is not None:  # a worker that cannot start stops the batch
                first.wait_ready()
                while len(launchers) < slots:
                    launchers.append(first.sibling())
            fill_free_slots()
            while running:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                finished: list[tuple[Job, T | BaseException]] = []
                for future in done:
                    job, launcher = running.pop(future)
                    launchers.append(launcher)
                    exc = future.exception()
                    finished.append((job, exc if exc is not None else future.result()))
                # The freed slots take their next job before the caller sees these results: its
                # own work on them (grading, reports) then overlaps the next runs.
                fill_free_slots()
                yield from finished
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)
            for launcher in launchers + [launcher for _, launcher in running.values()]:
                if launcher is not None:
                    launcher.close()

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self._close_started()
