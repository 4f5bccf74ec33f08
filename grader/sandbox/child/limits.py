"""The resource limits a submission's process runs under, applied in the child before any student
code runs (by `preexec_fn` for a fresh interpreter, by the warm worker's forked child otherwise)."""

from __future__ import annotations

from dataclasses import dataclass

SANDBOX_PROCESS_LIMIT = 64
"""Processes a sandbox uid may own at once: a fork bomb stops here (only with a dedicated uid)."""
SCRATCH_BYTES = 64 << 20
"""The strict sandbox's private /tmp: a tmpfs is host memory, so it is capped."""


@dataclass(frozen=True)
class ResourceLimits:
    """Resource limits applied to the child before it runs any student code."""

    address_space: int = 3 << 30
    cpu_seconds: int = 120
    file_size: int = 16 << 20
    open_files: int = 256


def apply_limits(limits: ResourceLimits, own_uid: bool) -> None:
    """Lower this process's limits; `own_uid`: it runs as a dedicated uid, so a process limit binds."""
    import resource  # POSIX only (the caller checks): Windows has no resource limits
    settings = [
        (resource.RLIMIT_CORE, 0),
        (resource.RLIMIT_AS, limits.address_space),
        (resource.RLIMIT_CPU, limits.cpu_seconds),
        (resource.RLIMIT_FSIZE, limits.file_size),
        (resource.RLIMIT_NOFILE, limits.open_files),
    ]
    if own_uid:  # counts every process of the uid: only meaningful for a dedicated sandbox uid
        settings.append((resource.RLIMIT_NPROC, SANDBOX_PROCESS_LIMIT))
    for which, value in settings:
        _, hard = resource.getrlimit(which)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(which, (value, value))
