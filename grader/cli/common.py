"""What every `grade` command shares: exit codes, the course and assignment options, loading the
problem set and choosing the isolation level, each failure said in one line with its exit code."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from grader.problemset.loader import ProblemSet, SpecError, find_problem_set, load_problem_set
from grader.sandbox import levels
from grader.sandbox.levels import Isolation

EXIT_BAD_SUBMISSION, EXIT_BAD_SPEC, EXIT_GRADER_ERROR, EXIT_VALIDATION_FAILED = 1, 3, 4, 5
EXIT_ISOLATION_UNAVAILABLE = 6
FORMAT_BY_SUFFIX = {".txt": "text", ".md": "markdown", ".html": "html", ".htm": "html", ".json": "json"}


def fail(message: str, code: int) -> NoReturn:
    click.echo(f"grade: {message}", err=True)
    sys.exit(code)


def problem_dir(course: Path, assignment: str | None, hint_path: Path | None = None) -> Path:
    """The problem set named, or the one a submission's folder names (submissions/<slug>/...)."""
    try:
        if assignment is None and hint_path is not None:
            parent = hint_path.resolve().parent.name
            if (course / "problems" / parent / "assignment.yaml").exists():
                assignment = parent
        return find_problem_set(course, assignment)
    except SpecError as exc:
        fail(exc.describe(), EXIT_BAD_SPEC)
        raise  # unreachable


def load(course: Path, assignment: str | None, hint_path: Path | None = None) -> ProblemSet:
    try:
        return load_problem_set(problem_dir(course, assignment, hint_path), course)
    except SpecError as exc:
        fail(exc.describe(), EXIT_BAD_SPEC)
        raise  # unreachable


course_option = click.option("--course", type=click.Path(file_okay=False, path_type=Path),
                             default=Path("."), show_default=True,
                             help="Course directory holding problems/ and solutions/.")
assignment_option = click.option("--assignment", "-a", default=None,
                                 help="Assignment name (a folder of problems/); optional when "
                                      "there is only one, or when the file sits in submissions/<name>/.")


isolation_option = click.option(
    "--isolation", "isolation_level", type=click.Choice(["auto", "strict", "user", "process"]), default="auto",
    show_default=True, help="How to confine the submission: strict (Linux, root: sandbox user, "
                            "namespaces, seccomp), user (root: sandbox user and seccomp, no "
                            "namespaces), process, or auto (the strongest available).")


def choose_sandbox(level: str) -> Isolation:
    """The isolation level asked for (exit 6 saying why when it cannot work here); for `auto`, a
    note on stderr when it is not strict."""
    try:
        chosen = levels.choose(level)
    except levels.IsolationUnavailable as exc:
        fail(str(exc), EXIT_ISOLATION_UNAVAILABLE)
    if note := levels.fallback_note(level, chosen):
        click.echo(f"grade: note: {note}", err=True)
    return chosen
