"""Hostile: sabotage the answer channel — find the harness's file descriptor and close it.

Attack: read the channel's descriptor number from /proc/self/cmdline (the harness is started as
`python -I harness.py FD`) and close it at import, so that nothing more can be reported. A naive
runner would report "no answers", blame the grader, or hang.

Expected: the parent sees the channel close while the statement runs, skips that statement and
starts the file again; every honest answer is graded, nothing is blamed on the grader.
"""
# ATTACKED: none
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2 q2e q2e_finite

import math
import os

q1a = "Normalizing flows"
q2a = -math.log(2)

CHANNEL = int(open("/proc/self/cmdline", "rb").read().split(b"\0")[-2])
os.close(CHANNEL)

q4c_alpha1 = 0.9
q4c_alpha2 = 0.8
q2e = -math.inf
q2e_finite = "no"
