"""grader.batch.review: pending free-text answers → CSV → a TA's edits → Overrides."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

import pytest

from grader.batch.model import Override
from grader.batch.review import (
    COLUMNS,
    PendingAnswer,
    ReviewImportError,
    export_pending,
    import_reviews,
    pending_answers,
)
from grader.problemset.spec import Part
from grader.report.results import GradeReport, Outcome, PartResult, QuestionResult

NOW = datetime(2026, 11, 25, 10, 30, tzinfo=UTC)

RUBRIC = [
    {"name": "forward adds noise", "points": 1,
     "patterns": [r"(add|inject)\w*\W+(\w+\W+){0,3}noise"],
     "feedback": "Describe the forward process."},
    {"name": "reverse denoises", "points": 0.5, "patterns": [r"denois"],
     "feedback": "Describe the reverse process."},
    {"name": "small steps", "points": 0.5, "patterns": [r"small\W+(\w+\W+){0,2}steps?"],
     "feedback": "Explain why many small steps help."},
]
FREE = Part(name="q5_why", points=2,
            checker={"kind": "free_text", "rubric": RUBRIC,
                     "model_answer": "Noise in, denoise out, small steps."})
NUMBER = Part(name="q1_mean", points=1, checker={"kind": "number"})
SPEC_PARTS = [NUMBER, FREE]


def report(student: str, free_earned: float | None) -> GradeReport:
    """q1: a number part; q5: a free-text part, provisional unless `free_earned` is None."""
    q1 = QuestionResult("q1", "Mean", "q", (
        PartResult("q1", "q1_mean", "number", 1, 1, Outcome.CORRECT),))
    if free_earned is None:
        free = PartResult("q5", "q5_why", "free_text", 2, 0, Outcome.NOT_ANSWERED)
    else:
        free = PartResult("q5", "q5_why", "free_text", 2, free_earned, Outcome.NEEDS_REVIEW,
                          understood='"..." (12 words)', provisional=True)
    q5 = QuestionResult("q5", "Diffusion", "q", (free,))
    return GradeReport("ps1", "Problem set 1", f"{student}.py", (q1, q5))


TRICKY = ('It adds Gaussian noise, step by step; then "denoises".\n'
          'Second line, with a comma, and a "quote".')

RESULTS = [
    ("s1", "Ada Lovelace", report("s1", 1.5), {"q5_why": TRICKY}),
    ("s2", "Ünal, Ça\u011fr\u0131", report("s2", 0.0), {"q5_why": "=HYPERLINK(\"http://x\")  "
                                                                     "I do not know the answer"}),
    ("s3", "Grace Hopper", report("s3", None), {}),  # not answered: not pending
    ("s4", "Alan Turing", report("s4", 2.0), {"q5_why": "adds noise in small steps, denoises"}),
]


def test_pending_answers_rows():
    rows = pending_answers(SPEC_PARTS, RESULTS)
    assert [(r.student_id, r.part) for r in rows] == [("s1", "q5_why"), ("s2", "q5_why"),
                                                      ("s4", "q5_why")]
    first = rows[0]
    assert first == PendingAnswer(
        student_id="s1", student_name="Ada Lovelace", question="q5", part="q5_why",
        answer=TRICKY, possible=2, suggested=1.5,
        hits=("forward adds noise", "reverse denoises"),
        rubric="forward adds noise (1); reverse denoises (0.5); small steps (0.5)")
    assert rows[1].hits == ()
    assert rows[2].hits == ("forward adds noise", "reverse denoises", "small steps")


def test_pending_answers_skips_overridden_and_handles_missing_text():
    rows = pending_answers(SPEC_PARTS, RESULTS, overridden={("s1", "q5_why")})
    assert [r.student_id for r in rows] == ["s2", "s4"]
    rows = pending_answers(SPEC_PARTS, [("s9", "", report("s9", 1.0), {})])
    assert rows[0].answer.startswith("(answer text not available") and rows[0].hits == ()


def read_rows(path):
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_export_writes_bom_columns_and_quotes(tmp_path):
    path = tmp_path / "review" / "pending.csv"
    assert export_pending(pending_answers(SPEC_PARTS, RESULTS), path) == 3
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = read_rows(path)
    assert list(rows[0]) == list(COLUMNS)
    assert rows[0]["answer"] == TRICKY                      # commas, quotes, newline intact
    assert rows[0]["suggested_points"] == "1.5" and rows[0]["possible"] == "2"
    assert rows[0]["rubric_hits"] == "forward adds noise; reverse denoises"
    assert rows[1]["student_name"] == "Ünal, Ça\u011fr\u0131"
    assert rows[1]["answer"].startswith("'=HYPERLINK")      # never evaluated by a spreadsheet
    assert all(r["points"] == "" and r["comment"] == "" for r in rows)


def test_round_trip_export_edit_import(tmp_path):
    path = tmp_path / "pending.csv"
    export_pending(pending_answers(SPEC_PARTS, RESULTS), path)
    rows = read_rows(path)
    # The TA: reorders rows, adds a column, grades two answers and leaves one pending.
    rows.reverse()
    comment = 'Good, but "small steps" matter:\nsee lecture 7, slide 3.'
    for row in rows:
        row["my notes"] = "checked"
        if row["student_id"] == "s1":
            row["points"], row["comment"] = "1.75", comment
        if row["student_id"] == "s4":
            row["points"] = "2"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["my notes", *COLUMNS])
        writer.writeheader()
        writer.writerows(rows)
        writer.writerow({})                                  # a blank row at the end

    reviews = import_reviews(path, "ta@uni.edu", NOW)
    assert reviews == [
        ("s4", "q5_why", Override(2.0, "", "ta@uni.edu", NOW)),
        ("s1", "q5_why", Override(1.75, comment, "ta@uni.edu", NOW)),
    ]
    # Imported reviews are no longer pending.
    done = {(sid, part) for sid, part, _ in reviews}
    assert [r.student_id for r in pending_answers(SPEC_PARTS, RESULTS, done)] == ["s2"]


def write_review(tmp_path, lines: list[str], *, delimiter: str = ",") -> object:
    path = tmp_path / "reviewed.csv"
    header = delimiter.join(["student_id", "part", "possible", "points", "comment"])
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8-sig")
    return path


def test_import_accepts_bounds_decimal_comma_and_semicolons(tmp_path):
    path = write_review(tmp_path, ["s1;q5_why;2;0;", "s2;q5_why;2;1,5;ok", "s3;q5_why;2;2;"],
                        delimiter=";")
    assert [(s, o.points) for s, _, o in import_reviews(path, "ta", NOW)] == [
        ("s1", 0.0), ("s2", 1.5), ("s3", 2.0)]


def test_import_undoes_the_formula_guard_on_student_ids(tmp_path):
    path = write_review(tmp_path, ["'-7,q5_why,2,1,"])
    assert import_reviews(path, "ta", NOW)[0][0] == "-7"


@pytest.mark.parametrize("line, fragment", [
    ("s2,q5_why,2,2.5,", "points 2.5 is outside 0 to 2"),
    ("s2,q5_why,2,-1,", "points -1 is outside 0 to 2"),
    ("s2,q5_why,2,abc,", "points 'abc' is not a number"),
    ("s2,q5_why,2,nan,", "points 'nan' is not a number"),
    ("s2,q5_why,two,1,", "possible is 'two', not a number"),
])
def test_import_errors_name_file_line_student_part_and_fix(tmp_path, line, fragment):
    path = write_review(tmp_path, ["s1,q5_why,2,,", line])
    with pytest.raises(ReviewImportError) as info:
        import_reviews(path, "ta", NOW)
    message = str(info.value)
    assert f"{path}, line 3: student s2, part q5_why: " in message
    assert fragment in message
    assert info.value.line == 3


def test_import_reports_every_problem_and_counts_multiline_cells(tmp_path):
    path = write_review(tmp_path, ['s1,q5_why,2,1,"two\nlines"', "s2,q5_why,2,x,",
                                   "s1,q5_why,2,1,", ",,2,1,"])
    with pytest.raises(ReviewImportError) as info:
        import_reviews(path, "ta", NOW)
    problems = info.value.problems
    assert [line for line, _ in problems] == [4, 5, 6]
    assert "not a number" in problems[0][1] and "leave it blank" in problems[0][1]
    assert "reviewed twice (also on line 2)" in problems[1][1]
    assert "student_id (or students) or part is empty" in problems[2][1]


def test_import_header_and_file_problems(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("student_id,part,comment\ns1,q5_why,x\n", encoding="utf-8")
    with pytest.raises(ReviewImportError, match=r"line 1: the header lacks possible, points"):
        import_reviews(path, "ta", NOW)
    with pytest.raises(ReviewImportError, match="no such file"):
        import_reviews(tmp_path / "missing.csv", "ta", NOW)
    with pytest.raises(ValueError, match="time zone"):
        import_reviews(path, "ta", datetime(2026, 11, 25, 10, 30))


def test_blank_points_everywhere_imports_nothing(tmp_path):
    path = tmp_path / "pending.csv"
    export_pending(pending_answers(SPEC_PARTS, RESULTS), path)
    assert import_reviews(path, "ta", NOW) == []


def test_a_list_of_terms_is_flagged_for_the_reviewer():
    salad = "forward process, add noise, denoise, small steps, reverse process"
    rows = pending_answers(SPEC_PARTS, [("s9", "Sam", report("s9", 0.0), {"q5_why": salad})] + RESULTS)
    flags = {r.student_id: r.flag for r in rows}
    assert flags["s9"].startswith("a list of terms") and flags["s1"] == flags["s4"] == ""
