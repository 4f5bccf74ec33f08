"""The `grade` command as users run it: exit codes, formats, files, messages without tracebacks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def grade(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("command", [[], ["submit"], ["template"], ["validate"], ["show"]])
def test_help_everywhere(command):
    result = grade(*command, "--help")
    assert result.returncode == 0
    assert "Usage:" in result.stdout


def test_submit_prints_a_report_and_exits_0():
    result = grade("submit", "submissions/probability/sample.py")
    assert result.returncode == 0, result.stderr
    assert "Probability warm-up" in result.stdout
    assert "6 / 6" in result.stdout


def test_only_lost_leaves_out_the_parts_with_every_point():
    """The sample earns every point: --only-lost lists none of its parts, and keeps the total."""
    result = grade("submit", "submissions/probability/sample.py", "--only-lost")
    assert result.returncode == 0, result.stderr
    assert "6 / 6" in result.stdout and "Showing only the 0 of 3 parts" in result.stdout
    assert "p1a" not in result.stdout


def test_submit_json_to_file(tmp_path):
    out = tmp_path / "deep" / "report.json"
    result = grade("submit", "submissions/probability/sample.py", "--out", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert data["earned"] == data["possible"] == 6
    assert [p["name"] for p in data["parts"]] == ["p1a", "p1b", "p1c"]
    assert not list(out.parent.glob(".*.tmp"))


@pytest.mark.parametrize("suffix, marker", [(".html", "<!DOCTYPE html>"), (".md", "# "), (".txt", "Total:")])
def test_format_follows_the_out_suffix(tmp_path, suffix, marker):
    out = tmp_path / f"report{suffix}"
    assert grade("submit", "submissions/probability/sample.py", "--out", str(out)).returncode == 0
    assert marker in out.read_text()


def test_missing_submission_exits_1_without_traceback():
    result = grade("submit", "submissions/genmodels/nope.py")
    assert result.returncode == 1
    assert "no such file" in result.stderr and "Traceback" not in result.stderr


def test_symlinked_submission_exits_1(tmp_path):
    link = tmp_path / "answers.py"
    os.symlink(ROOT / "submissions" / "probability" / "sample.py", link)
    result = grade("submit", str(link), "--assignment", "probability")
    assert result.returncode == 1 and "link" in result.stderr


def test_several_assignments_need_a_name(tmp_path):
    answers = tmp_path / "answers.py"
    answers.write_text("p1a = 3.5\n")
    result = grade("submit", str(answers))
    assert result.returncode == 3
    assert "--assignment" in result.stderr


def test_bad_spec_exits_3_naming_file_and_field(tmp_path):
    course = tmp_path / "course"
    (course / "problems").mkdir(parents=True)
    (course / "solutions").mkdir()
    import shutil

    shutil.copytree(ROOT / "problems" / "probability", course / "problems" / "probability")
    shutil.copy(ROOT / "solutions" / "probability.py", course / "solutions")
    spec = course / "problems" / "probability" / "1a.yaml"
    spec.write_text(spec.read_text().replace("points: 2", "points: -2"))
    result = grade("submit", str(ROOT / "submissions" / "probability" / "sample.py"), "--course", str(course))
    assert result.returncode == 3
    assert "1a.yaml" in result.stderr and "parts[0].points" in result.stderr
    assert "Traceback" not in result.stderr


def test_template_writes_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "answers.py"
    first = grade("template", "-a", "probability", "--out", str(out))
    assert first.returncode == 0 and out.exists()
    out.write_text("# my work\n")
    second = grade("template", "-a", "probability", "--out", str(out))
    assert second.returncode == 1 and "--force" in second.stderr
    assert out.read_text() == "# my work\n"


def test_unchanged_template_scores_zero_not_answered_everywhere(tmp_path):
    out = tmp_path / "answers.py"
    assert grade("template", "-a", "genmodels", "--out", str(out)).returncode == 0
    result = grade("submit", str(out), "-a", "genmodels", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["earned"] == 0
    assert {p["outcome"] for p in data["parts"]} == {"not_answered"}


@pytest.mark.parametrize("args, written", [(["--format", "ipynb"], "answers.ipynb"),
                                           (["--out", "hw.ipynb"], "hw.ipynb"), ([], "answers.py")])
def test_template_format_follows_the_option_or_the_out_suffix(tmp_path, args, written):
    result = grade("template", "--course", str(ROOT), "-a", "probability", *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == [written]
    assert f"grade submit {written}" in result.stdout
    assert (tmp_path / written).read_text().lstrip().startswith("{") == written.endswith(".ipynb")


@pytest.mark.parametrize("content, says", [("{broken", "not valid JSON"),
                                           ('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
                                            "holds no Python to grade")])
def test_a_broken_notebook_exits_1_with_what_to_do(tmp_path, content, says):
    notebook = tmp_path / "answers.ipynb"
    notebook.write_text(content)
    result = grade("submit", str(notebook), "-a", "probability")
    assert result.returncode == 1
    assert str(notebook) in result.stderr and says in result.stderr and "Traceback" not in result.stderr


def test_show_prints_the_question():
    result = grade("show", "2c", "-a", "genmodels")
    assert result.returncode == 0
    assert "q2c" in result.stdout and "D_KL" in result.stdout
    unknown = grade("show", "9z", "-a", "genmodels")
    assert unknown.returncode == 1 and "known:" in unknown.stderr


def test_validate_exit_codes(tmp_path):
    assert grade("validate", "-a", "probability").returncode == 0
    course = tmp_path / "course"
    import shutil

    shutil.copytree(ROOT / "problems", course / "problems")
    shutil.copytree(ROOT / "solutions", course / "solutions")
    ref = course / "solutions" / "probability.py"
    ref.write_text(ref.read_text().replace("p1c = False", "p1c = True"))
    result = grade("validate", "-a", "probability", "--course", str(course))
    assert result.returncode == 5
    assert "FAIL" in result.stdout and "p1c" in result.stdout


def test_show_answers_flag_controls_expected_values():
    hidden = grade("submit", "submissions/genmodels/typical.py", "--format", "json")
    shown = grade("submit", "submissions/genmodels/typical.py", "--format", "json", "--show-answers")
    part = lambda out, name: next(p for p in json.loads(out)["parts"] if p["name"] == name)  # noqa: E731
    assert part(hidden.stdout, "q2a")["expected"] is None
    assert "0.693" in part(shown.stdout, "q2a")["expected"]


def test_submit_inside_a_student_bundle_runs_the_public_checks(tmp_path):
    bundle = tmp_path / "bundle"
    assert grade("bundle", "student", "--out", str(bundle), "-a", "genmodels").returncode == 0
    shutil_copy = __import__("shutil").copy
    shutil_copy(ROOT / "submissions" / "genmodels" / "typical.py", bundle / "typical.py")
    result = subprocess.run([sys.executable, "-m", "grader.cli", "submit", "typical.py"], cwd=bundle,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "graded for correctness" in result.stdout
    assert "0.693" not in result.stdout and "Expected" not in result.stdout


def _course_copy(tmp_path: Path, slug: str = "probability") -> Path:
    import shutil

    course = tmp_path / "course"
    shutil.copytree(ROOT / "problems" / slug, course / "problems" / slug)
    (course / "solutions").mkdir()
    shutil.copy(ROOT / "solutions" / f"{slug}.py", course / "solutions")
    return course


def test_batch_with_a_broken_reference_exits_4_and_says_to_validate(tmp_path):
    """The reference failing is the grader's side (exit 4), not an unreadable submission (exit 1)."""
    course = _course_copy(tmp_path)
    reference = course / "solutions" / "probability.py"
    reference.write_text(reference.read_text().replace("p1c = False", "p1c = 1 / 0"))
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "alice.py").write_text("p1a = 3.5\n")
    result = grade("batch", str(folder), "--out", str(tmp_path / "out"), "--course", str(course),
                   "--isolation", "process", "--jobs", "1")
    assert result.returncode == 4, result.stderr
    assert "reference solution" in result.stderr and "probability.py" in result.stderr
    assert "grade validate" in result.stderr and "Traceback" not in result.stderr


def test_batch_whose_warm_workers_cannot_start_exits_4_and_suggests_fresh(tmp_path, monkeypatch):
    """The grader's own failure (exit 4), not an unreadable input (exit 1)."""
    from click.testing import CliRunner

    import grader.sandbox.warm
    from grader.cli import cli

    monkeypatch.setattr(grader.sandbox.warm, "warm_interpreter", lambda sandbox: "/nonexistent/python")
    course = _course_copy(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "alice.py").write_text("p1a = 3.5\n")
    result = CliRunner().invoke(cli, ["batch", str(folder), "--out", str(tmp_path / "out"), "--course",
                                      str(course), "--isolation", "process", "--jobs", "1"])
    assert result.exit_code == 4, result.output
    assert "/nonexistent/python" in result.output and "--fresh" in result.output


def test_batch_with_an_unreadable_input_still_exits_1(tmp_path):
    course = _course_copy(tmp_path)
    broken = tmp_path / "export.zip"
    broken.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    result = grade("batch", str(broken), "--out", str(tmp_path / "out"), "--course", str(course),
                   "--isolation", "process", "--jobs", "1")
    assert result.returncode == 1, result.stderr
    assert "export.zip" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("name", ["report.pdf", "report", "report.docx"])
def test_an_out_suffix_naming_no_format_is_a_usage_error(tmp_path, name):
    """report.pdf used to receive the text report; now exit 2, naming the suffixes, writing nothing."""
    out = tmp_path / name
    result = grade("submit", "submissions/probability/sample.py", "--out", str(out))
    assert result.returncode == 2, result.stdout + result.stderr
    assert name in result.stderr and ".txt, .md, .html, .htm, .json" in result.stderr
    assert "--format" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_an_explicit_format_allows_any_out_suffix(tmp_path):
    out = tmp_path / "report.pdf"
    result = grade("submit", "submissions/probability/sample.py", "--out", str(out), "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(out.read_text())["earned"] == 6


def test_an_out_that_cannot_be_written_names_it_without_a_traceback(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder\n")
    out = blocker / "report.json"
    result = grade("submit", "submissions/probability/sample.py", "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert str(out) in result.stderr and "--out" in result.stderr and "Traceback" not in result.stderr


def test_a_missing_file_is_reported_before_the_assignment_is_looked_up(tmp_path):
    """With two assignments and no -a, a missing file used to be reported as a spec problem (exit 3)."""
    result = grade("submit", "missing.py")
    assert result.returncode == 1, result.stderr
    assert "missing.py: no such file" in result.stderr and "--assignment" not in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_assignment_is_named_as_such_not_as_a_spec_file():
    result = grade("submit", "submissions/probability/sample.py", "-a", "nosuch")
    assert result.returncode == 3, result.stderr
    assert "no assignment 'nosuch' in problems; known: genmodels, probability" in result.stderr
    assert "spec file" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("flag", ["--no-color", "--color"])
def test_show_accepts_the_colour_flags_of_submit(flag):
    """`grade show 2c --no-color` used to be a usage error; show prints plain text either way."""
    plain = grade("show", "2c", "-a", "genmodels")
    result = grade("show", "2c", "-a", "genmodels", flag)
    assert result.returncode == 0, result.stderr
    assert result.stdout == plain.stdout and "\x1b[" not in result.stdout


def _first_sentence(help_text: str) -> str:
    words = " ".join(help_text.split("\n\n")[0].split())
    return re.match(r"(.+?\.)(?:\s|$)", words).group(1)


@pytest.mark.parametrize("group", [[], ["review"], ["sandbox"], ["bundle"], ["gradescope"]])
def test_help_lists_every_command_with_its_whole_summary(group):
    """click cut every summary at about 45 characters with "..." ("Grade FILE (your answers.py)
    and print a feedback report..."): each command's listing is now its whole first sentence
    (or its own short_help)."""
    import click

    from grader.cli import cli

    command = cli
    for name in group:
        command = command.commands[name]
    result = grade(*group, "--help")
    assert result.returncode == 0, result.stderr
    listing = result.stdout.split("Commands:", 1)[1]
    assert "..." not in listing and "…" not in listing
    squeezed = "".join(listing.split())  # the listing wraps lines, at spaces and after hyphens
    assert isinstance(command, click.Group) and command.commands
    for name, sub in command.commands.items():
        summary = sub.short_help or _first_sentence(sub.help)
        assert "".join(f"{name}{summary}".split()) in squeezed, (name, summary, listing)
