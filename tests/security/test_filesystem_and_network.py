"""Submissions that reach for files and the network: symlinked, FIFO and directory submissions, the
reference cache, a local service, the internet."""

from __future__ import annotations

import os
import shutil
import socket
import threading
from pathlib import Path

import pytest
import secsupport as s

from grader.pipeline import grade_submission
from grader.problemset.loader import load_problem_set
from grader.sandbox import levels
from grader.sandbox.runner import SubmissionFileError

PORT = 47913  # hostile/network.py connects here
ABSTRACT = "\0SECTEST-grader"


# -- what is submitted ------------------------------------------------------------------------------

@pytest.mark.parametrize("target", ["solutions/genmodels.py", "submissions/genmodels/perfect.py"])
def test_a_symlinked_submission_is_refused(problem_set, level, tmp_path, target):
    link = tmp_path / "answers.py"
    link.symlink_to(s.ROOT / target)
    with pytest.raises(SubmissionFileError, match="link"):
        grade_submission(problem_set, link, sandbox=levels.choose(level))


def test_a_symlinked_directory_on_the_way_is_refused(problem_set, tmp_path, request):
    """The same theft one directory up: uploads/alice -> /work/main/solutions."""
    request.applymarker(pytest.mark.xfail(strict=True, reason=(
        "VULNERABILITY (low): read_submission opens with O_NOFOLLOW, which checks only the last "
        "component; a symlinked directory on the way (uploads/alice -> solutions/) is followed, so "
        "the reference solution itself is graded as the submission (100/100)")))
    (tmp_path / "alice").symlink_to(s.ROOT / "solutions")
    try:
        report = grade_submission(problem_set, tmp_path / "alice" / "genmodels.py",
                                  sandbox=levels.choose("process"))
    except SubmissionFileError:
        return
    pytest.fail(f"the reference solution was graded through a symlinked directory: {report.earned:g}/100")


def test_a_directory_named_like_a_submission_is_refused_cleanly(problem_set, tmp_path):
    # (Found by this suite: IsADirectoryError used to escape read_submission and became a grader
    # error on every part.)
    directory = tmp_path / "answers.py"
    directory.mkdir()
    try:
        report = grade_submission(problem_set, directory, sandbox=levels.choose("process"))
    except SubmissionFileError:
        return
    pytest.fail(f"a directory was not refused; the report says: {report.grader_error}")


def test_a_fifo_submission_does_not_hang_the_grader(problem_set, tmp_path):
    # (Found by this suite: open() used to block forever on a named pipe without a writer.)
    fifo = tmp_path / "answers.py"
    os.mkfifo(fifo)
    result: dict[str, str] = {}

    def grade() -> None:
        try:
            grade_submission(problem_set, fifo, sandbox=levels.choose("process"))
            result["outcome"] = "graded"
        except SubmissionFileError:
            result["outcome"] = "refused"
        except BaseException as exc:  # noqa: BLE001
            result["outcome"] = repr(exc)

    worker = threading.Thread(target=grade, daemon=True)
    worker.start()
    worker.join(5)
    hung = worker.is_alive()
    if hung:  # release it: a writer that opens and closes at once gives the reader EOF
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(10)
    assert not hung, "grade_submission was still blocked opening the FIFO after 5 s"
    assert result.get("outcome") == "refused"


# -- the reference cache ------------------------------------------------------------------------------

@pytest.fixture
def course_copy(tmp_path) -> Path:
    """A disposable course (problems/ and solutions/), so that a poisoning attempt can do no harm."""
    course = tmp_path / "course"
    for d in ("problems", "solutions"):
        shutil.copytree(s.ROOT / d, course / d)
    return course


def test_a_submission_cannot_poison_the_expected_answers_of_later_gradings(grader, level, course_copy):
    ps = load_problem_set(course_copy / "problems" / "genmodels", course_copy)
    perfect = s.ROOT / "submissions" / "genmodels" / "perfect.py"
    before = grader.grade(perfect, level, problem_set=ps, cwd=course_copy)
    assert before.report.earned == 100
    cache = sorted((course_copy / ".grade-cache").glob("*.json"))
    assert cache, "the reference's answers were not cached"
    cached = {p: p.read_bytes() for p in cache}

    first = grader.grade("cache_poison", level, problem_set=ps, cwd=course_copy)
    again = grader.grade("cache_poison", level, problem_set=ps, cwd=course_copy)
    after = grader.grade(perfect, level, problem_set=ps, cwd=course_copy)
    s.assert_attacked(first.report, ("q2a", "q2d"))
    # Found by this suite at the process level (the child runs as the grader's user; it finds the
    # course through /proc/<grader>/cwd and rewrites .grade-cache/*.json): the rewrite cannot be
    # stopped there, so the grader undoes it after every run (checking/cache_guard.py).
    assert again.report.earned == first.report.earned, "the resubmission scored higher"
    s.assert_attacked(again.report, ("q2a", "q2d"))
    assert after.report.earned == 100, "a good submission graded after the attack lost points"
    assert {p: p.read_bytes() for p in cache} == cached, "the cached expected answers were rewritten"


# -- the network -------------------------------------------------------------------------------------

@pytest.fixture
def listeners():
    """A TCP service on 127.0.0.1:PORT and an abstract Unix socket, counting connections."""
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        tcp.bind(("127.0.0.1", PORT))
    except OSError as exc:
        tcp.close()
        pytest.skip(f"port {PORT} is busy here ({exc})")
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind(ABSTRACT)
    accepted = {"tcp": 0, "unix": 0}
    stop = threading.Event()
    for sock in (tcp, unix):
        sock.listen(8)
        sock.settimeout(0.05)

    def serve() -> None:
        while not stop.is_set():
            for name, sock in (("tcp", tcp), ("unix", unix)):
                try:
                    conn, _ = sock.accept()
                except (TimeoutError, OSError):
                    continue
                accepted[name] += 1
                try:
                    conn.sendall(b"no answers here\n")
                finally:
                    conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield accepted
    stop.set()
    thread.join(2)
    tcp.close()
    unix.close()


def test_network_access(grader, problem_set, level, listeners, record_property):
    g = grader.grade("network", level, fresh=True)
    m = s.meta(s.hostile("network"))
    assert g.error is None
    s.assert_complete(g.report, problem_set)
    s.assert_honest(g.report, m.honest)
    s.assert_attacked(g.report, m.attacked)
    said = g.raw("q3a").value
    record_property("network", f"{said} | accepted {listeners}")
    if level == "strict":
        # seccomp refuses AF_INET sockets; the sandbox has its own, empty network namespace (so
        # abstract Unix sockets of the host are out of reach too) and no resolver.
        assert "internet: socket refused" in said and "localhost: socket refused" in said
        assert "abstract: connect failed" in said and "dns: failed" in said
        assert listeners == {"tcp": 0, "unix": 0}
    else:
        # DOCUMENTED (process level): the child shares the grader's network namespace. What it
        # reaches is recorded (the `network` property in the junit XML), not required to fail;
        # here the local service and the abstract socket accept it, and the internet if the
        # machine has it. Only the bookkeeping is checked: a connection the listener counted is
        # one the child reported.
        if listeners["tcp"]:
            assert "localhost: CONNECTED" in said
        if listeners["unix"]:
            assert "abstract: CONNECTED" in said
