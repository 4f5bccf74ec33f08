"""grader.checking.reference: the reference's answers, cached where only the grader may write them."""

from __future__ import annotations

import os
import pwd
import shutil
from pathlib import Path

import pytest

from grader.checking.reference import cached_reference, run_reference
from grader.problemset.loader import load_problem_set
from grader.problemset.plan import build_plan

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def course(tmp_path):
    for folder in ("problems/probability", "solutions"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    problem_set = load_problem_set(tmp_path / "problems" / "probability", tmp_path)
    return problem_set, build_plan(problem_set)


def cache_files(problem_set):
    return sorted((problem_set.course_root / ".grade-cache").glob("*.json"))


def test_the_cache_is_written_for_the_grader_alone_and_read_back(course):
    problem_set, plan = course
    computed = run_reference(problem_set, plan)
    [path] = cache_files(problem_set)
    assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o777 == 0o700
    cached = cached_reference(problem_set, plan)
    assert cached is not None
    assert {k: a.value for k, a in cached.answers.items()} == {k: a.value for k, a in computed.answers.items()}


def test_a_cache_others_could_write_is_not_trusted(course):
    problem_set, plan = course
    run_reference(problem_set, plan)
    [path] = cache_files(problem_set)
    path.chmod(0o666)
    assert cached_reference(problem_set, plan) is None
    path.chmod(0o600)
    path.parent.chmod(0o777)
    assert cached_reference(problem_set, plan) is None


@pytest.mark.skipif(os.geteuid() != 0, reason="changing a file's owner needs root")
def test_a_cache_owned_by_another_user_is_not_trusted(course):
    problem_set, plan = course
    run_reference(problem_set, plan)
    [path] = cache_files(problem_set)
    nobody = pwd.getpwnam("nobody")
    os.chown(path, nobody.pw_uid, nobody.pw_gid)
    assert cached_reference(problem_set, plan) is None


def test_a_symlinked_cache_is_not_followed(course, tmp_path):
    problem_set, plan = course
    run_reference(problem_set, plan)
    [path] = cache_files(problem_set)
    elsewhere = tmp_path / "planted.json"
    elsewhere.write_bytes(path.read_bytes())
    elsewhere.chmod(0o600)
    path.unlink()
    path.symlink_to(elsewhere)
    assert cached_reference(problem_set, plan) is None


def test_a_readable_cache_becomes_private_when_read(course):
    """A cache written by an older grader (0644 in a 0755 folder) would show the expected answers
    to a user-level submission: reading it makes it the grader's alone."""
    problem_set, plan = course
    run_reference(problem_set, plan)
    [path] = cache_files(problem_set)
    path.chmod(0o644)
    path.parent.chmod(0o755)
    assert cached_reference(problem_set, plan) is not None
    assert path.stat().st_mode & 0o777 == 0o600 and path.parent.stat().st_mode & 0o777 == 0o700
