"""The warm-fork path (grader/sandbox/warm.py), which batch grading uses by default: a worker that already
imported numpy, scipy and sympy forks one child per submission, and the child confines itself. It
must confine as well as a fresh interpreter does, and one submission must not spoil the worker for
the next ones. One or two answers are enough here: run_file with a tiny request list, short limits."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
import secsupport as s

from grader.sandbox import levels, settings
from grader.sandbox.child import limits
from grader.sandbox.records import AnswerStatus
from grader.sandbox.runner import Request, run_file

warm = pytest.importorskip("grader.sandbox.warm")


def _python(level: str) -> str:
    return sys.executable if level == "process" else str(settings.SANDBOX_PYTHON)


def _worker(level: str):
    try:
        worker = warm.WarmWorker(_python(level))
        worker.wait_ready()
        return worker
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"no warm worker at the {level} level here: {exc}")


_workers: dict[str, object] = {}


@pytest.fixture
def worker(level):
    """One warm worker per level for the module (closed at the end of the session)."""
    if level not in _workers:
        _workers[level] = _worker(level)
    return _workers[level]


@pytest.fixture(scope="module", autouse=True)
def _close_workers():
    yield
    for w in _workers.values():
        kill_warm_leftovers(w)
        w.close()
    _workers.clear()


def warm_leftovers(w) -> list[int]:
    """Processes forked from worker `w` (their command line names its private library directory)
    other than the worker itself: after a run, there must be none. They cannot be found by the
    GRADER_RUN tag: see test_nothing_of_a_warm_child_survives_the_run."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != w.process.pid:
            try:
                if str(w.lib).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                pass
    return found


def kill_warm_leftovers(w) -> None:
    import os
    import signal

    for _ in range(3):
        pids = warm_leftovers(w)
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if not pids:
            break
        time.sleep(0.1)
    s.reap_zombies()


def _run(worker, level, name, requests):
    return run_file(s.hostile(name), [Request(r, r) for r in requests], {}, s.FAST,
                    levels.choose(level), launcher=worker)


def test_a_sibling_worker_grades_like_its_original_and_nothing_outlives_them(level):
    """A batch forks the other slots' workers from the first warm one (grader/batch/executor.py)."""
    original = _worker(level)
    try:
        sibling = original.sibling()
        assert sibling.sibling_pid in warm_leftovers(original)  # a fork of the worker, already warm
        for w in (sibling, original, sibling):
            out = _run(w, level, "read_secrets", ["q2a", "q3a"])
            assert out.answers["q2a"].status is AnswerStatus.VALUE
            if level == "strict":
                assert "unreadable /work/main/solutions/genmodels.py" in out.answers["q3a"].value
        sibling.close()
        time.sleep(0.2)
        assert sibling.sibling_pid not in warm_leftovers(original)
    finally:
        original.close()
    time.sleep(0.2)
    assert not warm_leftovers(original)


def test_closing_a_sibling_lets_an_interrupt_through_and_still_kills_it():
    """Ctrl-C while a sibling's socket closes: the sibling is killed, and the interrupt is not lost
    (a `return` in close()'s `finally` used to swallow it)."""
    original = _worker("process")
    try:
        sibling = original.sibling()
        socket = sibling.control

        class InterruptedSocket:
            def close(self) -> None:
                socket.close()
                raise KeyboardInterrupt

        sibling.control = InterruptedSocket()
        with pytest.raises(KeyboardInterrupt):
            sibling.close()
        time.sleep(0.2)
        assert sibling.sibling_pid not in warm_leftovers(original)
    finally:
        original.close()


def test_the_warm_child_sees_no_course_and_no_grader(worker, level):
    out = _run(worker, level, "read_secrets", ["q3a", "q2d", "q2a"])
    said = out.answers["q3a"].value
    assert out.answers["q2a"].status is AnswerStatus.VALUE
    if level == "strict":
        assert "unreadable /work/main/solutions/genmodels.py" in said and "READ /work/main" not in said
        assert "unlistable /root" in said
        assert out.answers["q2d"].value is None
    else:
        # DOCUMENTED (process level), as for a fresh child: same user, same file system.
        assert "READ /work/main/solutions/genmodels.py" in said or s.ROOT != Path("/work/main")


def test_the_warm_child_has_no_network(worker, level):
    said = _run(worker, level, "network", ["q3a"]).answers["q3a"].value
    if level == "strict":
        assert "internet: socket refused" in said and "localhost: socket refused" in said
    # DOCUMENTED (process level): the network is shared, as for a fresh child.


def test_a_fork_bomb_in_a_warm_child_is_bounded(worker, level):
    out = _run(worker, level, "fork_bomb", ["q2d", "q2a"])
    kill_warm_leftovers(worker)
    assert out.answers["q2a"].status is AnswerStatus.VALUE
    if level in ("strict", "user"):  # the sandbox uid's process limit
        assert out.answers["q2d"].status is AnswerStatus.VALUE
        assert out.answers["q2d"].value < limits.SANDBOX_PROCESS_LIMIT
    else:
        assert out.answers["q2d"].status is AnswerStatus.TIMED_OUT


@pytest.mark.parametrize("name", ["fork_bomb", "daemon_double_fork"])
def test_nothing_of_a_warm_child_survives_the_run(worker, level, name, clean_after):
    """Found by this suite at the process level: a warm child's /proc/PID/environ is the worker's
    original environment, without the run's GRADER_RUN tag, so the tag sweep found none of its
    escaped descendants. The worker is now a subreaper and kills its orphans after every child."""
    try:
        _run(worker, level, name, ["q2d"])
        survivors = warm_leftovers(worker)
        time.sleep(2.0 if name == "daemon_double_fork" else 0.0)
        late = Path("/tmp/SECTEST-late-double-fork").exists()
    finally:
        kill_warm_leftovers(worker)
    assert not survivors, f"{len(survivors)} processes of the run survived it"
    assert not late, "a daemon of the run wrote a file after it"


def test_one_submission_cannot_break_the_warm_worker_for_the_next(level):
    """Found by this suite at the process level: a warm child runs as the worker's user and
    os.kill(os.getppid(), SIGKILL) killed the worker; its own run failed in the grader and every
    later submission given to that worker failed too. Now the answers already sent are kept, the
    run's record says what happened, and a new worker takes the next submission."""
    w = _worker(level)
    try:
        try:
            attacker = _run(w, level, "warm_worker_killer", ["q3a", "q2a"])
            attacker_error = None
        except Exception as exc:  # noqa: BLE001
            attacker, attacker_error = None, exc
        try:
            nxt = run_file(s.ROOT / "submissions" / "genmodels" / "perfect.py", [Request("q2a", "q2a")],
                           {}, s.FAST, levels.choose(level), launcher=w)
            next_error = None
        except Exception as exc:  # noqa: BLE001
            nxt, next_error = None, exc
    finally:
        w.close()
    assert attacker_error is None, f"the attacker's own run failed in the grader: {attacker_error!r}"
    assert attacker.answers["q2a"].status is AnswerStatus.VALUE
    assert next_error is None, f"the next submission could not be graded: {next_error!r}"
    assert nxt.answers["q2a"].status is AnswerStatus.VALUE
    assert not nxt.notes  # the next student's report says nothing of the attack
    killed = "killed the warm worker" in str(attacker.answers["q3a"].value)
    assert killed == (level == "process")  # under another uid (user) or namespace (strict) it cannot
    if killed:
        assert any("worker process stopped" in note for note in attacker.notes)
