"""Time `grade gradescope run` on each bundled submission inside Gradescope's default limits.

    sudo python bench/bench_gradescope.py [--cpus 0.5] [--memory-mb 768] [--isolation auto]

Gradescope's default container has 0.5 vCPU and about 768 MB of memory (../shared/reference/
gradescope.md). As root on a machine with cgroup v1 `cpu` and `memory` hierarchies (as here) or
cgroup v2, each run is placed in a cgroup with that CPU quota and memory limit, so that its wall
time is what a student would wait on Gradescope; elsewhere it runs unlimited and says so. Prints,
per submission: wall time, score, isolation level, and the cgroup's peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["perfect", "typical", "template", "syntax_error", "raises"]
METADATA = {"id": 1, "created_at": "2026-01-01T00:00:00+00:00",
            "assignment": {"due_date": "2100-01-01T00:00:00+00:00", "late_due_date": None},
            "users": [{"email": "s@example.edu", "name": "Student", "sid": "1"}]}
V1 = Path("/sys/fs/cgroup")
V2 = Path("/sys/fs/cgroup/unified")


class Limits:
    """A cgroup with a CPU quota and a memory limit (v1 cpu + memory, or v2); `wrap` runs a command
    in it; `peak_mb` reads its peak memory after the run."""

    def __init__(self, cpus: float, memory_mb: int):
        self.kind, self.dirs = "none", []
        name = f"grade-bench-{os.getpid()}"
        if os.geteuid() != 0:
            return
        if (V1 / "cpu" / "cpu.cfs_quota_us").exists() and (V1 / "memory" / "memory.limit_in_bytes").exists():
            cpu, memory = V1 / "cpu" / name, V1 / "memory" / name
            cpu.mkdir(), memory.mkdir()
            (cpu / "cpu.cfs_period_us").write_text("100000")
            (cpu / "cpu.cfs_quota_us").write_text(str(int(cpus * 100000)))
            (memory / "memory.limit_in_bytes").write_text(str(memory_mb << 20))
            self.kind, self.dirs = "v1", [cpu, memory]
        elif (Path("/sys/fs/cgroup") / "cgroup.controllers").exists():
            group = Path("/sys/fs/cgroup") / name
            group.mkdir()
            (group / "cpu.max").write_text(f"{int(cpus * 100000)} 100000")
            (group / "memory.max").write_text(str(memory_mb << 20))
            self.kind, self.dirs = "v2", [group]

    def wrap(self, command: list[str]) -> list[str]:
        if self.kind == "none":
            return command
        joins = " ".join(f"echo $$ > {d}/{'tasks' if self.kind == 'v1' else 'cgroup.procs'};" for d in self.dirs)
        return ["sh", "-c", f'{joins} exec "$@"', "sh", *command]

    def reset_peak(self) -> None:
        if self.kind == "v1":
            (self.dirs[1] / "memory.max_usage_in_bytes").write_text("0")

    def peak_mb(self) -> float | None:
        if self.kind == "v1":
            return int((self.dirs[1] / "memory.max_usage_in_bytes").read_text()) / 2**20
        if self.kind == "v2" and (self.dirs[0] / "memory.peak").exists():
            return int((self.dirs[0] / "memory.peak").read_text()) / 2**20
        return None

    def remove(self) -> None:
        for d in self.dirs:
            for _ in range(50):  # the last process of a run may take a moment to leave
                try:
                    d.rmdir()
                    break
                except OSError:
                    time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cpus", type=float, default=0.5)
    parser.add_argument("--memory-mb", type=int, default=768)
    parser.add_argument("--isolation", default="auto")
    args = parser.parse_args()
    limits = Limits(args.cpus, args.memory_mb)
    grade = shutil.which("grade") or sys.exit("`grade` is not on PATH: pip install -e . first")
    where = (f"cgroup {limits.kind}: {args.cpus:g} CPU, {args.memory_mb} MB" if limits.kind != "none"
             else "NO LIMITS (needs root and cgroups): times are this machine's, not Gradescope's")
    print(f"grade gradescope run, isolation {args.isolation}, {where}")
    print(f"  {'submission':14} {'wall s':>7} {'score':>7}  {'isolation':10} {'peak MB':>8}")
    try:
        for example in EXAMPLES:
            with tempfile.TemporaryDirectory() as tmp:
                root = Path(tmp)
                (root / "submission").mkdir()
                (root / "results").mkdir()
                shutil.copy(ROOT / "submissions" / "genmodels" / f"{example}.py", root / "submission" / "answers.py")
                (root / "submission_metadata.json").write_text(json.dumps(METADATA))
                command = [grade, "gradescope", "run", "--root", str(root), "--course", str(ROOT),
                           "--assignment", "genmodels", "--isolation", args.isolation]
                limits.reset_peak()
                start = time.perf_counter()
                subprocess.run(limits.wrap(command), capture_output=True, check=False)
                wall = time.perf_counter() - start
                results = json.loads((root / "results" / "results.json").read_text())
                grader = results.get("extra_data", {}).get("grader", {})
                peak = limits.peak_mb()
                print(f"  {example:14} {wall:7.1f} {results['score']:7.1f}  {str(grader.get('isolation')):10} "
                      f"{'' if peak is None else f'{peak:8.0f}'}")
    finally:
        limits.remove()


if __name__ == "__main__":
    main()
