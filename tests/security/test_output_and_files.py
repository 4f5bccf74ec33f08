"""Attacks on the grader's outputs: forged result files, fake printed scores, early exits, a closed
answer channel, and a daemon that rewrites `grade submit --out` after the grader wrote it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import secsupport as s

from grader.report.results import Outcome

MAX_CAPTURED = 16 << 10


def honest_total(report, honest) -> float:
    """What the report must total: the honest parts plus any provisional free-text points."""
    return sum(s.part(report, n).possible for n in honest) + sum(
        p.earned for p in report.parts if p.provisional and p.name not in honest)


def test_forged_result_files_decide_nothing(grader, problem_set, level, clean_after):
    g = grader.grade("forge_results_files", level)
    m = s.meta(s.hostile("forge_results_files"))
    assert g.error is None
    s.assert_complete(g.report, problem_set)
    s.assert_attacked(g.report, m.attacked)
    s.assert_honest(g.report, m.honest)
    assert g.report.earned == pytest.approx(honest_total(g.report, m.honest))

    written = g.raw("q3a").value
    course_file = str(s.ROOT / "SECTEST-forge-results.json")
    if level == "strict":
        # The sandbox sees no /root and no course (those writes failed) and a private /tmp (that
        # write succeeded in there, and vanished with the sandbox): nothing appeared outside.
        assert g.new_files == []
        assert "/root/SECTEST" not in written and course_file not in written
    elif level == "user":
        # The sandbox uid cannot write /root or the course (root's); it can write the shared /tmp,
        # but everything the run's uid owns there is removed after the run (sandbox/leftovers.py).
        assert g.new_files == []
        assert "/root/SECTEST" not in written and course_file not in written
        assert not Path("/tmp/SECTEST-forge-results.json").exists()
    else:
        # DOCUMENTED (process level): the child runs as the grader's user with the grader's view
        # of the file system, so its writes outside the private working directory succeed. They
        # still decide nothing: the report above is computed from the answers alone.
        outside = {course_file} | {f"{d}/SECTEST-forge-results.json" for d in ("/tmp", "/root")
                                   if os.access(d, os.W_OK)}
        assert {str(p) for p in g.new_files} >= outside
        # Its working directory, $HOME and ".." are the run's private staging directory, which
        # the runner deletes: those results.json files are gone with it.
        staged = [w for w in written.split() if "/grade-run-" in w]
        assert staged and not any(Path(w).exists() for w in staged)
    # Whatever was written, nothing is left in the repository (the helper removes our files at
    # once, so that no one's `git add -A` can pick them up).
    assert not [p for p in s.repo_files() if s.MARKER in p.name]


def test_printed_scores_and_fake_protocol_lines_are_never_read(grader, problem_set, level):
    g = grader.grade("fake_output", level)
    m = s.meta(s.hostile("fake_output"))
    assert g.error is None
    s.assert_complete(g.report, problem_set)
    s.assert_attacked(g.report, m.attacked + ("q4d_var",))
    s.assert_honest(g.report, m.honest)
    assert s.part(g.report, "q2d").understood.startswith("0.123")
    # The fake lines were printed and captured (for display only, capped), never parsed.
    assert '"event": "answer", "id": "q2d"' in g.outcome.stdout
    assert "TOTAL 100 / 100" in g.outcome.stderr
    assert len(g.outcome.stdout) <= MAX_CAPTURED and len(g.outcome.stderr) <= MAX_CAPTURED


def test_sys_exit_during_import_costs_only_its_own_statements(grader, problem_set, level):
    g = grader.grade("exit_during_import", level)
    m = s.meta(s.hostile("exit_during_import"))
    assert g.error is None
    s.assert_complete(g.report, problem_set)
    s.assert_honest(g.report, m.honest)  # including the answers defined after sys.exit(0)
    s.assert_attacked(g.report, m.attacked)
    assert s.part(g.report, "q2d").outcome is Outcome.RAISED
    assert [p.type for p in g.report.file_problems] == ["SystemExit", "SystemExit"]


def test_os_exit_during_import_costs_only_its_own_statement(grader, problem_set, level):
    g = grader.grade("os_exit_during_import", level)
    m = s.meta(s.hostile("os_exit_during_import"))
    assert g.error is None
    s.assert_complete(g.report, problem_set)
    s.assert_honest(g.report, m.honest)
    q2d = s.part(g.report, "q2d")
    assert q2d.outcome is Outcome.RAISED and q2d.earned == 0
    assert any("ended the process" in f for f in q2d.feedback)
    source = s.hostile("os_exit_during_import").read_text().splitlines()
    exit_line = source.index("os._exit(0)") + 1
    assert exit_line in {line for line, _, _ in g.report.skipped_statements}


def test_a_closed_answer_channel_is_survived_and_not_blamed_on_the_grader(grader, problem_set, level):
    g = grader.grade("channel_sabotage", level)
    m = s.meta(s.hostile("channel_sabotage"))
    assert g.error is None
    s.assert_complete(g.report, problem_set)
    s.assert_honest(g.report, m.honest)
    source = s.hostile("channel_sabotage").read_text().splitlines()
    assert source.index("os.close(CHANNEL)") + 1 in {line for line, _, _ in g.report.skipped_statements}


def _grade_cli(file: Path, level: str, cwd: Path) -> subprocess.CompletedProcess:
    code = "import sys; from grader.cli import main; sys.argv[0] = 'grade'; main()"
    argv = [sys.executable, "-c", code, "submit", str(file), "--course", str(s.ROOT), "-a", "genmodels",
            "--format", "json", "--out", "results.json", "--isolation", level]
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_the_report_written_by_grade_submit_stays_the_graders(level, tmp_path, clean_after):
    """`grade submit --out results.json` (the Gradescope path), then wait: the file must still hold
    the grader's report, not the forgery of a daemon the submission left behind. (Found by this
    suite at the process level: an environment-less daemon used to escape the GRADER_RUN sweep and
    rewrite the report; the runner now also kills every orphan that re-parents to it.)"""
    done = _grade_cli(s.hostile("late_report_forger"), level, tmp_path)
    assert done.returncode == 0, done.stderr
    written = json.loads((tmp_path / "results.json").read_text())
    assert written["earned"] == 8 and written["isolation"] == level
    time.sleep(3.0)  # the forger waits for the report and 0.5 s more
    after = json.loads((tmp_path / "results.json").read_text())
    assert "SECTEST" not in json.dumps(after)
    assert after["earned"] == written["earned"] == 8
    assert not s.leftovers(0.2), "a process of the submission outlived `grade submit`"
