"""Fixtures of the adversarial suite: isolation levels, the problem set, and a cached hostile grader.

`level` runs a test at every isolation level this machine offers: always "process", "user" when
`probe.user_problems()` is empty and "strict" when `probe.strict_problems()` is (otherwise that
parameter is skipped, with the reasons).

`grader.grade(file, level)` grades one hostile file with `grade_submission(..., sandbox=
levels.choose(level))` and caches the result per (file, level) for the session, so that a family
test and the batch test share one grading. With it come what the grading left behind (processes,
marker files) and the student's raw run (captured on its way into grade_submission), so that tests
can read an exfiltration answer in full.

Gradings run with the grader's working directory set to an empty temporary directory, never the
course: a hostile file that attacks "the grader's working directory" (hostile/cache_poison.py) must
not poison the real course's `.grade-cache` that other people's test runs use. The cache-poisoning
test gives it a disposable copy of the course instead.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
import secsupport as s

from grader import pipeline
from grader.problemset.loader import load_problem_set
from grader.sandbox import levels
from grader.sandbox.child import reaping

LEVELS = [
    "process",
    pytest.param("user", marks=pytest.mark.skipif(
        bool(s.USER_PROBLEMS),
        reason="the user level is not available here: " + "; ".join(s.USER_PROBLEMS))),
    pytest.param("strict", marks=pytest.mark.skipif(
        bool(s.STRICT_PROBLEMS),
        reason="strict isolation is not available here: " + "; ".join(s.STRICT_PROBLEMS))),
]


def pytest_collection_modifyitems(config, items):
    """The batch test runs last: good submissions are graded after every hostile one."""
    batch = [i for i in items if Path(str(i.fspath)).name == "test_batch.py"
             and Path(str(i.fspath)).parent == Path(__file__).parent]
    if batch:
        items[:] = [i for i in items if i not in batch] + batch


@pytest.fixture(params=LEVELS)
def level(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def problem_set():
    return load_problem_set(s.ROOT / "problems" / "genmodels", s.ROOT)


class HostileGrader:
    def __init__(self, problem_set, cwd: Path):
        self.problem_set = problem_set
        self.cwd = cwd
        self.cache: dict[tuple[str, str], s.Graded] = {}

    def grade(self, file: str | Path, level: str, fresh: bool = False, problem_set=None,
              cwd: Path | None = None) -> s.Graded:
        """Grade `file` (a name in hostile/ or a path) at `level`; reuse the session's grading
        unless `fresh`. Never raises for what the grader does: a crash is recorded in `.error`."""
        path = Path(file) if isinstance(file, Path) else s.hostile(file)
        key = (str(path), level)
        if not fresh and problem_set is None and key in self.cache:
            return self.cache[key]
        graded = self._grade_now(path, level, problem_set or self.problem_set, cwd or self.cwd)
        if problem_set is None:
            self.cache[key] = graded
        return graded

    def _grade_now(self, path: Path, level: str, problem_set, cwd: Path) -> s.Graded:
        sandbox = levels.choose(level)
        procs_before = {p.pid for p in s.leftovers()}
        snapshot = s.repo_files()
        files_before = set(s.marker_files(snapshot))
        captured: dict[str, object] = {}
        original = pipeline.run_submission

        def spy(*args, **kwargs):
            outcome = original(*args, **kwargs)
            captured["outcome"] = outcome
            return outcome

        def watchdog(signum, frame):
            raise s.GraderHung(f"grade_submission did not return within {s.GRADING_BOUND:g} s")

        previous_handler = signal.signal(signal.SIGALRM, watchdog)
        signal.setitimer(signal.ITIMER_REAL, s.GRADING_BOUND)
        old_cwd = os.getcwd()
        report, error = None, None
        started = time.monotonic()
        pipeline.run_submission = spy
        try:
            os.chdir(cwd)
            report = pipeline.grade_submission(problem_set, path, sandbox=sandbox)
        except BaseException as exc:  # noqa: BLE001 - a crash of the grader is a finding, kept
            if isinstance(exc, KeyboardInterrupt):
                raise
            error = exc
        finally:
            seconds = time.monotonic() - started
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous_handler)
            pipeline.run_submission = original
            os.chdir(old_cwd)
        finished = time.monotonic()
        left = [p for p in s.leftovers(0.1) if p.pid not in procs_before]
        new_files = [p for p in s.marker_files(snapshot) if p not in files_before]
        for path in new_files:  # out of the repository at once: others may `git add -A` any time
            if s.ROOT in path.parents and s.MARKER in path.read_text(errors="replace"):
                path.unlink(missing_ok=True)
        s.reap_zombies()
        return s.Graded(path.name, level, report, error, captured.get("outcome"), seconds, finished,
                        left, new_files)


@pytest.fixture(scope="session")
def grader(problem_set, tmp_path_factory):
    reaping.become_subreaper()  # orphans of our runs come back to us, where leftovers() sees them
    s.install_tag_recorder()
    snapshot = s.repo_files()
    graded = HostileGrader(problem_set, tmp_path_factory.mktemp("grading-cwd"))
    yield graded
    s.kill_leftovers()
    s.remove_marker_files(snapshot)


@pytest.fixture
def clean_after():
    """Kill what a test's gradings left running and remove the files they left, after the test."""
    snapshot = s.repo_files()
    yield
    s.kill_leftovers()
    s.remove_marker_files(snapshot)
