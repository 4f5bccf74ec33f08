"""`grade batch` end to end on the small probability set: outputs, reruns, score changes, review."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pytest

from grader.batch.executor import LocalExecutor
from grader.batch.run import run_batch
from grader.batch.store import Gradebook
from grader.problemset.loader import load_problem_set
from grader.sandbox import levels, probe

ROOT = Path(__file__).resolve().parent.parent

ANSWERS = {
    "alice": 'p1a = 3.5\np1b = "-(x-mu)**2/(2*sigma**2) - log(sigma) - log(2*pi)/2"\np1c = False\n',
    "bob": 'p1a = 21\np1b = "-(x-mu)**2/(2*sigma**2) - log(sigma)"\np1c = True\n',
    "carol": "p1a = 3.5\n",
    "dave": "import os\nos._exit(0)\n",
}


@pytest.fixture
def course(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "problems" / "probability", tmp_path / "course" / "problems" / "probability")
    (tmp_path / "course" / "solutions").mkdir()
    shutil.copy(ROOT / "solutions" / "probability.py", tmp_path / "course" / "solutions")
    return tmp_path / "course"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "submissions"
    folder.mkdir()
    for student, text in ANSWERS.items():
        (folder / f"{student}.py").write_text(text)
    return folder


def batch(course: Path, folder: Path, out: Path, executor=None):
    problem_set = load_problem_set(course / "problems" / "probability", course)
    return run_batch(problem_set, folder, out, levels.choose("process"), executor or LocalExecutor(2),
                     student_reports=("html", "json"))


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def test_a_folder_is_graded_into_every_output(course, folder, tmp_path):
    out = tmp_path / "out"
    summary = batch(course, folder, out)
    assert summary.graded == 4 and summary.reused == 0 and not summary.interrupted
    for name in ("gradebook.csv", "gradebook-long.csv", "summary.html", "gradebook.sqlite"):
        assert (out / name).exists(), name
    summary_page = (out / "summary.html").read_text(encoding="utf-8")
    for student in ANSWERS:
        report_page = (out / "students" / student / "report.html").read_text(encoding="utf-8")
        assert '<a href="../../summary.html">' in report_page, "each report links back to the class summary"
        assert f'href="students/{student}/report.html"' in summary_page, "the summary links to each report"
        assert (out / "students" / student / "report.json").exists()
    with Gradebook(out / "gradebook.sqlite") as book:
        assert book.get("alice").earned == 6
        assert book.get("bob").earned == 0
        assert book.get("carol").earned == 2
        assert book.get("dave").earned == 0
    long = rows(out / "gradebook-long.csv")
    assert {(r["student_id"], r["part"]) for r in long} >= {("alice", "p1a"), ("bob", "p1c")}


def test_a_rerun_grades_nothing_and_a_changed_file_only_itself(course, folder, tmp_path):
    out = tmp_path / "out"
    batch(course, folder, out)
    again = batch(course, folder, out)
    assert again.graded == 0 and again.reused == 4
    (folder / "carol.py").write_text("p1a = 3.5\np1c = False\n")
    third = batch(course, folder, out)
    assert third.graded == 1 and third.reused == 3
    with Gradebook(out / "gradebook.sqlite") as book:
        assert book.get("carol").earned == 3


def test_a_spec_fix_regrades_and_lists_who_moved(course, folder, tmp_path):
    out = tmp_path / "out"
    batch(course, folder, out)
    spec = course / "problems" / "probability" / "1c.yaml"
    spec.write_text(spec.read_text().replace("points: 1", "points: 2"))
    assignment = course / "problems" / "probability" / "assignment.yaml"
    assignment.write_text(assignment.read_text().replace("total_points: 6", "total_points: 7"))
    summary = batch(course, folder, out)
    assert summary.graded == 4
    moved = {c.student_key: c for c in summary.changes}
    assert set(moved) == {"alice"}
    assert moved["alice"].before == 6 and moved["alice"].after == 7
    assert moved["alice"].parts == (("p1c", 1.0, 2.0),)
    assert "alice" in (out / "score-changes.csv").read_text()


def test_score_changes_csv_quotes_keys_and_defuses_formulas(tmp_path):
    """A comma or a quote in a student key stays in its cell; a key a spreadsheet would run as a
    formula is shown as text, as in the other CSV exports."""
    from grader.batch.score_changes import ScoreChange, ScoreChanges

    changes = ScoreChanges(tmp_path)
    changes.add(ScoreChange('smith, "jo"', 6, 7, (("p1c", 1.0, 2.0),)))
    changes.add(ScoreChange("=HYPERLINK(1)", 2, 3, (("p1a", 1.0, 2.0), ("p1b", 0.0, 0.5))))
    changes.close()
    table = rows(tmp_path / "score-changes.csv")
    assert [r["student"] for r in table] == ['smith, "jo"', "'=HYPERLINK(1)"]
    assert table[0] == {"student": 'smith, "jo"', "before": "6", "after": "7", "parts": "p1c 1→2"}
    assert table[1]["parts"] == "p1a 1→2; p1b 0→0.5"


def test_a_rerun_without_score_changes_removes_the_stale_score_changes_csv(course, folder, tmp_path):
    """score-changes.csv describes the last run, as its printed list does: a TA who reruns after a
    spec fix and sees "0 graded" must not find the earlier run's changes still there, as if they
    were new. So a run in which no score moved leaves no score-changes.csv (as a first run does)."""
    out = tmp_path / "out"
    batch(course, folder, out)
    assert not (out / "score-changes.csv").exists()
    spec = course / "problems" / "probability" / "1c.yaml"
    spec.write_text(spec.read_text().replace("points: 1", "points: 2"))
    assignment = course / "problems" / "probability" / "assignment.yaml"
    assignment.write_text(assignment.read_text().replace("total_points: 6", "total_points: 7"))
    assert batch(course, folder, out).changes
    assert "alice" in (out / "score-changes.csv").read_text()
    again = batch(course, folder, out)
    assert again.reused == 4 and not again.changes
    assert not (out / "score-changes.csv").exists()


def test_a_broken_reference_raises_its_own_error_and_grades_nothing(course, folder, tmp_path):
    """A reference that fails is the course staff's problem: a ReferenceFailedError (not a
    RuntimeError, which the command reads as an unreadable input) naming the reference and
    `grade validate`, before any submission is graded."""
    from grader.checking.reference import ReferenceFailedError

    reference = course / "solutions" / "probability.py"
    reference.write_text(reference.read_text().replace("p1c = False", "p1c = 1 / 0"))
    out = tmp_path / "out"
    with pytest.raises(ReferenceFailedError) as raised:
        batch(course, folder, out)
    message = str(raised.value)
    assert "probability.py" in message and "p1c" in message and "grade validate" in message
    assert not isinstance(raised.value, RuntimeError)
    assert not (out / "gradebook.sqlite").exists()


class InterruptingExecutor(LocalExecutor):
    """Delivers one result, then behaves as if the TA pressed Ctrl-C."""

    def run(self, jobs, work):
        for i, item in enumerate(super().run(jobs, work)):
            if i == 1:
                raise KeyboardInterrupt
            yield item


def test_ctrl_c_keeps_what_is_done_and_a_rerun_finishes(course, folder, tmp_path):
    out = tmp_path / "out"
    first = batch(course, folder, out, InterruptingExecutor(1))
    assert first.interrupted and first.graded == 1
    second = batch(course, folder, out)
    assert second.graded == 3 and second.reused == 1


def test_a_report_interrupted_while_written_is_written_by_the_rerun(course, folder, tmp_path, monkeypatch):
    """Ctrl-C between saving a grade and writing its report: the rerun reuses the grade, and must
    still replace the report of the student's previous file."""
    import grader.batch.outputs as batch_outputs
    import grader.batch.run as batch_run

    out = tmp_path / "out"
    batch(course, folder, out)
    (folder / "carol.py").write_text("p1a = 3.5\np1c = False\n")
    write = batch_run.write_student_files

    def interrupted(*args):
        for module in (batch_run, batch_outputs):  # as if killed now: nothing more is written
            monkeypatch.setattr(module, "write_student_files", lambda *args: None)
        raise KeyboardInterrupt

    monkeypatch.setattr(batch_run, "write_student_files", interrupted)
    assert batch(course, folder, out).interrupted
    assert json.loads((out / "students" / "carol" / "report.json").read_text())["earned"] == 2
    for module in (batch_run, batch_outputs):
        monkeypatch.setattr(module, "write_student_files", write)
    assert batch(course, folder, out).reused == 4
    assert json.loads((out / "students" / "carol" / "report.json").read_text())["earned"] == 3


def test_a_grader_failure_is_retried_by_the_rerun(course, folder, tmp_path, monkeypatch):
    """Not the student's fault: a rerun grades it again instead of reusing the failure."""
    import grader.batch.submission_work as batch_run

    out = tmp_path / "out"
    run_submission = batch_run.run_submission

    def failing(plan, path, sandbox, launcher):
        if path.stem == "alice":
            raise RuntimeError("the sandbox broke")
        return run_submission(plan, path, sandbox, launcher)

    monkeypatch.setattr(batch_run, "run_submission", failing)
    first = batch(course, folder, out)
    assert any("alice" in f and "grader error" in f for f in first.failures)
    monkeypatch.setattr(batch_run, "run_submission", run_submission)
    second = batch(course, folder, out)
    assert second.graded == 1 and second.reused == 3 and not second.failures
    with Gradebook(out / "gradebook.sqlite") as book:
        assert book.get("alice").earned == 6


def test_jobs_are_independent_of_each_other(course, folder, tmp_path):
    """dave ends the process at import; the others are graded as usual in the same batch."""
    out = tmp_path / "out"
    batch(course, folder, out, LocalExecutor(4))
    with Gradebook(out / "gradebook.sqlite") as book:
        assert book.get("alice").earned == 6



def test_review_round_trip_through_the_cli(tmp_path):
    """Export pending free text, fill in points, import: reports say reviewed, totals change."""
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(ROOT / "submissions" / "genmodels" / "typical.py", folder / "tess.py")
    out = tmp_path / "out"

    def grade(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "grader.cli", *args, "--course", str(ROOT),
                               "-a", "genmodels"], capture_output=True, text=True, timeout=300)

    first = grade("batch", str(folder), "--out", str(out), "--isolation", "process", "--student-reports", "html,json")
    assert first.returncode == 0, first.stderr
    exported = grade("review", "export", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    sheet = rows(out / "review.csv")
    assert {r["part"] for r in sheet} == {"q1d", "q3a", "q3m"}
    q1d = next(r for r in sheet if r["part"] == "q1d")
    assert "KL gap" in q1d["answer"]
    for row in sheet:
        row["points"] = "0" if row["part"] == "q3m" else ""
        row["comment"] = "Too short, says nothing about the reverse process, see notes" if row["part"] == "q3m" else ""
    with (out / "review.csv").open("w", newline="", encoding="utf-8-sig") as f:
        writer = csv.DictWriter(f, fieldnames=list(sheet[0]))
        writer.writeheader()
        writer.writerows(sheet)
    imported = subprocess.run([sys.executable, "-m", "grader.cli", "review", "import", str(out / "review.csv"),
                               "--out", str(out), "--reviewer", "ta1", "--course", str(ROOT), "-a", "genmodels"],
                              capture_output=True, text=True, timeout=300)
    assert imported.returncode == 0, imported.stderr
    report = (out / "students" / "tess" / "report.json").read_text()
    assert "Reviewed by course staff: 0 / 2" in report and "reverse process" in report
    with Gradebook(out / "gradebook.sqlite") as book:
        assert book.overrides("tess")["q3m"].reviewer == "ta1"
    again = grade("review", "export", "--out", str(out))
    assert again.returncode == 0
    assert {r["part"] for r in rows(out / "review.csv")} == {"q1d", "q3a"}
    rerun = grade("batch", str(folder), "--out", str(out), "--isolation", "process")
    assert rerun.returncode == 0 and "0 graded, 1 unchanged" in rerun.stdout
    assert "Reviewed by course staff" in (out / "students" / "tess" / "report.json").read_text()


@pytest.mark.parametrize("level", ["process"] + ([] if probe.strict_problems() or os.geteuid() != 0
                                                else ["strict"]))
def test_warm_workers_grade_like_fresh_interpreters(course, folder, tmp_path, level):
    sandbox = levels.choose(level)
    problem_set = load_problem_set(course / "problems" / "probability", course)
    fresh = run_batch(problem_set, folder, tmp_path / "fresh", sandbox, LocalExecutor(2))
    warm = run_batch(problem_set, folder, tmp_path / "warm", sandbox, LocalExecutor(2, warm_python=sandbox.python))
    assert fresh.graded == warm.graded == 4
    with (Gradebook(tmp_path / "fresh" / "gradebook.sqlite") as a,
          Gradebook(tmp_path / "warm" / "gradebook.sqlite") as b):
        for key in ANSWERS:
            assert a.get(key).parts == b.get(key).parts, key
            assert b.get(key).isolation == level


def _zip(path: Path, entries: dict[str, str]) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return path


LATE_POLICY = """
  late:
    due: 2026-11-20T23:59:00Z
    grace_minutes: 10
    penalty_per_day: 0.1
    cutoff: 2026-11-25T23:59:00Z
"""

GRADESCOPE_METADATA = """\
---
submission_1:
  :submitters:
  - :name: Alice Sun
    :sid: '0101'
    :email: alice@example.edu
  :created_at: 2026-11-20 23:55:00.000000000 Z
submission_2:
  :submitters:
  - :name: Bob Late
    :sid: '0202'
    :email: bob@example.edu
  :created_at: 2026-11-22 08:00:00.000000000 Z
submission_3:
  :submitters:
  - :name: Carol Cutoff
    :sid: '0303'
    :email: carol@example.edu
  :created_at: 2026-11-27 08:00:00.000000000 Z
"""


def test_a_gradescope_export_with_a_late_policy(course, tmp_path):
    assignment = course / "problems" / "probability" / "assignment.yaml"
    assignment.write_text(assignment.read_text().replace("policies:\n", "policies:" + LATE_POLICY, 1))
    export = _zip(tmp_path / "export.zip", {
        "submission_metadata.yml": GRADESCOPE_METADATA,
        "submission_1/answers.py": ANSWERS["alice"],
        "submission_2/answers.py": ANSWERS["alice"],
        "submission_3/answers.py": ANSWERS["alice"],
    })
    roster = tmp_path / "roster.csv"
    roster.write_text("id,name,email\n0101,Alice Sun,alice@example.edu\n0202,Bob Late,bob@example.edu\n"
                      "0303,Carol Cutoff,carol@example.edu\n0404,Dan Absent,dan@example.edu\n")
    problem_set = load_problem_set(course / "problems" / "probability", course)
    out = tmp_path / "out"
    summary = run_batch(problem_set, export, out, levels.choose("process"), LocalExecutor(2),
                        roster_path=roster)
    assert summary.graded == 3
    assert [s.id for s in summary.missing] == ["0404"]
    gradebook = {r["SIS User ID"]: r for r in rows(out / "gradebook.csv") if r["SIS User ID"]}
    title = problem_set.assignment.title
    assert float(gradebook["0101"][title]) == 6          # on time
    assert float(gradebook["0202"][title]) == pytest.approx(4.8)  # 1 day 8 h late: 2 started days × 10 %
    assert float(gradebook["0303"][title]) == 0          # past the cutoff: graded for feedback only
    assert "Dan Absent" in (out / "summary.html").read_text()


def test_a_canvas_download_marks_late_files(course, tmp_path):
    download = _zip(tmp_path / "canvas.zip", {
        "sunalice_111_9001_answers.py": ANSWERS["alice"],
        "latebob_LATE_222_9002_answers.py": ANSWERS["bob"],
    })
    problem_set = load_problem_set(course / "problems" / "probability", course)
    out = tmp_path / "out"
    summary = run_batch(problem_set, download, out, levels.choose("process"), LocalExecutor(2))
    assert summary.graded == 2 and summary.input.kind == "canvas"
    with Gradebook(out / "gradebook.sqlite") as book:
        assert book.get("111").earned == 6
        assert next(s for s in book.submissions() if s.key == "222").marked_late


@pytest.mark.skipif(bool(probe.strict_problems()) or os.geteuid() != 0,
                    reason="the warm strict path needs root and strict isolation")
def test_a_hostile_batch_leaves_the_good_submissions_right(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    hostile = ROOT / "tests" / "security" / "hostile"
    for name in ("fake_output", "forge_channel_malformed", "lying_objects", "os_exit_during_import",
                 "patch_grader", "introspect_gc"):
        shutil.copy(hostile / f"{name}.py", folder / f"{name}.py")
    for name in ("perfect", "typical"):
        shutil.copy(ROOT / "submissions" / "genmodels" / f"{name}.py", folder / f"good_{name}.py")
    problem_set = load_problem_set(ROOT / "problems" / "genmodels", ROOT)
    sandbox = levels.choose("strict")
    summary = run_batch(problem_set, folder, tmp_path / "out", sandbox,
                        LocalExecutor(2, warm_python=sandbox.python))
    assert summary.graded == 8
    with Gradebook(tmp_path / "out" / "gradebook.sqlite") as book:
        assert book.get("good_perfect").earned == 100
        import json

        golden = json.loads((ROOT / "tests" / "golden" / "typical.json").read_text())
        assert book.get("good_typical").earned == pytest.approx(golden["earned"])
        assert all(book.get(k).isolation == "strict" for k in book.keys())


def test_notebooks_and_py_files_in_one_folder_grade_alike(course, tmp_path):
    """A notebook (as a file named after the student, or in the student's folder next to Jupyter's
    hidden checkpoints) grades as the same answers in a .py; reruns reuse it; a changed one regrades."""
    import nbformat
    from notebooks import code, notebook

    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "alice.py").write_text(ANSWERS["alice"])
    nbformat.write(notebook(*[code(line) for line in ANSWERS["alice"].splitlines()]), folder / "ada.ipynb")
    (folder / "bob" / ".ipynb_checkpoints").mkdir(parents=True)
    nbformat.write(notebook(code(ANSWERS["bob"])), folder / "bob" / "answers.ipynb")
    nbformat.write(notebook(code("p1a = 3.5")), folder / "bob" / ".ipynb_checkpoints" / "answers-checkpoint.ipynb")
    (folder / "eve.ipynb").write_text("{not a notebook")
    out = tmp_path / "out"
    summary = batch(course, folder, out)
    assert summary.graded == 3
    with Gradebook(out / "gradebook.sqlite") as book:
        assert book.get("ada").earned == book.get("alice").earned == 6
        assert book.get("bob").earned == 0
        assert book.get("ada").parts == book.get("alice").parts
    said = {p.entry: p.message for p in summary.input.problems}
    assert "not valid JSON" in said["eve.ipynb"] and "(not graded)" in said["eve.ipynb"]
    assert "eve.ipynb" in (out / "summary.html").read_text()
    assert batch(course, folder, out).reused == 3
    nbformat.write(notebook(code("p1a = 3.5")), folder / "ada.ipynb")
    again = batch(course, folder, out)
    assert again.graded == 1 and again.reused == 2


def test_grouped_review_decides_once_per_group_and_reopens_a_changed_answer(tmp_path):
    """Three students; two wrote the same q3m. One group row grades both, a member's own row wins,
    and a resubmission that changes an answer sends it back to pending."""
    import subprocess
    import sys

    folder = tmp_path / "in"
    folder.mkdir()
    typical = (ROOT / "submissions" / "genmodels" / "typical.py").read_text()
    (folder / "tess.py").write_text(typical)
    (folder / "tom.py").write_text(typical.replace('q3m = "Add noise', 'q3m = "add NOISE'))  # same, respelled
    (folder / "uma.py").write_text(typical.replace(
        'q3m = "Add noise step by step, then learn to remove it."',
        'q3m = "A discriminator network scores images as real or fake during adversarial training."'))
    out = tmp_path / "out"

    def grade(*args: str) -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, "-m", "grader.cli", *args, "--course", str(ROOT),
                               "-a", "genmodels"], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done

    grade("batch", str(folder), "--out", str(out), "--isolation", "process")
    exported = grade("review", "export", "--out", str(out))
    assert "9 answers pending review, in 4 groups" in exported.stdout  # q1d, q3a: one each; q3m: two
    groups = [r for r in rows(out / "review.csv") if r["part"] == "q3m"]
    assert [(r["size"], r["students"]) for r in groups] == [("2", "tess; tom"), ("1", "uma")]
    members = rows(out / "review-members.csv")
    assert {(r["student_id"], r["group"]) for r in members if r["part"] == "q3m"} == \
        {("tess", "q3m-1"), ("tom", "q3m-1"), ("uma", "q3m-2")}
    assert "add NOISE step by step" in (out / "review.html").read_text()

    sheet = rows(out / "review.csv")
    for row in sheet:
        row["points"] = "1" if row["group"] == "q3m-1" else ""
        row["comment"] = "Names both processes; say why the steps are small." if row["group"] == "q3m-1" else ""
    _write_rows(out / "review.csv", sheet)
    member_sheet = rows(out / "review-members.csv")
    for row in member_sheet:
        row["points"] = "2" if row["student_id"] == "tom" and row["part"] == "q3m" else ""
    _write_rows(out / "review-members.csv", member_sheet)
    grade("review", "import", str(out / "review.csv"), str(out / "review-members.csv"), "--out", str(out))
    with Gradebook(out / "gradebook.sqlite") as book:
        assert book.overrides("tess")["q3m"].points == 1  # the group's decision
        assert book.overrides("tom")["q3m"].points == 2  # his own row wins over his group's
        assert "q3m" not in book.overrides("uma")
    stats = subprocess.run([sys.executable, "-m", "grader.cli", "review", "stats", "--out", str(out)],
                           capture_output=True, text=True, timeout=120)
    assert stats.returncode == 0, stats.stderr
    assert [line.split()[:2] for line in stats.stdout.splitlines() if line.startswith("q3m")] == [["q3m", "2"]]

    (folder / "tess.py").write_text(typical.replace("Add noise step by step", "Add noise gradually"))
    grade("batch", str(folder), "--out", str(out), "--isolation", "process")
    with Gradebook(out / "gradebook.sqlite") as book:
        assert "q3m" not in book.overrides("tess")  # her answer changed: pending again
        assert book.overrides("tom")["q3m"].points == 2  # unchanged answers keep their review
    grade("review", "export", "--out", str(out))
    pending_q3m = {r["student_id"] for r in rows(out / "review-members.csv") if r["part"] == "q3m"}
    assert pending_q3m == {"tess", "uma"}


def _write_rows(path: Path, sheet: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        writer = csv.DictWriter(f, fieldnames=list(sheet[0]))
        writer.writeheader()
        writer.writerows(sheet)


def test_without_student_reports_nothing_is_written_per_student_until_asked(course, folder, tmp_path):
    """A MOOC's setting: the gradebook keeps every report; a rerun asking for HTML writes them
    without grading anything again, and the dashboard links to them only once they exist."""
    out = tmp_path / "out"
    problem_set = load_problem_set(course / "problems" / "probability", course)
    first = run_batch(problem_set, folder, out, levels.choose("process"), LocalExecutor(2), student_reports=())
    assert first.graded == 4 and not (out / "students").exists()
    summary = (out / "summary.html").read_text()
    assert "students/alice/report.html" not in summary and "reports were not written" in summary
    assert rows(out / "gradebook.csv")  # the class outputs are all there
    second = run_batch(problem_set, folder, out, levels.choose("process"), LocalExecutor(2), student_reports=("html",))
    assert second.graded == 0 and second.reused == 4
    assert sorted(p.parent.name for p in (out / "students").glob("*/report.html")) == ["alice", "bob", "carol", "dave"]
    assert not list((out / "students").glob("*/report.json"))
    assert "students/alice/report.html" in (out / "summary.html").read_text()


def test_the_long_table_gzipped_holds_the_same_rows_and_replaces_the_plain_one(course, folder, tmp_path):
    import gzip

    out = tmp_path / "out"
    problem_set = load_problem_set(course / "problems" / "probability", course)
    run_batch(problem_set, folder, out, levels.choose("process"), LocalExecutor(2))
    plain = (out / "gradebook-long.csv").read_bytes()
    run_batch(problem_set, folder, out, levels.choose("process"), LocalExecutor(2), long_csv="gzip")
    assert not (out / "gradebook-long.csv").exists()
    assert gzip.decompress((out / "gradebook-long.csv.gz").read_bytes()) == plain
    run_batch(problem_set, folder, out, levels.choose("process"), LocalExecutor(2), long_csv="none")
    assert not list(out.glob("gradebook-long*"))
