"""Exhausting resources: endless loops at import and in an answer, memory, the disk, output, the C
stack, huge or deep values, and sympy expressions that take forever to evaluate. The grader must
stay up, finish within a bound, and grade the honest parts."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import secsupport as s

from grader.checking.timebox import TimeLimitExceeded, time_limit
from grader.report.results import Outcome
from grader.sandbox import levels
from grader.sandbox.records import AnswerStatus
from grader.sandbox.runner import Limits, Request, run_file

MAX_CAPTURED = 16 << 10


def _graded(grader, problem_set, level, name, bound: float):
    g = grader.grade(name, level)
    m = s.meta(s.hostile(name))
    assert g.error is None, g.error
    s.assert_complete(g.report, problem_set)
    s.assert_honest(g.report, m.honest)
    s.assert_attacked(g.report, m.attacked)
    assert g.seconds < bound, f"grading took {g.seconds:.1f} s (bound {bound} s)"
    assert not g.leftovers
    return g, m


def test_an_endless_loop_at_import_is_skipped(grader, problem_set, level):
    g, _ = _graded(grader, problem_set, level, "infinite_loop_import", bound=25)
    source = s.hostile("infinite_loop_import").read_text().splitlines()
    loop_line = source.index("while True:") + 1
    skipped = {line: reason for line, reason, _ in g.report.skipped_statements}
    assert loop_line in skipped and "longer than" in skipped[loop_line]


def test_an_endless_answer_that_ignores_its_alarm_times_out_alone(grader, problem_set, level):
    g, _ = _graded(grader, problem_set, level, "infinite_loop_answer", bound=15)
    assert s.part(g.report, "q2d").outcome is Outcome.TIMED_OUT


def test_memory_bombs_hit_the_address_space_limit(grader, problem_set, level):
    g, _ = _graded(grader, problem_set, level, "memory_bomb", bound=15)
    for name in ("q2d", "q4b"):
        p = s.part(g.report, name)
        assert p.outcome is Outcome.RAISED and "MemoryError" in p.problem.type, name


def test_an_output_flood_is_drained_and_capped(grader, problem_set, level):
    g, _ = _graded(grader, problem_set, level, "output_flood", bound=20)
    assert len(g.outcome.stdout) <= MAX_CAPTURED and len(g.outcome.stderr) <= MAX_CAPTURED
    assert '"score": 100' in g.outcome.stdout  # captured for display, never read as a score


def test_a_c_stack_overflow_loses_only_its_answer(grader, problem_set, level):
    g, _ = _graded(grader, problem_set, level, "deep_recursion", bound=15)
    q2d = s.part(g.report, "q2d")
    assert q2d.outcome is Outcome.RAISED and any("ended the process" in f for f in q2d.feedback)
    said = " ".join(q2d.feedback)
    assert "SIGSEGV" in said or "exit code 139" in said  # 139 = 128 + SIGSEGV, via bubblewrap
    assert s.part(g.report, "q4b").problem.type == "RecursionError"
    assert s.part(g.report, "q3p_mean").outcome is Outcome.RAISED


def test_huge_and_deep_values_are_refused_quickly(grader, problem_set, level):
    g, m = _graded(grader, problem_set, level, "huge_values", bound=15)
    for name in m.attacked:
        assert s.part(g.report, name).outcome is Outcome.INVALID, name


def test_sympy_expressions_that_never_finish_are_cut_off(grader, problem_set, level):
    g, m = _graded(grader, problem_set, level, "sympy_slow", bound=30)
    for name in m.attacked:
        p = s.part(g.report, name)
        assert p.outcome is Outcome.INVALID, name
    assert any("too long" in f or "too large" in f for f in s.part(g.report, "q2b").feedback)


def test_the_sympy_time_limit_holds_in_a_worker_thread_too():
    """timebox.time_limit must cut off pure-Python work in any thread, not only the main one
    (SIGALRM): a batch grader or a future executor may check answers in worker threads, and an
    answer such as hostile/sympy_slow.py's q2b would otherwise run unbounded there."""

    def slow() -> str:
        try:
            with time_limit(0.3):
                total = 0
                for i in range(30_000_000):  # pure Python: interruptible, ~2 s
                    total += i
            return "finished: no time limit"
        except TimeLimitExceeded:
            return "cut off"

    with ThreadPoolExecutor(max_workers=1) as pool:
        assert pool.submit(slow).result() == "cut off"


def test_the_total_disk_use_of_a_submission_is_bounded(level, request):
    """One answer is enough: run_file with a single request (and time to write)."""
    out = run_file(s.hostile("disk_bomb"), [Request("q2d", "q2d")], {}, Limits(5, 20, 40),
                   levels.choose(level))
    q2d = out.answers["q2d"]
    assert q2d.status is AnswerStatus.VALUE
    written_mib = q2d.value
    if level in ("process", "user"):
        request.applymarker(pytest.mark.xfail(strict=True, reason=(
            f"VULNERABILITY: at the {level} level only RLIMIT_FSIZE (16 MiB per file) limits writes: a "
            "submission writes file after file into its working directory on the real disk, without "
            "a total limit during the run (the test stops at 256 MiB); the files go with the run "
            "(the staged folder is removed, and at the user level whatever the sandbox uid left in "
            "/tmp, /var/tmp and /dev/shm). A container's own disk quota bounds it on Gradescope. (At "
            "strict the sandbox's tmpfs /tmp is capped at limits.SCRATCH_BYTES, found by this suite: "
            "it used to be host memory without a limit.)")))
    assert written_mib <= 64, f"the submission wrote {written_mib:g} MiB in 16 MiB files"
