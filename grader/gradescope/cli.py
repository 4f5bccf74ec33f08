"""`grade gradescope run` and `grade gradescope build` (registered in grader/cli.py with
`cli.add_command(gradescope)`; `python -m grader.gradescope ...` runs the same group alone).

Exit codes follow the `grade` command: 0 done (for `run`: results.json was written, whatever the
score), 2 usage error, 3 invalid spec (build), 4 the zip or results.json could not be written.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

EXIT_BAD_SPEC, EXIT_GRADER_ERROR = 3, 4


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def gradescope() -> None:
    """Grade on Gradescope: build the autograder zip, and run it in the container."""


@gradescope.command("run")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("/autograder"),
              show_default=True, help="Gradescope's autograder directory (submission/, results/, "
                                      "submission_metadata.json).")
@click.option("--course", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Course directory holding problems/ and solutions/ (default: ROOT/source).")
@click.option("--assignment", "-a", default=None, help="Assignment name (optional when there is one).")
@click.option("--isolation", "isolation_level", type=click.Choice(["auto", "strict", "user", "process"]),
              default="auto", show_default=True,
              help="How to confine the submission (auto: the strongest available).")
@click.option("--deadline", type=click.FloatRange(min=1), default=480, show_default=True,
              help="Seconds for the whole run; past it the grading is stopped and results.json says so.")
@click.option("--filename", default="answers.py", show_default=True,
              help="The file name students are asked to upload.")
def run_command(root: Path, course: Path | None, assignment: str | None, isolation_level: str,
                deadline: float, filename: str) -> None:
    """Grade ROOT/submission and write ROOT/results/results.json (always, whatever happens)."""
    from grader.gradescope.run import RunOptions, run_autograder

    options = RunOptions(root=root, course=course, assignment=assignment, isolation=isolation_level,
                         deadline=deadline, filename=filename)
    try:
        run_autograder(options)
    except OSError as exc:
        click.echo(f"grade: cannot write {root / 'results' / 'results.json'}: {exc}", err=True)
        sys.exit(EXIT_GRADER_ERROR)


@gradescope.command("build")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("autograder.zip"),
              show_default=True, help="Where to write the zip to upload to Gradescope.")
@click.option("--course", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Course directory holding problems/ and solutions/.")
@click.option("--assignment", "-a", default=None, help="Assignment name (optional when there is one).")
@click.option("--wheel", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="Use this built wheel of the grader instead of building one from the source tree.")
@click.option("--isolation", "isolation_level", type=click.Choice(["auto", "strict", "user", "process"]),
              default="auto", show_default=True, help="The isolation level run_autograder asks for.")
@click.option("--deadline", type=click.FloatRange(min=10), default=480, show_default=True,
              help="Seconds for a whole run in the container (Gradescope's default timeout is 600).")
@click.option("--filename", default="answers.py", show_default=True,
              help="The file students are asked to upload: answers.py or answers.ipynb (either format is "
                   "accepted under that name).")
def build_command(out: Path, course: Path, assignment: str | None, wheel: Path | None, isolation_level: str,
                  deadline: float, filename: str) -> None:
    """Build the autograder zip: setup.sh, run_autograder, the grader's wheel, the specs, the reference."""
    from grader.gradescope.build import BuildError, build_zip
    from grader.problemset.loader import SpecError, find_problem_set, load_problem_set

    try:
        problem_set = load_problem_set(find_problem_set(course, assignment), course)
    except SpecError as exc:
        click.echo(f"grade: {exc.describe()}", err=True)
        sys.exit(EXIT_BAD_SPEC)
    try:
        built = build_zip(problem_set, out, wheel, isolation_level, deadline, filename)
    except (BuildError, OSError) as exc:
        click.echo(f"grade: {exc}", err=True)
        sys.exit(EXIT_GRADER_ERROR)
    size = built.path.stat().st_size
    click.echo(f"Wrote {built.path} ({size / 1024:.0f} KiB) for {problem_set.assignment.slug}: "
               f"{len(built.members)} files; wheel {built.wheel} ({built.wheel_note}).")
    for name in built.members:
        click.echo(f"  {name}")
    click.echo("Upload it on Gradescope (assignment → Configure Autograder → Zip file upload, base image "
               "Ubuntu 22.04). Students upload answers.py.")
