"""Hostile: exhaust memory, in pure Python and through numpy.

Attack: q2d keeps allocating 1 GiB blocks; q4b asks numpy for a 32 GiB array; both
would take the grading machine down without a limit.

Expected: the child's address-space limit (3 GiB) makes the allocations fail with MemoryError: both
parts "raised an exception"; the other answers and the grader are unaffected.
"""
# ATTACKED: q2d q4b
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2 q2c

import math

import numpy as np

q1a = "Normalizing flows"
q2a = -math.log(2)
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8
q2c = math.inf


def q2d():
    hoard = []
    while True:
        hoard.append(bytes(1 << 30))  # 1 GiB at a time (calloc: as fast as the kernel maps it)


def q4b(eps_model, x0, eps, t, alpha_bars):
    return float(np.ones((1 << 16, 1 << 16)).sum())
