"""Isolation levels: the choice, the seccomp program, limits, and the warm-fork confinement."""

from __future__ import annotations

import json
import os
import pwd
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from grader.sandbox import bwrap, leases, levels, probe, settings
from grader.sandbox.child import confine, limits, seccomp
from grader.sandbox.runner import Limits, Request, run_file

STRICT = not probe.strict_problems()
ROOT = str(Path(__file__).resolve().parent.parent)
needs_strict = pytest.mark.skipif(not STRICT, reason="strict isolation is not available here: "
                                  + "; ".join(probe.strict_problems()))


def test_process_level_is_always_available():
    assert levels.choose("process").level == "process"


def test_auto_picks_the_strongest_available():
    assert levels.choose("auto").level == ("strict" if STRICT else "process")


def test_asking_for_strict_where_it_cannot_work_is_an_error_not_a_downgrade(monkeypatch):
    monkeypatch.setattr(settings, "SANDBOX_PYTHON", Path("/nonexistent/python"))
    with pytest.raises(levels.IsolationUnavailable, match="sandbox interpreter"):
        levels.choose("strict")
    assert levels.choose("auto").level == "process"


needs_user = pytest.mark.skipif(bool(probe.user_problems()), reason="the user level is not available "
                                "here: " + "; ".join(probe.user_problems()))


@needs_user
def test_auto_falls_back_to_the_user_level_where_strict_cannot_work(monkeypatch):
    """E.g. a container that forbids namespaces (Docker's default): the submission still runs as
    the sandbox user, not as root."""
    monkeypatch.setattr(probe, "strict_problems", lambda: ["no namespaces in this container"])
    chosen = levels.choose("auto")
    assert chosen.level == "user" and chosen.uid == pwd.getpwnam(settings.SANDBOX_USER).pw_uid
    with pytest.raises(levels.IsolationUnavailable):
        levels.choose("strict")


def test_the_user_level_is_refused_where_it_cannot_work(monkeypatch):
    monkeypatch.setattr(probe, "user_problems", lambda: ["the user level needs root"])
    monkeypatch.setattr(probe, "strict_problems", lambda: ["no bubblewrap"])
    with pytest.raises(levels.IsolationUnavailable, match="needs root"):
        levels.choose("user")
    assert levels.choose("auto").level == "process"


USER_PROBE = """import json, os, resource, socket
def _try(action):
    try:
        action()
        return "ok"
    except OSError as exc:
        return type(exc).__name__
def probe():
    secret, root_dir = SECRET, ROOT_DIR
    return json.dumps({"uid": os.getuid(), "pid": os.getpid(), "nproc": resource.getrlimit(resource.RLIMIT_NPROC)[0],
            "read_secret": _try(lambda: open(secret).read()),
            "write_root_dir": _try(lambda: open(os.path.join(root_dir, "x"), "w").close()),
            "write_cwd": _try(lambda: open("scratch.txt", "w").close()),
            "connect": _try(lambda: socket.create_connection(("127.0.0.1", 9), timeout=1))})
"""


def _user_probe(tmp_path: Path, launcher=None) -> dict:
    root_dir = Path(tempfile.mkdtemp(prefix="grade-user-test-"))  # root's, 0755: readable, not writable
    root_dir.chmod(0o755)
    secret = root_dir / "secret.txt"
    secret.write_text("the reference")
    secret.chmod(0o600)
    path = tmp_path / "answers.py"
    path.write_text(f"SECRET, ROOT_DIR = {str(secret)!r}, {str(root_dir)!r}\n" + USER_PROBE)
    try:
        out = run_file(path, [Request("p", "probe")], {},
                       Limits(10, 3, 30), levels.choose("user"), launcher)
    finally:
        shutil.rmtree(root_dir)
    assert out.isolation == "user", out
    return json.loads(out.answers["p"].value)



POOL_UIDS = {user.pw_uid for user in leases.sandbox_users()}


@needs_user
def test_the_user_level_runs_the_submission_as_the_sandbox_user(tmp_path):
    probe = _user_probe(tmp_path)
    assert probe["uid"] in POOL_UIDS  # a uid of the pool: another run may hold the first
    assert probe["pid"] != 1  # no namespaces: this level is for where they are forbidden
    assert probe["nproc"] == limits.SANDBOX_PROCESS_LIMIT  # a fork bomb is bounded
    assert probe["read_secret"] == "PermissionError"  # root-only files (the reference) stay out of reach
    assert probe["write_root_dir"] == "PermissionError"
    assert probe["write_cwd"] == "ok"  # scratch files still work
    assert probe["connect"] == "PermissionError"  # the seccomp filter: no network sockets


@needs_user
def test_a_warm_child_at_the_user_level_drops_to_the_sandbox_user_too(tmp_path):
    from grader.sandbox.warm import WarmWorker

    worker = WarmWorker(levels.choose("user").python)
    try:
        probe = _user_probe(tmp_path, worker)
    finally:
        worker.close()
    assert probe["uid"] in POOL_UIDS  # a uid of the pool: another run may hold the first
    assert probe["read_secret"] == "PermissionError" and probe["connect"] == "PermissionError"


@pytest.mark.parametrize("stderr, says", [
    ("bwrap: Unknown option --size", "too old"),
    ("bwrap: No permissions to create new namespace", "unprivileged user namespaces must be enabled"),
    ("bwrap: Can't mount proc on /newroot/proc: Operation not permitted", "cannot build the sandbox"),
])
def test_a_bubblewrap_that_cannot_build_the_real_sandbox_is_not_strict(tmp_path, stderr, says):
    """The probe tries the sandbox's own options: passing it means submissions can run (an old
    bubblewrap, or a container hiding /proc, passed a simpler probe and then failed every run)."""
    fake = tmp_path / "bwrap"
    fake.write_text(f"#!/bin/sh\ncat >&2 <<'END'\n{stderr}\nEND\nexit 1\n")
    fake.chmod(0o755)
    problems = bwrap.probe(str(fake), None, None)
    assert len(problems) == 1 and says in problems[0] and stderr in problems[0]


def test_the_probe_passes_the_options_of_a_real_sandbox(tmp_path):
    fake = tmp_path / "bwrap"
    log = tmp_path / "argv"
    fake.write_text(f'#!/bin/sh\necho "$@" > {log}\n')
    fake.chmod(0o755)
    assert bwrap.probe(str(fake), None, None) == []
    assert log.read_text().split() == [*bwrap.BWRAP_SANDBOX, "--", "/usr/bin/true"]


def test_a_python_under_a_private_home_is_detected(tmp_path):
    private = tmp_path / "home"
    private.mkdir(mode=0o700)
    python = private / "python"
    python.write_text("")
    assert "not searchable" in probe.readable_by_others(python)


def test_unknown_level_is_refused():
    with pytest.raises(levels.IsolationUnavailable, match="unknown isolation level"):
        levels.choose("chroot")


def test_seccomp_program_jumps_stay_inside_it():
    program = seccomp.program()
    assert len(seccomp.compiled()) == 8 * len(program)
    for index, (code, jt, jf, _k) in enumerate(program):
        if code in (seccomp.BPF_JEQ_K, seccomp.BPF_JGE_K, seccomp.BPF_JSET_K):
            assert index + 1 + max(jt, jf) < len(program)
    assert program[-1] == (seccomp.BPF_RET_K, 0, 0, seccomp.RET_ALLOW)


def test_process_level_sets_resource_limits(tmp_path):
    path = tmp_path / "answers.py"
    path.write_text("import resource\n"
                    "def limits():\n"
                    "    return [resource.getrlimit(r)[0] for r in (resource.RLIMIT_CORE, resource.RLIMIT_AS,"
                    " resource.RLIMIT_FSIZE, resource.RLIMIT_NOFILE)]\n")
    out = run_file(path, [Request("l", "limits")], {}, Limits(5, 2, 20), levels.choose("process"))
    core, address_space, file_size, files = out.answers["l"].value
    expected = limits.ResourceLimits()
    assert core == 0 and address_space == expected.address_space
    assert file_size == expected.file_size and files == expected.open_files


def _confined_probe() -> dict[str, object]:
    """Run in a child confined like a warm-forked submission; report what it can do."""
    result: dict[str, object] = {"uid": os.getuid()}
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        result["inet"] = "allowed"
    except OSError as exc:
        result["inet"] = exc.errno
    try:
        os.listdir("/root")
        result["root"] = "readable"
    except OSError as exc:
        result["root"] = exc.errno
    result["top"] = sorted(os.listdir("/"))
    result["course_visible"] = os.path.exists(os.path.join(ROOT, "solutions"))
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    result["unshare"] = libc.unshare(0x10000000) == 0 or ctypes.get_errno()
    result["ptrace"] = libc.ptrace(0, 0, 0, 0) == 0 or ctypes.get_errno()
    result["unix_socket"] = bool(socket.socketpair())
    return result


def _in_child(fork: Callable[[], int], action: Callable[[], str]) -> str:
    """What `action` returns in a child made by `fork` (the child exits right after)."""
    read_end, write_end = os.pipe()
    pid = fork()
    if pid == 0:
        try:
            os.close(read_end)
            os.write(write_end, action().encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as f:
        said = f.read()
    os.waitpid(pid, 0)
    return said


@needs_strict
def test_warm_fork_child_is_confined_before_it_runs_anything(tmp_path):
    sandbox = levels.choose("strict")
    mount_point = tmp_path / "root"
    mount_point.mkdir()

    def confine_and_probe() -> str:
        confine.confine_forked_child(sandbox, str(mount_point))
        return json.dumps({**_confined_probe(), "pid": os.getpid()})

    probe = json.loads(_in_child(confine.fork_in_new_pid_namespace, confine_and_probe))
    import errno

    assert probe["uid"] == sandbox.uid
    assert probe["pid"] == 1  # its own PID namespace: whatever it starts dies with it
    assert probe["inet"] in (errno.EACCES, errno.EPERM)
    assert probe["root"] == errno.ENOENT  # not in the view at all
    assert probe["course_visible"] is False
    assert set(probe["top"]) <= {"usr", "lib", "lib64", "bin", "dev", "tmp", "opt"}
    assert probe["unshare"] == errno.EPERM and probe["ptrace"] == errno.EPERM
    assert probe["unix_socket"] is True


@needs_strict
def test_confining_refuses_a_child_outside_its_own_pid_namespace(tmp_path):
    """Without its own PID namespace, what the submission starts would outlive it."""

    def try_to_confine() -> str:
        try:
            confine.confine_forked_child(levels.choose("strict"), str(tmp_path))
            return "confined"
        except OSError as exc:
            return str(exc)

    assert "fork_in_new_pid_namespace" in _in_child(os.fork, try_to_confine)


@needs_strict
def test_a_failed_fork_leaves_the_callers_pid_namespace_as_it_was(monkeypatch):
    real_fork = os.fork

    def failing_fork():
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", failing_fork)
    with pytest.raises(OSError):
        confine.fork_in_new_pid_namespace()
    monkeypatch.setattr(os, "fork", real_fork)
    for _ in range(2):  # the next children: pid 1 of a new namespace each, and a plain one is not
        pid = confine.fork_in_new_pid_namespace()
        if pid == 0:
            os._exit(0 if os.getpid() == 1 else 1)
        assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    pid = os.fork()
    if pid == 0:
        os._exit(0 if os.getpid() != 1 else 1)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0


@needs_strict
def test_strict_child_sees_only_the_sandbox(tmp_path):
    path = tmp_path / "answers.py"
    path.write_text("import os\n"
                    "def view():\n"
                    "    return [os.getuid(), os.getpid(), sorted(os.listdir('/')), os.listdir('/submission')]\n")
    out = run_file(path, [Request("v", "view")], {}, Limits(10, 3, 30), levels.choose("strict"))
    uid, pid, top, submission = out.answers["v"].value
    assert uid == levels.choose("strict").uid and pid < 10
    assert "root" not in top and "work" not in top and "home" not in top
    assert submission == ["answers.py"]
    assert out.isolation == "strict"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc")
def test_a_double_forked_daemon_does_not_outlive_the_run(tmp_path):
    marker = tmp_path / "daemon-was-here"
    path = tmp_path / "answers.py"
    path.write_text("import os, time\n"
                    "if os.fork() == 0:\n"
                    "    os.setsid()\n"
                    "    if os.fork() == 0:\n"
                    "        time.sleep(3)\n"
                    f"        open({str(marker)!r}, 'w').write('late')\n"
                    "    os._exit(0)\n"
                    "a = 1\n")
    out = run_file(path, [Request("a", "a")], {}, Limits(5, 2, 20), levels.choose("process"))
    assert out.answers["a"].value == 1
    import time

    time.sleep(4)
    assert not marker.exists()


def _world_readable(path: Path) -> bool:
    return probe.readable_by_others(path) is None


@needs_strict
@pytest.mark.skipif(os.geteuid() != 0 or not _world_readable(Path(ROOT) / "grader" / "sandbox" / "runner.py"),
                    reason="needs root to become another user, and a checkout other users can read")
def test_strict_without_root_runs_bubblewrap_as_the_user_itself():
    """A TA's Linux account: no sandbox uid, but namespaces, the file-system view and seccomp."""
    import tempfile

    shared = Path(tempfile.mkdtemp(prefix="grader-test-"))
    shared.chmod(0o755)
    submission = shared / "answers.py"
    submission.write_text("import os\ndef view():\n    return [os.getuid(), sorted(os.listdir('/'))]\n")
    submission.chmod(0o644)
    script = ("from grader.sandbox import levels\nfrom grader.sandbox.runner import run_file, Request\n"
              "sandbox = levels.choose('strict')\n"
              f"out = run_file({str(submission)!r}, [Request('v', 'view')], sandbox=sandbox)\n"
              "print(sandbox.uid, out.isolation, out.answers['v'].value)\n")
    import subprocess

    result = subprocess.run(["runuser", "-u", "nobody", "--", "env", f"PYTHONPATH={ROOT}",
                             str(settings.SANDBOX_PYTHON), "-c", script],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    uid_switch, level, view = result.stdout.split(" ", 2)
    assert uid_switch == "None" and level == "strict"
    assert "'work'" not in view and "'root'" not in view and "65534" in view


@needs_strict
def test_parallel_runs_lease_different_sandbox_uids():
    import threading

    sandbox = levels.choose("strict")
    if len(leases.sandbox_users()) < 2:
        pytest.skip("only one sandbox user (grade sandbox setup --users 2 creates a pool)")
    seen, inside = [], threading.Barrier(2)

    def hold():
        with leases.lease(sandbox) as leased:
            seen.append(leased.uid)
            inside.wait(timeout=10)

    threads = [threading.Thread(target=hold) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(seen)) == 2
