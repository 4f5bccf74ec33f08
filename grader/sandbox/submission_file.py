"""Reading the file a student submitted, as untrusted input: never through a symbolic link, only a
regular file (a FIFO must not block the grader), within a size cap, as UTF-8. Every refusal is a
SubmissionFileError whose message names the file and says what to do."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MAX_SUBMISSION_BYTES = 1 << 20


class SubmissionFileError(Exception):
    """The file to grade cannot be read at all (missing, not a regular file, too big, not UTF-8)."""


def read_submission_bytes(path: Path, limit: int = MAX_SUBMISSION_BYTES) -> bytes:
    """Open without following symlinks, insist on a regular file, read at most `limit` bytes."""
    nofollow, nonblock = getattr(os, "O_NOFOLLOW", 0), getattr(os, "O_NONBLOCK", 0)
    if not nofollow and path.is_symlink():  # Windows has no O_NOFOLLOW: look first
        raise SubmissionFileError(f"{path}: is a symbolic link; submit the file itself")
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer (the mode is reset below).
        fd = os.open(path, os.O_RDONLY | nofollow | nonblock | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise SubmissionFileError(f"{path}: no such file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SubmissionFileError(f"{path}: is a symbolic link; submit the file itself") from None
        raise SubmissionFileError(f"{path}: cannot be opened ({exc.strerror})") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise SubmissionFileError(f"{path}: not a regular file; submit your answers file")
    if nonblock:
        os.set_blocking(fd, True)
    with os.fdopen(fd, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise SubmissionFileError(f"{path}: larger than {limit // 1024} KiB; submit only your answers file")
    return data


def decode_source(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SubmissionFileError(f"{path}: not UTF-8 text (byte {exc.start}); save the file as "
                                  "UTF-8 in your editor") from None


def read_submission(path: Path) -> str:
    """A submitted .py file's text (see read_submission_bytes for what is refused)."""
    return decode_source(path, read_submission_bytes(path))
