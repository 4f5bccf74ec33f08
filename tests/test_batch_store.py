"""The gradebook: reports are stored packed and read back whole; an older gradebook still reads."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from grader.batch.store import Gradebook, StoredState
from grader.report.results import GradeReport, Outcome, PartResult, QuestionResult
from grader.report.serialise import report_to_json

AT = datetime(2026, 12, 1, tzinfo=UTC)


def _report(earned: float, answer: str, grader_error: str | None = None) -> GradeReport:
    part = PartResult(question="3a", name="q3a", kind="free_text", possible=2.0, earned=earned,
                      outcome=Outcome.CORRECT if earned == 2 else Outcome.INCORRECT, understood=answer,
                      prompt="What is the goal of generative AI? How does it differ from discriminative models? " * 5)
    return GradeReport(assignment="genmodels", title="Generative models", submission="answers.py",
                       questions=(QuestionResult("3a", "Goal of generative AI", "3", (part,)),),
                       grader_error=grader_error)


def test_reports_come_back_whole_and_take_little_room(tmp_path: Path):
    path = tmp_path / "gradebook.sqlite"
    reports = {f"s{i:03d}": _report(2.0 if i % 2 else 0.0, f"answer number {i}") for i in range(50)}
    with Gradebook(path) as book:
        for key, report in reports.items():
            book.save(key, "file", "spec", report, AT)
    with Gradebook(path) as book:
        for key, report in reports.items():
            stored = book.get(key)
            assert stored is not None and stored.report == report
        packed_sizes = [len(blob) for (blob,) in book.db.execute("SELECT report FROM graded")]
    json_size = len(report_to_json(reports["s001"]))
    assert max(packed_sizes[1:]) < json_size / 4  # each is stored against the first as a dictionary


def test_a_failed_report_does_not_become_the_dictionary(tmp_path: Path):
    with Gradebook(tmp_path / "gradebook.sqlite") as book:
        book.save("broken", "file", "spec", _report(0.0, "", grader_error="the sandbox broke"), AT)
        assert book.db.execute("SELECT count(*) FROM dictionaries").fetchone() == (0,)
        book.save("fine", "file", "spec", _report(2.0, "generate new samples"), AT)
        assert book.db.execute("SELECT count(*) FROM dictionaries").fetchone() == (1,)
        assert book.get("broken").report.grader_error == "the sandbox broke"


def test_a_gradebook_written_before_reports_were_packed_still_reads(tmp_path: Path):
    path = tmp_path / "gradebook.sqlite"
    with Gradebook(path) as book:
        book.save("old", "file", "spec", _report(2.0, "x"), AT)
    report = _report(0.0, "stored as JSON text")
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE graded SET report = ? WHERE student_key = 'old'", (report_to_json(report),))
    db.close()
    with Gradebook(path) as book:
        assert book.get("old").report == report


def test_free_text_answers_come_back_as_written_and_are_stored_packed(tmp_path: Path):
    path = tmp_path / "gradebook.sqlite"
    texts = {"q3a": "A generative model learns p(x) — the data's distribution — to sample from it. ∞",
             "q3b": "  spaces kept  "}
    with Gradebook(path) as book:
        book.save("s1", "file", "spec", _report(2.0, texts["q3a"]), AT, free_text=texts)
        assert book.answers("s1") == texts
        assert all(isinstance(blob, bytes) for (blob,) in book.db.execute("SELECT text FROM answers"))
        book.db.execute("UPDATE answers SET text = 'as text' WHERE part = 'q3b'")  # an older gradebook's
        assert book.answers("s1")["q3b"] == "as text"


def test_pending_jobs_come_back_in_key_order_across_chunks(tmp_path: Path):
    """The jobs of a batch wait in the gradebook, read back a chunk at a time: every one, once."""
    from grader.batch.store import PENDING_CHUNK, PendingJob

    count = 2 * PENDING_CHUNK + 7
    jobs = [PendingJob(f"s{i:05d}", tmp_path / f"s{i}.py", f"hash{i}", "document", i % 3 == 0)
            for i in reversed(range(count))]
    with Gradebook(tmp_path / "gradebook.sqlite") as book:
        book.set_pending([PendingJob("stale", tmp_path / "x.py", "h", "document", False)])
        assert book.set_pending(iter(jobs)) == count  # replaces the last batch's
        back = list(book.iter_pending())
        assert back == sorted(jobs, key=lambda j: j.student_key)
        assert book.pending("s00003") == PendingJob("s00003", tmp_path / "s3.py", "hash3", "document", True)
        assert book.pending("stale") is None


def test_members_are_sorted_by_the_given_order_with_each_group_member(tmp_path: Path):
    from grader.batch.exports import student_sort_text
    from grader.batch.model import BatchSubmission, StudentInfo

    def submission(key: str, *ids: str) -> BatchSubmission:
        return BatchSubmission(key, tuple(StudentInfo(i, f"name {i}", f"{i}@x.edu") for i in ids),
                               tmp_path / f"{key}.py", None, f"file {key}.py")

    with Gradebook(tmp_path / "gradebook.sqlite") as book:
        book.save_submissions([submission("10", "10", "2"), submission("9", "9"), submission("bob", "bob"),
                               submission("alice", "alice")])
        rows = list(book.iter_members(student_sort_text))
    assert [(s.id, key, first) for s, key, first in rows] == [
        ("2", "10", False), ("9", "9", True), ("10", "10", True), ("alice", "alice", True), ("bob", "bob", True)]
    assert rows[0][0] == StudentInfo("2", "name 2", "2@x.edu")


def test_a_rerun_reads_the_state_without_the_report_and_an_older_gradebook_gains_it(tmp_path: Path):
    """A no-change rerun of a MOOC asks each submission's hashes and whether the grader failed on
    it: kept in its own column, so no report is unpacked; a gradebook from before the column was
    kept gets it (NULL), and then the report answers."""
    path = tmp_path / "gradebook.sqlite"
    with Gradebook(path) as book:
        book.save("ok", "f1", "s1", _report(2.0, "fine"), AT)
        book.save("broken", "f2", "s1", _report(0.0, "", grader_error="the worker died"), AT)
        assert book.state("ok") == StoredState("f1", "s1", False)
        assert book.state("broken") == StoredState("f2", "s1", True)
        assert book.state("nobody") is None
    db = sqlite3.connect(path)  # as a gradebook written before the column existed
    db.execute("ALTER TABLE graded DROP COLUMN grader_error")
    db.commit()
    db.close()
    with Gradebook(path) as book:
        assert book.state("broken") == StoredState("f2", "s1", True)
        assert book.state("ok") == StoredState("f1", "s1", False)
        book.save("new", "f3", "s1", _report(2.0, "fine"), AT)
        assert book.db.execute("SELECT grader_error FROM graded WHERE student_key = 'new'").fetchone() == (0,)
