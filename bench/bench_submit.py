"""Time `grade submit` on the bundled submissions against a bare import of the scientific stack.

    python bench/bench_submit.py [--runs 7]

Prints the median wall time of each command and the ratio to the bare
`python -c "import numpy, scipy.stats, sympy"` (target: grade submit ≤ 2× that). The reference's
answers are cached after the first run, as they are for a student running the command twice; the
first (cold) run is reported separately.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def median(cmd: list[str], runs: int) -> float:
    return statistics.median(wall(cmd) for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    python = sys.executable
    grade = [python, "-m", "grader.cli", "submit"]
    shutil.rmtree(ROOT / ".grade-cache", ignore_errors=True)
    cold = wall(grade + ["submissions/genmodels/perfect.py"])
    bare = median([python, "-c", "import numpy, scipy.stats, sympy"], args.runs)
    rows = [("bare: python -c 'import numpy, scipy.stats, sympy'", bare)]
    for name in ("perfect", "typical", "template", "raises"):
        path = ROOT / "submissions" / "genmodels" / f"{name}.py"
        if path.exists():
            rows.append((f"grade submit {path.relative_to(ROOT)}", median(grade + [str(path)], args.runs)))
    print(f"median of {args.runs} runs, python {sys.version.split()[0]}")
    print(f"{'command':<62} {'seconds':>8} {'× bare':>7}")
    for label, seconds in rows:
        print(f"{label:<62} {seconds:8.2f} {seconds / bare:7.2f}")
    print(f"{'cold cache: grade submit submissions/genmodels/perfect.py':<62} {cold:8.2f} {cold / bare:7.2f}")


if __name__ == "__main__":
    main()
