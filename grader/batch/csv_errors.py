"""One error type for CSV files a TA fills in (extensions, review sheets): every bad row at once."""

from __future__ import annotations

from pathlib import Path


class CsvRowsError(ValueError):
    """Problems in a CSV file, each with its line (None for the whole file) and what to do."""

    def __init__(self, path: Path, problems: list[tuple[int | None, str]]):
        self.path = path
        self.problems = problems
        self.line = problems[0][0] if problems else None
        super().__init__("\n".join(
            f"{path}, line {line}: {message}" if line is not None else f"{path}: {message}"
            for line, message in problems))
