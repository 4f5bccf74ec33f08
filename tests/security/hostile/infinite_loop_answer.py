"""Hostile: one answer that never returns — it ignores SIGALRM and swallows every exception.

Attack: q2d turns off the harness's per-answer alarm (SIGALRM ignored, interval timer cleared) and
loops forever catching BaseException; the answers requested after it would never be computed by a
runner that waits.

Expected: the parent's per-answer deadline kills the process group; q2d is "timed out"; the file is
started again and the remaining answers (q4c_alpha1, q4c_alpha2, ...) are graded.
"""
# ATTACKED: q2d
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2 q4d_var

import math
import signal

q1a = "Normalizing flows"
q2a = -math.log(2)
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8
q4d_var = 0.28


def q2d():
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    signal.setitimer(signal.ITIMER_REAL, 0)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    while True:
        try:
            while True:
                math.factorial(50)
        except BaseException:
            pass
