"""Hostile: end the run early with sys.exit(0) during import and SystemExit inside an answer.

Attack: `sys.exit(0)` half-way through the file (a naive runner stops importing there and may
treat exit code 0 as success), and q2d raises SystemExit(0) when called.

Expected: the harness runs the file statement by statement, so the statements after sys.exit still
define their answers; the exit is reported as a problem at its line; q2d is "raised an exception".
"""
# ATTACKED: q2d
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2 q2e q2e_finite

import math
import sys

q1a = "Normalizing flows"
q2a = -math.log(2)

sys.exit(0)

q4c_alpha1 = 0.9
q4c_alpha2 = 0.8


def q2d():
    raise SystemExit(0)


raise SystemExit("SECTEST: stop grading here")

q2e = -math.inf
q2e_finite = False
