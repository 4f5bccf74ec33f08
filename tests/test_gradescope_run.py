"""`grade gradescope run`, end to end through the built zip's `run_autograder` in a fake /autograder.

Each test unpacks the zip into a temporary ROOT (source/, submission/, results/,
submission_metadata.json), points AUTOGRADER_ROOT at it and AUTOGRADER_VENV at a venv whose
`bin/grade` is this machine's `grade`, runs `run_autograder`, and checks ROOT/results/results.json
against the JSON Schema of Gradescope's format and against the expected score. Most run at the
process level (AUTOGRADER_ISOLATION=process): there the submission can reach ROOT, the harder case.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import jsonschema
import pytest
from report_fixtures import EXPECTED_SECRETS, HIDDEN_INPUTS, make_report
from test_gradescope_build import ROOT, build_once

from grader.gradescope.metadata import Metadata, late_penalty, parse_time, read_metadata
from grader.gradescope.results_json import DIAGNOSTICS, Context, graded_results, part_tests
from grader.gradescope.submission import find_submission
from grader.problemset.spec import LatePolicy

SCHEMA = json.loads((ROOT / "grader" / "gradescope" / "results.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
PARTS = 42  # parts of the genmodels set
BASE = "import math\n\nq2a = -math.log(2)      # 4 points\nq2d = 0.8413            # 3 points\n"
METADATA = {
    "id": 987654,
    "created_at": "2026-11-20T10:00:00.123456-05:00",
    "assignment": {"due_date": "2026-11-25T23:59:00.000000-05:00", "late_due_date": None, "group_size": None,
                   "group_submission": False, "id": 25828, "course_id": 1234, "release_date": None,
                   "title": "Problem set 3", "total_points": "100.0"},
    "submission_method": "upload",
    "users": [{"email": "ada@example.edu", "id": 1234, "name": "Ada Lovelace"}],
    "previous_submissions": [],
}


@pytest.fixture(scope="session")
def autograder_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_once(tmp_path_factory)


@pytest.fixture(scope="session")
def warm_cache(autograder_zip: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference's cached answers, computed by the command setup.sh runs while Gradescope
    builds the image; every fake ROOT starts with them, like a real container."""
    source = tmp_path_factory.mktemp("gradescope-warm") / "source"
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(source)
    result = subprocess.run([sys.executable, "-m", "grader.gradescope.precompute", "--course", str(source),
                             "--assignment", "genmodels"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "answers are computed and cached" in result.stdout
    return source / ".grade-cache"


# -- the fake /autograder ------------------------------------------------------------------------

def install_grade(venv: Path) -> None:
    """venv/bin/grade: this machine's `grade` (a wrapper adding the gradescope group if grader/cli.py
    does not register it yet)."""
    from grader.cli import cli

    bin_dir = venv / "bin"
    bin_dir.mkdir(parents=True)
    script = Path(sysconfig.get_path("scripts")) / "grade"
    if "gradescope" in cli.commands and script.exists():
        (bin_dir / "grade").symlink_to(script)
        return
    code = ("import sys; from grader.cli import cli, main; from grader.gradescope.cli import gradescope; "
            "'gradescope' in cli.commands or cli.add_command(gradescope); sys.argv[0] = 'grade'; main()")
    (bin_dir / "grade").write_text(f'#!/bin/sh\nexec "{sys.executable}" -c "{code}" "$@"\n')
    (bin_dir / "grade").chmod(0o755)


def make_root(tmp_path: Path, autograder_zip: Path, cache: Path | None, files: dict[str, str | bytes] | None,
              metadata: dict | None = METADATA) -> Path:
    root = tmp_path / "autograder"
    source = root / "source"
    source.mkdir(parents=True)
    with zipfile.ZipFile(autograder_zip) as archive:
        for info in archive.infolist():
            archive.extract(info, source)
            (source / info.filename).chmod((info.external_attr >> 16) & 0o777)
    if cache is not None:
        shutil.copytree(cache, source / ".grade-cache")
    shutil.copy2(source / "run_autograder", root / "run_autograder")  # as Gradescope does
    (root / "submission").mkdir()
    for name, content in (files or {}).items():
        path = root / "submission" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    (root / "results").mkdir()
    if metadata is not None:
        (root / "submission_metadata.json").write_text(json.dumps(metadata))
    install_grade(root / "venv")
    return root


@pytest.fixture
def fake(tmp_path: Path, autograder_zip: Path, warm_cache: Path):
    """fake(files, metadata=...) -> a fake ROOT holding the unpacked zip and these uploaded files."""
    def make(files: dict[str, str | bytes] | None, metadata: dict | None = METADATA) -> Path:
        return make_root(tmp_path, autograder_zip, warm_cache, files, metadata)
    return make


def run(root: Path, isolation: str = "process", env: dict[str, str] | None = None,
        timeout: float = 300) -> subprocess.CompletedProcess:
    environment = {**os.environ, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_VENV": str(root / "venv"),
                   "AUTOGRADER_ISOLATION": isolation, **(env or {})}
    return subprocess.run([str(root / "run_autograder")], cwd=root, env=environment, capture_output=True,
                          text=True, timeout=timeout)


def results_of(root: Path) -> dict:
    path = root / "results" / "results.json"
    assert path.is_file() and not path.is_symlink()
    data = json.loads(path.read_text())
    VALIDATOR.validate(data)
    return data


def visible(data: dict) -> list[dict]:
    return [t for t in data["tests"] if t.get("visibility", "visible") == "visible"]


def student_text(data: dict) -> str:
    """Everything a student can ever see (visible now or after the due date)."""
    return data["output"] + "".join(t["output"] for t in data["tests"] if t.get("visibility") != "hidden")


def check_common(data: dict, score: float) -> None:
    assert data["score"] == pytest.approx(score, abs=1e-6)
    assert data["output_format"] == data["test_output_format"] == "md"
    assert data["stdout_visibility"] == "hidden" and data["visibility"] == "visible"
    assert data["execution_time"] > 0
    assert 'File "' not in student_text(data)  # never a traceback of the grader itself


def check_graded(data: dict, score: float) -> None:
    check_common(data, score)
    parts = visible(data)
    assert len(parts) == PARTS
    assert sum(t["score"] for t in parts) == pytest.approx(data["extra_data"]["earned_before_penalty"])
    assert sum(t["max_score"] for t in parts) == pytest.approx(100)
    assert len({t["name"] for t in parts}) == PARTS
    assert all(re.fullmatch(r"\d+\.\d+", t["number"]) for t in parts)
    for test in parts:
        assert test["status"] == ("passed" if test["score"] >= test["max_score"] else "failed")
        assert "**Expected:**" not in test["output"]  # genmodels' policy: show_expected never
    later = [t for t in data["tests"] if t.get("visibility") == "after_due_date"]
    assert later and all(t["max_score"] == 0 for t in later)
    assert any("**Expected:**" in t["output"] for t in later)
    extra = data["extra_data"]
    assert extra["submission_id"] == "987654"
    assert extra["students"] == [{"id": "1234", "name": "Ada Lovelace", "email": "ada@example.edu"}]


def part(data: dict, prefix: str) -> dict:
    return next(t for t in visible(data) if t["name"].startswith(prefix))


# -- the example submissions ---------------------------------------------------------------------

@pytest.mark.parametrize("name", ["perfect", "typical", "template", "syntax_error", "raises"])
def test_example_submissions_score_as_their_golden_reports(name, fake, tmp_path):
    source = (ROOT / "submissions" / "genmodels" / f"{name}.py").read_text()
    root = fake({"answers.py": source})
    result = run(root)
    assert result.returncode == 0, result.stdout + result.stderr
    data = results_of(root)
    golden = json.loads((ROOT / "tests" / "golden" / f"{name}.json").read_text())
    check_graded(data, golden["earned"])
    assert {"perfect": 100, "template": 0}.get(name, golden["earned"]) == data["score"]
    assert data["extra_data"]["grader"]["status"] == "graded"
    assert DIAGNOSTICS not in [t["name"] for t in data["tests"]]  # nothing went wrong on our side
    for golden_part in golden["parts"]:
        test = next(t for t in visible(data) if t["name"].split(" (")[0] == f"{golden_part['question']} · "
                                                                          f"{golden_part['name']}")
        assert test["score"] == pytest.approx(golden_part["earned"])
    two_c = part(data, "2c · q2c")
    assert two_c["number"] == "2.3" and two_c["output_format"] == "md"
    assert (part(data, "2e · q2e ")["number"], part(data, "2e · q2e_finite")["number"]) == ("2.5", "2.6")
    if name == "perfect":
        free = part(data, "1d · q1d")
        assert free["name"].endswith("— pending review") and "pending review" in free["tags"]
        assert "Pending review" in data["output"]
    if name == "syntax_error":
        assert "SyntaxError" in data["output"]
    if name == "raises":
        assert "ZeroDivisionError" in part(data, "4a · q4a")["output"]


# -- hostile submissions -------------------------------------------------------------------------

def _forger(results: Path) -> str:
    return (f"import json, os\nRESULTS = {str(results)!r}\n"
            "def _forge():\n"
            "    try:\n"
            "        os.makedirs(os.path.dirname(RESULTS), exist_ok=True)\n"
            "        with open(RESULTS, 'w') as f:\n"
            "            json.dump({'score': 1000, 'output': 'forged', 'tests': []}, f)\n"
            "    except OSError:\n"
            "        pass\n"
            "_forge()\n")


def hostile_writes_results(root: Path) -> str:
    return (_forger(root / "results" / "results.json") + BASE +
            "def q2c():\n    _forge()\n    return 0.5\n")


def hostile_prints_json(root: Path) -> str:
    forged = json.dumps({"score": 1000, "tests": [{"name": "x", "score": 1000}]})
    return ("import os, sys\n" + BASE +
            f"print({forged!r})\nsys.__stdout__.write({forged!r})\nos.write(1, {forged.encode()!r})\n"
            f"os.write(2, {forged.encode()!r})\n"
            f"def q2c():\n    print({forged!r})\n    return 0.5\n")


def hostile_os_exit(root: Path) -> str:
    return "import math, os\nq2a = -math.log(2)\nos._exit(0)\nq2d = 0.8413\n"


def hostile_sys_exit(root: Path) -> str:
    return "import math, sys\nq2a = -math.log(2)\nsys.exit(0)\nq2d = 0.8413\n"


def hostile_detached_writer(root: Path) -> str:
    """A process that leaves the group and the run's tag (new session, empty environment) and
    rewrites results.json a few seconds later, after the grader has written it."""
    target = str(root / "results" / "results.json")
    code = ("import json, time\ntime.sleep(3)\n"
            f"open({target!r}, 'w').write(json.dumps({{'score': 1000, 'tests': []}}))\n")
    return ("import os, sys\n"
            "pid = os.fork()\n"
            "if pid == 0:\n"
            "    os.setsid()\n"
            "    if os.fork() == 0:\n"
            f"        os.execve(sys.executable, [sys.executable, '-c', {code!r}], {{}})\n"
            "    os._exit(0)\n"
            "os.waitpid(pid, 0)\n" + BASE)


@pytest.mark.parametrize("hostile", [hostile_writes_results, hostile_prints_json, hostile_os_exit,
                                     hostile_sys_exit, hostile_detached_writer],
                         ids=lambda f: f.__name__.removeprefix("hostile_"))
def test_hostile_submissions_cannot_change_their_results(hostile, fake, tmp_path):
    root = fake({})
    (root / "submission" / "answers.py").write_text(hostile(root))
    result = run(root)
    assert result.returncode == 0, result.stdout + result.stderr
    data = results_of(root)
    check_graded(data, 7)
    assert "forged" not in json.dumps(data)
    if hostile is hostile_detached_writer:
        time.sleep(4)  # the writer would have struck by now, had it survived the run
        assert results_of(root) == data
    if hostile is hostile_os_exit:
        assert "line 3 was skipped" in data["output"]
    if hostile is hostile_sys_exit:
        assert "SystemExit" in data["output"]


def test_a_link_or_folder_planted_at_results_json_is_replaced(fake, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched")
    root = fake({})
    planted = root / "results" / "results.json"
    source = (BASE + f"import os\nos.remove({str(planted)!r}) if os.path.lexists({str(planted)!r}) else None\n"
              f"os.symlink({str(victim)!r}, {str(planted)!r})\n")
    (root / "submission" / "answers.py").write_text(source)
    # run_autograder removes a file there before it starts; the submission plants a link meanwhile.
    result = run(root)
    assert result.returncode == 0, result.stdout + result.stderr
    check_graded(results_of(root), 7)
    assert victim.read_text() == "untouched"


def test_strict_isolation_hides_root_from_the_submission(fake, tmp_path):
    from grader.sandbox.probe import strict_problems

    if strict_problems():
        pytest.skip("strict isolation is unavailable here: " + strict_problems()[0])
    root = fake({})
    marker = root / "results" / "seen.txt"
    seen = (f"import os\nSEEN = os.path.exists({str(root / 'source')!r}) or os.path.exists({str(root)!r})\n"
            "q1a = 'flows' if not SEEN else 'vaes'\n")
    # (the forger then "succeeds" inside the sandbox's private /tmp, which the host never sees)
    source = seen + hostile_writes_results(root) + (
        f"try:\n    open({str(marker)!r}, 'w').write('x')\nexcept OSError:\n    pass\n")
    (root / "submission" / "answers.py").write_text(source)
    result = run(root, isolation="strict")
    assert result.returncode == 0, result.stdout + result.stderr
    data = results_of(root)
    check_graded(data, 9)  # q2a 4 + q2d 3 + q1a 2: the sandbox cannot see ROOT at all
    assert data["extra_data"]["grader"]["isolation"] == "strict"
    assert not marker.exists()


# -- what the student uploaded -------------------------------------------------------------------

def _failure(data: dict, status: str, possible: float = 100) -> dict:
    check_common(data, 0)
    assert data["extra_data"]["grader"]["status"] == status
    [test] = visible(data)
    assert test["score"] == 0 and test["max_score"] == possible and test["status"] == "failed"
    return test


def test_no_file_at_all_says_what_to_upload(fake, tmp_path):
    root = fake({}, metadata=None)
    result = run(root)
    assert result.returncode == 0, result.stderr
    test = _failure(results_of(root), "no_submission")
    assert "answers.py" in test["output"] and "Upload" in test["output"]
    assert "submission_metadata.json is missing" in " ".join(results_of(root)["extra_data"]["notes"])


def test_two_python_files_are_listed(fake, tmp_path):
    root = fake({"mine.py": "q2a = 1\n", "helper.py": "x = 1\n",
                                                "__MACOSX/._mine.py": b"\x00\x01"})
    run(root)
    test = _failure(results_of(root), "no_submission")
    assert "`helper.py`" in test["output"] and "`mine.py`" in test["output"] and "MACOSX" not in test["output"]


def test_a_broken_notebook_says_what_to_upload(fake, tmp_path):
    root = fake({"answers.ipynb": "{}"})
    run(root)
    test = _failure(results_of(root), "unreadable_file")
    assert "answers.ipynb" in test["output"] and "not a Jupyter notebook" in test["output"]


def test_a_file_that_is_not_utf8_says_how_to_fix_it(fake, tmp_path):
    root = fake({"answers.py": "q2a = 'café'\n".encode("latin-1")})
    run(root)
    test = _failure(results_of(root), "unreadable_file")
    assert "not UTF-8" in test["output"] and str(root) not in test["output"]


def test_the_only_python_file_is_graded_under_another_name(fake, tmp_path):
    root = fake({"hw3/my_answers.py": BASE})
    run(root)
    data = results_of(root)
    check_graded(data, 7)
    assert "hw3/my\\_answers.py" in data["output"] or "hw3/my_answers.py" in data["output"]


# -- late submissions ----------------------------------------------------------------------------

def test_the_late_policy_of_assignment_yaml_applies_from_created_at(fake):
    root = fake({"answers.py": (ROOT / "submissions" / "genmodels" / "perfect.py").read_text()},
                metadata={**METADATA, "created_at": "2026-11-22T10:00:00.000000-05:00"})
    spec = root / "source" / "problems" / "genmodels" / "assignment.yaml"
    spec.write_text(spec.read_text().replace(
        "policies:\n", "policies:\n  late: {due: '2026-11-20T23:59:00-05:00', penalty_per_day: 0.1}\n"))
    result = run(root)
    assert result.returncode == 0, result.stdout + result.stderr
    data = results_of(root)
    check_graded(data, 80)  # 1 day 10 h late: 2 started days × 10 %
    assert data["extra_data"]["late"]["penalty"] == pytest.approx(0.2)
    assert data["extra_data"]["earned_before_penalty"] == 100
    assert "after the late penalty" in data["output"] and "2 started days" in data["output"]


# -- the grader's own failures -------------------------------------------------------------------

def _diagnostics(data: dict) -> dict:
    [test] = [t for t in data["tests"] if t.get("visibility") == "hidden"]
    assert test["name"] == DIAGNOSTICS
    return test


def test_a_broken_reference_is_the_graders_fault_and_staff_see_why(fake, tmp_path):
    root = fake({"answers.py": BASE})
    (root / "source" / "solutions" / "genmodels.py").write_text("raise RuntimeError('reference is broken')\n")
    run(root)
    data = results_of(root)
    check_common(data, 0)
    assert data["extra_data"]["grader"]["status"] == "grader_error"
    assert "not your fault" in part(data, "2a · q2a")["output"]
    assert "Grader error" in data["output"]
    assert "reference is broken" in _diagnostics(data)["output"]


def test_a_crash_of_the_grader_writes_valid_results_with_a_hidden_traceback(fake, tmp_path):
    root = fake({"answers.py": BASE})
    inject = tmp_path / "inject"
    inject.mkdir()
    (inject / "sitecustomize.py").write_text(
        "import grader.pipeline\n"
        "def _boom(*args, **kwargs):\n"
        "    raise RuntimeError('injected grader failure')\n"
        "grader.pipeline.grade_submission = _boom\n")
    result = run(root, env={"PYTHONPATH": str(inject)})
    assert result.returncode == 0, result.stdout + result.stderr
    data = results_of(root)
    test = _failure(data, "grader_error")
    assert "not a problem with your work" in test["output"]
    hidden = _diagnostics(data)["output"]
    assert "Traceback (most recent call last)" in hidden and "injected grader failure" in hidden
    assert "Traceback" not in student_text(data) and "injected" not in student_text(data)
    assert "injected grader failure" in result.stdout  # the staff-only log


def test_a_crash_of_the_supervisor_still_writes_results(tmp_path, monkeypatch):
    from grader.gradescope import run as gradescope_run

    def boom(*args, **kwargs):
        raise KeyError("supervisor bug")

    monkeypatch.setattr(gradescope_run, "graded_results", boom)
    root = tmp_path / "autograder"
    (root / "submission").mkdir(parents=True)
    (root / "submission" / "answers.py").write_text((ROOT / "submissions" / "probability" / "sample.py").read_text())
    (root / "submission_metadata.json").write_text(json.dumps(METADATA))
    data = gradescope_run.run_autograder(gradescope_run.RunOptions(
        root=root, course=ROOT, assignment="probability", isolation="process", sweep=False))
    assert results_of(root) == json.loads(json.dumps(data))
    test = _failure(data, "grader_error", possible=6)
    assert "not a problem with your work" in test["output"]
    assert data["extra_data"]["students"][0]["id"] == "1234"  # what was known is kept
    assert "supervisor bug" in _diagnostics(data)["output"] and "Traceback" in _diagnostics(data)["output"]


def test_the_global_deadline_stops_the_run_and_kills_what_it_started(fake, tmp_path):
    pidfile = tmp_path / "pid"
    root = fake({"answers.py": f"import os\nopen({str(pidfile)!r}, 'w').write(str(os.getpid()))\n"
                               "while True:\n    pass\n"})
    started = time.monotonic()
    result = subprocess.run([str(root / "venv" / "bin" / "grade"), "gradescope", "run", "--root", str(root),
                             "--course", str(root / "source"), "--isolation", "process", "--deadline", "4"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 30
    data = results_of(root)
    test = _failure(data, "timeout")
    assert "did not finish" in test["output"] and "top level" in test["output"]
    assert "global deadline" in _diagnostics(data)["output"]
    pid = int(pidfile.read_text())
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        state = "gone"
    assert state in ("gone", "Z", "X")


def test_run_autograder_writes_results_even_when_grade_cannot_start(fake, tmp_path):
    root = fake({"answers.py": BASE})
    broken = tmp_path / "broken-venv" / "bin"
    broken.mkdir(parents=True)
    (broken / "grade").write_text("#!/bin/sh\necho 'cannot start' >&2\nexit 1\n")
    (broken / "grade").chmod(0o755)
    result = run(root, env={"AUTOGRADER_VENV": str(broken.parent)})
    assert result.returncode == 0
    data = results_of(root)
    assert data["score"] == 0 and "could not start" in data["output"]
    assert visible(data)[0]["max_score"] == 100


# -- the pieces ----------------------------------------------------------------------------------

def test_find_submission_rules(tmp_path):
    folder = tmp_path / "submission"
    assert find_submission(folder).path is None
    folder.mkdir()
    assert "no files" in find_submission(folder).message
    (folder / "notes.txt").write_text("x")
    (folder / ".hidden.py").write_text("x")
    assert "No answers file (.py or .ipynb)" in find_submission(folder).message
    (folder / "deep").mkdir()
    (folder / "deep" / "answers.py").write_text("x")
    (folder / "other.py").write_text("x")
    found = find_submission(folder)
    assert found.path == folder / "deep" / "answers.py" and "deep/answers.py" in found.note
    (folder / "answers.py").write_text("x")
    assert "several files named" in find_submission(folder).message


def test_find_submission_takes_a_notebook_for_a_py_and_the_reverse(tmp_path):
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "answers.ipynb").write_text("{}")
    (folder / "scratch.py").write_text("x")
    found = find_submission(folder, "answers.py")
    assert found.path == folder / "answers.ipynb" and "both a .py file and a notebook" in found.note
    (folder / "answers.ipynb").rename(folder / "hw.ipynb")
    assert "2 answers files" in find_submission(folder, "answers.py").message
    (folder / "scratch.py").unlink()
    assert find_submission(folder, "answers.py").path == folder / "hw.ipynb"
    (folder / "answers.py").write_text("x")
    assert find_submission(folder, "answers.ipynb").path == folder / "answers.py"


def test_a_notebook_is_graded_where_a_py_file_is_expected(fake, tmp_path):
    root = fake({"answers.ipynb": (ROOT / "submissions" / "genmodels" / "raises.ipynb").read_text()})
    run(root)
    data = results_of(root)
    golden = json.loads((ROOT / "tests" / "golden" / "raises.json").read_text())
    check_graded(data, golden["earned"])
    assert "answers.ipynb" in data["output"]
    assert 'cell 5 ("def q4a(x0, betas, t):"), line 3' in part(data, "4a · q4a")["output"]


def test_parse_time():
    assert parse_time("2018-07-01T14:22:32.365935-07:00") == datetime(2018, 7, 1, 21, 22, 32, 365935,
                                                                      tzinfo=UTC)
    assert parse_time("2018-07-01 14:22:32 Z") == datetime(2018, 7, 1, 14, 22, 32, tzinfo=UTC)
    assert parse_time("2018-07-01T14:22:32") is None and parse_time(None) is None and parse_time(5) is None


def test_late_penalty_rules(tmp_path):
    due = datetime(2026, 11, 20, 23, 59, tzinfo=timezone(timedelta(hours=-5)))
    late = Metadata(created_at=due + timedelta(hours=30), due_date=due)
    policy = LatePolicy(due=due, penalty_per_day=0.1)
    assert late_penalty(policy, late).penalty == pytest.approx(0.2)
    assert late_penalty(policy, Metadata()).penalty == 0
    assert "no submission time" in late_penalty(policy, Metadata()).explanation
    unconfigured = late_penalty(None, late)
    assert unconfigured.penalty == 0 and "no late-penalty policy is configured" in unconfigured.explanation
    assert "no late-penalty policy" in late_penalty(None, Metadata(created_at=due, due_date=due)).explanation
    assert late_penalty(None, Metadata(created_at=due)).explanation == ""
    (tmp_path / "m.json").write_text("{not json")
    assert read_metadata(tmp_path / "m.json").problems
    (tmp_path / "m.json").write_text(json.dumps({**METADATA, "users": "x", "created_at": 3}))
    meta = read_metadata(tmp_path / "m.json")
    assert meta.created_at is None and meta.students == () and len(meta.problems) == 2


def test_part_tests_keep_secrets_for_after_the_due_date():
    report = make_report()
    tests = part_tests(report)
    now = [t for t in tests if t["visibility"] == "visible"]
    later = [t for t in tests if t["visibility"] == "after_due_date"]
    assert len(now) == len(report.parts)
    shown_now = "".join(t["output"] for t in now)
    shown_later = "".join(t["output"] for t in later)
    for secret in EXPECTED_SECRETS + HIDDEN_INPUTS:
        assert secret not in shown_now
        assert secret in shown_later
    assert [t["number"] for t in now] == ["2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "4.1", "4.2"]
    hidden_checks = next(t for t in later if t["name"].startswith("4a · q4a"))
    assert hidden_checks["name"] == "4a · q4a — expected answer and hidden checks"
    assert hidden_checks["number"] == "4.1" and hidden_checks["max_score"] == 0
    free = next(t for t in now if t["name"].startswith("4b · q4b"))
    assert free["name"].endswith("— pending review") and "provisional" in free["output"]
    assert "counts 0 points" in part_tests(report, free_text_counts=False)[-1]["output"]


def test_no_after_due_date_tests_when_the_policy_shows_everything():
    tests = part_tests(make_report(show_expected=True, show_hidden_inputs=True))
    assert {t["visibility"] for t in tests} == {"visible"}


def test_graded_results_validate_and_mark_failures_for_staff():
    report = make_report(grader_error="the sandbox could not start")
    data = graded_results(report, Context(possible=21, assignment="genmodels"))
    VALIDATOR.validate(data)
    assert data["tests"][-1]["visibility"] == "hidden" and "sandbox could not start" in data["tests"][-1]["output"]
    clean = graded_results(make_report(), Context(possible=21))
    VALIDATOR.validate(clean)
    assert all(t["visibility"] != "hidden" for t in clean["tests"])


def test_the_schema_is_valid_draft_2020_12_and_rejects_what_gradescope_would():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    good = {"score": 1, "tests": [{"name": "a", "score": 1, "max_score": 1, "number": "1.1"}]}
    VALIDATOR.validate(good)
    for bad in ({"tests": [{"name": "a"}]},                                     # no score anywhere
                {"score": 1, "tests": [{"score": 1, "visibility": "secret"}]},  # unknown visibility
                {"score": 1, "tests": [{"score": 1, "number": 2.3}]},          # number is a string
                {"score": "1"},
                {"score": 1, "output_format": "markdown"},
                {"score": 1, "scores": 1}):
        with pytest.raises(jsonschema.ValidationError):
            VALIDATOR.validate(bad)


SPEC_READER = '''
import glob, os, re

READ = []
for path in sorted(glob.glob(os.path.join({source!r}, "problems", "*", "*.yaml"))):
    try:
        text = open(path).read()
    except OSError:
        continue
    READ.append(path)
    for chunk in text.split("- name: ")[1:]:
        found = re.search(r"(accept|correct): \\[([^\\]]*)\\]", chunk)
        if found:
            keys = [k.strip() for k in found.group(2).split(",")]
            globals()[chunk.split()[0]] = keys[0] if found.group(1) == "accept" else keys

def q3a():
    return f"read {{len(READ)}} spec files"
'''


@pytest.fixture
def world_readable_root(autograder_zip: Path, warm_cache: Path):
    """A fake ROOT the way Gradescope lays it out: a world-traversable /autograder holding the zip
    unpacked with its files world-readable (a root under pytest's 0700 tmp_path would hide the
    specs from the sandbox user whatever the grader does)."""
    base = Path(tempfile.mkdtemp(prefix="grade-fake-autograder-"))
    base.chmod(0o755)
    old_umask = os.umask(0o022)
    try:
        root = make_root(base, autograder_zip, warm_cache, {}, METADATA)
    finally:
        os.umask(old_umask)
    for directory, _, names in os.walk(base):
        os.chmod(directory, 0o755)
        for name in names:
            path = Path(directory) / name
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o444)
    yield root
    shutil.rmtree(base, ignore_errors=True)


def test_at_the_user_level_a_submission_reading_the_specs_finds_nothing(world_readable_root):
    """Gradescope's container usually forbids namespaces, so grading runs at the user level: the
    submission runs as the sandbox user in the grader's own file system. The specs name the accepted
    choices (`accept:`/`correct:`); unpacked world-readable, they would give those points away."""
    from grader.sandbox.probe import user_problems

    if user_problems():
        pytest.skip("the user level is unavailable here: " + user_problems()[0])
    root = world_readable_root
    attack = BASE + SPEC_READER.format(source=str(root / "source"))
    (root / "submission" / "answers.py").write_text(attack)
    result = run(root, isolation="user")
    assert result.returncode == 0, result.stdout + result.stderr
    data = results_of(root)
    assert data["extra_data"]["grader"]["isolation"] == "user"
    check_graded(data, 7)  # q2a 4 + q2d 3: no choice part earned from the specs (they hold 18 points)
    q3a = next(t for t in visible(data) if "q3a" in t["name"])
    assert "read 0 spec files" in q3a["output"]
