"""Writing files so that a reader never sees half of one: a temporary file, then a rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


def _read_umask() -> int:
    # Read once, at import: setting the umask to read it is not safe while other threads create files.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()
NEW_FILE_MODE = 0o666 & ~_UMASK
"""What the umask gives a new file (mkstemp's 0600 would hide reports from their readers)."""


def write_atomically(path: Path, text: str | bytes, mode: int | None = None) -> None:
    """Write `text` to `path` via a temporary file in the same directory and an atomic rename; the
    file gets `mode`, or by default what the umask gives a new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8") if isinstance(text, str) else text)
        os.chmod(tmp, NEW_FILE_MODE if mode is None else mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class AtomicTextFile:
    """A UTF-8 text file written under a temporary name in its folder: `commit` puts it in place
    (renamed), `discard` removes it, so a reader never sees half of it."""

    def __init__(self, path: Path, newline: str | None = None):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        fd, self._tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        self.file: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline=newline)

    def commit(self) -> None:
        self.file.close()
        os.chmod(self._tmp, NEW_FILE_MODE)
        os.replace(self._tmp, self.path)

    def discard(self) -> None:
        self.file.close()
        Path(self._tmp).unlink(missing_ok=True)


@contextmanager
def atomic_text_file(path: Path, newline: str | None = None) -> Iterator[IO[str]]:
    """An AtomicTextFile to write a large output into piece by piece: put in place when the block
    ends without an exception, else removed."""
    target = AtomicTextFile(path, newline)
    try:
        yield target.file
    except BaseException:
        target.discard()
        raise
    target.commit()
