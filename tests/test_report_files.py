"""grader.report.files: outputs written under a temporary name and put in place whole, or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.report.files import NEW_FILE_MODE, AtomicTextFile, atomic_text_file, write_atomically


def test_a_file_appears_only_when_committed_with_the_umasks_mode(tmp_path: Path):
    target = AtomicTextFile(tmp_path / "out" / "table.csv")
    target.file.write("a,b\n")
    assert not (tmp_path / "out" / "table.csv").exists()
    target.commit()
    assert (tmp_path / "out" / "table.csv").read_text(encoding="utf-8") == "a,b\n"
    assert (tmp_path / "out" / "table.csv").stat().st_mode & 0o777 == NEW_FILE_MODE
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["table.csv"]


def test_a_block_that_fails_leaves_the_old_file_and_no_temporary(tmp_path: Path):
    path = tmp_path / "page.html"
    write_atomically(path, "old")
    with pytest.raises(RuntimeError), atomic_text_file(path) as f:
        f.write("half of the new")
        raise RuntimeError("the writer failed")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["page.html"]


def test_a_discarded_file_leaves_nothing(tmp_path: Path):
    target = AtomicTextFile(tmp_path / "x.txt")
    target.file.write("never mind")
    target.discard()
    assert list(tmp_path.iterdir()) == []
