"""grader.batch.review_spool: pending answers spooled to disk, read back one part at a time."""

from __future__ import annotations

from pathlib import Path

from grader.batch.review import PendingAnswer
from grader.batch.review_spool import PendingSpool


def row(student: str, part: str, answer: str = "an answer") -> PendingAnswer:
    return PendingAnswer(student, f"Name {student}", "3", part, answer, 2.0, 1.0, ("hit", "other"), "rubric",
                         flag="")


def test_rows_come_back_per_part_in_the_order_parts_first_came(tmp_path: Path):
    rows = [row("s1", "q3b"), row("s1", "q3a", "Zeile mit „Anführungszeichen“\nund Umbruch"),
            row("s2", "q3b"), row("s2", "q3a")]
    with PendingSpool(tmp_path) as spool:
        spool.extend(rows)
        assert spool.counts == {"q3b": 2, "q3a": 2} and spool.total == 4
        assert list(spool.rows()) == [rows[0], rows[2], rows[1], rows[3]]
        assert [(part, [r.student_id for r in members]) for part, members in spool.parts()] == [
            ("q3b", ["s1", "s2"]), ("q3a", ["s1", "s2"])]


def test_an_empty_spool_has_no_parts(tmp_path: Path):
    with PendingSpool(tmp_path) as spool:
        assert list(spool.parts()) == [] and list(spool.rows()) == [] and spool.total == 0
