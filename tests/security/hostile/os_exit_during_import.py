"""Hostile: kill the process with os._exit(0) during import and inside an answer.

Attack: `os._exit(0)` at the top level (no exception to catch: the process is simply gone) and
again when q2d is called.

Expected: the parent sees the answer channel close, skips the statement that killed the process,
starts the file again without it, and loses only q2d (reported as ending the process).
"""
# ATTACKED: q2d
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2 q2c

import math
import os

q1a = "Normalizing flows"
q2a = -math.log(2)

os._exit(0)

q4c_alpha1 = 0.9
q4c_alpha2 = 0.8
q2c = float("inf")


def q2d():
    os._exit(0)
