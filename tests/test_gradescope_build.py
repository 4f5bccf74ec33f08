"""`grade gradescope build`: the zip a course uploads to Gradescope, and the scripts in it.

The zip is built once per test session (`autograder_zip`, also used by test_gradescope_run.py):
building the wheel is the slow part.
"""

from __future__ import annotations

import ast
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.gradescope.cli import gradescope

ROOT = Path(__file__).resolve().parent.parent
SLUG = "genmodels"


def build_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The genmodels autograder zip, built with the real command once per session."""
    directory = tmp_path_factory.getbasetemp() / "gradescope-build"
    out = directory / "autograder.zip"
    if not out.exists():
        directory.mkdir(exist_ok=True)
        result = CliRunner().invoke(gradescope, ["build", "--out", str(out), "--course", str(ROOT),
                                                 "--assignment", SLUG], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        (directory / "build-output.txt").write_text(result.output)
    return out


@pytest.fixture(scope="session")
def autograder_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_once(tmp_path_factory)


def _modes(path: Path) -> dict[str, int]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: (info.external_attr >> 16) for info in archive.infolist()}


def test_scripts_sit_at_the_root_and_are_executable(autograder_zip):
    modes = _modes(autograder_zip)
    for name in ("setup.sh", "run_autograder"):
        assert name in modes, sorted(modes)
        assert stat.S_ISREG(modes[name]) and modes[name] & 0o111 == 0o111, oct(modes[name])
    with zipfile.ZipFile(autograder_zip) as archive:
        for name in ("setup.sh", "run_autograder"):
            assert archive.read(name).startswith(b"#!/usr/bin/env bash\n")
            assert b"\r\n" not in archive.read(name)


def test_members_are_the_wheel_the_specs_and_the_reference_only(autograder_zip):
    names = set(_modes(autograder_zip))
    specs = {f"problems/{SLUG}/{p.name}" for p in (ROOT / "problems" / SLUG).iterdir() if p.is_file()}
    wheels = {n for n in names if n.startswith("dist/") and n.endswith(".whl")}
    assert len(wheels) == 1
    assert names == {"setup.sh", "run_autograder", f"solutions/{SLUG}.py"} | specs | wheels
    assert not any(n.startswith(("submissions/", ".grade-cache", "tests/", "problems/probability"))
                   for n in names)
    with zipfile.ZipFile(autograder_zip) as archive:
        assert archive.read(f"solutions/{SLUG}.py") == (ROOT / "solutions" / f"{SLUG}.py").read_bytes()
        assert archive.read(f"problems/{SLUG}/2c.yaml") == (ROOT / "problems" / SLUG / "2c.yaml").read_bytes()


def test_the_wheel_holds_the_grader_with_gradescope_support(autograder_zip, tmp_path):
    with zipfile.ZipFile(autograder_zip) as archive:
        wheel_name = next(n for n in archive.namelist() if n.endswith(".whl"))
        wheel = tmp_path / Path(wheel_name).name
        wheel.write_bytes(archive.read(wheel_name))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(archive.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    assert {"grader/sandbox/child/harness.py", "grader/gradescope/run.py", "grader/gradescope/worker.py",
            "grader/gradescope/precompute.py", "grader/report/render/report.schema.json"} <= names
    assert "grade = grader.cli:main" in entry_points
    assert not any("__pycache__" in n or n.endswith(".pyc") for n in names)


def _script(autograder_zip: Path, name: str) -> str:
    with zipfile.ZipFile(autograder_zip) as archive:
        return archive.read(name).decode()


def test_setup_installs_python_3_11_bubblewrap_the_wheel_and_locks_the_reference(autograder_zip):
    setup = _script(autograder_zip, "setup.sh")
    assert "set -euo pipefail" in setup
    assert "apt-get install" in setup and "python3-venv" in setup and "bubblewrap" in setup
    assert "python3.11 python3.11-venv" in setup
    assert "/usr/bin/python3.11 -m venv \"$VENV\"" in setup and "VENV=/autograder/venv" in setup
    wheel = next(n for n in _modes(autograder_zip) if n.endswith(".whl"))
    assert f'pip install --quiet --disable-pip-version-check "$SOURCE/{wheel}"' in setup
    assert '"$VENV/bin/grade" sandbox setup --users 1' in setup
    assert f"-m grader.gradescope.precompute --course \"$SOURCE\" --assignment {SLUG}" in setup
    assert f'chmod 600 "$SOURCE/solutions/{SLUG}.py"' in setup and 'chmod 700 "$SOURCE/solutions"' in setup


def test_run_autograder_calls_grade_gradescope_run_and_honours_the_overrides(autograder_zip):
    script = _script(autograder_zip, "run_autograder")
    assert 'ROOT="${AUTOGRADER_ROOT:-/autograder}"' in script
    assert 'VENV="${AUTOGRADER_VENV:-/autograder/venv}"' in script
    assert (f'"$VENV/bin/grade" gradescope run --root "$ROOT" --course "$ROOT/source" --assignment {SLUG}'
            in script)
    assert "--filename answers.py" in script


def test_the_file_students_upload_may_be_a_notebook():
    from grader.gradescope.build import scripts
    from grader.problemset.loader import load_problem_set

    problem_set = load_problem_set(ROOT / "problems" / "probability", ROOT)
    run = scripts(problem_set, "grader.whl", "solutions/probability.py", "auto", 480, "answers.ipynb")["run_autograder"]
    assert "--deadline 480 --filename answers.ipynb\n" in run
    odd = scripts(problem_set, "grader.whl", "solutions/probability.py", "auto", 480, "my answers.py")["run_autograder"]
    assert "--filename 'my answers.py'" in odd


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_scripts_are_valid_bash(autograder_zip, tmp_path):
    for name in ("setup.sh", "run_autograder"):
        path = tmp_path / name
        path.write_text(_script(autograder_zip, name))
        result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr


def test_build_with_a_given_wheel_and_a_course_copy_leaves_the_course_out(autograder_zip, tmp_path):
    course = tmp_path / "course"
    shutil.copytree(ROOT / "problems" / "probability", course / "problems" / "probability")
    (course / "solutions").mkdir()
    shutil.copy(ROOT / "solutions" / "probability.py", course / "solutions")
    (course / "submissions" / "probability").mkdir(parents=True)
    (course / "submissions" / "probability" / "alice.py").write_text("p1a = 3.5\n")
    (course / ".grade-cache").mkdir()
    (course / ".grade-cache" / "x.json").write_text("{}")
    (course / "notes.txt").write_text("staff notes")
    with zipfile.ZipFile(autograder_zip) as archive:
        wheel_name = next(n for n in archive.namelist() if n.endswith(".whl"))
        wheel = tmp_path / Path(wheel_name).name
        wheel.write_bytes(archive.read(wheel_name))
    out = tmp_path / "out" / "probability.zip"
    result = CliRunner().invoke(gradescope, ["build", "--out", str(out), "--course", str(course),
                                             "--wheel", str(wheel)])
    assert result.exit_code == 0, result.output
    assert "given with --wheel" in result.output
    assert set(_modes(out)) == {"setup.sh", "run_autograder", f"dist/{wheel.name}", "solutions/probability.py",
                                "problems/probability/assignment.yaml", "problems/probability/1a.yaml",
                                "problems/probability/1b.yaml", "problems/probability/1c.yaml"}
    assert not list(out.parent.glob(".*.tmp"))


def test_build_refuses_a_wheel_of_something_else(tmp_path):
    wheel = tmp_path / "other-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("other/__init__.py", "")
    result = CliRunner().invoke(gradescope, ["build", "--out", str(tmp_path / "a.zip"), "--course", str(ROOT),
                                             "-a", "probability", "--wheel", str(wheel)])
    assert result.exit_code == 4
    assert "not a wheel of this grader" in result.output
    assert not (tmp_path / "a.zip").exists()


def test_build_with_an_invalid_spec_exits_3(tmp_path):
    course = tmp_path / "course"
    shutil.copytree(ROOT / "problems" / "probability", course / "problems" / "probability")
    (course / "solutions").mkdir()
    shutil.copy(ROOT / "solutions" / "probability.py", course / "solutions")
    spec = course / "problems" / "probability" / "1a.yaml"
    spec.write_text(spec.read_text().replace("points: 2", "points: two"))
    result = CliRunner().invoke(gradescope, ["build", "--out", str(tmp_path / "a.zip"), "--course", str(course)])
    assert result.exit_code == 3
    assert "1a.yaml" in result.output


@pytest.mark.parametrize("module", sorted(p.name for p in (ROOT / "grader" / "sandbox" / "child").glob("*.py")))
def test_the_child_side_parses_as_python_3_10(module):
    """The sandbox interpreter, which runs the harness and the warm workers, is built from Ubuntu
    22.04's python3, which is 3.10."""
    source = (ROOT / "grader" / "sandbox" / "child" / module).read_text()
    ast.parse(source, feature_version=(3, 10))


def _python_3_10() -> list[str]:
    """A working Python 3.10 here (a pyenv shim may exist without one behind it)."""
    candidates = [shutil.which("python3.10"), "/usr/bin/python3.10",
                  *sorted(str(p) for p in Path(os.path.expanduser("~/.pyenv/versions")).glob("3.10*/bin/python"))]
    for candidate in candidates:
        if not candidate or not os.path.exists(candidate):
            continue
        try:
            probe = subprocess.run([candidate, "-c", "import sys; print(sys.version_info[:2])"],
                                   capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            continue
        if probe.returncode == 0 and probe.stdout.strip() == "(3, 10)":
            return [candidate]
    return []


PY310 = _python_3_10()


@pytest.mark.skipif(not PY310, reason="no Python 3.10 interpreter here")
def test_the_harness_runs_under_python_3_10(tmp_path):
    """Ubuntu 22.04's python3 runs the harness in strict mode: check it really works with 3.10."""
    from grader.sandbox.levels import Isolation
    from grader.sandbox.records import AnswerStatus
    from grader.sandbox.runner import Request, run_file

    answers = tmp_path / "answers.py"
    answers.write_text("import math\nq = -math.log(2)\n\ndef f(x):\n    return 2 * x\n\nbad = 1 / 0\n")
    outcome = run_file(answers, [Request("q", "q"), Request("f-1", "f", [3.0]), Request("bad", "bad")],
                       {}, sandbox=Isolation("process", PY310[0]))
    assert outcome.grader_error is None, outcome.stderr
    assert outcome.answers["q"].status is AnswerStatus.VALUE
    assert abs(outcome.answers["q"].value + 0.6931471805599453) < 1e-12
    assert outcome.answers["f-1"].value == 6.0
    assert outcome.answers["bad"].status is AnswerStatus.MISSING
    assert [p.type for p in outcome.load_problems] == ["ZeroDivisionError"]


def test_build_help():
    result = CliRunner().invoke(gradescope, ["build", "--help"])
    assert result.exit_code == 0 and "--out" in result.output
    result = CliRunner().invoke(gradescope, ["run", "--help"])
    assert result.exit_code == 0 and "--root" in result.output and "--deadline" in result.output


def test_python_m_grader_gradescope_works():
    result = subprocess.run([sys.executable, "-m", "grader.gradescope", "--help"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and "build" in result.stdout and "run" in result.stdout
