"""Hostile: a "running" daemon — a chain of processes, each forking its successor and exiting at once.

Attack: at import, eight chains start (each in its own session). Every link forks the next and exits
immediately, so at any moment the chain is one young process with a new pid. The runner's sweep
reads /proc three times and kills what carries the run's tag; a link born after the last pass
escapes. The surviving chain stops after 2.5 s and writes a marker file.

Expected: no process survives the grading and the marker is never written. At the strict level the
PID namespace dies with the sandbox. At the process level the grader keeps killing the orphans
that re-parent to it until two passes find none. (Found by this suite: the chain used to outrun the
three-pass tag sweep, which read /proc oldest first and gave up after three passes.)
"""
# ATTACKED: q2d
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2

import math
import os
import time

q1a = "Normalizing flows"
q2a = -math.log(2)
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8
q2d = 0.5  # wrong


def _chain(number):
    os.setsid()
    for fd in range(64):
        try:
            os.close(fd)
        except OSError:
            pass
    started = time.monotonic()
    while time.monotonic() - started < 2.5:
        try:
            if os.fork() != 0:
                os._exit(0)
        except OSError:
            time.sleep(0.001)
    with open(f"/tmp/SECTEST-late-fork-chain-{number}", "w") as f:
        f.write(f"SECTEST chain {number} outlived the run (pid {os.getpid()})\n")
    os._exit(0)


for number in range(8):
    if os.fork() == 0:
        try:
            if os.fork() == 0:
                _chain(number)
        finally:
            os._exit(0)
    os.wait()
