"""`grade report STUDENT --out DIR`: one student's report from the gradebook, on demand."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.batch.model import BatchSubmission, Override, StudentInfo
from grader.batch.store import Gradebook
from grader.cli.report import report
from grader.report.results import GradeReport, Outcome, PartResult, QuestionResult

AT = datetime(2026, 12, 6, tzinfo=UTC)


def _report(earned: float) -> GradeReport:
    part = PartResult(question="3a", name="q3a", kind="free_text", possible=2.0, earned=earned,
                      outcome=Outcome.NEEDS_REVIEW, understood='"noise, then denoise" (3 words)', provisional=True)
    return GradeReport(assignment="genmodels", title="Generative models", submission="answers.py",
                       questions=(QuestionResult("3a", "Goal of generative AI", "3", (part,)),))


@pytest.fixture
def out(tmp_path: Path) -> Path:
    with Gradebook(tmp_path / "gradebook.sqlite") as book:
        book.save_submissions([
            BatchSubmission("alice", (StudentInfo("alice"),), tmp_path / "alice.py", None, "file alice.py"),
            BatchSubmission("g1", (StudentInfo("bob"), StudentInfo("carol")), tmp_path / "g1.py", None, "group g1")])
        book.save("alice", "f", "s", _report(1.0), AT)
        book.save("g1", "f", "s", _report(0.5), AT)
        book.set_override("alice", "q3a", Override(2.0, "Well put.", "ta@x.edu", AT))
    return tmp_path


def test_prints_the_students_report_with_the_review_applied(out: Path):
    result = CliRunner().invoke(report, ["alice", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Total: 2 / 2" in result.output and "Reviewed by course staff" in result.output


def test_a_group_member_gets_the_groups_report(out: Path):
    result = CliRunner().invoke(report, ["carol", "--out", str(out), "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert "0.5 / 2" in result.output


def test_writes_a_file_in_the_format_asked(out: Path):
    target = out / "alice.html"
    result = CliRunner().invoke(report, ["alice", "--out", str(out), "--format", "html", "--file", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_an_unknown_student_is_named_with_what_to_check(out: Path):
    result = CliRunner().invoke(report, ["dave", "--out", str(out)])
    assert result.exit_code == 1
    assert "no graded submission of student 'dave'" in result.output and "gradebook.csv" in result.output


def test_a_folder_without_a_gradebook_says_what_to_give(tmp_path: Path):
    result = CliRunner().invoke(report, ["alice", "--out", str(tmp_path)])
    assert result.exit_code == 1 and "no gradebook.sqlite" in result.output
