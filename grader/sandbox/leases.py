"""A pool of sandbox uids, so that runs in parallel (threads or processes) never share one: a
process limit and file ownership then bind one submission only."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import IO, TYPE_CHECKING

from grader.sandbox import settings
from grader.sandbox.levels import Isolation

if TYPE_CHECKING:
    import pwd


def sandbox_users() -> list[pwd.struct_passwd]:
    """The sandbox user and its numbered siblings (grader-sandbox-1, -2, ...), created by setup."""
    import pwd  # POSIX only: this level does not run on Windows

    name = settings.SANDBOX_USER
    pool = [u for u in pwd.getpwall()
            if u.pw_name == name or re.fullmatch(re.escape(name) + r"-\d+", u.pw_name)]
    return sorted(pool, key=lambda u: (len(u.pw_name), u.pw_name))


@contextmanager
def lease(isolation: Isolation) -> Iterator[Isolation]:
    """Hold one sandbox uid of the pool for the duration of a run (other processes and threads
    that lease at the same time get another one, or wait). A no-op without a uid switch."""
    if isolation.uid is None:
        yield isolation
        return
    import fcntl  # a uid switch needs POSIX (these modules do not exist on Windows)
    import pwd

    settings.LOCK_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
    users = sandbox_users() or [pwd.getpwuid(isolation.uid)]
    handles: list[IO[str]] = []
    try:
        for blocking, user in [(False, u) for u in users] + [(True, users[0])]:
            handle = open(settings.LOCK_DIR / f"{user.pw_uid}.lock", "a")
            handles.append(handle)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                continue
            yield replace(isolation, uid=user.pw_uid, gid=user.pw_gid)
            return
    finally:
        for held in handles:
            held.close()  # closing releases the lock
