"""The answers pending review, spooled to disk part by part, so that `grade review export` holds
one part's answers at a time (to group them) and never the class's.

    gradebook ─▶ each submission's pending answers ─▶ one JSON-lines file per part (a scratch folder)
              ─▶ per part: group ─▶ review.csv, review-members.csv, review.html (streamed)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import IO

from grader.batch.review import PendingAnswer
from grader.batch.store import Gradebook
from grader.report.results import GradeReport


class PendingSpool:
    """Rows added in any order come back per part, parts in the order they first came."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.counts: dict[str, int] = {}
        """Part → rows added (the parts in the order they first came)."""
        self._files: dict[str, IO[str]] = {}

    def __enter__(self) -> PendingSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self._close()

    def _path(self, part: str) -> Path:
        return self.folder / f"part-{list(self.counts).index(part)}.jsonl"

    def add(self, row: PendingAnswer) -> None:
        if row.part not in self.counts:
            self.counts[row.part] = 0
            self._files[row.part] = self._path(row.part).open("w", encoding="utf-8")
        self._files[row.part].write(json.dumps(asdict(row)) + "\n")
        self.counts[row.part] += 1

    def extend(self, rows: Iterable[PendingAnswer]) -> PendingSpool:
        for row in rows:
            self.add(row)
        return self

    def _close(self) -> None:
        for f in self._files.values():
            f.close()
        self._files = {}

    def _read(self, part: str) -> Iterator[PendingAnswer]:
        with self._path(part).open(encoding="utf-8") as f:
            for line in f:
                data = json.loads(line)
                yield PendingAnswer(**{**data, "hits": tuple(data["hits"])})

    def rows(self) -> Iterator[PendingAnswer]:
        """Every row, part by part, one at a time."""
        self._close()
        for part in self.counts:
            yield from self._read(part)

    def parts(self) -> Iterator[tuple[str, list[PendingAnswer]]]:
        """Each part with its rows: one part in memory at a time."""
        self._close()
        for part in self.counts:
            yield part, list(self._read(part))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def gradebook_results(book: Gradebook) -> Iterator[tuple[str, str, GradeReport, dict[str, str]]]:
    """(submission key, first member's name, report, free-text answers) for each graded submission,
    one at a time: what review.iter_pending_answers reads."""
    for submission in book.iter_submissions():
        stored = book.get(submission.key)
        if stored is not None:
            name = submission.students[0].name if submission.students else ""
            yield submission.key, name, stored.report, book.answers(submission.key)


class ReviewedIn:
    """The (student key, part) pairs a TA has reviewed, asked of the gradebook pair by pair rather
    than held (a MOOC's reviews could number in the hundreds of thousands)."""

    def __init__(self, book: Gradebook):
        self.book = book

    def __contains__(self, pair: object) -> bool:
        if not (isinstance(pair, tuple) and len(pair) == 2):
            return False
        key, part = pair
        return part in self.book.overrides(key)
