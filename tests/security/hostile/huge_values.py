"""Hostile: return values too large or too deep to transfer: a denial of service on the parent.

Attack: a list of a million floats (q4a), a list nested 100 000 deep (q2d), a 10 MB string (q1d), an
integer with 50 000 digits (q4c_alpha_bar2), a self-referencing list (q4b), a generator (q4e), a
numpy array of 4 million values (q2b), and a dict holding everything (q4d_mean).

Expected: the harness refuses to encode beyond its limits (nodes, depth, string length, integer
digits) and the parent refuses messages beyond its own; each such part is "invalid format", quickly,
and the honest answers are graded.
"""
# ATTACKED: q4a q2d q1d q4c_alpha_bar2 q4b q4e q2b q4d_mean
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2 q2c

import math
import sys

import numpy as np

q1a = "Normalizing flows"
q2a = -math.log(2)
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8
q2c = math.inf

sys.set_int_max_str_digits(0)

q4c_alpha_bar2 = 7 ** 59_000
q1d = "generative " * 1_000_000

deep = []
for _ in range(100_000):
    deep = [deep]
q2d = deep

loop = [0.28]
loop.append(loop)

q4d_mean = {"value": 1.697, "everything": [q1d, loop, deep]}


def q4a(x0, betas, t):
    return [0.5] * 1_000_000


def q4b(eps_model, x0, eps, t, alpha_bars):
    return loop


def q4e(x_t, x0, betas, t):
    return (x for x in (1.0, 2.0))


def q2b(z):
    return np.zeros(4_000_000)
