"""gradebook.csv (Canvas' import layout) and the long-format CSV (student × part)."""

from __future__ import annotations

import csv
import re
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_batch_stats import C, P, W, X, make_problem_set, make_result

from grader.batch.exports import (
    CANVAS_IDENTITY,
    LONG_COLUMNS,
    POINTS_POSSIBLE,
    READ_ONLY,
    number,
    safe_text,
    student_sort_key,
    student_sort_text,
    write_gradebook,
    write_long_format,
)
from grader.batch.model import LateResult, StudentInfo
from grader.report.results import Outcome

LATE = LateResult(timedelta(days=2), 0.2, False, "2 days late: −20 %")


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def gradebook(tmp_path: Path) -> list[list[str]]:
    results = [
        make_result("20", {"p1": C, "p2": C, "p3": W, "p4": (P, 1.0)}, name="Zed, Ann",
                    email="ann@uni.edu", source="gradescope submission 9001", late=LATE),
        make_result("3", {"p1": C, "p2": C, "p3": C, "p4": Outcome.NEEDS_REVIEW},
                    provisional=("p4",), overrides={"p4": 1.5}, name="Bo, Cy",
                    source="canvas file bocy_3_111_answers.py"),
        make_result("broken", {"p1": Outcome.GRADER_ERROR}, grader_error="the sandbox died.",
                    name="Err, Or", source="folder entry broken.py"),
        make_result("g1", {"p1": C}, source="gradescope submission 42",
                    members=(StudentInfo("g1", "Group, One", "one@uni.edu"),
                             StudentInfo("g2", "Group, Two", "two@uni.edu"))),
    ]
    path = write_gradebook(results, make_problem_set(), tmp_path / "gradebook.csv")
    return _read(path)


def test_header_is_canvas_identity_then_assignment_then_read_only_extras(gradebook: list[list[str]]) -> None:
    header, possible = gradebook[0], gradebook[1]
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section",
                      "Probability warm-up",
                      "1a: Fair die (2 pts)", "1b: Two dice (2 pts)", "1c: Expected value (2 pts)",
                      "Total before late penalty", "Late penalty %", "Grader status"]
    assert tuple(header[:5]) == CANVAS_IDENTITY
    # Canvas' own second row: the assignment's points, every extra column "(read only)".
    assert possible == [POINTS_POSSIBLE, "", "", "", "", "6"] + [READ_ONLY] * 6
    assert possible[0] == "    Points Possible"
    # Canvas reads a header ending in "(digits)" as an assignment id: none may.
    assert not any(re.search(r"\s\(\d+\)\Z", h) for h in header)


def test_rows_one_per_student_in_id_order_with_scores(gradebook: list[list[str]]) -> None:
    rows = {row[0]: row for row in gradebook[2:]}
    assert [row[0] for row in gradebook[2:]] == ["Bo, Cy", "Zed, Ann", "Err, Or", "Group, One", "Group, Two"]
    # Gradescope: its id is not a Canvas user id, so it goes to SIS User ID; the email to the login.
    assert rows["Zed, Ann"] == ["Zed, Ann", "", "20", "ann@uni.edu", "", "3.2", "2", "1", "1", "4",
                                "20", "2 days late: −20 %"]
    # Canvas export: the id is Canvas' user id; the TA's override (1.5) counts, nothing pending.
    assert rows["Bo, Cy"] == ["Bo, Cy", "3", "", "", "", "5.5", "2", "2", "1.5", "5.5", "0", ""]
    # A group: one row per member, same scores.
    assert rows["Group, One"][2:4] == ["g1", "one@uni.edu"]
    assert rows["Group, Two"][2:4] == ["g2", "two@uni.edu"]
    assert rows["Group, One"][5:] == rows["Group, Two"][5:]


def test_grader_error_leaves_the_canvas_cell_empty(gradebook: list[list[str]]) -> None:
    row = next(r for r in gradebook if r[0] == "Err, Or")
    assert row[5] == ""  # Canvas leaves an empty cell unchanged: no 0 the student did not earn
    assert row[-1].startswith("grader error, score left empty: the sandbox died.")


def test_pending_review_is_noted(tmp_path: Path) -> None:
    result = make_result("7", {"p4": (Outcome.NEEDS_REVIEW, 2.0)}, provisional=("p4",))
    rows = _read(write_gradebook([result], make_problem_set(), tmp_path / "g.csv"))
    assert rows[2][-1] == "2 points provisional, pending review"


def test_canvas_assignment_id_and_id_column_can_be_given(tmp_path: Path) -> None:
    result = make_result("555", {"p1": C}, name="A, B")
    rows = _read(write_gradebook([result], make_problem_set(), tmp_path / "g.csv",
                                 canvas_ids=True, canvas_assignment_id=98765))
    assert rows[0][5] == "Probability warm-up (98765)"
    assert rows[2][1:3] == ["555", ""]


def test_long_format_rows(tmp_path: Path) -> None:
    results = [
        make_result("b", {"p1": C, "p2": W, "p3": X, "p4": Outcome.NEEDS_REVIEW},
                    answers={"p1": "0.166667 (read from 1/6)", "p2": "0.5", "p3": "'six'",
                             "p4": "The mean is 3.5."},
                    mistakes={"p2": "That is P(one die)."}, provisional=("p4",), overrides={"p4": 1.5}),
        make_result("a", {"p1": (P, 1.0)}, answers={"p1": "=HYPERLINK(\"http://x\")"}),
    ]
    rows = _read(write_long_format(results, tmp_path / "long.csv"))
    assert tuple(rows[0]) == LONG_COLUMNS
    assert rows[1:] == [
        ["a", "1a", "p1", "partially_correct", "1", "2", "false", "false", "", "'=HYPERLINK(\"http://x\")"],
        ["a", "1b", "p2", "not_answered", "0", "1", "false", "false", "", ""],
        ["a", "1b", "p3", "not_answered", "0", "1", "false", "false", "", ""],
        ["a", "1c", "p4", "not_answered", "0", "2", "false", "false", "", ""],
        ["b", "1a", "p1", "correct", "2", "2", "false", "false", "", "0.166667 (read from 1/6)"],
        ["b", "1b", "p2", "incorrect", "0", "1", "false", "false", "That is P(one die).", "0.5"],
        ["b", "1b", "p3", "invalid_format", "0", "1", "false", "false", "", "'six'"],
        ["b", "1c", "p4", "needs_review", "1.5", "2", "false", "true", "", "The mean is 3.5."],
    ]


def test_long_format_marks_unreviewed_provisional_parts(tmp_path: Path) -> None:
    result = make_result("c", {"p4": (Outcome.NEEDS_REVIEW, 2.0)}, provisional=("p4",))
    rows = _read(write_long_format([result], tmp_path / "long.csv"))
    assert rows[-1][3:8] == ["needs_review", "2", "2", "true", "false"]


@pytest.mark.parametrize("value, text", [
    (7, "7"), (7.0, "7"), (2.5, "2.5"), (1 / 3, "0.333333"), (2 / 3, "0.666667"),
    (1234.5678, "1234.57"), (1234567.0, "1234570"), (1e-7, "0.0000001"), (-0.0, "0"),
    (6.999999999, "7"), (20.0, "20"), (None, ""), (float("nan"), ""),
])
def test_numbers_have_at_most_six_significant_digits(value: float, text: str) -> None:
    assert number(value) == text


@pytest.mark.parametrize("text, shown", [
    ("=1+1", "'=1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"),
    ("-0.5", "-0.5"), ("0.5", "0.5"), ("", ""), (None, ""), ("Ann", "Ann"),
])
def test_formulas_are_neutralised_but_numbers_kept(text: str | None, shown: str) -> None:
    assert safe_text(text) == shown


def test_rows_are_stable_across_input_order(tmp_path: Path) -> None:
    results = [make_result(sid, {"p1": C}) for sid in ["10", "9", "b", "a", "100"]]
    first = _read(write_long_format(results, tmp_path / "one.csv"))
    second = _read(write_long_format(list(reversed(results)), tmp_path / "two.csv"))
    assert first == second
    assert [r[0] for r in first[1::4]] == ["9", "10", "100", "a", "b"]


@given(st.lists(st.one_of(st.integers(0, 10**30).map(str), st.from_regex(r"0*[0-9]{1,5}", fullmatch=True),
                          st.text(min_size=1, max_size=8).filter(lambda s: "\x00" not in s)), max_size=30))
def test_the_sort_text_orders_students_as_the_sort_key_does(ids):
    """The gradebook sorts a MOOC's students in SQLite by student_sort_text (code points, like
    SQLite's BINARY): the same order as the in-memory student_sort_key, numbers and text alike."""
    by_key = sorted(ids, key=student_sort_key)
    by_text = sorted(ids, key=lambda i: student_sort_text(i).encode("utf-8", "surrogatepass"))
    assert [student_sort_key(i) for i in by_key] == [student_sort_key(i) for i in by_text]
