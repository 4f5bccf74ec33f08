"""`grade sandbox check` / `setup`: which isolation level grading uses here, and preparing strict."""

from __future__ import annotations

import subprocess

import click

from grader.cli.common import (
    EXIT_ISOLATION_UNAVAILABLE,
    fail,
)


@click.group()
def sandbox() -> None:
    """Prepare and inspect strict isolation (sandbox user, bubblewrap, sandbox interpreter)."""


@sandbox.command("check")
def sandbox_check() -> None:
    """Say which isolation level `--isolation auto` chooses here, and why strict is unavailable."""
    from grader.sandbox.setup import check

    level, problems = check()
    click.echo(f"isolation: {level}")
    for problem in problems:
        click.echo(f"  strict is unavailable: {problem}")


@sandbox.command("setup")
@click.option("--users", type=click.IntRange(1, 64), default=2, show_default=True,
              help="How many sandbox uids to create (one per submission graded in parallel).")
def sandbox_setup(users: int) -> None:
    """Create the sandbox users and a sandbox Python with numpy, scipy and sympy (needs root)."""
    from grader.sandbox.setup import check, setup

    try:
        for line in setup(users=users):
            click.echo(line)
    except (PermissionError, OSError, subprocess.CalledProcessError) as exc:
        fail(f"sandbox setup failed: {exc}", EXIT_ISOLATION_UNAVAILABLE)
    level, problems = check()
    click.echo(f"isolation: {level}")
    for problem in problems:
        click.echo(f"  strict is unavailable: {problem}")


