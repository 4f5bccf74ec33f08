"""grader.sandbox.leftovers: what a user-level run's uid left in shared folders is removed."""

from __future__ import annotations

import os
import pwd

import pytest

from grader.sandbox.leftovers import remove_files_of

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="giving files to another uid needs root")
NOBODY = pwd.getpwnam("nobody").pw_uid


def owned(path, uid=NOBODY):
    os.lchown(path, uid, -1)
    return path


def test_only_the_runs_uid_loses_its_files(tmp_path):
    shared = tmp_path / "tmp"
    shared.mkdir()
    shared.chmod(0o1777)
    (shared / "SECTEST-fill-0").write_text("x")
    owned(shared / "SECTEST-fill-0")
    folder = shared / "their-folder"
    folder.mkdir()
    (folder / "inside").write_text("x")
    owned(folder)
    mine = shared / "someone-elses"
    mine.write_text("keep")
    nested = shared / ".X11-unix"  # a world-writable folder inside: looked into
    nested.mkdir()
    nested.chmod(0o1777)
    (nested / "planted").write_text("x")
    owned(nested / "planted")
    link = shared / "link"
    link.symlink_to(mine)
    owned(link)
    removed = remove_files_of(NOBODY, (shared,))
    assert sorted(os.path.basename(p) for p in removed) == ["SECTEST-fill-0", "link", "planted", "their-folder"]
    assert mine.read_text() == "keep" and nested.is_dir()  # a link is removed, not its target


def test_a_private_folder_of_someone_else_is_not_entered(tmp_path):
    shared = tmp_path / "tmp"
    shared.mkdir()
    shared.chmod(0o1777)
    private = shared / "private"
    private.mkdir(mode=0o700)
    (private / "file").write_text("x")
    owned(private / "file")  # cannot have been written by the uid: the folder is not theirs
    assert remove_files_of(NOBODY, (shared,)) == []
