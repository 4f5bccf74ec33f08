"""Review decisions before and after answer groups, on a generated class.

    python bench/bench_review.py [--students 200] [--jobs 2] [--isolation auto] [--runs 5]

1. Writes --students submissions: the bundled perfect answers with every free-text part replaced
   by the generated class of tests/review_corpus.py (copies, light edits, rewordings and original
   answers, as classes share them), and grades them with `grade batch` once.
2. `grade review export --per-student` (one row per student × part: the decisions without groups)
   and `grade review export` (one row per group), each timed end to end.
3. The grouping alone (grader.batch.review_groups.group_pending on the pending rows), best and
   median of --runs.
Prints the rows, the groups, their ratio (target: at most 1/3) and the time to group (target:
under 10 s for 200 × 19 answers).
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from review_corpus import generate_class  # noqa: E402

from grader.problemset.loader import load_problem_set  # noqa: E402
from grader.problemset.spec import FreeTextChecker  # noqa: E402


def write_class(folder: Path, students: int) -> None:
    problem_set = load_problem_set(ROOT / "problems" / "genmodels", ROOT)
    parts = [p for _, p in problem_set.parts() if isinstance(p.checker, FreeTextChecker)]
    perfect = (ROOT / "submissions" / "genmodels" / "perfect.py").read_text(encoding="utf-8")
    by_student: dict[str, list[str]] = {}
    for answer in generate_class(parts, students):
        by_student.setdefault(answer.student, []).append(f"{answer.part} = {answer.text!r}")
    folder.mkdir(parents=True)
    for student, lines in by_student.items():
        # Later assignments win: the generated answers replace the perfect ones.
        (folder / f"{student}.py").write_text(perfect + "\n" + "\n".join(lines) + "\n", encoding="utf-8")


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def count_rows(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return sum(1 for _ in csv.DictReader(f))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--isolation", default="auto")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    grade = [sys.executable, "-m", "grader.cli"]
    where = ["--course", str(ROOT), "-a", "genmodels"]
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "class", Path(tmp) / "graded"
        write_class(folder, args.students)
        batch = timed([*grade, "batch", str(folder), "--out", str(out), "--jobs", str(args.jobs),
                       "--isolation", args.isolation, *where])
        print(f"grade batch of {args.students} generated submissions: {batch:.1f} s")
        per_student = timed([*grade, "review", "export", "--out", str(out), "--per-student",
                             "--file", str(out / "per-student.csv"), *where])
        grouped = timed([*grade, "review", "export", "--out", str(out), *where])
        rows, groups = count_rows(out / "per-student.csv"), count_rows(out / "review.csv")
        print(f"review decisions: {rows} rows (one per student × part) → {groups} groups "
              f"(ratio {groups / rows:.3f}; target ≤ 0.333)")
        print(f"grade review export: {per_student:.2f} s per student, {grouped:.2f} s by groups "
              "(process start, gradebook read and files included)")

        from grader.batch.review import pending_answers
        from grader.batch.review_groups import group_pending
        from grader.batch.store import Gradebook

        problem_set = load_problem_set(ROOT / "problems" / "genmodels", ROOT)
        parts = [p for _, p in problem_set.parts() if isinstance(p.checker, FreeTextChecker)]
        with Gradebook(out / "gradebook.sqlite") as book:
            results = [(s.key, s.students[0].name, book.get(s.key).report, book.answers(s.key))  # type: ignore[union-attr]
                       for s in book.submissions()]
        pending = pending_answers(parts, results)
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            group_pending(pending)
            times.append(time.perf_counter() - start)
        print(f"grouping {len(pending)} answers alone: best {min(times):.2f} s, median "
              f"{statistics.median(times):.2f} s of {args.runs} (target < 10 s)")


if __name__ == "__main__":
    main()
