"""`python -m grader.gradescope.precompute --course DIR --assignment NAME`: run the reference solution
once and cache its answers (in DIR/.grade-cache), as `setup.sh` does while Gradescope builds the
image. Every run then reads the cache instead of running the reference again. Exits 1, saying
why, when the reference gives no answer for some part: better a failed image build than every
submission reporting a grader error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.gradescope.precompute",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--course", type=Path, default=Path("."))
    parser.add_argument("--assignment", default=None)
    args = parser.parse_args(argv)

    from grader.checking.reference import reference_failures, run_reference
    from grader.problemset.loader import SpecError, find_problem_set, load_problem_set
    from grader.problemset.plan import build_plan

    try:
        problem_set = load_problem_set(find_problem_set(args.course, args.assignment), args.course)
    except SpecError as exc:
        print(exc.describe(), file=sys.stderr)
        return 3
    outcome = run_reference(problem_set, build_plan(problem_set))
    failures = reference_failures(outcome) + ([outcome.grader_error] if outcome.grader_error else [])
    if failures:
        print(f"the reference solution {problem_set.reference_path} gives no answer for:", file=sys.stderr)
        for failure in failures:
            print(f"  - {failure}", file=sys.stderr)
        return 1
    print(f"{problem_set.assignment.slug}: the reference's {len(outcome.answers)} answers are computed and cached.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
