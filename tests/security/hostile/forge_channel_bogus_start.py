"""Hostile: announce a request the grader never made, then hang.

Attack: while q2d is computed, write {"event": "start", "id": "SECTEST-bogus"} into the answer
channel (its descriptor is on the harness's command line), then sleep forever, swallowing the
harness's timeout. The parent now believes the bogus request is running; when the deadline kills the
child it looks up the bogus id among its requests.

Expected: the bogus id is ignored (or the hang is charged to q2d): q2d times out, the grader returns
a report, the honest parts count. (Found by this suite: `next(...)` over the requests used to raise
StopIteration in runner._Session._launch_once, which became a grader error for the whole file.)
"""
# ATTACKED: q2d
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2

import json
import math
import os
import time

q1a = "Normalizing flows"
q2a = -math.log(2)
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8

CHANNEL = int(open("/proc/self/cmdline", "rb").read().split(b"\0")[-2])


def q2d():
    os.write(CHANNEL, (json.dumps({"event": "start", "id": "SECTEST-bogus"}) + "\n").encode())
    while True:
        try:
            time.sleep(100)
        except BaseException:
            pass
