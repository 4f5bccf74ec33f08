"""Files a user-level run leaves behind: removed after the run.

At the user level there is no private /tmp: the submission, as its leased sandbox uid, may write in
every world-writable folder (/tmp, /var/tmp, /dev/shm and the world-writable folders inside them).
The lease gives that uid to this run alone, so after the run everything the uid owns there is its
leftover: a file another submission could read, or disk filled for the runs that follow.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

WORLD_WRITABLE = (Path("/tmp"), Path("/var/tmp"), Path("/dev/shm"))


def _remove(path: str, is_dir: bool) -> None:
    if is_dir:
        shutil.rmtree(path, ignore_errors=True)  # never follows a link out of the folder
    else:
        try:
            os.unlink(path)
        except OSError:
            pass


def remove_files_of(uid: int, folders: tuple[Path, ...] = WORLD_WRITABLE) -> list[str]:
    """Remove what `uid` owns in `folders` and in the world-writable folders inside them; return
    the paths removed."""
    removed: list[str] = []
    pending = [str(f) for f in folders if f.is_dir() and not f.is_symlink()]
    while pending:
        folder = pending.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            is_dir = stat.S_ISDIR(info.st_mode)
            if info.st_uid == uid:
                _remove(entry.path, is_dir)
                removed.append(entry.path)
            elif is_dir and info.st_mode & stat.S_IWOTH:
                pending.append(entry.path)
    return removed
