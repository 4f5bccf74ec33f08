"""`grade bundle class --roster roster.csv --out DIR`: one student bundle per student of a roster,
each with that student's own numbers (assignment.yaml `variation`).

It lives with the CLI because it joins two packages that never import each other: the roster
reader of `batch` and the bundle builder of `handout`.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

import click

from grader.batch.roster import RosterError, read_roster
from grader.cli.common import EXIT_BAD_SUBMISSION, assignment_option, course_option, load
from grader.handout.bundle import BundleError, build_student_bundle
from grader.problemset.variants import for_student, identity_of, variant_label
from grader.report.files import write_atomically

INDEX = "bundles.csv"


def folder_name(student_id: str) -> str:
    """A folder name from an id: letters, digits, '-', '_', '.', '@' kept, anything else '_'."""
    return re.sub(r"[^\w.@-]", "_", student_id).strip(".") or "_"


@click.command("class", short_help="Write one student bundle per roster student, each with their own numbers.")
@click.option("--roster", "roster_path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The roster CSV (an id column; an email column if there is one: numbers are drawn from it).")
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the bundles: OUT/<student id>/, and OUT/bundles.csv listing them.")
@course_option
@assignment_option
@click.option("--force", is_flag=True, help="Replace bundles written before.")
def bundle_class(roster_path: Path, out: Path, course: Path, assignment: str | None, force: bool) -> None:
    """Write a bundle for every student of ROSTER in OUT/<id>/, with their own numbers, and OUT/bundles.csv
    (id, name, email, folder, variant) for the course staff."""
    problem_set = load(course, assignment)
    try:
        students = read_roster(roster_path)
    except RosterError as exc:
        click.echo(f"grade: {exc}", err=True)
        sys.exit(EXIT_BAD_SUBMISSION)
    if not problem_set.assignment.variation:
        click.echo(f"note: {problem_set.assignment.slug} declares no `variation`: every bundle has the "
                   "document's numbers.", err=True)
    buffer = io.StringIO()
    index = csv.writer(buffer)
    index.writerow(["id", "name", "email", "folder", "variant"])
    seen: set[str] = set()
    for student in students:
        folder = folder_name(student.id)
        if folder in seen:
            click.echo(f"grade: {roster_path}: two students would share the folder {folder!r}; make the ids "
                       "distinct.", err=True)
            sys.exit(EXIT_BAD_SUBMISSION)
        seen.add(folder)
        own = for_student(problem_set, identity_of(student.email, student.id))
        try:
            build_student_bundle(own, out / folder, force)
        except (BundleError, OSError) as exc:
            click.echo(f"grade: the bundle of {student.id}: {exc}", err=True)
            sys.exit(EXIT_BAD_SUBMISSION)
        label = variant_label(problem_set.assignment, own.assignment.parameters)
        index.writerow([student.id, student.name, student.email, folder, label])
    write_atomically(out / INDEX, buffer.getvalue())
    click.echo(f"Wrote {len(students)} bundles of {problem_set.assignment.slug} to {out}/<id>/ "
               f"and the list to {out / INDEX}.")
    if problem_set.assignment.policies.variants != "per_student":
        click.echo("Set `policies.variants: per_student` in assignment.yaml so that batches and the "
                   "Gradescope autograder grade each student against their own numbers.")

