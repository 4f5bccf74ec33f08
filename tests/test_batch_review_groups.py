"""grader.batch.review_groups: the review sheet by answer groups, and its import."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from grader.batch.review import PendingAnswer, ReviewImportError, by_part, import_reviews
from grader.batch.review_groups import GROUP_COLUMNS, MEMBER_COLUMNS, export_groups, group_pending

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
SAME = "The forward process adds noise; the reverse process learns to denoise."
OTHER = "A discriminator tells real images from generated ones."


def pending(student: str, text: str, suggested: float = 1.0, part: str = "q3m") -> PendingAnswer:
    return PendingAnswer(student, f"Name {student}", "3m", part, text, 2, suggested, ("forward adds noise",),
                         "forward adds noise (1); reverse denoises (1)")


ROWS = [pending("s1", SAME, 1.0), pending("s2", SAME.upper(), 2.0), pending("=s3", OTHER, 0.0),
        pending("s4", SAME, part="q3a")]


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def sheets(tmp_path: Path) -> tuple[Path, Path, Path]:
    paths = tmp_path / "review.csv", tmp_path / "review-members.csv", tmp_path / "review.html"
    assert export_groups(by_part(ROWS), *paths, title="Problem set <1>") == (4, 3)
    return paths


def test_groups_per_part_largest_first():
    groups = group_pending(ROWS)
    assert [(g.id, [m.student_id for m in g.members]) for g in groups] == [
        ("q3m-1", ["s1", "s2"]), ("q3m-2", ["=s3"]), ("q3a-1", ["s4"])]
    assert groups[0].suggested == "1–2" and groups[1].suggested == "0"


def test_the_group_sheet_lists_members_and_guards_formulas(sheets):
    group_sheet, member_sheet, page = sheets
    rows = read(group_sheet)
    assert list(rows[0]) == list(GROUP_COLUMNS)
    assert [(r["group"], r["size"], r["students"]) for r in rows] == [
        ("q3m-1", "2", "s1; s2"), ("q3m-2", "1", "'=s3"), ("q3a-1", "1", "s4")]
    assert rows[0]["answer"] == SAME and rows[0]["suggested_points"] == "1–2"
    members = read(member_sheet)
    assert list(members[0]) == list(MEMBER_COLUMNS)
    assert [(r["student_id"], r["group"]) for r in members] == [
        ("s1", "q3m-1"), ("s2", "q3m-1"), ("'=s3", "q3m-2"), ("s4", "q3a-1")]
    html = page.read_text(encoding="utf-8")
    assert "Problem set &lt;1&gt;" in html and "<script" not in html
    assert html.count('class="group"') == 3 and SAME.upper() in html


def test_a_group_row_applies_to_every_member_and_a_members_own_row_wins(sheets):
    group_sheet, member_sheet, _ = sheets
    rows = read(group_sheet)
    rows[0]["points"], rows[0]["comment"] = "1.5", "Good; say why the steps are small."
    rows[1]["points"] = "0"
    write(group_sheet, rows)
    members = read(member_sheet)
    members[1]["points"] = "2"  # s2, of group q3m-1
    write(member_sheet, members)
    reviews = {(s, p): o for s, p, o in import_reviews([group_sheet, member_sheet], "ta", NOW)}
    assert {k: o.points for k, o in reviews.items()} == {("s1", "q3m"): 1.5, ("s2", "q3m"): 2, ("=s3", "q3m"): 0}
    assert reviews[("s1", "q3m")].comment == "Good; say why the steps are small."
    # the order of the sheets does not matter
    again = {(s, p): o.points for s, p, o in import_reviews([member_sheet, group_sheet], "ta", NOW)}
    assert again == {k: o.points for k, o in reviews.items()}


def test_deleting_an_id_from_students_leaves_that_student_pending(sheets):
    group_sheet, _, _ = sheets
    rows = read(group_sheet)
    rows[0]["points"], rows[0]["students"] = "1", "s1"
    write(group_sheet, rows)
    assert [(s, p) for s, p, _ in import_reviews(group_sheet, "ta", NOW)] == [("s1", "q3m")]


def test_a_student_in_two_graded_groups_is_a_problem_naming_both_lines(sheets):
    group_sheet, _, _ = sheets
    rows = read(group_sheet)
    rows[0]["points"], rows[1]["points"], rows[1]["students"] = "1", "0", "'=s3; s2"
    write(group_sheet, rows)
    with pytest.raises(ReviewImportError, match=r"line 3: group q3m-2 of part q3m is in two groups "
                                                r"\(student s2\) \(also on line 2\)"):
        import_reviews(group_sheet, "ta", NOW)


def test_problems_in_two_sheets_are_reported_together(sheets):
    group_sheet, member_sheet, _ = sheets
    rows = read(group_sheet)
    rows[0]["points"] = "9"
    write(group_sheet, rows)
    members = read(member_sheet)
    members[0]["points"] = "x"
    write(member_sheet, members)
    with pytest.raises(ReviewImportError) as info:
        import_reviews([group_sheet, member_sheet], "ta", NOW)
    message = str(info.value)
    assert f"{group_sheet}, line 2: group q3m-1 of part q3m: points 9 is outside 0 to 2" in message
    assert f"{member_sheet}, line 2: student s1, part q3m: points 'x' is not a number" in message


def test_the_page_lists_a_large_groups_first_members_and_points_to_the_sheet(tmp_path: Path, monkeypatch):
    """A MOOC's largest group would make a page no browser opens: the page lists the first members,
    the member sheet has them all."""
    import grader.batch.review_groups as review_groups

    monkeypatch.setattr(review_groups, "MEMBERS_SHOWN", 2)
    rows = [pending(f"s{i}", SAME) for i in range(5)]
    paths = tmp_path / "review.csv", tmp_path / "review-members.csv", tmp_path / "review.html"
    assert export_groups(by_part(rows), *paths, title="Large") == (5, 1)
    page = paths[2].read_text(encoding="utf-8")
    assert "<strong>s1</strong>" in page and "<strong>s2</strong>" not in page
    assert "… and 3 more" in page and "review-members.csv" in page
    assert len(read(paths[1])) == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review-members.csv", "review.csv", "review.html"]
