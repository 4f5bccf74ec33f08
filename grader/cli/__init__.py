"""The `grade` command. It only wires the stages; each lives in its own module.

Exit codes (also in the README):
  0  done (for `submit`: a report was produced, whatever the score)
  1  the submission file cannot be read (missing, a link, not UTF-8, too large)
  2  usage error (unknown option, missing argument)
  3  a problem-set spec is invalid (the message names file and field), or the assignment cannot be
     found (no such name, or several and none chosen)
  4  the grader itself failed (a bug or a broken reference solution: not the student's fault)
  5  `grade validate` found a problem in the problem set
  6  the isolation level asked for (--isolation strict) is not available here
"""

from __future__ import annotations

import inspect
import logging
import os
import re
import sys
import traceback

import click

from grader.cli.bundle_class import bundle_class
from grader.cli.common import EXIT_GRADER_ERROR, fail
from grader.cli.course import batch, review, similarity
from grader.cli.problem_set import show, template, validate
from grader.cli.report import report
from grader.cli.sandbox import sandbox
from grader.cli.submit import submit
from grader.gradescope.cli import gradescope
from grader.handout.cli import bundle


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="grader")
def cli() -> None:
    """Grade quantitative problem sets: exact on numbers and formulas, helpful on mistakes."""


for command in (submit, template, validate, show, batch, report, review, similarity, sandbox, bundle,
                gradescope):
    cli.add_command(command)
bundle.add_command(bundle_class)  # the handout group; the command also reads a roster (see its module)


def _summary(help_text: str) -> str:
    """A command's line in its group's listing: the first sentence of its help, whole."""
    paragraph = " ".join(inspect.cleandoc(help_text).split("\n\n")[0].split())
    match = re.match(r"(.+?\.)(?:\s|$)", paragraph)
    return match.group(1) if match else paragraph


def _full_summaries(group: click.Group) -> None:
    """Give every command without a `short_help` its first sentence as one, so that `grade --help`
    (and each sub-group's help) lists whole summaries: click would cut them at about 45 characters
    with "..."."""
    for command in group.commands.values():
        if command.short_help is None and command.help:
            command.short_help = _summary(command.help)
        if isinstance(command, click.Group):
            _full_summaries(command)


_full_summaries(cli)


def main() -> None:
    """Entry point: never a raw traceback for the user."""
    # The grader's own diagnostics (a part it failed to check, messages a submission forged) go to
    # stderr; GRADER_LOG=DEBUG shows more.
    logging.basicConfig(level=os.environ.get("GRADER_LOG", "WARNING").upper(), stream=sys.stderr,
                        format="grade: %(levelname)s: %(name)s: %(message)s")
    try:
        cli.main(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except Exception:  # the grader's own bug: say so, keep the details for a bug report
        click.echo("grade: internal error — this is a bug in the grader, not in your work.", err=True)
        click.echo(traceback.format_exc(limit=-3), err=True)
        sys.exit(EXIT_GRADER_ERROR)

