"""`grade report STUDENT --out DIR`: one student's report, from the gradebook, on demand.

A large class is graded with `--student-reports none` (no file per student); staff still read any
one student's report, as that student would see it (reviews applied, hidden what is hidden), in the
terminal or as a file.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from grader.cli.common import EXIT_BAD_SUBMISSION, fail

FORMATS = ("text", "markdown", "html", "json")


@click.command("report")
@click.argument("student")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path, exists=True),
              help="The batch's output directory (the one holding gradebook.sqlite).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--file", "file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the report here instead of printing it.")
def report(student: str, out: Path, fmt: str, file: Path | None) -> None:
    """Print (or write) one student's report from a graded batch: STUDENT is the student's id, or
    the submission's key for a group."""
    from grader.batch.outputs import reviewed
    from grader.batch.store import Gradebook
    from grader.report.files import write_atomically
    from grader.report.render import render

    if not (out / "gradebook.sqlite").is_file():
        fail(f"{out}: no gradebook.sqlite here. Give the --out directory of a `grade batch` run.", EXIT_BAD_SUBMISSION)
    with Gradebook(out / "gradebook.sqlite") as book:
        key = book.key_of_student(student)
        stored = book.get(key) if key is not None else None
        if key is None or stored is None:
            fail(f"{out / 'gradebook.sqlite'}: no graded submission of student {student!r}. Check the id as "
                 f"gradebook.csv spells it.", EXIT_BAD_SUBMISSION)
        student_report = reviewed(stored.report, book.overrides(key))
    width = shutil.get_terminal_size().columns if file is None and sys.stdout.isatty() else None
    text = render(student_report, fmt, color=file is None and sys.stdout.isatty(), width=width)
    if file is None:
        click.echo(text)
        return
    write_atomically(file, text)
    click.echo(f"The report of {student} ({fmt}): {file}")
