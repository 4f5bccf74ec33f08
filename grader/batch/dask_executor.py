"""Where submissions run on more than one machine: the workers of a Dask distributed cluster
(`grade batch --executor dask --scheduler tcp://HOST:8786`), behind the `Executor` protocol.

This process, the coordinator, keeps the gradebook, the reference answers and every comparison. A
worker only runs a student's file in its own sandbox and returns the tagged answers (a RunRecord),
never a score: what it is sent is the run plans (names and inputs, no expected answer) once, and
per submission the file's name and bytes, since it cannot read the coordinator's paths.

Isolation is the worker's own: at the start each worker is asked whether it can give the level
(`SubmissionWork.for_this_machine` there); those that cannot are named with their reason and get no
work, and if none can the batch stops saying why. Each task asks again (once per worker process),
so that a worker restarted in a weaker setting under the same address fails the task rather than
running it weaker.

A worker lost mid-batch loses nothing: the scheduler gives its tasks to the others. Each task
writes its file into a fresh temporary directory, so running it twice is harmless, and Dask's
`distributed.scheduler.allowed-failures` (3 by default) is how many workers may die while running
one task before it is given up as `KilledWorker` (a grader error, retried by the next rerun).

Dask is the optional extra `pip install 'grader[dask]'`; it is imported only here, and only when
this executor is made.
"""

from __future__ import annotations

import atexit
import logging
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import CancelledError
from dataclasses import replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from grader.batch.executor import Job
from grader.batch.submission_work import SubmissionWork
from grader.sandbox.launch import Launcher
from grader.sandbox.levels import LEVELS, Isolation, IsolationUnavailable
from grader.sandbox.records import RunRecord
from grader.sandbox.submission_file import SubmissionFileError, read_submission_bytes

if TYPE_CHECKING:
    from distributed import Client, Future

T = TypeVar("T")
log = logging.getLogger(__name__)

EXTRA_HINT = "pip install 'grader[dask]'"
TASKS_PER_THREAD = 2
"""Tasks in flight per worker thread: enough that no thread waits for the coordinator, few enough
that a batch of 100,000 submissions never sits in memory (here or on the scheduler) at once."""


class ClusterError(Exception):
    """The cluster cannot grade this batch (Dask missing, the scheduler unreachable, no worker left)."""


class NoWorkerCanIsolate(ClusterError):
    """No worker can give the isolation level asked for; the message names each worker and why."""


def isolation_asked(level: str) -> Isolation:
    """The coordinator's `sandbox` when workers run the code: only the level (and the default limits)
    matter, as each worker chooses its own sandbox of that level, so nothing is probed here. `auto`
    means strict, since the workers' machines are not known here."""
    name = "strict" if level == "auto" else level
    if name not in LEVELS:
        raise IsolationUnavailable(f"unknown isolation level {level!r}; choose strict, user, process or auto")
    return Isolation(name, sys.executable)  # (its interpreter is never used: the workers choose theirs)


# -- on a worker ---------------------------------------------------------------------------------

_prepared: tuple[SubmissionWork, SubmissionWork | str] | None = None
"""The work last shipped to this worker process, and the same work on this machine's sandbox (or
why this machine cannot give its level): probing the level once, not per submission."""


def _on_this_machine(work: SubmissionWork) -> SubmissionWork:
    global _prepared
    prepared = _prepared
    if prepared is None or prepared[0] is not work:  # the scattered work is the same object each task
        try:
            here: SubmissionWork | str = work.for_this_machine()
        except IsolationUnavailable as exc:
            here = str(exc)
        prepared = _prepared = (work, here)
    if isinstance(prepared[1], str):
        raise IsolationUnavailable(prepared[1])
    return prepared[1]


def _refusal(work: SubmissionWork) -> str | None:
    """Run by `Client.run` on every worker at the start: why it cannot give the level, or None."""
    try:
        _on_this_machine(work)
    except IsolationUnavailable as exc:
        return str(exc)
    return None


def _the_work(work: SubmissionWork) -> SubmissionWork:
    return work


_thread_state = threading.local()
"""Per worker thread: its warm worker (or why it has none)."""


def _warm_launcher(here: SubmissionWork) -> Launcher | None:
    """This worker thread's warm worker, started at its first task and kept for the next (as a local
    batch's slot keeps one), or None for a fresh interpreter per submission: where the level needs
    one (warm.warm_interpreter), or where the warm worker could not start (said once, in the log)."""
    from grader.sandbox.warm import WarmWorker, WarmWorkerError, warm_interpreter

    python = warm_interpreter(here.sandbox)
    if python is None or getattr(_thread_state, "failed", False):
        return None
    worker = getattr(_thread_state, "worker", None)
    if worker is None or worker.python != python:
        try:
            worker = WarmWorker(python)
            worker.wait_ready()
        except WarmWorkerError as exc:
            log.warning("no warm worker on this Dask worker thread, a fresh interpreter per submission: %s", exc)
            _thread_state.failed = True
            return None
        atexit.register(worker.close)
        _thread_state.worker = worker
    return worker


def _run_on_worker(work: SubmissionWork, key: str, name: str, variant: str, data: bytes) -> RunRecord:
    """One submission, on a worker: its bytes in a fresh directory (so that a rerun after a lost
    worker starts clean), run by the work on this machine's sandbox; the answers, never a score."""
    here = _on_this_machine(work)
    launcher = _warm_launcher(here)
    with tempfile.TemporaryDirectory(prefix="grade-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            return here(Job(key, path, variant), launcher)
        except SubmissionFileError as exc:  # name the student's file, not this worker's copy
            raise SubmissionFileError(str(exc).replace(str(path), name)) from None


# -- on the coordinator --------------------------------------------------------------------------


class DaskExecutor:
    def __init__(self, scheduler_address: str, notify: Callable[[str], None] = log.warning,
                 connect_timeout: float = 30.0, lost_after: float = 30.0):
        """`notify` is told, in one line each, which workers refuse work and why. The batch stops
        when no worker that passed the check has been connected for `lost_after` seconds."""
        try:
            import distributed
        except ImportError as exc:
            raise ClusterError(f"the Dask executor needs Dask distributed: {EXTRA_HINT}") from exc
        self._distributed: Any = distributed
        self.address = scheduler_address
        self.notify = notify
        self.connect_timeout = connect_timeout
        self.lost_after = lost_after
        self.refused: dict[str, str] = {}
        """Worker address → why it cannot give the level (filled by `run`)."""
        self._client: Client | None = None
        self._pending: dict[Future, Job] = {}

    def prepare(self, jobs: int) -> None:
        """Connect to the scheduler now (nothing to connect for when nothing is to be graded)."""
        if jobs > 0:
            self._connect()

    def _connect(self) -> Client:
        if self._client is None:
            try:
                self._client = self._distributed.Client(self.address, timeout=self.connect_timeout,
                                                        set_as_default=False)
            except (OSError, TimeoutError, ValueError) as exc:
                raise ClusterError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from exc
        return self._client

    def _capable_workers(self, client: Client, work: SubmissionWork) -> dict[str, int]:
        """Worker address → threads, for the workers that can give the level; the others are named."""
        try:
            client.wait_for_workers(1, timeout=self.connect_timeout)
        except TimeoutError:
            raise ClusterError(f"no Dask worker is connected to {self.address}") from None
        # Only the sandbox is checked: the plans travel once, with the first task.
        answers = client.run(_refusal, replace(work, plans={}), on_error="return")
        for address, answer in sorted(answers.items()):
            if answer is not None:
                reason = answer if isinstance(answer, str) else f"the check failed: {answer!r}"
                self.refused[address] = reason
                self.notify(f"worker {address} refuses work: {reason}")
        capable = {address: n for address, n in client.nthreads().items()
                   if address in answers and address not in self.refused}
        if not capable:
            said = "\n".join(f"  - {address}: {reason}" for address, reason in sorted(self.refused.items()))
            raise NoWorkerCanIsolate(f"no Dask worker can run submissions at the {work.sandbox.level} level:\n{said}")
        return capable

    def run(self, jobs: Iterable[Job],
            work: Callable[[Job, Launcher | None], T]) -> Iterator[tuple[Job, T | BaseException]]:
        if not isinstance(work, SubmissionWork):  # a closure could not be shipped to another machine
            raise TypeError("the Dask executor runs a SubmissionWork (plain data), not an arbitrary function")
        queue = iter(jobs)
        first = next(queue, None)
        if first is None:
            return
        queue = chain([first], queue)
        unsent = True  # (until the jobs run out)
        client = self._connect()
        capable = self._capable_workers(client, work)
        workers = sorted(capable)
        limit = TASKS_PER_THREAD * sum(capable.values())
        # The plans travel once per worker, as the result of a task that every grading task depends
        # on: unlike scattered data, the scheduler computes it again should every copy be lost.
        shipped = client.submit(_the_work, work, pure=False)
        done = self._distributed.as_completed(loop=client.loop)  # (not the default client: there is none)
        unreadable: list[tuple[Job, T | BaseException]] = []

        def top_up() -> None:
            nonlocal unsent
            while unsent and len(self._pending) < limit:
                job = next(queue, None)
                if job is None:
                    unsent = False
                    return
                try:  # read here, as a local batch would: never through a link, within the size cap
                    data = read_submission_bytes(job.path)
                except SubmissionFileError as exc:
                    unreadable.append((job, exc))
                    continue
                future = client.submit(_run_on_worker, shipped, job.key, job.path.name, job.variant, data,
                                       workers=workers, allow_other_workers=False, pure=False)
                self._pending[future] = job
                done.add(future)

        try:
            top_up()
            seen = time.monotonic()
            while self._pending or unreadable:
                yield from unreadable
                unreadable.clear()
                if not self._pending:
                    continue
                future = self._next_finished(done)
                if future is None:  # a while without results: is any worker that may run them left?
                    if set(workers) & self._connected(client):
                        seen = time.monotonic()
                    elif time.monotonic() - seen > self.lost_after:
                        raise ClusterError(
                            f"every Dask worker that could run the submissions has been gone for "
                            f"{self.lost_after:g} s, so the batch stops ({len(self._pending)} were running). "
                            "What was graded is kept: run the same command again when workers are back.")
                    continue
                job = self._pending.pop(future)
                top_up()  # the next tasks are queued before the caller grades this one
                try:
                    outcome: T | BaseException = future.result()
                except CancelledError as exc:  # not by us: the cluster dropped it, and would drop the rest
                    raise ClusterError(
                        f"the Dask cluster dropped a submission's task: {exc}\nWhat was graded is kept: run the "
                        "same command again once the cluster is sound (its scheduler and every worker need "
                        "this grader installed, in the same version).") from exc
                except Exception as exc:  # the submission's file, the worker's sandbox, or KilledWorker
                    outcome = exc
                yield job, outcome
        finally:
            self._cancel_pending()

    @staticmethod
    def _connected(client: Client) -> set[str]:
        """The workers connected now (none while the scheduler cannot be reached)."""
        try:
            return set(client.nthreads())
        except (OSError, TimeoutError):
            return set()

    @staticmethod
    def _next_finished(done: Any, wait: float = 5.0) -> Future | None:
        """The next finished task, or None when none finished within `wait` seconds."""
        deadline = time.monotonic() + wait
        while not done.has_ready():
            if time.monotonic() > deadline:
                return None
            time.sleep(0.02)
        return next(done)

    def _cancel_pending(self) -> None:
        pending, self._pending = list(self._pending), {}
        if pending and self._client is not None:
            self._client.cancel(pending)

    def stop(self) -> None:
        """Tasks not started are cancelled (a running one finishes on its worker, bounded by its
        own timeouts, and its answer is dropped); the connection is closed."""
        self._cancel_pending()
        client, self._client = self._client, None
        if client is not None:
            client.close()
