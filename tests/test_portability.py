"""The process level without what Linux gives it: the same verdicts on macOS and on Windows.

These machines have only Linux, so each platform is simulated in a fresh interpreter that lacks
what that platform lacks, before the grader is imported:

- "macos": no /proc (reaping.PROC points nowhere) and no prctl (no subreaper, no /proc sweeps);
  everything else is POSIX;
- "windows": also no SIGALRM/setitimer (timers), no setsid/killpg (process groups), no resource,
  pwd or fcntl modules, and no descriptor inheritance (the answer channel is a loopback connection
  with a one-time token), so deadlines are enforced by the parent alone.

Each grades the bundled examples and two hangs (an endless answer, an endless statement at import)
at the process level; every part must get the verdict and points it gets with everything present.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FILES = [ROOT / "submissions" / "genmodels" / f"{name}.py"
         for name in ("perfect", "typical", "raises", "syntax_error", "template")]
FILES += [ROOT / "tests" / "security" / "hostile" / f"{name}.py"
          for name in ("infinite_loop_answer", "infinite_loop_import")]

REMOVE = {
    "linux": "",
    "macos": "",
    "windows": """
for name in ("pwd", "fcntl", "resource", "grp"):
    sys.modules[name] = None
for name in ("SIGALRM", "setitimer", "getitimer", "ITIMER_REAL"):
    if hasattr(signal, name):
        delattr(signal, name)
for name in ("killpg", "setsid"):
    if hasattr(os, name):
        delattr(os, name)
""",
}
AFTER_IMPORT = {
    "linux": "",
    "macos": 'reaping.PROC = Path("/nonexistent-proc")\nreaping.become_subreaper = lambda: None\n',
    "windows": ('portability.PASS_FDS = False\nreaping.PROC = Path("/nonexistent-proc")\n'
                "reaping.become_subreaper = lambda: None\n"),
}

GRADE = """
import json, os, signal, sys
from pathlib import Path
{remove}
from grader.sandbox import portability
from grader.sandbox.child import reaping
{after_import}
from grader.pipeline import grade_submission
from grader.problemset.loader import load_problem_set
from grader.sandbox import levels

problem_set = load_problem_set(Path({root!r}) / "problems" / "genmodels", Path({root!r}))
facts = {{"alarm": portability.ALARM, "groups": portability.PROCESS_GROUPS,
          "pass_fds": portability.PASS_FDS, "rlimits": portability.RLIMITS}}
reports = {{}}
for path in {files!r}:
    report = grade_submission(problem_set, Path(path), sandbox=levels.choose("process"))
    reports[Path(path).stem] = [[p.name, p.outcome.value, p.earned] for p in report.parts]
print(json.dumps({{"facts": facts, "reports": reports}}))
"""


def verdicts(platform: str) -> dict:
    code = GRADE.format(remove=REMOVE[platform], after_import=AFTER_IMPORT[platform], root=str(ROOT),
                        files=[str(f) for f in FILES])
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600,
                            cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def linux() -> dict:
    """The verdicts with everything Linux offers, graded the same way."""
    return verdicts("linux")


@pytest.mark.parametrize("platform", ["macos", "windows"])
def test_the_process_level_gives_the_same_verdicts_without_linux_extras(platform, linux):
    simulated = verdicts(platform)
    if platform == "windows":  # the simulation really took every fallback
        assert simulated["facts"] == {"alarm": False, "groups": False, "pass_fds": False, "rlimits": False}
    else:
        assert simulated["facts"] == linux["facts"]
    assert simulated["reports"] == linux["reports"]
    # and the hangs were graded as hangs, the rest of those files as usual
    loop = {name: outcome for name, outcome, _ in simulated["reports"]["infinite_loop_answer"]}
    assert loop["q2d"] == "timed_out" and loop["q4c_alpha1"] == "correct"
