"""Per-submission overhead of each isolation level, as a ratio to a bare `python -I -c pass`.

    python bench/bench_isolation.py [--runs 15]

Each level runs a trivial submission (`a = 1`, one answer) through the real launcher; the warm-fork
row forks from this process after it imported numpy, scipy.stats and sympy, confines the child
(namespaces, file-system view, sandbox uid, limits, seccomp) and waits for it to exit. Medians.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from grader.sandbox import levels, probe
from grader.sandbox.child import confine  # noqa: E402
from grader.sandbox.runner import Limits, Request, run_file  # noqa: E402


def median_seconds(action, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def warm_fork(sandbox: levels.Isolation, scratch: Path) -> None:
    mount_point = tempfile.mkdtemp(dir=scratch)
    pid = confine.fork_in_new_pid_namespace()
    if pid == 0:
        try:
            confine.confine_forked_child(sandbox, mount_point)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
    os.rmdir(mount_point)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        submission = scratch / "answers.py"
        submission.write_text("a = 1\n")
        bare = median_seconds(lambda: subprocess.run([sys.executable, "-I", "-c", "pass"], check=True), args.runs)
        rows = [("bare python -I -c pass", bare)]
        # Not named `levels`: that is the module whose choose() gives each level's sandbox.
        level_names = ["process"] + ([] if probe.strict_problems() else ["strict"])
        for level in level_names:
            launch = functools.partial(run_file, submission, [Request("a", "a")], {}, Limits(10, 3, 30),
                                       levels.choose(level))
            rows.append((f"{level}: launch, harness, one answer", median_seconds(launch, args.runs)))
        if "strict" in level_names:
            import numpy  # noqa: E401,F401  (what a warm worker holds)

            sandbox = levels.choose("strict")
            rows.append(("strict, warm fork: fork + confine + exit",
                         median_seconds(lambda: warm_fork(sandbox, scratch), args.runs)))
        else:
            print("strict isolation unavailable:", "; ".join(probe.strict_problems()))
    print(f"median of {args.runs} runs")
    print(f"{'what':<44} {'ms':>8} {'× bare':>7}")
    for label, seconds in rows:
        print(f"{label:<44} {1000 * seconds:8.1f} {seconds / bare:7.2f}")


if __name__ == "__main__":
    main()
