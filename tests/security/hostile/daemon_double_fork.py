"""Hostile: a classic Unix daemon (fork, setsid, fork) that outlives the run and writes later.

Attack: at import, fork; the child calls setsid() (leaving the process group the runner kills) and
forks again; the grandchild closes its descriptors, waits 1.5 s — after the grading has returned —
and writes a marker file and a forged results.json into the grader's working directory.

Expected: the runner kills the process group, then every process whose environment carries the
run's GRADER_RUN tag (the daemon inherited it), and at the strict level the PID namespace dies with
the sandbox: no process survives the grading call and the marker is never written.
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
q2d = 0.5  # wrong


def _daemon():
    for fd in range(64):
        try:
            os.close(fd)
        except OSError:
            pass
    time.sleep(1.5)
    with open("/tmp/SECTEST-late-double-fork", "w") as f:
        f.write("SECTEST written after the run by a double-forked daemon\n")
    try:
        with open(os.path.join(GRADER_CWD, "results.json"), "w") as f:
            json.dump({"score": 100, "SECTEST": "double-fork"}, f)
    except OSError:
        pass


try:
    GRADER_CWD = os.readlink(f"/proc/{os.getppid()}/cwd")
except OSError:
    GRADER_CWD = "/nonexistent"

child = os.fork()
if child == 0:
    try:
        os.setsid()
        if os.fork() == 0:
            _daemon()
    finally:
        os._exit(0)
os.waitpid(child, 0)
