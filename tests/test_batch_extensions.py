"""grader.batch.extensions: per-student extensions from a CSV, and how they move the due date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from grader.batch.extensions import ExtensionsError, read_extensions
from grader.checking.late import late_result
from grader.problemset.spec import LatePolicy

EST = timezone(timedelta(hours=-5))
DUE = datetime(2026, 11, 20, 23, 59, tzinfo=EST)


def policy(**kw) -> LatePolicy:
    kw.setdefault("due", DUE)
    return LatePolicy(**kw)


def after(**kw) -> datetime:
    return DUE + timedelta(**kw)


PER_DAY = policy(grace_minutes=15, penalty_per_day=0.1, max_penalty=0.5,
                 cutoff=DUE + timedelta(days=7))


def write(tmp_path, text: str, name: str = "extensions.csv", encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_read_extensions_with_due_and_durations(tmp_path):
    path = write(tmp_path, "Student ID,due,extra_days,extra_hours\n"
                           "s1,2026-11-22T23:59:00-05:00,,\n"
                           "s2,,2,\n"
                           "\n"
                           "s3,,1.5,6\n"
                           "s4,,,12\n"
                           "s5,2026-11-23T04:59:00Z,,\n", encoding="utf-8-sig")
    ext = read_extensions(path)
    assert ext == {
        "s1": datetime(2026, 11, 22, 23, 59, tzinfo=EST),
        "s2": timedelta(days=2),
        "s3": timedelta(days=1, hours=18),
        "s4": timedelta(hours=12),
        "s5": datetime(2026, 11, 23, 4, 59, tzinfo=UTC),
    }
    assert ext["s1"].utcoffset() == timedelta(hours=-5)


@pytest.mark.parametrize("id_column", ["id", "sid", "email", "student_id", "STUDENT ID"])
def test_read_extensions_id_column_names(tmp_path, id_column):
    assert read_extensions(write(tmp_path, f"{id_column},extra_hours\nx@u.edu,3\n")) == {
        "x@u.edu": timedelta(hours=3)}


def test_read_extensions_semicolons_and_decimal_comma(tmp_path):
    assert read_extensions(write(tmp_path, "sid;extra_days\ns1;1,5\n")) == {
        "s1": timedelta(days=1.5)}


def test_extensions_feed_late_result(tmp_path):
    ext = read_extensions(write(tmp_path, "sid,extra_days\ns1,2\n"))
    assert late_result(PER_DAY, after(days=1), ext.get("s1")).penalty == 0
    assert late_result(PER_DAY, after(days=1), ext.get("s2")).penalty == pytest.approx(0.1)


@pytest.mark.parametrize("text, line, fragment", [
    ("name,extra_days\nAda,1\n", 1, "no student id column"),
    ("sid,note\ns1,ill\n", 1, 'no "due", "extra_days" or "extra_hours" column'),
    ("", 1, "empty"),
    ("sid,due\ns1,2026-11-22T23:59:00\n", 2, "has no time zone"),
    ("sid,due\ns1,2026-11-22\n", 2, "has no time zone"),
    ("sid,due\ns1,next friday\n", 2, "not an ISO date"),
    ("sid,extra_days\ns1,two\n", 2, "not a number"),
    ("sid,extra_days\ns1,-1\n", 2, "0 or more"),
    ("sid,extra_days\ns1,nan\n", 2, "0 or more"),
    ("sid,extra_days\n\ns1,\n", 3, "gives no extension"),
    ("sid,due,extra_days\ns1,2026-11-22T23:59:00Z,2\n", 2, "not both"),
    ("sid,extra_days\n,2\n", 2, "sid cell is empty"),
    ("sid,extra_days\ns1,1\ns1,2\n", 3, "already has an extension on line 2"),
])
def test_read_extensions_errors_name_file_line_and_fix(tmp_path, text, line, fragment):
    path = write(tmp_path, text)
    with pytest.raises(ExtensionsError) as info:
        read_extensions(path)
    message = str(info.value)
    assert str(path) in message and f"line {line}:" in message and fragment in message
    assert info.value.line == line


def test_read_extensions_reports_every_bad_row(tmp_path):
    path = write(tmp_path, 'sid,extra_days\ns1,x\ns2,1\n"s3\nwith newline",1\ns4,-2\n')
    with pytest.raises(ExtensionsError) as info:
        read_extensions(path)
    assert [line for line, _ in info.value.problems] == [2, 6]


def test_read_extensions_missing_and_undecodable_files(tmp_path):
    with pytest.raises(ExtensionsError, match="no such file"):
        read_extensions(tmp_path / "nope.csv")
    path = tmp_path / "latin1.csv"
    path.write_bytes("sid,extra_days\nJos\xe9,1\n".encode("latin-1"))
    with pytest.raises(ExtensionsError, match="CSV UTF-8"):
        read_extensions(path)
