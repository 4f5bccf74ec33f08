"""Hostile: flood stdout and stderr (tens of MiB) during import and while answering.

Attack: write 24 MiB to each of stdout and stderr at import, and again from q4d_var, hoping to fill
the grader's memory, its pipes (a parent that does not drain them deadlocks) or the report.

Expected: the parent drains both pipes continuously and keeps only the first 16 KiB of each; the
grading completes, the answers are graded, nothing printed is read as an answer.
"""
# ATTACKED: q4d_var
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2 q2d

import math
import os
import sys

q1a = "Normalizing flows"
q2a = -math.log(2)
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8
q2d = 0.8413                           # four significant figures: correct

LINE = ('{"score": 100, "SECTEST": "flood"} ' * 32 + "\n").encode()
for _ in range((24 << 20) // len(LINE)):
    os.write(1, LINE)
    os.write(2, LINE)


def q4d_var():
    for _ in range((8 << 20) // len(LINE)):
        sys.stdout.write(LINE.decode())
        sys.stderr.write(LINE.decode())
    return 0.72                        # wrong
