"""Hostile: kill the warm worker that forked this submission, so the next students cannot be graded.

Attack: in a batch, warm workers (grader/sandbox/child/warm_worker.py) fork one child per submission. The child finds its
parent; if it is a warm worker (its command line runs the warm worker's serve), it kills it with
SIGKILL. (In a fresh-exec run the parent is the grader itself: the file leaves it alone.)

Expected: one submission cannot stop the grading of the next ones. At the strict level the child
is in its own PID namespace under another uid: it cannot even name the worker. At the process level
the child runs as the worker's user: see the xfail in test_warm_workers.py (VULNERABILITY).
"""
# ATTACKED: q2d
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2

import math
import os
import signal

q1a = "Normalizing flows"
q2a = -math.log(2)
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8
q2d = 0.5  # wrong

outcome = "no warm worker above us"
parent = os.getppid()
try:
    with open(f"/proc/{parent}/cmdline", "rb") as f:
        is_warm_worker = b"warm_worker import serve" in f.read() and parent > 1
except OSError:
    is_warm_worker = False
if is_warm_worker:
    try:
        os.kill(parent, signal.SIGKILL)
        outcome = f"SECTEST killed the warm worker {parent}"
    except OSError as exc:
        outcome = f"could not kill the warm worker: {exc}"


def q3a():
    return outcome
