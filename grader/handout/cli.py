"""`grade bundle student --out DIR`: the click group that grader/cli.py registers.

    from grader.handout.cli import bundle
    cli.add_command(bundle)

Exit codes follow grader/cli.py: 1 the output folder cannot be used, 3 a spec is invalid.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from grader.handout import docs
from grader.problemset.loader import SpecError, find_problem_set, load_problem_set


def _fail(message: str, code: int) -> None:
    click.echo(f"grade: {message}", err=True)
    sys.exit(code)


@click.group()
def bundle() -> None:
    """Build bundles to hand out: `student` (prompts, starter file, public specs, local checker), or
    `class`: one per student of a roster, each with their own numbers."""


@bundle.command("student", short_help="Write the student bundle: prompts, starter file, public specs, checker.")
@click.option("--out", required=True, type=click.Path(path_type=Path),
              help="Folder to write the bundle to (new or empty; an old bundle with --force).")
@click.option("--course", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="Course directory holding problems/ and solutions/.")
@click.option("--assignment", "-a", default=None,
              help="Assignment name (a folder of problems/); optional when there is only one.")
@click.option("--force", is_flag=True, help="Replace an existing bundle in --out.")
@click.option("--student", "identity", default=None, metavar="ID",
              help="This student's own numbers (assignment.yaml `variation`): their email, or their id "
                   "where the roster has no email. Default: the document's numbers.")
def student(out: Path, course: Path, assignment: str | None, force: bool, identity: str | None) -> None:
    """Write what a student needs and nothing they must not have: README.md, questions.md, the
    starter answers.py, the specs with every answer, mistake, hidden input and rubric stripped,
    and the grader, whose `python -m grader.handout.check answers.py` runs the checks that need no
    secret."""
    from grader.handout.bundle import BundleError, build_student_bundle

    try:
        problem_set = load_problem_set(find_problem_set(course, assignment), course)
    except SpecError as exc:
        _fail(exc.describe(), 3)
        return
    if identity is not None:
        from grader.problemset.variants import for_student, identity_of

        problem_set = for_student(problem_set, identity_of(identity))
    try:
        result = build_student_bundle(problem_set, out, force)
    except (BundleError, OSError) as exc:
        _fail(str(exc), 1)
        return
    click.echo(f"Wrote the student bundle of {problem_set.assignment.slug} to {result.directory}: "
               f"{len(result.files)} files, {result.parts} answers to fill in.")
    click.echo("No reference solution, expected answers, mistakes, hidden inputs or rubrics are in it.")
    click.echo(f"Students set up once with:  cd {result.directory} && pip install -e .")
    click.echo(f"and check their work with:  {docs.CHECK_COMMAND}  (or {docs.MODULE_CHECK_COMMAND})")
