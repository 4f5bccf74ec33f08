"""Where submissions run: one small interface, so that another engine (a cluster) can take over.

An executor takes jobs (a key and a file) and a function that runs one of them with a launcher
(None for a fresh interpreter per launch), and yields each job with its result — or the exception
it raised — as soon as it is done, in any order. `LocalExecutor` runs `jobs` at a time on this
machine's cores; with `warm_python`, each slot owns a warm worker (grader/warm.py) that forks a
confined child per submission instead of starting an interpreter.
"""

from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Generic, Iterator, Protocol, Sequence, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Job:
    key: str
    path: Path


class Executor(Protocol):
    def run(self, jobs: Sequence[Job], work: Callable[[Job, Any], T]) -> Iterator[tuple[Job, T | BaseException]]:
        ...

    def stop(self) -> None:
        """Start no new job; jobs already running finish (each is bounded by its own timeouts)."""


class LocalExecutor(Generic[T]):
    def __init__(self, jobs: int, warm_python: str | None = None):
        self.jobs = max(1, jobs)
        self.warm_python = warm_python
        self._pool: ThreadPoolExecutor | None = None

    def run(self, jobs: Sequence[Job], work: Callable[[Job, Any], T]) -> Iterator[tuple[Job, T | BaseException]]:
        queue = list(jobs)
        if not queue:
            return
        slots = min(self.jobs, len(queue))
        launchers: list[Any] = [None] * slots
        if self.warm_python:
            from grader.warm import WarmWorker

            launchers = [WarmWorker(self.warm_python) for _ in range(slots)]
        running: dict[Future, tuple[Job, Any]] = {}
        self._pool = ThreadPoolExecutor(max_workers=slots, thread_name_prefix="grade")
        try:
            while queue or running:
                while queue and launchers:
                    job, launcher = queue.pop(0), launchers.pop()
                    running[self._pool.submit(work, job, launcher)] = (job, launcher)
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    job, launcher = running.pop(future)
                    launchers.append(launcher)
                    exc = future.exception()
                    yield job, (exc if exc is not None else future.result())
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)
            for launcher in launchers + [launcher for _, launcher in running.values()]:
                if launcher is not None:
                    launcher.close()

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
