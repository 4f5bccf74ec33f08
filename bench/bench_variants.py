"""A class graded against 200 variants versus the same class against one: print times and ratios.

    python bench/bench_variants.py [--students 200] [--jobs 2] [--isolation auto]

Copies the genmodels set twice, once with `policies.variants: document` (everyone the document's
numbers) and once with `per_student` (each student their own; about as many variants as students),
and grades the same generated class (bench_batch.py's) with each:
- cold: no reference cache, so per_student first computes every variant's reference;
- cached: a new output folder with the reference cache kept (a batch after `grade validate
  --variants`, or any later batch of the same class): only the grading differs.
Target: cached per_student within 1.5 × cached document.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_batch import make_class  # the same generated class

ROOT = Path(__file__).resolve().parent.parent


def make_course(into: Path, policy: str) -> Path:
    shutil.copytree(ROOT / "problems" / "genmodels", into / "problems" / "genmodels")
    (into / "solutions").mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / "genmodels.py", into / "solutions")
    spec = into / "problems" / "genmodels" / "assignment.yaml"
    spec.write_text(spec.read_text().replace("  variants: document", f"  variants: {policy}"))
    return into


def grade(course: Path, folder: Path, out: Path, jobs: int, isolation: str) -> float:
    command = [sys.executable, "-m", "grader.cli", "batch", str(folder), "--out", str(out), "--course",
               str(course), "-a", "genmodels", "--jobs", str(jobs), "--isolation", isolation]
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"grade batch failed ({result.returncode}): {result.stderr[-800:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--isolation", default="auto")
    args = parser.parse_args()
    times: dict[tuple[str, str], float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "class"
        folder.mkdir()
        make_class(folder, args.students)
        for policy in ("document", "per_student"):
            course = make_course(Path(tmp) / policy, policy)
            times[policy, "cold"] = grade(course, folder, Path(tmp) / f"{policy}-out1", args.jobs, args.isolation)
            times[policy, "cached"] = grade(course, folder, Path(tmp) / f"{policy}-out2", args.jobs, args.isolation)
    print(f"{args.students} submissions, --jobs {args.jobs}, isolation {args.isolation}")
    for phase in ("cold", "cached"):
        one, each = times["document", phase], times["per_student", phase]
        print(f"  {phase:7}  one variant {one:6.1f} s   a variant per student {each:6.1f} s   "
              f"ratio {each / one:.2f}")


if __name__ == "__main__":
    main()
