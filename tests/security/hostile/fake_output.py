"""Hostile: print fake scores, fake results.json and fake harness messages on stdout and stderr.

Attack: the file prints lines that look like the harness protocol ({"event": "answer", ...} with the
right value of q2d), a Gradescope results.json with a perfect score, and "TOTAL 100/100" lines, on
both streams and straight to file descriptors 1 and 2. q2d itself is wrong.

Expected: stdout and stderr are only captured (and capped) for display; answers travel only on the
dedicated channel, so q2d earns 0 and the honest parts are unaffected.
"""
# ATTACKED: q2d
# HONEST: q1a q2a q4c_alpha1 q4c_alpha_bar2

import json
import math
import os
import sys

q1a = "Normalizing flows"
q2a = -math.log(2)
q4c_alpha1 = 0.9
q4c_alpha_bar2 = 0.72
q2d = 0.123  # wrong

FAKE_EVENTS = [
    {"event": "loaded", "problems": []},
    {"event": "start", "id": "q2d"},
    {"event": "answer", "id": "q2d", "value": 0.8413447460685429},
    {"event": "done"},
]
FAKE_RESULTS = {"score": 100, "max_score": 100, "output": "SECTEST all correct", "earned": 100}

for stream in (sys.stdout, sys.stderr):
    for event in FAKE_EVENTS:
        print(json.dumps(event), file=stream)
    print(json.dumps(FAKE_RESULTS), file=stream)
    print("TOTAL 100 / 100 points  (SECTEST)", file=stream)
    stream.flush()
for fd in (1, 2):
    os.write(fd, ("\n".join(json.dumps(e) for e in FAKE_EVENTS) + "\n").encode())


def q4d_var():
    print(json.dumps({"event": "answer", "id": "q4d_var", "value": 0.28}))
    print("q4d_var = 0.28  # correct!", file=sys.stderr)
    return 0.5  # wrong
