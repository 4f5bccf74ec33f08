"""The reference cache, as the grader left it, whatever a submission did while it ran.

At the process level a submission runs as the grader's own user: it can find the course (through
/proc/<grader>/cwd) and rewrite `.grade-cache/*.json`, the reference's answers, so that its own
resubmission and every later student would be graded against its values. Nothing can stop the write
(same uid), but it can be undone: `guarded_cache` notes every file of the cache folder before the
run and, after it, puts back what changed, re-creates what was removed and deletes what was added.
Runs under a sandbox uid (user, strict) cannot write the cache (0600 files in a 0700 folder), so
guarding them costs only the snapshot.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from grader.report.files import write_atomically

log = logging.getLogger(__name__)
MAX_CACHE_FILE = 64 << 20
"""A cache file larger than this was not written by the grader: it is removed, not kept."""


def _snapshot(folder: Path) -> dict[str, bytes] | None:
    """Name → content of every regular file in `folder`; None when it is not a real folder."""
    if folder.is_symlink() or not folder.is_dir():
        return None
    files = {}
    for entry in folder.iterdir():
        if entry.is_file() and not entry.is_symlink() and entry.stat().st_size <= MAX_CACHE_FILE:
            files[entry.name] = entry.read_bytes()
    return files


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def restore(folder: Path, before: dict[str, bytes] | None) -> list[str]:
    """Make `folder` hold exactly `before` again; return what had to be undone."""
    undone = []
    if before is None:
        if folder.exists() or folder.is_symlink():
            _remove(folder)
            undone.append(f"{folder} was created")
        return undone
    if folder.is_symlink() or not folder.is_dir():
        _remove(folder)
        folder.mkdir(mode=0o700)
        undone.append(f"{folder} was replaced")
    for entry in list(folder.iterdir()):
        if entry.name not in before or entry.is_symlink() or not entry.is_file():
            _remove(entry)
            undone.append(f"{entry.name} was added")
    for name, content in before.items():
        path = folder / name
        try:
            same = path.is_file() and not path.is_symlink() and path.read_bytes() == content
        except OSError:
            same = False
        if not same:
            _remove(path)
            write_atomically(path, content, mode=0o600)
            undone.append(f"{name} was changed or removed")
    return undone


@contextmanager
def guarded_cache(folder: Path) -> Iterator[None]:
    """Whatever happens to `folder` inside the block is undone when it ends."""
    try:
        before = _snapshot(folder)
    except OSError:
        before = None
    try:
        yield
    finally:
        try:
            undone = restore(folder, before)
        except OSError as exc:
            log.warning("could not check the reference cache %s after a run: %s; removing it", folder, exc)
            _remove(folder)
            undone = []
        if undone:
            log.warning("a submission changed the reference cache %s; undone: %s", folder, "; ".join(undone))
