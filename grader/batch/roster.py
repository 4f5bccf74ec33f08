"""The class roster (a CSV file) and who in it did not submit.

The first row names the columns; names are matched case-insensitively, with spaces, `_` and `-`
treated alike. Recognised columns (the first one present wins):
  id     id, sid, student id, sis user id, user id (also: studentid, userid, student number,
         canvas user id, sis id). Canvas' gradebook export has "ID" (the Canvas user id, which is
         what a Canvas download names files by) and "SIS User ID"; Gradescope's roster has "SID".
  name   name, student, full name, student name; or first name + last name
  email  email, e-mail, email address
Comma, semicolon and tab separated files are read; a UTF-8 byte-order mark is accepted. Canvas'
"Points Possible" row and blank rows are skipped. A missing id column, a row without an id and
an id given twice are `RosterError`s naming the file and the line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from pathlib import Path

from grader.batch.model import BatchSubmission, StudentInfo

MAX_ROSTER_BYTES = 32 << 20

ID_COLUMNS = ("id", "sid", "student id", "sis user id", "user id",
              "studentid", "userid", "student number", "canvas user id", "sis id")
NAME_COLUMNS = ("name", "student", "full name", "student name")
FIRST_NAME_COLUMNS = ("first name", "firstname", "first", "given name")
LAST_NAME_COLUMNS = ("last name", "lastname", "last", "surname", "family name")
EMAIL_COLUMNS = ("email", "e mail", "email address", "e mail address")


class RosterError(Exception):
    """A roster file that cannot be used: the file, the line and what to do."""

    def __init__(self, path: Path | str, line: int | None, message: str):
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{self.path}, line {line}" if line else str(self.path)
        super().__init__(f"{where}: {message}")


def _column_name(header: str) -> str:
    return re.sub(r"[\s_\-]+", " ", header.strip().lower()).strip()


def _find(columns: dict[str, int], names: tuple[str, ...]) -> int | None:
    for name in names:
        if name in columns:
            return columns[name]
    return None


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def match_key(student_id: str) -> str:
    """How ids are compared: trimmed, case-insensitive, and all-digit ids without leading zeros
    (spreadsheets drop them: 06758767 and 6758767 are the same student)."""
    key = student_id.strip().casefold()
    if re.fullmatch(r"[0-9]+", key):
        key = key.lstrip("0") or "0"
    return key


def _cell(row: list[str], col: int | None) -> str:
    """The trimmed cell of `row` in column `col`; "" for a column the roster lacks or a short row."""
    return row[col].strip() if col is not None and col < len(row) else ""


def read_roster(path: Path) -> list[StudentInfo]:
    """The students of the roster CSV at `path`, in file order."""
    path = Path(path)
    try:
        data = path.read_bytes()[: MAX_ROSTER_BYTES + 1]
    except OSError as exc:
        raise RosterError(path, None, f"cannot be read ({exc.strerror}); check the path.") from None
    if len(data) > MAX_ROSTER_BYTES:
        raise RosterError(path, None, f"larger than {MAX_ROSTER_BYTES >> 20} MiB; this is not a roster.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RosterError(path, line, "not UTF-8 text; save the roster as \"CSV UTF-8\" (in Excel: File > "
                                      "Save As > CSV UTF-8) and try again.") from None
    if not text.strip():
        raise RosterError(path, 1, "empty; the first line must name the columns, e.g. id,name,email.")

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.splitlines()[0]))
    try:
        header = next(reader)
        columns: dict[str, int] = {}
        for index, heading in enumerate(header):
            columns.setdefault(_column_name(heading), index)
        id_col = _find(columns, ID_COLUMNS)
        if id_col is None:
            found = ", ".join(repr(h.strip()) for h in header if h.strip()) or "none"
            raise RosterError(path, 1, f"no student id column (columns found: {found}). Name the id column "
                                       "one of: id, sid, student id, sis user id, user id.")
        name_col = _find(columns, NAME_COLUMNS)
        first_col, last_col = _find(columns, FIRST_NAME_COLUMNS), _find(columns, LAST_NAME_COLUMNS)
        email_col = _find(columns, EMAIL_COLUMNS)

        students: list[StudentInfo] = []
        seen: dict[str, tuple[str, int]] = {}
        end = reader.line_num
        for row in reader:
            line, end = end + 1, reader.line_num

            if not any(c.strip() for c in row):
                continue
            student_id = _cell(row, id_col)
            if not student_id:
                if any(c.strip().lower() == "points possible" for c in row):
                    continue
                raise RosterError(path, line, f"no student id in column {header[id_col].strip()!r}; fill it in "
                                              "or delete the row.")
            key = match_key(student_id)
            if key in seen:
                other, other_line = seen[key]
                same = "" if other == student_id else f" (as {other!r})"
                raise RosterError(path, line, f"student id {student_id!r} is already on line {other_line}"
                                              f"{same}; remove the duplicate row.")
            seen[key] = (student_id, line)
            name = _cell(row, name_col)
            if not name and (first_col is not None or last_col is not None):
                name = " ".join(part for part in (_cell(row, first_col), _cell(row, last_col)) if part)
            students.append(StudentInfo(student_id, name, _cell(row, email_col)))
    except csv.Error as exc:
        raise RosterError(path, reader.line_num, f"not a readable CSV file ({exc}); save it again as CSV.") from None
    return students


def missing_students(roster: Iterable[StudentInfo], submissions: Iterable[BatchSubmission]) -> list[StudentInfo]:
    """The roster's students who are in no submission, in roster order.

    A student counts as present when their id matches a submitter's id, or, when the roster and
    the platform use different kinds of id (SIS id vs. Canvas user id, say), when their email
    matches a submitter's email (a Gradescope id that is an email counts too)."""
    ids: set[str] = set()
    emails: set[str] = set()
    for submission in submissions:
        for student in submission.students:
            ids.add(match_key(student.id))
            for address in (student.email, student.id):
                if "@" in address:
                    emails.add(address.strip().casefold())
    missing = []
    for student in roster:
        if match_key(student.id) in ids:
            continue
        addresses = {a.strip().casefold() for a in (student.email, student.id) if "@" in a}
        if addresses & emails:
            continue
        missing.append(student)
    return missing
