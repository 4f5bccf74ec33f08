"""Looking for the expected answers from inside the child: the call stack, the heap, the file system,
the environment. Expected answers never enter the child (ARCHITECTURE.md, the trust boundary,
rule 2), so there is nothing to find; what the process level can read from the grader's file system is documented."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import secsupport as s

from grader.report.results import Outcome

ALLOWED_ENVIRONMENT = {"GRADER_RUN", "HOME", "LANG", "MKL_NUM_THREADS", "MPLBACKEND", "OMP_NUM_THREADS",
                       "OPENBLAS_NUM_THREADS", "PATH", "PYTHONDONTWRITEBYTECODE", "PYTHONHASHSEED",
                       "TMPDIR", "PWD"}  # PWD: bubblewrap sets it


def _expected_values_are_the_fingerprints(report) -> None:
    """The fingerprints searched for really are the expected answers of these parts."""
    assert s.part(report, "q2d").expected.startswith("0.841345")
    assert s.part(report, "q2a").expected.startswith("-0.693147")
    assert s.part(report, "q4d_mean").expected.startswith("1.69706")


@pytest.mark.parametrize("name", ["introspect_frames", "introspect_gc"])
def test_nothing_of_the_expected_answers_is_in_the_childs_memory(grader, problem_set, level, name):
    g = grader.grade(name, level)
    m = s.meta(s.hostile(name))
    assert g.error is None
    s.assert_complete(g.report, problem_set)
    s.assert_honest(g.report, m.honest)
    _expected_values_are_the_fingerprints(g.report)
    q2d = s.part(g.report, "q2d")
    assert q2d.outcome is Outcome.NOT_ANSWERED, "the search found a candidate for q2d"
    summary = g.raw("q3a").value
    assert isinstance(summary, str) and "SECTEST" in summary
    assert "objects visited" in summary and "float hits []" in summary and "string hits []" in summary
    assert s.fingerprints_in(summary) == []
    assert s.fingerprints_in(s.text_of_report(g.report)) == []
    if name == "introspect_frames":
        # It did see the harness's frames: the search was real, and found only public inputs.
        assert "load_submission" in summary and "answer" in summary and "main" in summary


def test_reading_the_solution_the_cache_and_other_students_files(grader, problem_set, level):
    g = grader.grade("read_secrets", level)
    m = s.meta(s.hostile("read_secrets"))
    assert g.error is None
    s.assert_complete(g.report, problem_set)
    s.assert_honest(g.report, m.honest)
    said = g.raw("q3a").value
    own_environment = set(said.split("own environment: ")[1].split("\n")[0].split(", "))
    assert own_environment <= ALLOWED_ENVIRONMENT  # nothing of the grader's environment is passed on
    if level == "strict":
        for path in ("/work/main/solutions/genmodels.py", "/work/main/problems/genmodels/2d.yaml",
                     "/work/main/submissions/genmodels/perfect.py"):
            assert f"unreadable {path}" in said
        assert "unlistable /root" in said and "unlistable /work/main" in said
        assert "READ /work/main" not in said and f"READ {s.ROOT}" not in said
        # Its PID namespace holds only the sandbox: the only environments it can read are the
        # sandbox's own (the run's fixed variables), never the grader's.
        for line in said.splitlines():
            if line.endswith(" variables"):
                assert int(line.split(" holds ")[1].split()[0]) <= len(ALLOWED_ENVIRONMENT), line
        assert s.part(g.report, "q2d").outcome is Outcome.NOT_ANSWERED
        assert s.fingerprints_in(said) == []
    elif level == "user":
        # The user level's promise: the sandbox uid reads only what any user may read. Root-only
        # places stay out of reach: /root, the reference cache (0600 in a 0700 folder), the
        # grader's environment. What the course leaves world-readable does not (DOCUMENTED: on
        # Gradescope the grader makes /autograder root-only, see test_gradescope_run.py; a TA
        # grading at this level keeps the course folder private).
        course = said.split("COURSE=")[1].split("\n")[0]
        assert "unlistable /root" in said
        assert "/.grade-cache/" not in said.replace(f"unreadable {course}/.grade-cache", "")
        assert " variables" not in said  # no other process's environment was readable
        reference_public = s.readable_by_others(Path(course) / "solutions" / "genmodels.py")
        assert (f"READ {course}/solutions/genmodels.py" in said) == reference_public
        assert (s.part(g.report, "q2d").outcome is Outcome.CORRECT) == reference_public
    else:
        # DOCUMENTED (process level): the child runs as the grader's user and sees the grader's
        # file system and processes: it reads the reference solution, the specs, the cached
        # expected answers, other students' files and the grader's environment, and answers q2d
        # correctly. The process level does not isolate files: grade untrusted code at strict.
        course = said.split("COURSE=")[1].split("\n")[0]
        assert Path(course).resolve() == s.ROOT.resolve()
        assert f"READ {course}/solutions/genmodels.py" in said
        assert f"READ {course}/submissions/genmodels/perfect.py" in said
        assert "LISTED /root" in said or not os.access("/root", os.R_OK)
        assert s.part(g.report, "q2d").outcome is Outcome.CORRECT
