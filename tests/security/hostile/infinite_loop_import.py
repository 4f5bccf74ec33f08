"""Hostile: an endless loop at the top level of the file, which also swallows every exception.

Attack: `while True` during import, catching any exception the harness might raise to interrupt it
(a grader that imports the file with a plain `import` or `exec` would hang forever).

Expected: the parent's import deadline (import_seconds) kills the process group, the statement is
recorded as skipped, and the file is started again without it: the answers defined before and after
the loop are graded; the whole grading stays within the time bound.
"""
# ATTACKED: none
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2 q2e_finite

import math

q1a = "Normalizing flows"
q2a = -math.log(2)

while True:
    try:
        while True:
            math.factorial(50)
    except BaseException:
        pass

q4c_alpha1 = 0.9
q4c_alpha2 = 0.8
q2e_finite = False
