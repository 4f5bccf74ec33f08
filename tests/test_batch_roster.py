"""Roster CSVs: the usual column names, clear errors, and who did not submit."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.batch.model import BatchSubmission, StudentInfo
from grader.batch.roster import RosterError, missing_students, read_roster


def roster_file(tmp_path: Path, text: str, name: str = "roster.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def submission(*students: StudentInfo) -> BatchSubmission:
    return BatchSubmission(students[0].id, students, Path("x.py"), None, "test")


def test_plain_roster(tmp_path):
    path = roster_file(tmp_path, "id,name,email\n1,Ann Lee,ann@x.edu\n\n2,Bo Kim,bo@x.edu\n")
    assert read_roster(path) == [StudentInfo("1", "Ann Lee", "ann@x.edu"), StudentInfo("2", "Bo Kim", "bo@x.edu")]


def test_canvas_gradebook_export_uses_the_canvas_user_id(tmp_path):
    path = roster_file(tmp_path, (
        "Student,ID,SIS User ID,SIS Login ID,Section,HW3 (123)\n"
        "    Points Possible,,,,,10.00\n"
        '"Lee, Ann",12345,S001,alee,Sec 1,8\n'
        '"Kim, Bo",23456,S002,bkim,Sec 1,\n'))
    assert read_roster(path) == [StudentInfo("12345", "Lee, Ann"), StudentInfo("23456", "Kim, Bo")]


def test_gradescope_style_first_and_last_names_semicolons_and_bom(tmp_path):
    path = roster_file(tmp_path, "\ufeffFirst Name;Last_Name;SID;E-Mail\nAnn;Lee;06758767;ann@x.edu\n")
    assert read_roster(path) == [StudentInfo("06758767", "Ann Lee", "ann@x.edu")]
    tabs = roster_file(tmp_path, "Student ID\tFull Name\n7\tZed\n", name="tabs.tsv")
    assert read_roster(tabs) == [StudentInfo("7", "Zed")]
    sis = roster_file(tmp_path, "SIS User ID,Email Address\nS9,s9@x.edu\n", name="sis.csv")
    assert read_roster(sis) == [StudentInfo("S9", "", "s9@x.edu")]


def test_missing_id_column_names_the_file_the_line_and_the_fix(tmp_path):
    path = roster_file(tmp_path, "name,email\nAnn,ann@x.edu\n", name="class list.csv")
    with pytest.raises(RosterError) as exc:
        read_roster(path)
    assert exc.value.line == 1
    message = str(exc.value)
    assert "class list.csv, line 1" in message and "no student id column" in message
    assert "'name', 'email'" in message and "sis user id" in message


def test_duplicate_ids_are_an_error_with_both_lines(tmp_path):
    path = roster_file(tmp_path, "id,name\n1,Ann\n2,Bo\n1,Ann again\n")
    with pytest.raises(RosterError, match=r"roster.csv, line 4: student id '1' is already on line 2"):
        read_roster(path)
    zeros = roster_file(tmp_path, "sid,name\n0042,Ann\n42,Ann\n", name="zeros.csv")
    with pytest.raises(RosterError, match=r"line 3: .*'42' is already on line 2 \(as '0042'\)"):
        read_roster(zeros)


def test_rows_without_an_id_empty_and_non_utf8_files_are_errors(tmp_path):
    with pytest.raises(RosterError, match=r"line 3: no student id in column 'id'; fill it in or delete"):
        read_roster(roster_file(tmp_path, "id,name\n1,Ann\n,Bo\n"))
    with pytest.raises(RosterError, match=r"empty\.csv, line 1: empty"):
        read_roster(roster_file(tmp_path, "\n", name="empty.csv"))
    with pytest.raises(RosterError, match=r"line 2: not UTF-8.*CSV UTF-8"):
        read_roster(roster_file(tmp_path, "id,name\n1,José\n", name="latin.csv", encoding="latin-1"))
    with pytest.raises(RosterError, match="cannot be read"):
        read_roster(tmp_path / "absent.csv")


def test_missing_students_match_by_id_then_by_email(tmp_path):
    roster = [StudentInfo("S001", "Ann", "Ann@X.edu"), StudentInfo("06758767", "Bo", "bo@x.edu"),
              StudentInfo("S003", "Cy", "cy@x.edu"), StudentInfo("S004", "Di", "di@x.edu"),
              StudentInfo("S005", "Ed", "")]
    submissions = [
        submission(StudentInfo("ann@x.edu", "Ann", "ann@x.edu")),          # Gradescope without a sid
        submission(StudentInfo("6758767")),                                # leading zero lost
        submission(StudentInfo("999", "Someone", ""), StudentInfo("888", "Cy", "CY@x.edu")),  # group member
    ]
    assert missing_students(roster, submissions) == [StudentInfo("S004", "Di", "di@x.edu"),
                                                     StudentInfo("S005", "Ed", "")]
    assert missing_students(roster, []) == roster
