"""Hostile: write malformed messages straight into the harness's answer channel.

Attack: the channel's descriptor number is on the harness's command line (/proc/self/cmdline). While
q2d is being computed, write a well-formed JSON line whose content breaks the parent's expectations:
an "answer" for q2d whose "raised" problem has frames given as a dict and a line number that is not
a number. A robust parent treats it as an unreadable answer for q2d.

Expected: q2d is "invalid"/"raised" (0 points), the grader returns a report, the honest parts count.
(An earlier version of the runner crashed here: StudentProblem.from_message now trusts none of the
message's types.)
"""
# ATTACKED: q2d
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2

import json
import math
import os

q1a = "Normalizing flows"
q2a = -math.log(2)
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8

CHANNEL = int(open("/proc/self/cmdline", "rb").read().split(b"\0")[-2])


def q2d():
    message = {"event": "answer", "id": "q2d",
               "raised": {"type": "SECTEST", "message": "forged", "frames": {"line": "x"},
                          "defines": 7}}
    os.write(CHANNEL, (json.dumps(message) + "\n").encode())
    return 0.5
