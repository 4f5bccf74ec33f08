"""One error type for CSV files a TA fills in (extensions, review sheets): every bad row at once."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol


class CsvRowsError(ValueError):
    """Problems in a CSV file, each with its line (None for the whole file) and what to do."""

    def __init__(self, path: Path, problems: list[tuple[int | None, str]]):
        self.path = path
        self.problems = problems
        self.line = problems[0][0] if problems else None
        super().__init__("\n".join(
            f"{path}, line {line}: {message}" if line is not None else f"{path}: {message}"
            for line, message in problems))


class RowReader(Protocol):
    """What `csv.reader` returns (typeshed names its class only in the private `_csv` module)."""

    @property
    def line_num(self) -> int: ...

    def __next__(self) -> list[str]: ...


def numbered_rows(reader: RowReader, problems: list[tuple[int | None, str]]) -> Iterator[tuple[int, list[str]]]:
    """The rows after the header, each with the line it starts on (a quoted cell may span lines).
    A row the csv module cannot read ends the file, with a problem saying so."""
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append((start, f"cannot be read as CSV ({exc}); check its quotes"))
            return
        yield start, row
