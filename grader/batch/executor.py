"""Where submissions run: one small interface, so that another engine (a cluster) can take over.

An executor takes jobs (a key and a file) and a function that runs one of them, and yields each
job with its result — or the exception it raised — as soon as it is done, in any order.
`LocalExecutor` runs `jobs` of them at a time on this machine's cores.
"""

from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Generic, Iterator, Protocol, Sequence, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Job:
    key: str
    path: Path


class Executor(Protocol):
    def run(self, jobs: Sequence[Job], work: Callable[[Job], T]) -> Iterator[tuple[Job, T | BaseException]]:
        ...

    def stop(self) -> None:
        """Start no new job; jobs already running finish (each is bounded by its own timeouts)."""


class LocalExecutor(Generic[T]):
    def __init__(self, jobs: int):
        self.jobs = max(1, jobs)
        self._pool: ThreadPoolExecutor | None = None
        self._pending: list[Future] = []

    def run(self, jobs: Sequence[Job], work: Callable[[Job], T]) -> Iterator[tuple[Job, T | BaseException]]:
        queue = list(jobs)
        running: dict[Future, Job] = {}
        self._pool = ThreadPoolExecutor(max_workers=self.jobs, thread_name_prefix="grade")
        try:
            while queue or running:
                while queue and len(running) < self.jobs:
                    job = queue.pop(0)
                    running[self._pool.submit(work, job)] = job
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    job = running.pop(future)
                    exc = future.exception()
                    yield job, (exc if exc is not None else future.result())
        finally:
            self._pool.shutdown(wait=False, cancel_futures=True)

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
