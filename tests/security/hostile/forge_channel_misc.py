"""Hostile: well-formed forgeries on the answer channel — answers for other requests, NaN literals,
absurd nesting, an endless line, a premature "done".

Attack (the descriptor number is on the harness's command line):
  q2a   while computing it, send an "answer" for q2d carrying Φ(1), hoping it is filed under q2d;
  q2c   send an answer line with a bare NaN literal, then the real answer;
  q4c_alpha1  send a JSON array nested 100 000 deep;
  q4c_alpha2  send 5 MiB without a newline (one endless line), then return;
  q4d_var     send {"event": "done"} early.
q2d itself is 0.5 (wrong).

Expected: a message for a request other than the current one is ignored, invalid lines are dropped,
an endless line ends that launch (the answer is "too large", the file starts again), a premature
"done" only costs the file its own remaining answers; nothing crashes or blames the grader.
"""
# ATTACKED: q2d q4c_alpha2
# HONEST: q1a q2a q2c q4c_alpha1

import json
import math
import os

CHANNEL = int(open("/proc/self/cmdline", "rb").read().split(b"\0")[-2])


def _send(data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(CHANNEL, view):]


q1a = "Normalizing flows"
q2d = 0.5


def q2a():
    _send((json.dumps({"event": "answer", "id": "q2d", "value": 0.8413447460685429}) + "\n").encode())
    return -math.log(2)


def q2c():
    _send(b'{"event": "answer", "id": "q2c", "value": NaN}\n')
    return math.inf


def q4c_alpha1():
    _send(b'{"event": "answer", "id": "q4c_alpha1", "value": ' + b"[" * 100_000 + b"]" * 100_000 + b"}\n")
    return 0.9


def q4c_alpha2():
    _send(b'{"event": "answer", "id": "q4c_alpha2", "value": "' + b"x" * (5 << 20))
    return 0.8


def q4d_var():
    _send(b'{"event": "done"}\n')
    return 0.28
