"""grader.checking.cache_guard: what a run changes in the reference cache is undone after it."""

from __future__ import annotations

import logging
import os

import pytest

from grader.checking.cache_guard import guarded_cache


@pytest.fixture
def cache(tmp_path):
    folder = tmp_path / ".grade-cache"
    folder.mkdir(mode=0o700)
    (folder / "genmodels-abc.json").write_text('{"q2a": -0.693}')
    (folder / "other.json").write_text('{"p1a": 3.5}')
    return folder


def contents(folder):
    return {p.name: p.read_text() for p in folder.iterdir()}


def test_an_untouched_cache_stays_and_nothing_is_said(cache, caplog):
    before = contents(cache)
    with caplog.at_level(logging.WARNING), guarded_cache(cache):
        pass
    assert contents(cache) == before and not caplog.records


@pytest.mark.parametrize("attack", ["rewrite", "remove", "add", "symlink", "folder", "replace_dir"])
def test_what_a_submission_does_to_the_cache_is_undone(cache, tmp_path, attack, caplog):
    before = contents(cache)
    elsewhere = tmp_path / "poison.json"
    elsewhere.write_text('{"q2a": 0.5}')
    with caplog.at_level(logging.WARNING), guarded_cache(cache):
        if attack == "rewrite":
            (cache / "genmodels-abc.json").write_text('{"q2a": 0.5}')
        elif attack == "remove":
            (cache / "other.json").unlink()
        elif attack == "add":
            (cache / "genmodels-new.json").write_text('{"q2a": 0.5}')
        elif attack == "symlink":
            (cache / "genmodels-abc.json").unlink()
            (cache / "genmodels-abc.json").symlink_to(elsewhere)
        elif attack == "folder":
            (cache / "sub").mkdir()
        elif attack == "replace_dir":
            for path in cache.iterdir():
                path.unlink()
            cache.rmdir()
            cache.symlink_to(tmp_path)
    assert not cache.is_symlink() and contents(cache) == before
    assert elsewhere.read_text() == '{"q2a": 0.5}'  # a link is removed, never written through
    assert any("changed the reference cache" in r.getMessage() for r in caplog.records)


def test_a_cache_created_during_the_run_is_removed(tmp_path):
    folder = tmp_path / ".grade-cache"
    with guarded_cache(folder):
        folder.mkdir()
        (folder / "genmodels-x.json").write_text("{}")
    assert not folder.exists()


def test_restored_files_are_the_graders_alone(cache):
    with guarded_cache(cache):
        (cache / "other.json").unlink()
    assert (cache / "other.json").stat().st_mode & 0o777 == 0o600
    assert os.stat(cache).st_mode & 0o077 == 0
