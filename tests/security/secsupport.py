"""Shared helpers of the adversarial suite: grading a hostile file, and looking for what it left behind.

Every hostile file in `hostile/` starts with a machine-readable header read by `meta()`:

    # ATTACKED: q2d q4a          parts the attack is about: they must earn 0 (or be flagged)
    # HONEST: q1a q2a q4c_alpha1 parts answered correctly: they must earn full points
    # WINS-AT-PROCESS: q2d       (optional) parts the attack does win at the process level, where
    #                            the submission runs as the grader's own user (documented, not a bug),
    #                            and at the user level when the course's files are world-readable
    # CRASHES: both|process      (optional) a known VULNERABILITY: grade_submission raises
    # PROCESS-ONLY-VULN: why     (optional) a known VULNERABILITY at the process level only

Everything a hostile file writes or starts carries the marker "SECTEST" (file names, file contents,
command lines), so that the tests find exactly what the suite itself caused, even while other people
use the same machine, and remove it again.
"""

from __future__ import annotations

import os
import re
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.report.results import GradeReport, Outcome, PartResult
from grader.sandbox import probe
from grader.sandbox.records import RunRecord
from grader.sandbox.runner import Limits

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = Path(__file__).resolve().parent / "hostile"
MARKER = "SECTEST"
LEVEL_NAMES = ("process", "strict")
STRICT_PROBLEMS = probe.strict_problems()


def readable_by_others(path: Path) -> bool:
    """Whether a user other than the grader's may read `path` (what the user level exposes)."""
    return probe.readable_by_others(path) is None


USER_PROBLEMS = probe.user_problems()

FAST = Limits(import_seconds=3, answer_seconds=1, total_seconds=20)
"""Short limits for the attacks that `run_file` tests on one or two answers."""

GRADING_BOUND = 60.0
"""No single grading may take longer than this (import 10 s + answers 3 s each, with restarts)."""

# Digits of expected answers the child must never see: q2d = Φ(1) = 0.841344746...,
# q2a = −ln 2 = −0.693147..., q4d_mean = 2√0.72 = 1.697056...
FINGERPRINTS = ("0.84134", "0.69314", "1.69705")

WATCHED_DIRS = (Path("/tmp"), Path("/root"), Path("/var/tmp"), Path("/dev/shm"))
"""Places outside the repository where a hostile file may try to leave a file (top level only)."""

SKIP_IN_REPO = {".git", ".grade-cache", "__pycache__", ".pytest_cache", ".venv", "node_modules"}


# -- the hostile files ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Meta:
    attacked: tuple[str, ...]
    honest: tuple[str, ...]
    wins_at_process: tuple[str, ...] = ()
    crashes: str | None = None
    process_only_vuln: str | None = None


def hostile_files() -> list[Path]:
    return sorted(HOSTILE.glob("*.py"))


def hostile(name: str) -> Path:
    path = HOSTILE / (name if name.endswith(".py") else f"{name}.py")
    assert path.is_file(), path
    return path


def meta(path: Path) -> Meta:
    fields: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines()[:40]:
        m = re.match(r"#\s*([A-Z-]+):\s*(.*)$", line)
        if m:
            fields[m.group(1)] = m.group(2).strip()
    words = lambda key: tuple(w for w in fields.get(key, "").split() if w != "none")  # noqa: E731
    return Meta(words("ATTACKED"), words("HONEST"), words("WINS-AT-PROCESS"),
                fields.get("CRASHES"), fields.get("PROCESS-ONLY-VULN"))


# -- reports ----------------------------------------------------------------------------------------

def part(report: GradeReport, name: str) -> PartResult:
    for p in report.parts:
        if p.name == name:
            return p
    raise KeyError(f"no part {name!r} in the report")


def assert_honest(report: GradeReport, names: tuple[str, ...] | list[str]) -> None:
    """The parts answered honestly earned every point: the attack elsewhere cost them nothing."""
    for name in names:
        p = part(report, name)
        assert p.outcome is Outcome.CORRECT and p.earned == p.possible, (
            f"honest part {name} was not graded correctly: {p.outcome} {p.earned}/{p.possible} "
            f"{p.feedback}")


def assert_attacked(report: GradeReport, names: tuple[str, ...] | list[str]) -> None:
    """The attacked parts earned nothing (or, for free text, are flagged for review)."""
    for name in names:
        p = part(report, name)
        if p.outcome is Outcome.NEEDS_REVIEW:
            assert p.provisional, f"{name}: a free-text score must stay provisional"
            continue
        assert p.earned == 0 and p.outcome is not Outcome.CORRECT, (
            f"attacked part {name} earned {p.earned}/{p.possible} ({p.outcome}): {p.feedback}")


def assert_complete(report: GradeReport, problem_set: Any) -> None:
    """The grader stayed up: a report with every part, no grader error, a sane total."""
    assert isinstance(report, GradeReport)
    assert len(report.parts) == sum(len(q.parts) for q in problem_set.questions)
    assert report.grader_error is None
    assert not [p.name for p in report.parts if p.outcome is Outcome.GRADER_ERROR]
    assert 0 <= report.earned <= report.possible == 100


def text_of_report(report: GradeReport) -> str:
    """Everything the report says about the student's answers (never the expected values)."""
    bits = []
    for p in report.parts:
        bits += [p.understood or "", *p.feedback, p.mistake or ""]
        bits += [f"{c.inputs} {c.got}" for c in p.cases]
        if p.problem:
            bits.append(p.problem.summary())
    bits += [pr.summary() for pr in report.file_problems]
    return "\n".join(bits)


def fingerprints_in(text: str) -> list[str]:
    return [f for f in FINGERPRINTS if f in text]


# -- processes left behind -------------------------------------------------------------------------

OUR_TAGS: set[str] = set()
"""GRADER_RUN tags of the runs this session started (recorded by `install_tag_recorder`)."""


def install_tag_recorder() -> None:
    """Record the GRADER_RUN tag of every child environment the runner builds in this process."""
    from grader.sandbox import launch

    original = launch.child_environment  # an AttributeError if it moves: the suite must not go blind
    if getattr(original, "sectest_recorder", False):
        return

    def recording(*args: Any, **kwargs: Any) -> dict[str, str]:
        env = original(*args, **kwargs)
        if isinstance(env, dict) and "GRADER_RUN" in env:
            OUR_TAGS.add(env["GRADER_RUN"])
        return env

    recording.sectest_recorder = True  # type: ignore[attr-defined]
    launch.child_environment = recording  # type: ignore[assignment]


@dataclass(frozen=True)
class Proc:
    pid: int
    cmdline: str
    tagged: bool
    group: int | None = None
    tag: str | None = None


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name: state, ppid, pgrp, session, ..."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2:].split()


def _ppid_and_state(pid: int) -> tuple[int, str] | None:
    rest = _stat(pid)
    return None if rest is None else (int(rest[1]), rest[0])


def _descends_from_us(pid: int) -> bool:
    me, seen = os.getpid(), 0
    while pid > 1 and seen < 200:
        info = _ppid_and_state(pid)
        if info is None:
            return False
        pid, seen = info[0], seen + 1
        if pid == me:
            return True
    return False


def _tag_of(environ: bytes) -> str | None:
    for item in environ.split(b"\0"):
        if item.startswith(b"GRADER_RUN="):
            return item[len(b"GRADER_RUN="):].decode("ascii", "replace")
    return None


def _scan_once() -> list[Proc]:
    found = []
    # Newest first: a fork chain's live link is always the newest process, and gone a millisecond
    # later, so reading /proc in pid order (oldest first) would reach it too late every time.
    pids = sorted((int(e.name) for e in Path("/proc").iterdir() if e.name.isdigit()), reverse=True)
    for pid in pids:
        if pid == os.getpid():
            continue
        entry = Path(f"/proc/{pid}")
        try:  # the environment first: a fork chain's link may be gone a millisecond later
            environ = (entry / "environ").read_bytes()
            stat = _stat(pid)
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        tag = _tag_of(environ)
        ours = tag is not None and (tag in OUR_TAGS or _descends_from_us(pid))
        if ours or MARKER in cmdline:
            if stat is not None and stat[0] in ("Z", "X"):
                continue
            group = int(stat[2]) if stat is not None else None
            found.append(Proc(pid, cmdline.strip()[:200], tag is not None, group, tag))
    return found


def leftovers(window: float = 0.0) -> list[Proc]:
    """Live processes this suite caused: those carrying the GRADER_RUN tag of one of our runs (or
    any tag, if they descend from this process), and any process whose command line carries the
    suite's marker (a daemon may drop the tag). Other people's concurrent runs are left alone.

    A fork chain changes its pid every millisecond, so one look at /proc can miss it: with a
    `window`, /proc is scanned again and again for that long and every sighting counts."""
    found: dict[int, Proc] = {}
    deadline = time.monotonic() + window
    while True:
        found.update((p.pid, p) for p in _scan_once())
        if time.monotonic() >= deadline:
            return list(found.values())


def kill_leftovers(timeout: float = 6.0) -> list[Proc]:
    """Kill, by pid and process group, what `leftovers()` finds (a fork chain needs a few rounds);
    return the first finds."""
    first: list[Proc] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        procs = leftovers(0.2)
        if not procs:
            break
        first = first or procs
        for proc in procs:
            try:  # the whole group first: a fork chain keeps its group while its pid moves on
                group = proc.group if proc.group is not None else os.getpgid(proc.pid)
                if group not in (os.getpgrp(), 0, 1):
                    os.killpg(group, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                os.kill(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.05)
    reap_zombies()
    return first


def reap_zombies() -> int:
    """Collect the exit status of our dead orphans: as the runs' subreaper this process inherits
    every orphan of a submission (fork bombs, chains, daemons), and an uncollected one keeps its pid
    for the rest of the session. Called only between gradings, when no child of ours is running."""
    reaped = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        stat = _stat(int(entry.name))
        if stat is not None and stat[0] == "Z" and int(stat[1]) == os.getpid():
            try:
                os.waitpid(int(entry.name), os.WNOHANG)
                reaped += 1
            except ChildProcessError:
                pass
    return reaped


# -- files left behind ------------------------------------------------------------------------------

def repo_files() -> set[Path]:
    files = set()
    for directory, dirnames, filenames in os.walk(ROOT):
        dirnames[:] = [d for d in dirnames if d not in SKIP_IN_REPO]
        files.update(Path(directory) / f for f in filenames)
    return files


def _has_marker(path: Path) -> bool:
    if MARKER in path.name:
        return True
    try:
        with open(path, "rb") as f:
            return MARKER.encode() in f.read(1 << 16)
    except OSError:
        return False


def marker_files(repo_snapshot: set[Path] | None = None) -> list[Path]:
    """Files carrying the marker: in the watched directories, and (new since the snapshot, or
    named with the marker) in the repository. Other people's concurrent edits are ignored."""
    found = []
    for d in WATCHED_DIRS:
        try:
            found += [p for p in d.iterdir() if MARKER in p.name]
        except OSError:
            pass
    for path in repo_files():
        if MARKER in path.name or (repo_snapshot is not None and path not in repo_snapshot
                                   and _has_marker(path)):
            found.append(path)
    return sorted(set(found))


def remove_marker_files(snapshot: set[Path] | None = None) -> list[Path]:
    removed = []
    for path in marker_files(snapshot):
        if path.is_file() and _has_marker(path):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


# -- one grading ------------------------------------------------------------------------------------

class GraderHung(BaseException):
    """The watchdog fired: the grader did not return within GRADING_BOUND."""


@dataclass
class Graded:
    file: str
    level: str
    report: GradeReport | None
    error: BaseException | None
    outcome: RunRecord | None
    """The student's raw run, exactly as grade_submission received it."""
    seconds: float
    finished_at: float
    leftovers: list[Proc] = field(default_factory=list)
    """Processes still alive right after grade_submission returned."""
    new_files: list[Path] = field(default_factory=list)
    """Marker files that appeared during the grading."""

    def raw(self, name: str) -> Any:
        assert self.outcome is not None
        return self.outcome.answer(name)
