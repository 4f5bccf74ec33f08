"""The launcher and the child harness: one bad statement or answer costs only itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from grader.sandbox.records import AnswerStatus
from grader.sandbox.runner import Limits, Request, SubmissionFileError, run_file

FAST = Limits(import_seconds=3, answer_seconds=1, total_seconds=30)


def run(tmp_path: Path, source: str, requests: list[Request], limits: Limits = FAST, **kw):
    path = tmp_path / "answers.py"
    path.write_text(source, encoding="utf-8")
    return run_file(path, requests, kw.get("parameters", {}), limits)


def values(outcome) -> dict[str, object]:
    return {k: (a.value if a.status is AnswerStatus.VALUE else a.status) for k, a in outcome.answers.items()}


def test_values_calls_and_missing_names(tmp_path):
    out = run(tmp_path, "a = 1.5\ndef f(x, y): return x * y\ndef g(): return 'hi'\n",
              [Request("a", "a"), Request("f", "f", [2, 3]), Request("g", "g"), Request("m", "missing")])
    assert values(out) == {"a": 1.5, "f": 6, "g": "hi", "m": AnswerStatus.MISSING}


def test_exception_reports_only_the_students_frames(tmp_path):
    out = run(tmp_path, "def helper(x):\n    return 1 / x\n\ndef f(x):\n    return helper(x)\n",
              [Request("f", "f", [0])])
    answer = out.answers["f"]
    assert answer.status is AnswerStatus.RAISED
    assert answer.problem.type == "ZeroDivisionError"
    assert [fr.function for fr in answer.problem.frames] == ["f", "helper"]
    assert all("harness" not in fr.code for fr in answer.problem.frames)
    assert answer.problem.line == 2


def test_template_stub_is_not_implemented(tmp_path):
    out = run(tmp_path, "def q():\n    raise NotImplementedError\n", [Request("q", "q")])
    assert out.answers["q"].status is AnswerStatus.NOT_IMPLEMENTED


def test_top_level_errors_and_sys_exit_cost_only_their_statement(tmp_path):
    source = "import torch_not_here\na = 1\nb = 1/0\nimport sys\nsys.exit(0)\nc = 3\n"
    out = run(tmp_path, source, [Request("a", "a"), Request("b", "b"), Request("c", "c")])
    assert values(out) == {"a": 1, "b": AnswerStatus.MISSING, "c": 3}
    kinds = [p.type for p in out.load_problems]
    assert kinds == ["ModuleNotFoundError", "ZeroDivisionError", "SystemExit"]
    assert [p.line for p in out.load_problems] == [1, 3, 5]


def test_syntax_error_keeps_the_blocks_that_parse(tmp_path):
    source = "a = 1\n\ndef broken(x)\n    return x\n\nb = 2\n"
    out = run(tmp_path, source, [Request("a", "a"), Request("b", "b"), Request("broken", "broken", [1])])
    assert values(out) == {"a": 1, "b": 2, "broken": AnswerStatus.MISSING}
    assert out.load_problems[0].type == "SyntaxError" and out.load_problems[0].line == 3


def test_code_nested_past_the_parsers_depth_costs_only_its_statement(tmp_path):
    """Found by hostile notebooks: whole-file parsing raised MemoryError, a grader error for every part."""
    source = "a = 1\nx = " + "-" * 300_000 + "1\nb = 2\n"
    out = run(tmp_path, source, [Request("a", "a"), Request("b", "b")])
    assert values(out) == {"a": 1, "b": 2}
    [problem] = out.load_problems
    assert (problem.type, problem.line) == ("SyntaxError", 2) and "nested too deeply" in problem.message


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="orphans are swept through /proc")
def test_a_child_the_embedding_program_started_before_the_run_survives_it(tmp_path):
    """Found by the browser tests: the sweep for a submission's orphans killed every child of the
    grader's process it had not started itself, here a browser a test drove (or a notebook
    kernel's helper, for a TA grading from Jupyter). A child older than the run is left alone."""
    bystander = subprocess.Popen(["sleep", "60"])
    time.sleep(0.05)  # started before the run, in an earlier clock tick (10 ms) than the run's child
    try:
        out = run(tmp_path, "import os, subprocess\nsubprocess.Popen(['sleep', '60'], start_new_session=True)\na = 1\n",
                  [Request("a", "a")])
        assert values(out) == {"a": 1}
        assert bystander.poll() is None, "the program's own child was killed"
    finally:
        bystander.kill()
        bystander.wait()


def test_infinite_loop_at_top_level_is_skipped_and_the_rest_graded(tmp_path):
    source = "a = 1\nwhile True:\n    pass\nb = 2\n"
    start = time.monotonic()
    out = run(tmp_path, source, [Request("a", "a"), Request("b", "b")])
    assert values(out) == {"a": 1, "b": 2}
    assert out.skipped_statements and out.skipped_statements[0][0] == 2
    assert time.monotonic() - start < 15


def test_os_exit_at_top_level_is_skipped(tmp_path):
    out = run(tmp_path, "import os\na = 1\nos._exit(0)\nb = 2\n", [Request("a", "a"), Request("b", "b")])
    assert values(out) == {"a": 1, "b": 2}
    assert out.skipped_statements[0][0] == 3


def test_endless_answer_times_out_and_others_are_kept(tmp_path):
    source = "def slow(x):\n    while True:\n        pass\nfast = 7\n"
    requests = [Request("s1", "slow", [1]), Request("s2", "slow", [2]), Request("f", "fast")]
    start = time.monotonic()
    out = run(tmp_path, source, requests)
    assert values(out) == {"s1": AnswerStatus.TIMED_OUT, "s2": AnswerStatus.TIMED_OUT, "f": 7}
    assert time.monotonic() - start < 10  # the second input of the endless function is not retried


def test_answer_that_swallows_the_timeout_is_killed(tmp_path):
    source = ("import signal\n"
              "def stubborn():\n    signal.signal(signal.SIGALRM, signal.SIG_IGN)\n"
              "    while True:\n        pass\nafter = 3\n")
    out = run(tmp_path, source, [Request("s", "stubborn"), Request("a", "after")])
    assert values(out) == {"s": AnswerStatus.TIMED_OUT, "a": 3}
    assert out.launches == 2


def test_os_exit_inside_an_answer_loses_only_that_answer(tmp_path):
    out = run(tmp_path, "import os\ndef die():\n    os._exit(3)\nok = 1\n",
              [Request("d", "die"), Request("o", "ok")])
    assert out.answers["d"].status is AnswerStatus.LOST
    assert "exit code 3" in out.answers["d"].detail
    assert values(out)["o"] == 1


def test_printed_fake_answers_are_never_read(tmp_path):
    fake = json.dumps({"event": "answer", "id": "a", "value": 1e9})
    source = f"print({fake!r})\nimport sys\nsys.stderr.write({fake!r})\na = 2\n"
    out = run(tmp_path, source, [Request("a", "a")])
    assert values(out) == {"a": 2}
    assert "1000000000" in out.stdout


def test_print_flood_is_capped(tmp_path):
    source = "import sys\nfor _ in range(20000):\n    sys.stdout.write('x' * 1000)\na = 1\n"
    out = run(tmp_path, source, [Request("a", "a")], Limits(10, 2, 30))
    assert values(out) == {"a": 1}
    assert len(out.stdout) <= 16 * 1024


def test_child_sees_no_expected_answer_and_a_clean_environment(tmp_path):
    source = ("import os, sys\n"
              "def env(): return sorted(os.environ)\n"
              "def cwd(): return sorted(os.listdir('.'))\n"
              "def argv(): return sys.argv\n")
    out = run(tmp_path, source, [Request("e", "env"), Request("c", "cwd"), Request("a", "argv")])
    assert set(out.answers["e"].value) <= {"GRADER_RUN", "PATH", "HOME", "TMPDIR", "LANG", "PYTHONHASHSEED",
                                           "PYTHONDONTWRITEBYTECODE", "OPENBLAS_NUM_THREADS",
                                           "OMP_NUM_THREADS", "MKL_NUM_THREADS", "MPLBACKEND", "LC_CTYPE"}
    assert out.answers["c"].value == ["answers.py"]
    assert len(out.answers["a"].value) == 1


def test_parameters_are_visible_to_the_file(tmp_path):
    out = run(tmp_path, "b = PARAMETERS['betas'][1]\n", [Request("b", "b")], parameters={"betas": [0.1, 0.2]})
    assert values(out) == {"b": 0.2}


def test_huge_and_deeply_nested_values_are_refused(tmp_path):
    source = "big = list(range(10**6))\ndeep = []\nfor _ in range(500):\n    deep = [deep]\n"
    out = run(tmp_path, source, [Request("b", "big"), Request("d", "deep")])
    assert out.answers["b"].status is AnswerStatus.TOO_LARGE
    assert out.answers["d"].status is AnswerStatus.TOO_LARGE


def test_lying_objects_reach_the_parent_as_data(tmp_path):
    source = ("class Liar(float):\n"
              "    def __eq__(self, other): return True\n"
              "    def __repr__(self): return '-0.6931'\n"
              "    def __float__(self): return -0.6931\n"
              "class Anything:\n    def __eq__(self, other): return True\n"
              "x = Liar(3.0)\ny = Anything()\n")
    out = run(tmp_path, source, [Request("x", "x"), Request("y", "y")])
    assert out.answers["x"].value == 3.0
    assert type(out.answers["y"].value).__name__ == "OpaqueObject"


def test_symlinked_submission_is_refused(tmp_path):
    target = tmp_path / "real.py"
    target.write_text("a = 1\n")
    link = tmp_path / "link.py"
    os.symlink(target, link)
    with pytest.raises(SubmissionFileError, match="link"):
        run_file(link, [Request("a", "a")])


@pytest.mark.parametrize("content, message", [
    (b"a = '\xff\xfe'\n", "not UTF-8"),
    (b"#" * (2 << 20), "larger than"),
])
def test_unreadable_submissions_are_refused(tmp_path, content, message):
    path = tmp_path / "answers.py"
    path.write_bytes(content)
    with pytest.raises(SubmissionFileError, match=message):
        run_file(path, [Request("a", "a")])


def test_missing_submission_is_refused(tmp_path):
    with pytest.raises(SubmissionFileError, match="no such file"):
        run_file(tmp_path / "nope.py", [Request("a", "a")])


def test_messages_outside_the_protocol_are_ignored_and_logged(tmp_path, caplog):
    """A submission may write to the answer channel; what breaks the protocol is dropped, the run
    goes on, and the grader says so in its log instead of swallowing it."""
    source = ("import os\n"
              "CHANNEL = int(open('/proc/self/cmdline', 'rb').read().split(b'\\0')[-2])\n"
              "os.write(CHANNEL, b'not json\\n')\n"
              "os.write(CHANNEL, b'{\"event\": \"loaded\", \"problems\": 5}\\n')\n"
              "a = 2.5\n")
    with caplog.at_level("WARNING", logger="grader.sandbox.runner"):
        out = run(tmp_path, source, [Request("a", "a")])
    assert values(out) == {"a": 2.5}
    warning = next(r.getMessage() for r in caplog.records if r.name == "grader.sandbox.runner")
    assert "ignored 2 message(s)" in warning and "not tagged JSON" in warning
