"""Grading a notebook against grading the same answers as a .py: one file, then a whole class.

    python bench/bench_notebook.py [--runs 7] [--students 200] [--jobs 2] [--isolation auto]

1. `grade submit` on each bundled example and its notebook twin (submissions/genmodels/*.ipynb),
   alternating the two so that both see the same machine, median of --runs each.
2. `grade batch` on a generated class (bench_batch.py's mix) written once as .py files and once as
   the same files turned into notebooks (scripts/notebook_twins.py's cells), fresh output each time.
Prints each median and the ratio notebook / .py (target: at most 1.2 for one file; the batch in the
same speed class).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "scripts")]
from bench_batch import make_class  # noqa: E402
from notebook_twins import notebook_of  # noqa: E402

EXAMPLES = ["perfect", "typical", "raises"]


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def alternate(first: list[str], second: list[str], runs: int) -> tuple[float, float]:
    a, b = [], []
    for _ in range(runs):
        a.append(wall(first))
        b.append(wall(second))
    return statistics.median(a), statistics.median(b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--isolation", default="auto")
    args = parser.parse_args()
    submit = [sys.executable, "-m", "grader.cli", "submit", "-a", "genmodels", "--isolation", args.isolation]
    wall([*submit, "submissions/genmodels/perfect.py"])  # the reference's answers cached once
    print(f"grade submit, median of {args.runs}, isolation {args.isolation}")
    for name in EXAMPLES:
        py, notebook = alternate([*submit, f"submissions/genmodels/{name}.py"],
                                 [*submit, f"submissions/genmodels/{name}.ipynb"], args.runs)
        print(f"  {name:<14} .py {py:6.2f} s   .ipynb {notebook:6.2f} s   ratio {notebook / py:.2f}")

    with tempfile.TemporaryDirectory() as tmp:
        as_py, as_notebooks = Path(tmp) / "py", Path(tmp) / "ipynb"
        as_py.mkdir()
        as_notebooks.mkdir()
        make_class(as_py, args.students)
        for path in as_py.iterdir():
            nbformat.write(notebook_of(path.read_text(), "jupyterlab", False), as_notebooks / f"{path.stem}.ipynb")
        times = {}
        for label, folder in (("py", as_py), ("ipynb", as_notebooks), ("py ", as_py), ("ipynb ", as_notebooks)):
            out = Path(tmp) / f"out-{label.strip()}-{len(times)}"
            times.setdefault(label.strip(), []).append(wall([
                sys.executable, "-m", "grader.cli", "batch", str(folder), "--out", str(out), "--course", str(ROOT),
                "-a", "genmodels", "--jobs", str(args.jobs), "--isolation", args.isolation]))
    py, notebook = min(times["py"]), min(times["ipynb"])
    print(f"grade batch of {args.students}, --jobs {args.jobs}, best of 2 each")
    print(f"  .py {py:6.1f} s ({py / args.students * 1000:.0f} ms each)   .ipynb {notebook:6.1f} s "
          f"({notebook / args.students * 1000:.0f} ms each)   ratio {notebook / py:.2f}")


if __name__ == "__main__":
    main()
