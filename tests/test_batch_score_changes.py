"""score-changes.csv: every change of a run, written as it is graded; the command shows the first."""

from __future__ import annotations

import csv
from pathlib import Path

from grader.batch.score_changes import CHANGES_FILE, SHOWN, ScoreChange, ScoreChanges


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_change_is_in_the_file_and_only_the_first_are_held(tmp_path: Path):
    changes = ScoreChanges(tmp_path)
    for i in range(SHOWN + 30):
        changes.add(ScoreChange(f"s{i}", 1, 2, (("p1", 1.0, 2.0),)))
        assert not (tmp_path / CHANGES_FILE).exists()  # in place only once the run is over
    changes.close()
    assert changes.count == SHOWN + 30 and len(changes.first) == SHOWN
    assert [r["student"] for r in _rows(tmp_path / CHANGES_FILE)] == [f"s{i}" for i in range(SHOWN + 30)]


def test_a_run_that_fails_leaves_the_last_runs_file_and_no_temporary(tmp_path: Path):
    (tmp_path / CHANGES_FILE).write_text("student,before,after,parts\nold,1,2,p1 1→2\n", encoding="utf-8")
    changes = ScoreChanges(tmp_path)
    changes.add(ScoreChange("new", 1, 2, (("p1", 1.0, 2.0),)))
    changes.discard()
    assert [r["student"] for r in _rows(tmp_path / CHANGES_FILE)] == ["old"]
    assert [p.name for p in tmp_path.iterdir()] == [CHANGES_FILE]


def test_a_run_without_changes_removes_the_last_runs_file(tmp_path: Path):
    (tmp_path / CHANGES_FILE).write_text("student,before,after,parts\nold,1,2,p1 1→2\n", encoding="utf-8")
    ScoreChanges(tmp_path).close()
    assert not (tmp_path / CHANGES_FILE).exists()
