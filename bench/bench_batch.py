"""Grade a generated class of N varied submissions with `grade batch`; print throughput and ratios.

    python bench/bench_batch.py [--students 200] [--jobs 2] [--isolation auto]

The class mixes the bundled examples (perfect, typical, template, syntax error, raising) with
per-student variations of the numeric answers (right, rounded, typical mistakes), so that every
file differs. Prints submissions per second, the wall time per submission, and its ratio to a bare
`python -c "import numpy, scipy.stats, sympy"` (what one fresh interpreter per submission costs).
Target on a 2-core machine: 200 submissions in under 30 s with strict isolation.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["perfect", "typical", "template", "syntax_error", "raises"]
WEIGHTS = [45, 35, 8, 6, 6]
VARIATIONS = {
    "q2d": ["0.8413", "0.84134", "0.1587", "0.5", "scipy.stats.norm.cdf(1)"],
    "q4d_var": ["0.28", "0.72", "0.2800", "1 - 0.72"],
    "q4c_alpha_bar2": ["0.72", "1.7", "0.9 * 0.8"],
}


def make_class(folder: Path, students: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    for i in range(students):
        example = rng.choices(EXAMPLES, WEIGHTS)[0]
        text = (ROOT / "submissions" / "genmodels" / f"{example}.py").read_text()
        if example in ("perfect", "typical"):
            extra = "\nimport scipy.stats\n" + "".join(
                f"{name} = {rng.choice(options)}\n" for name, options in VARIATIONS.items())
            text += extra + f"# student {i}\n"
        else:
            text += f"\n# student {i}\n"
        (folder / f"student{i:03d}.py").write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--isolation", default="auto")
    args = parser.parse_args()
    bare = statistics.median(
        _wall([sys.executable, "-c", "import numpy, scipy.stats, sympy"]) for _ in range(5))
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "class", Path(tmp) / "out"
        folder.mkdir()
        make_class(folder, args.students)
        command = [sys.executable, "-m", "grader.cli", "batch", str(folder), "--out", str(out),
                   "--course", str(ROOT), "-a", "genmodels", "--jobs", str(args.jobs),
                   "--isolation", args.isolation]
        first = _wall(command, show=True)
        rerun = _wall(command)
        shutil.rmtree(out, ignore_errors=True)
    per = first / args.students
    print(f"{args.students} submissions, --jobs {args.jobs}, isolation {args.isolation}")
    print(f"  full batch        {first:8.1f} s   {args.students / first:6.1f} submissions/s")
    print(f"  per submission    {per * 1000:8.0f} ms  = {per / bare:.2f} × bare import ({bare:.2f} s)")
    print(f"  rerun (no change) {rerun:8.1f} s")


def _wall(command: list[str], show: bool = False) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if show:
        print(result.stdout.strip().splitlines()[0] if result.stdout.strip() else result.stderr[-500:])
    return elapsed


if __name__ == "__main__":
    main()
