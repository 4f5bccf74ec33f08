"""The gradebook: an embedded SQLite file in the batch's output directory.

It remembers, per student, the hash of the graded file and of the problem set (specs + reference),
the report (everything, expected answers and hidden inputs included, for staff; packed with zstd
against the class's first report, see packed.py), per-part outcomes, timings and isolation level,
so that a rerun grades only what changed and a regrade after a spec fix can say exactly who moved.
TA overrides of free-text parts live in their own table and survive regrades, as long as the
answer they reviewed is unchanged. Everything the class outputs need is read back one submission
at a time (`iter_submissions`, `get`), so they are written in memory that does not grow with it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from grader.batch import packed
from grader.batch.model import BatchSubmission, Override, StudentInfo
from grader.report.results import GradeReport
from grader.report.serialise import report_from_data, report_to_json

SCHEMA = """
CREATE TABLE IF NOT EXISTS graded (
    student_key TEXT PRIMARY KEY,
    file_hash TEXT NOT NULL,
    spec_hash TEXT NOT NULL,
    earned REAL NOT NULL,
    possible REAL NOT NULL,
    isolation TEXT NOT NULL,
    seconds REAL NOT NULL,
    graded_at TEXT NOT NULL,
    report TEXT NOT NULL,
    grader_error INTEGER
);
CREATE TABLE IF NOT EXISTS parts (
    student_key TEXT NOT NULL,
    part TEXT NOT NULL,
    question TEXT NOT NULL,
    outcome TEXT NOT NULL,
    earned REAL NOT NULL,
    possible REAL NOT NULL,
    PRIMARY KEY (student_key, part)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS submissions (
    student_key TEXT PRIMARY KEY,
    data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS answers (
    student_key TEXT NOT NULL,
    part TEXT NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (student_key, part)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS dictionaries (
    id INTEGER PRIMARY KEY,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS pending (
    student_key TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    file_hash TEXT NOT NULL,
    variant TEXT NOT NULL,
    rescore INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS overrides (
    student_key TEXT NOT NULL,
    part TEXT NOT NULL,
    points REAL NOT NULL,
    comment TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (student_key, part)
);
"""


@dataclass(frozen=True)
class StoredResult:
    student_key: str
    file_hash: str
    spec_hash: str
    earned: float
    possible: float
    isolation: str
    seconds: float
    graded_at: str
    report: GradeReport
    """The full report (expected answers and hidden inputs included: the gradebook is staff-only)."""
    parts: dict[str, tuple[str, float]]
    """Part name → (outcome, earned)."""


@dataclass(frozen=True, slots=True)
class StoredState:
    file_hash: str
    spec_hash: str
    grader_error: bool
    """The grader itself failed on it (retried by the next batch)."""


@dataclass(frozen=True, slots=True)
class PendingJob:
    """A submission this batch runs: where its file is, what it hashed to, against which variant."""

    student_key: str
    path: Path
    file_hash: str
    variant: str
    rescore: bool
    """The same file was graded before, against other specs: its score change is reported."""


PENDING_CHUNK = 500
"""Pending jobs read back per query: each query finishes before the next, so no read stays open
while the batch writes (an open read would keep the WAL from being reused, and it would grow)."""


class Gradebook:
    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        # One connection per gradebook; the batch writes from its main thread only.
        self.db = sqlite3.connect(path)
        # WAL with synchronous=NORMAL: a commit survives the grader being killed (what a batch must
        # survive) without an fsync per submission, which cost more than packing the report.
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        columns = {name for _, name, *_ in self.db.execute("PRAGMA table_info(graded)")}
        if "grader_error" not in columns:  # a gradebook from before it was kept: NULL, "look in the report"
            with self.db:
                self.db.execute("ALTER TABLE graded ADD COLUMN grader_error INTEGER")
        self._dictionaries: dict[int, bytes] = dict(self.db.execute("SELECT id, data FROM dictionaries"))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Gradebook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, student_key: str) -> StoredResult | None:
        row = self.db.execute(
            "SELECT student_key, file_hash, spec_hash, earned, possible, isolation, seconds, graded_at,"
            " report FROM graded WHERE student_key = ?", (student_key,)).fetchone()
        if row is None:
            return None
        parts = {part: (outcome, earned) for part, outcome, earned in self.db.execute(
            "SELECT part, outcome, earned FROM parts WHERE student_key = ?", (student_key,))}
        key, file_hash, spec_hash, earned, possible, isolation, seconds, graded_at, report = row
        text = self._unpacked(report)
        return StoredResult(key, file_hash, spec_hash, earned, possible, isolation, seconds, graded_at,
                            report_from_data(json.loads(text)), parts)

    def state(self, student_key: str) -> StoredState | None:
        """What a rerun needs to tell whether the submission must be graded again, without reading
        its report (a no-change rerun of a MOOC reads 100,000 of these)."""
        row = self.db.execute("SELECT file_hash, spec_hash, grader_error FROM graded WHERE student_key = ?",
                              (student_key,)).fetchone()
        if row is None:
            return None
        file_hash, spec_hash, grader_error = row
        if grader_error is None:  # saved before the column was kept
            stored = self.get(student_key)
            grader_error = stored is not None and bool(stored.report.grader_error)
        return StoredState(file_hash, spec_hash, bool(grader_error))

    def keys(self) -> list[str]:
        return [k for (k,) in self.db.execute("SELECT student_key FROM graded ORDER BY student_key")]

    def save(self, student_key: str, file_hash: str, spec_hash: str, report: GradeReport,
             graded_at: datetime, free_text: dict[str, str] | None = None) -> None:
        """Store one graded submission with the full text of its free-text answers (for the TA's
        review sheet); committed at once, so an interrupted batch keeps it."""
        text = report_to_json(report)
        with self.db:
            self._adopt_dictionary(text, report)
            if free_text is not None:
                self._save_answers(student_key, free_text)
            self.db.execute(
                "INSERT OR REPLACE INTO graded VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (student_key, file_hash, spec_hash, report.earned, report.possible, report.isolation,
                 report.seconds, graded_at.isoformat(), self._packed(text), int(bool(report.grader_error))))
            self.db.execute("DELETE FROM parts WHERE student_key = ?", (student_key,))
            self.db.executemany(
                "INSERT INTO parts VALUES (?, ?, ?, ?, ?, ?)",
                [(student_key, p.name, p.question, p.outcome.value, p.earned, p.possible)
                 for p in report.parts])

    def _adopt_dictionary(self, text: str, report: GradeReport) -> None:
        """The first complete report saved (every part, no failure of the grader's or the file's)
        becomes the dictionary every report and answer is packed against."""
        if not self._dictionaries and report.parts and not report.grader_error and not report.file_problems:
            data = text.encode("utf-8")
            self.db.execute("INSERT INTO dictionaries VALUES (1, ?)", (data,))
            self._dictionaries[1] = data

    def _packed(self, text: str) -> bytes:
        return packed.pack(text, 1, self._dictionaries[1]) if self._dictionaries else packed.pack(text)

    def _unpacked(self, blob: bytes | str) -> str:
        return packed.unpack(blob, self._dictionaries.get(packed.dictionary_of(blob) or 0, b""))

    def save_submissions(self, submissions: Iterable[BatchSubmission]) -> None:
        """The batch's submissions (students, times, source), replacing the previous batch's list."""
        rows = ((s.key, json.dumps({  # a generator: a MOOC's rows are not built all at once
            "students": [[i.id, i.name, i.email] for i in s.students], "path": str(s.path),
            "submitted_at": s.submitted_at.isoformat() if s.submitted_at else None,
            "source": s.source, "marked_late": s.marked_late})) for s in submissions)
        with self.db:
            self.db.execute("DELETE FROM submissions")
            self.db.executemany("INSERT INTO submissions VALUES (?, ?)", rows)

    def submissions(self) -> list[BatchSubmission]:
        return list(self.iter_submissions())

    def iter_submissions(self) -> Iterator[BatchSubmission]:
        """The batch's submissions by key, one at a time (a MOOC's list is not held at once)."""
        cursor = self.db.cursor()  # its own cursor: the caller may query the gradebook meanwhile
        for key, text in cursor.execute("SELECT student_key, data FROM submissions ORDER BY student_key"):
            yield _submission(key, text)

    def iter_members(self, order: Callable[[str], str]) -> Iterator[tuple[StudentInfo, str, bool]]:
        """Every student of every submission: (student, submission key, whether the first member),
        sorted by `order` of the student's id, then by key. SQLite sorts, spilling to disk for a
        large class, so the order costs no memory that grows with it."""
        self.db.create_function("student_order", 1, order, deterministic=True)
        cursor = self.db.cursor()  # its own cursor: the caller may query the gradebook meanwhile
        for key, index, member in cursor.execute(
                "SELECT s.student_key, j.key, j.value FROM submissions s, json_each(s.data, '$.students') j"
                " ORDER BY student_order(json_extract(j.value, '$[0]')), s.student_key, j.key"):
            yield StudentInfo(*json.loads(member)), key, index == 0

    def key_of_student(self, student_id: str) -> str | None:
        """The key of the submission `student_id` is in (their own, or their group's), or None."""
        if self.db.execute("SELECT 1 FROM submissions WHERE student_key = ?", (student_id,)).fetchone():
            return student_id
        row = self.db.execute(
            "SELECT s.student_key FROM submissions s, json_each(s.data, '$.students') j"
            " WHERE json_extract(j.value, '$[0]') = ? LIMIT 1", (student_id,)).fetchone()
        return row[0] if row else None

    def submission(self, student_key: str) -> BatchSubmission | None:
        row = self.db.execute("SELECT data FROM submissions WHERE student_key = ?", (student_key,)).fetchone()
        return _submission(student_key, row[0]) if row else None

    # -- the jobs of this batch: held here, not in memory, while the class is graded ------------

    def set_pending(self, jobs: Iterable[PendingJob]) -> int:
        """This batch's jobs, replacing the last batch's; how many."""
        count = 0
        with self.db:
            self.db.execute("DELETE FROM pending")
            for chunk in _chunks(jobs, PENDING_CHUNK):
                self.db.executemany("INSERT INTO pending VALUES (?, ?, ?, ?, ?)",
                                    [(j.student_key, str(j.path), j.file_hash, j.variant, int(j.rescore))
                                     for j in chunk])
                count += len(chunk)
        return count

    def iter_pending(self) -> Iterator[PendingJob]:
        """The pending jobs by key, read a chunk at a time."""
        after = ""
        while True:
            rows = self.db.execute("SELECT * FROM pending WHERE student_key > ? ORDER BY student_key LIMIT ?",
                                   (after, PENDING_CHUNK)).fetchall()
            for row in rows:
                yield _pending(row)
            if len(rows) < PENDING_CHUNK:
                return
            after = rows[-1][0]

    def pending(self, student_key: str) -> PendingJob | None:
        row = self.db.execute("SELECT * FROM pending WHERE student_key = ?", (student_key,)).fetchone()
        return _pending(row) if row else None

    def setting(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_setting(self, name: str, value: str) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", (name, value))

    def _save_answers(self, student_key: str, texts: dict[str, str]) -> None:
        # A review was of the answer it read: an answer that changed (a resubmission, a regrade
        # that reads it differently) goes back to pending, and out of its answer group.
        changed = [(student_key, part) for part, old in self.answers(student_key).items() if texts.get(part) != old]
        self.db.executemany("DELETE FROM overrides WHERE student_key = ? AND part = ?", changed)
        self.db.execute("DELETE FROM answers WHERE student_key = ?", (student_key,))
        self.db.executemany("INSERT INTO answers VALUES (?, ?, ?)",
                            [(student_key, part, self._packed(text)) for part, text in texts.items()])

    def answers(self, student_key: str) -> dict[str, str]:
        """The student's free-text answers as they wrote them (stored packed, like the report)."""
        return {part: self._unpacked(blob) for part, blob in
                self.db.execute("SELECT part, text FROM answers WHERE student_key = ?", (student_key,))}

    def forget(self, student_key: str) -> None:
        with self.db:
            self.db.execute("DELETE FROM graded WHERE student_key = ?", (student_key,))
            self.db.execute("DELETE FROM parts WHERE student_key = ?", (student_key,))

    # -- TA reviews -------------------------------------------------------------------------------

    def set_override(self, student_key: str, part: str, override: Override) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO overrides VALUES (?, ?, ?, ?, ?, ?)",
                            (student_key, part, override.points, override.comment, override.reviewer,
                             override.at.isoformat()))

    def reviewed_keys(self) -> Iterator[str]:
        """The submissions with at least one TA review, one at a time."""
        cursor = self.db.cursor()  # its own cursor: the caller may query the gradebook meanwhile
        for (key,) in cursor.execute("SELECT DISTINCT student_key FROM overrides ORDER BY student_key"):
            yield key

    def overrides(self, student_key: str) -> dict[str, Override]:
        return {part: Override(points, comment, reviewer, datetime.fromisoformat(at))
                for part, points, comment, reviewer, at in self.db.execute(
                    "SELECT part, points, comment, reviewer, at FROM overrides WHERE student_key = ?",
                    (student_key,))}


def _pending(row: tuple[str, str, str, str, int]) -> PendingJob:
    key, path, file_hash, variant, rescore = row
    return PendingJob(key, Path(path), file_hash, variant, bool(rescore))


def _chunks(items: Iterable[PendingJob], size: int) -> Iterator[list[PendingJob]]:
    chunk: list[PendingJob] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _submission(key: str, text: str) -> BatchSubmission:
    d = json.loads(text)
    return BatchSubmission(
        key, tuple(StudentInfo(*s) for s in d["students"]), Path(d["path"]),
        datetime.fromisoformat(d["submitted_at"]) if d["submitted_at"] else None,
        d["source"], d["marked_late"])
