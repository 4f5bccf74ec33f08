"""The executor behind `grade batch`: every job once, slots refilled at once, warm workers started
early and never leaked."""

from __future__ import annotations

import os
import sys
import threading
from pathlib import Path

import pytest

from grader.batch.executor import Job, LocalExecutor


def jobs(n: int) -> list[Job]:
    return [Job(str(i), Path(f"{i}.py")) for i in range(n)]


def test_yields_each_job_once_with_its_result():
    results = dict((job.key, result) for job, result in LocalExecutor(3).run(jobs(7), lambda job, _: int(job.key) * 2))
    assert results == {str(i): 2 * i for i in range(7)}


def test_an_exception_is_the_jobs_result_and_the_others_go_on():
    def work(job: Job, _launcher):
        if job.key == "1":
            raise ValueError("broken")
        return job.key

    results = dict(LocalExecutor(2).run(jobs(4), work))
    assert isinstance(results[jobs(4)[1]], ValueError)
    assert [results[j] for j in jobs(4) if j.key != "1"] == ["0", "2", "3"]


def test_the_next_job_starts_while_the_caller_handles_a_result():
    """The caller grades and writes reports for each result; the freed slot must not wait for it."""
    second_started = threading.Event()

    def work(job: Job, _launcher):
        if job.key == "1":
            second_started.set()
        return job.key

    for job, _ in LocalExecutor(1).run(jobs(2), work):
        if job.key == "0":
            assert second_started.wait(5), "job 1 waited for the caller to finish with job 0"


def test_no_jobs_runs_nothing():
    assert list(LocalExecutor(2).run([], lambda job, _: pytest.fail("ran"))) == []


class FakeWorker:
    started: list[FakeWorker] = []

    def __init__(self, python: str):
        self.ready = self.closed = False
        FakeWorker.started.append(self)

    def wait_ready(self) -> None:
        self.ready = True

    def sibling(self) -> FakeWorker:
        assert self.ready, "a sibling is forked from a warm worker only"
        return FakeWorker("sibling")

    def close(self) -> None:
        self.closed = True


@pytest.fixture
def fake_workers(monkeypatch):
    import grader.sandbox.warm

    FakeWorker.started = []
    monkeypatch.setattr(grader.sandbox.warm, "WarmWorker", FakeWorker)
    return FakeWorker.started


def test_prepare_starts_one_worker_and_run_forks_the_others_from_it(fake_workers):
    """One interpreter imports the libraries; the other slots get warm forks of it."""
    executor = LocalExecutor(3, warm_python=sys.executable)
    executor.prepare(5)
    assert len(fake_workers) == 1
    used = {id(launcher) for _, launcher in executor.run(jobs(5), lambda job, launcher: launcher)}
    assert len(fake_workers) == 3 and used == {id(w) for w in fake_workers}
    assert all(w.closed for w in fake_workers)


def test_no_more_workers_than_jobs(fake_workers):
    list(LocalExecutor(4, warm_python=sys.executable).run(jobs(1), lambda job, launcher: None))
    assert len(fake_workers) == 1


def test_prepared_workers_are_closed_when_nothing_runs(fake_workers):
    executor = LocalExecutor(2, warm_python=sys.executable)
    executor.prepare(3)
    assert list(executor.run([], lambda job, launcher: None)) == []
    assert fake_workers and all(w.closed for w in fake_workers)


def test_a_sibling_that_fails_to_start_leaves_none_running(fake_workers, monkeypatch):
    def no_sibling(self):
        raise RuntimeError("no more processes")

    monkeypatch.setattr(FakeWorker, "sibling", no_sibling)
    with pytest.raises(RuntimeError):
        list(LocalExecutor(2, warm_python=sys.executable).run(jobs(2), lambda job, launcher: None))
    assert len(fake_workers) == 1 and fake_workers[0].closed


def test_stop_closes_prepared_workers_that_never_ran(fake_workers):
    """E.g. Ctrl-C between prepare and run: no worker outlives the batch."""
    executor = LocalExecutor(2, warm_python=sys.executable)
    executor.prepare(2)
    executor.stop()
    assert len(fake_workers) == 1 and all(w.closed for w in fake_workers)


def _zombie_children() -> list[int]:
    """Children of this process that have exited but were never collected."""
    me, found = os.getpid(), []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = open(f"/proc/{entry}/stat").read()
            except OSError:
                continue
            state, parent = stat[stat.rfind(")") + 2:].split()[:2]
            if state == "Z" and int(parent) == me:
                found.append(int(entry))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_warm_workers_leave_no_uncollected_child_behind(tmp_path):
    """Found at the strict level: the workers' forks (siblings, and what they started) were left for
    the caller's init to collect once the batch returned."""
    from grader.sandbox import levels
    from grader.sandbox.runner import Request, run_file

    sandbox = levels.choose("auto")
    if sandbox.level == "strict" and sandbox.uid is None:
        pytest.skip("warm workers confine their children as root only")
    (tmp_path / "a.py").write_text("q = 1.0\n")
    before = set(_zombie_children())

    def work(job, launcher):
        return run_file(job.path, [Request("q", "q")], {}, sandbox=sandbox, launcher=launcher)

    results = list(LocalExecutor(3, warm_python=sandbox.python).run(
        [Job(str(i), tmp_path / "a.py") for i in range(6)], work))
    assert all(result.answers["q"].value == 1.0 for _, result in results)
    assert set(_zombie_children()) - before == set()


def test_jobs_are_taken_as_slots_free_up_not_all_at_once():
    """A MOOC's jobs are read from the gradebook as they go: the executor never runs ahead of its
    slots, so it holds a few jobs, not the class."""
    taken = []

    def lazily(n: int):
        for job in jobs(n):
            taken.append(job.key)
            yield job

    seen = []
    for job, _ in LocalExecutor(2).run(lazily(50), lambda job, _: job.key):
        seen.append(job.key)
        # the results seen, those finished with it (up to one per slot) and the next running: a few, never the class
        assert len(taken) <= len(seen) + 2 * 2
    assert sorted(seen, key=int) == [str(i) for i in range(50)]
