"""A class of N distinct submissions through `grade batch`: time, memory and disk as the class grows.

    python bench/bench_scale.py --students 10000 [--jobs 2] [--isolation auto] [--student-reports none]
                                [--long-csv gzip] [--starters] [--every SECONDS]

Generates N distinct genmodels submissions (bench_batch.py's class), grades them with `grade batch`
in a child process and prints:
- wall time and submissions per second;
- peak memory: of the grader's own process (the coordinator: gradebook, references, grading,
  outputs) and of its whole process tree (warm workers and the sandboxed children too), both as
  PSS (proportional set size: a page shared by forked workers counts once in all), sampled from
  /proc every 0.2 s, so Linux only;
- bytes on disk per submission in the output folder, everything included, and per file kind.
Target: the tree's peak under 300 MB for N = 10,000 and N = 100,000, and about 10 KB on disk per
submission in the MOOC setting (the defaults here: `--student-reports none --long-csv gzip`).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from bench_batch import make_class

ROOT = Path(__file__).resolve().parent.parent


def pss_kib(pid: int) -> int:
    """The process's proportional set size (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def children_of() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text(encoding="ascii")
            except OSError:
                continue
            parent = int(stat.rsplit(")", 1)[1].split()[1])
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def tree_of(root: int) -> list[int]:
    tree, out, todo = children_of(), [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(tree.get(pid, []))
    return out


class PeakMemory(threading.Thread):
    """Samples every 0.2 s; with `every`, also prints the peaks so far each `every` seconds."""

    def __init__(self, pid: int, every: float | None = None):
        super().__init__(daemon=True)
        self.pid, self.own, self.tree = pid, 0, 0
        self.every = every
        self.done = threading.Event()

    def run(self) -> None:
        started = last = time.monotonic()
        while not self.done.wait(0.2):
            self.own = max(self.own, pss_kib(self.pid))
            self.tree = max(self.tree, sum(pss_kib(p) for p in tree_of(self.pid)))
            if self.every and time.monotonic() - last >= self.every:
                last = time.monotonic()
                print(f"  {last - started:7.0f} s: peak so far grader {self.own / 1024:4.0f} MB, "
                      f"tree {self.tree / 1024:4.0f} MB", flush=True)


def disk_use(folder: Path) -> tuple[int, Counter[str]]:
    kinds: Counter[str] = Counter()
    for path in folder.rglob("*"):
        if path.is_file():
            kind = "students/*/" + path.name if "students" in path.parts else path.name
            kinds[kind] += path.stat().st_size
    return sum(kinds.values()), kinds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--isolation", default="auto")
    parser.add_argument("--student-reports", default="none")
    parser.add_argument("--long-csv", default="gzip")
    parser.add_argument("--every", type=float, default=None,
                        help="Also print the peak memory so far every this many seconds (a long run's course).")
    parser.add_argument("--keep", type=Path, default=None, help="Grade into this folder and keep it.")
    parser.add_argument("--starters", action="store_true",
                        help="Every submission the untouched starter file (each with its own comment): the "
                             "students' code does nothing, so a large N measures the grader's own costs quickly.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "class"
        folder.mkdir()
        started = time.perf_counter()
        if args.starters:
            starter = (ROOT / "submissions" / "genmodels" / "template.py").read_text(encoding="utf-8")
            for i in range(args.students):
                (folder / f"student{i:06d}.py").write_text(f"{starter}\n# student {i}\n", encoding="utf-8")
        else:
            make_class(folder, args.students)
        print(f"generated {args.students} distinct submissions in {time.perf_counter() - started:.1f} s", flush=True)
        out = args.keep or Path(tmp) / "out"
        command = [sys.executable, "-m", "grader.cli", "batch", str(folder), "--out", str(out), "--course", str(ROOT),
                   "-a", "genmodels", "--jobs", str(args.jobs), "--isolation", args.isolation,
                   "--student-reports", args.student_reports, "--long-csv", args.long_csv]
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        peak = PeakMemory(child.pid, args.every)
        peak.start()
        stdout, stderr = child.communicate()
        elapsed = time.perf_counter() - started
        peak.done.set()
        peak.join()
        if child.returncode != 0:
            sys.exit(f"grade batch failed ({child.returncode}): {stderr[-1500:]}")
        total, kinds = disk_use(out)
        n = args.students
        print(stdout.strip().splitlines()[0])
        what = "untouched starter files" if args.starters else "submissions"
        print(f"{n} {what}, --jobs {args.jobs}, --isolation {args.isolation}, "
              f"--student-reports {args.student_reports}, --long-csv {args.long_csv}")
        print(f"  wall time        {elapsed:8.1f} s   ({n / elapsed:.1f} submissions/s, "
              f"{1000 * elapsed / n:.1f} ms each)")
        print(f"  peak memory      grader {peak.own / 1024:6.0f} MB   "
              f"whole process tree {peak.tree / 1024:6.0f} MB (PSS)")
        print(f"  on disk          {total / n / 1024:8.1f} KB per submission ({total / 2**20:.0f} MB in all)")
        for kind, size in kinds.most_common(8):
            print(f"    {kind:28} {size / n / 1024:8.2f} KB per submission")


if __name__ == "__main__":
    main()
