"""Hostile: fill the disk (or, in the sandbox, the RAM behind its /tmp) one allowed-size file at a time.

Attack: the per-file limit (RLIMIT_FSIZE, 16 MiB) stops one huge file, so q2d first tries one 32 MiB
file (refused with EFBIG) and then writes many files of 16 MiB each — into the working directory at
the process level (the real disk), into /tmp in the sandbox (a tmpfs: the host's memory). It stops
at 256 MiB to spare the test machine and returns how many MiB it wrote.

Expected: a submission's total disk use is bounded, like its memory. At the strict level the
sandbox's /tmp is a tmpfs capped at limits.SCRATCH_BYTES (found by this suite: it used to be
uncapped host memory). At the process level only the size of each file is limited, not the total:
see the xfail in test_resources.py (VULNERABILITY).
"""
# ATTACKED: q2d
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2

import math
import os
import tempfile

q1a = "Normalizing flows"
q2a = -math.log(2)
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8

CAP_MIB = 256
CHUNK = b"\0" * (1 << 20)


def q2d():
    where = tempfile.gettempdir()
    big = 0
    try:
        with open(os.path.join(where, "SECTEST-big"), "wb") as f:
            for _ in range(32):
                f.write(CHUNK)
                big += 1
    except OSError:
        pass
    written = 0
    for i in range(CAP_MIB // 16):
        try:
            with open(os.path.join(where, f"SECTEST-fill-{i}"), "wb") as f:
                for _ in range(16):
                    f.write(CHUNK)
                    written += 1
        except OSError:
            break
    return float(written)   # MiB written in allowed-size files (not Φ(1), of course)
