"""`grade batch --executor dask`: on a scheduler and two workers started here as separate processes
on 127.0.0.1, a batch gives the local batch's gradebook, survives a worker killed mid-batch, and a
worker that cannot give the isolation level refuses work."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from grader.batch import dask_executor
from grader.batch.dask_executor import (
    ClusterError,
    DaskExecutor,
    NoWorkerCanIsolate,
    isolation_asked,
)
from grader.batch.executor import Job, LocalExecutor
from grader.batch.run import BatchSummary, run_batch
from grader.batch.store import Gradebook
from grader.batch.submission_work import SubmissionWork
from grader.problemset.loader import load_problem_set
from grader.problemset.plan import build_plan
from grader.sandbox import levels, probe
from grader.sandbox.levels import Isolation, IsolationUnavailable
from grader.sandbox.submission_file import SubmissionFileError

ROOT = Path(__file__).resolve().parent.parent
SLOW = 0.3
"""Seconds each submission of the class sleeps: work is left when a worker is killed."""
STUDENTS = 12


def answers(i: int) -> str:
    """A mixed class: right, wrong, unreadable, missing, a crash — each sleeping first."""
    p1a = ["3.5", "21", "7/2", '"three"', "3"][i % 5]
    p1b = ['"-(x-mu)**2/(2*sigma**2) - log(sigma) - log(2*pi)/2"', '"-(x-mu)**2/(2*sigma**2) - log(sigma)"',
           "None"][i % 3]
    body = f"import time\ntime.sleep({SLOW})\np1a = {p1a}\np1b = {p1b}\np1c = {i % 2 == 0}\n"
    return body + ("import os\nos._exit(0)\n" if i % 7 == 6 else "")


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    course = tmp_path_factory.mktemp("dask") / "course"
    shutil.copytree(ROOT / "problems" / "probability", course / "problems" / "probability")
    (course / "solutions").mkdir()
    shutil.copy(ROOT / "solutions" / "probability.py", course / "solutions")
    return course


@pytest.fixture(scope="module")
def klass(course: Path) -> Path:
    folder = course.parent / "submissions"
    folder.mkdir()
    for i in range(STUDENTS):
        (folder / f"student{i:02d}.py").write_text(answers(i))
    return folder


def batch(course: Path, folder: Path, out: Path, executor: Any, level: str = "process",
          progress: Callable[[int, int, int], None] | None = None) -> BatchSummary:
    problem_set = load_problem_set(course / "problems" / "probability", course)
    sandbox = isolation_asked(level) if isinstance(executor, DaskExecutor) else levels.choose(level)
    return run_batch(problem_set, folder, out, sandbox, executor, progress=progress)


def gradebook(out: Path) -> tuple[list[dict[str, str]], dict[str, tuple[float, dict[str, tuple[str, float]]]]]:
    """gradebook.csv's rows, and per student the score and each part's outcome and points."""
    with (out / "gradebook.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    with Gradebook(out / "gradebook.sqlite") as book:
        scores = {s.key: (stored.earned, stored.parts) for s in book.submissions()
                  if (stored := book.get(s.key)) is not None}
    return rows, scores


@pytest.fixture(scope="module")
def local_gradebook(course: Path, klass: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("local") / "out"
    summary = batch(course, klass, out, LocalExecutor(2))
    assert summary.graded == STUDENTS and not summary.failures
    return gradebook(out)


# -- the cluster: a scheduler and two workers, separate processes on 127.0.0.1 --------------------


@dataclass
class Cluster:
    folder: Path
    address: str = ""
    client: Any = None
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def spawn(self, name: str, module: str, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        with (self.folder / f"{name}.log").open("wb") as log:
            process = subprocess.Popen([sys.executable, "-m", module, *args], cwd=self.folder, stdout=log,
                                       stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        self.processes[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")[-3000:]

    def start_worker(self, name: str, env: dict[str, str] | None = None) -> str:
        """A worker without a nanny (a killed worker stays dead), one thread; its address."""
        process = self.spawn(name, "distributed.cli.dask_worker", self.address, "--name", name, "--nthreads", "1",
                             "--nworkers", "1", "--no-nanny", "--host", "127.0.0.1", "--no-dashboard",
                             "--memory-limit", "0", "--death-timeout", "60",
                             "--local-directory", str(self.folder / name), env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert process.poll() is None, f"worker {name} exited:\n{self.log(name)}"
            for address, info in self.client.scheduler_info()["workers"].items():
                if info.get("name") == name:
                    return address
            time.sleep(0.1)
        raise AssertionError(f"worker {name} did not join:\n{self.log(name)}")

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        process = self.processes.pop(name)
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def wait_for_workers(self, n: int) -> None:
        deadline = time.monotonic() + 30
        while len(self.client.nthreads()) != n:
            assert time.monotonic() < deadline, f"the scheduler has {len(self.client.nthreads())} workers, not {n}"
            time.sleep(0.1)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    distributed = pytest.importorskip("distributed", reason="Dask is an optional extra: pip install 'grader[dask]'")
    cluster = Cluster(tmp_path_factory.mktemp("cluster"))
    scheduler_file = cluster.folder / "scheduler.json"
    try:
        scheduler = cluster.spawn("scheduler", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                  "--port", "0", "--no-dashboard", "--scheduler-file", str(scheduler_file))
        deadline = time.monotonic() + 60
        while not scheduler_file.exists():
            assert scheduler.poll() is None and time.monotonic() < deadline, cluster.log("scheduler")
            time.sleep(0.1)
        time.sleep(0.2)  # (the file is written whole, but give it a moment)
        cluster.client = distributed.Client(scheduler_file=str(scheduler_file), set_as_default=False, timeout=30)
        cluster.address = cluster.client.scheduler.address
        for name in ("one", "two"):
            cluster.start_worker(name)
        cluster.wait_for_workers(2)
        yield cluster
    finally:  # every process started here stops, whatever happened (workers first)
        if cluster.client is not None:
            cluster.client.close()
        for name in [n for n in cluster.processes if n != "scheduler"] + ["scheduler"]:
            if name in cluster.processes:
                cluster.stop(name)


def test_a_dask_batch_gives_the_local_batchs_gradebook(cluster, course, klass, local_gradebook, tmp_path):
    notes: list[str] = []
    summary = batch(course, klass, tmp_path / "out", DaskExecutor(cluster.address, notify=notes.append))
    assert summary.graded == STUDENTS and not summary.failures and not notes
    rows, scores = gradebook(tmp_path / "out")
    assert (rows, scores) == local_gradebook
    assert len({earned for earned, _ in scores.values()}) > 2, "the class is mixed, not all alike"


def test_a_worker_killed_mid_batch_loses_nothing(cluster, course, klass, local_gradebook, tmp_path):
    victim = cluster.start_worker("victim")
    cluster.wait_for_workers(3)
    killed_at: list[int] = []

    def progress(done: int, total: int, failures: int) -> None:
        # Killed at the first result after the second at which it holds tasks: they must run elsewhere.
        if done >= 2 and not killed_at and cluster.client.processing(workers=[victim]).get(victim):
            cluster.stop("victim", signal.SIGKILL)
            killed_at.append(done)

    summary = batch(course, klass, tmp_path / "out", DaskExecutor(cluster.address), progress=progress)
    assert killed_at and killed_at[0] < STUDENTS - 2, f"killed mid-batch, holding tasks (at {killed_at})"
    assert victim not in cluster.client.nthreads()
    assert summary.graded == STUDENTS and not summary.failures and not summary.interrupted
    assert gradebook(tmp_path / "out") == local_gradebook
    cluster.wait_for_workers(2)


def test_a_worker_that_cannot_give_the_level_refuses_work(cluster, course, klass, tmp_path):
    # No such sandbox user on this worker: it cannot give the user level (nor, as root, strict).
    weak = cluster.start_worker("weak", env={"GRADER_SANDBOX_USER": "grader-no-such-user"})
    try:
        notes: list[str] = []
        executor = DaskExecutor(cluster.address, notify=notes.append)
        three = klass.parent / "three"
        three.mkdir(exist_ok=True)
        for name in sorted(p.name for p in klass.iterdir())[:3]:
            shutil.copy(klass / name, three)
        if problems := probe.user_problems():  # not root here: no worker can give the user level
            with pytest.raises(NoWorkerCanIsolate) as caught:
                batch(course, three, tmp_path / "out", executor, level="user")
            assert str(caught.value).count("needs root") == 3, caught.value
            assert problems
        else:  # the two others can: the batch runs on them (a task on the weak one would fail)
            summary = batch(course, three, tmp_path / "out", executor, level="user")
            assert summary.graded == 3 and not summary.failures
        assert weak in executor.refused
        assert "grader-no-such-user" in executor.refused[weak] or "needs root" in executor.refused[weak]
        assert any(weak in note and "refuses work" in note for note in notes)
    finally:
        cluster.stop("weak")
        cluster.wait_for_workers(2)


def test_when_no_worker_can_give_the_level_the_error_names_each_worker_and_why(cluster, course):
    work = SubmissionWork({}, Isolation("nonesuch", sys.executable))
    executor = DaskExecutor(cluster.address)
    try:
        with pytest.raises(NoWorkerCanIsolate) as caught:
            list(executor.run([Job("alice", course / "alice.py")], work))
    finally:
        executor.stop()
    message = str(caught.value)
    assert "nonesuch level" in message and message.count("unknown isolation level 'nonesuch'") == 2
    for address in cluster.client.nthreads():
        assert address in message


def test_a_task_on_a_worker_that_cannot_give_the_level_fails_instead_of_running_weaker(monkeypatch):
    monkeypatch.setattr(dask_executor, "_prepared", None)
    work = SubmissionWork({}, Isolation("nonesuch", sys.executable))
    for _ in range(2):  # asked once per worker process, refused every time
        with pytest.raises(IsolationUnavailable, match="nonesuch"):
            dask_executor._run_on_worker(work, "alice", "alice.py", "document", b"p1a = 3.5\n")


def test_a_file_a_worker_cannot_read_is_named_as_the_student_submitted_it(course, monkeypatch):
    monkeypatch.setattr(dask_executor, "_prepared", None)
    problem_set = load_problem_set(course / "problems" / "probability", course)
    work = SubmissionWork({"document": build_plan(problem_set)}, levels.choose("process"))
    with pytest.raises(SubmissionFileError) as caught:
        dask_executor._run_on_worker(work, "alice", "alice.py", "document", b"p1a = '\xff'\n")
    assert str(caught.value).startswith("alice.py: not UTF-8"), caught.value


def test_the_coordinator_does_not_probe_the_level_and_auto_means_strict():
    assert isolation_asked("auto").level == "strict"
    assert isolation_asked("user").level == "user"
    with pytest.raises(IsolationUnavailable):
        isolation_asked("nonesuch")


def test_an_unreachable_scheduler_is_a_cluster_error():
    pytest.importorskip("distributed", reason="Dask is an optional extra: pip install 'grader[dask]'")
    executor = DaskExecutor("tcp://127.0.0.1:9", connect_timeout=1)
    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        executor.prepare(1)


# -- the command ---------------------------------------------------------------------------------


def grade_batch(*args: str):
    from click.testing import CliRunner

    from grader.cli import cli

    return CliRunner().invoke(cli, ["batch", *args])


def test_the_command_grades_on_the_cluster(cluster, course, klass, tmp_path):
    result = grade_batch(str(klass), "--out", str(tmp_path / "out"), "--course", str(course), "--isolation",
                         "process", "--executor", "dask", "--scheduler", cluster.address)
    assert result.exit_code == 0, result.output
    assert f"{STUDENTS} graded" in result.output and "at the process level (on the Dask workers)" in result.output


def test_without_dask_the_command_names_the_extra(course, klass, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` now fails
    result = grade_batch(str(klass), "--out", str(tmp_path / "out"), "--course", str(course),
                         "--executor", "dask", "--scheduler", "tcp://127.0.0.1:8786")
    assert result.exit_code == 4, result.output
    assert "pip install 'grader[dask]'" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("options, said", [
    (["--executor", "dask"], "--executor dask needs --scheduler"),
    (["--scheduler", "tcp://127.0.0.1:8786"], "--scheduler applies only with --executor dask"),
])
def test_the_scheduler_goes_with_the_dask_executor(course, klass, tmp_path, options, said):
    result = grade_batch(str(klass), "--out", str(tmp_path / "out"), "--course", str(course), *options)
    assert result.exit_code == 2 and said in result.output, result.output


def test_each_worker_thread_keeps_one_warm_worker_and_strict_without_root_has_none(monkeypatch):
    """A Dask worker's thread starts a warm worker at its first submission and keeps it for the next
    (numpy, scipy and sympy imported once, not per submission); where a warm worker cannot serve
    the level (a strict child confines itself, which needs root) it runs a fresh interpreter."""
    import threading

    monkeypatch.setattr(dask_executor, "_thread_state", threading.local())
    work = SubmissionWork({}, levels.choose("process"))
    first = dask_executor._warm_launcher(work)
    try:
        assert first is not None and dask_executor._warm_launcher(work) is first
        other: list[object] = []
        thread = threading.Thread(target=lambda: other.append(dask_executor._warm_launcher(work)))
        thread.start()
        thread.join()
        assert other[0] is not None and other[0] is not first
        other[0].close()  # type: ignore[attr-defined]
    finally:
        first.close()  # type: ignore[union-attr]
    strict_without_root = SubmissionWork({}, Isolation("strict", sys.executable))  # uid None: not as root
    assert dask_executor._warm_launcher(strict_without_root) is None
