"""`python -m grader.handout.check answers.py`: every check that needs no secret, part by part.

Run from a student bundle (or a course directory, whose full specs are stripped in memory first).
The submission runs exactly as on upload: in the grader's sandboxed child process
(`grader.sandbox.runner.run_file`), asked for each answer name and, for function answers, called at the
document's public inputs. Each answer is then read by the real checker's `parse` (number, choice,
boolean, ... from `grader/checking/checkers/`), so a format accepted here is accepted on upload. Nothing is
compared with an expected answer: the bundle has none. Each part is then

    ready          defined, of the right type and shape, finite at the public inputs, within a
                   public sanity range: it will be graded for correctness on upload
    not answered   missing, None, "", ... or still the template's stub
    problem: ...   it raised, timed out, cannot be read, has the wrong shape or fails a sanity check

Exit codes: 0 a report was printed (whatever it says); 1 the file cannot be read; 3 the specs
cannot be loaded; 4 the checker itself failed (not the student's fault).
"""

from __future__ import annotations

import logging
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from grader.checking.kinds import value_kind
from grader.checking.reading import Unread, Unreadable, read_function, read_value
from grader.handout.check_report import CheckReport, PartCheck, Status, render
from grader.handout.public_spec import (
    PublicFunction,
    PublicNumber,
    PublicPart,
    PublicProblemSet,
    PublicQuestion,
    is_public,
    load_public_problem_set,
    public_problem_set,
)
from grader.notebook.answers_file import read_answers
from grader.problemset.loader import SpecError, find_problem_set, load_problem_set
from grader.problemset.plan import (  # the grader's own input resolution and labels
    Case,
    case_label,
    resolve_parameter,
    to_wire,
)
from grader.report.results import Outcome
from grader.sandbox.levels import Isolation
from grader.sandbox.records import RunRecord
from grader.sandbox.runner import Limits, Request, SubmissionFileError, run_file

log = logging.getLogger(__name__)
BUNDLE_ROOT = Path(__file__).resolve().parents[2]
"""The folder holding this copy of the grader: a bundle's root (DIR/grader/bundle/check.py)."""


# ---------------------------------------------------------------------------------------------
# Requests: names, and the public inputs of function answers
# ---------------------------------------------------------------------------------------------


def visible_cases(part: PublicPart, parameters: dict[str, Any]) -> tuple[Case, ...]:
    checker = part.checker
    assert isinstance(checker, PublicFunction)
    cases = []
    for case in checker.visible_inputs:
        args = tuple(resolve_parameter(case[name], parameters) for name in checker.signature)
        label = ", ".join(case_label(n, v) for n, v in zip(checker.signature, args))
        cases.append(Case(args, "visible", label))
    return tuple(cases)


def _request_ids(part: PublicPart, cases: Sequence[Case]) -> list[str]:
    if isinstance(part.checker, PublicFunction):
        return [f"{part.name}@{i}" for i in range(len(cases))]
    return [part.name]


def requests_for(public: PublicProblemSet) -> list[Request]:
    params = public.assignment.parameters
    requests = []
    for _, part in public.parts():
        if isinstance(part.checker, PublicFunction):
            cases = visible_cases(part, params)
            for rid, case in zip(_request_ids(part, cases), cases):
                requests.append(Request(rid, part.name, [to_wire(a) for a in case.args]))
        else:
            requests.append(Request(part.name, part.name, None))
    return requests


# ---------------------------------------------------------------------------------------------
# Per part: the grader's own status rules and parsers, and no expected answer
# ---------------------------------------------------------------------------------------------


def _status(reason: Unread) -> tuple[Status, str]:
    return ("not answered" if reason.outcome is Outcome.NOT_ANSWERED else "problem"), reason.message


def _number_problem(parsed: Any, spec: PublicNumber | None) -> str | None:
    """Public plausibility checks of a parsed number (never a comparison with an answer)."""
    from grader.checking.checkers.number import format_number

    if parsed.complex_infinity:
        return "complex infinity (sympy's zoo) has no sign; use math.inf or -math.inf for ±∞"
    if not parsed.is_real and not math.isnan(parsed.value.real):
        return f"the answer is complex ({format_number(parsed.value)}); a real number is expected"
    if math.isnan(parsed.real) or math.isnan(parsed.value.imag):
        return "the answer is NaN (not a number), which is never correct"
    if spec is not None and spec.sanity and not math.isinf(parsed.real):
        lo, hi = spec.sanity
        if not lo <= parsed.real <= hi:
            return f"{format_number(parsed.real)} lies outside [{lo:g}, {hi:g}], where this answer must lie"
    return None


class _PartChecker:
    def __init__(self, question: PublicQuestion, part: PublicPart, run: RunRecord,
                 parameters: dict[str, Any]):
        self.question, self.part, self.run, self.parameters = question, part, run, parameters

    def result(self, status: Status, message: str = "", understood: str = "") -> PartCheck:
        return PartCheck(self.question.id, self.part.name, self.part.checker.kind, self.part.points,
                         status, message, understood)

    def check(self) -> PartCheck:
        try:
            if isinstance(self.part.checker, PublicFunction):
                return self._check_function(self.part.checker)
            return self._check_value()
        except Exception as exc:  # our bug costs this part's check, never the whole report
            log.exception("checking part %s failed", self.part.name)
            return self.result("problem", f"the checker itself failed on this part ({type(exc).__name__}: "
                                          f"{exc}); this is not your fault, tell course staff")

    def _check_value(self) -> PartCheck:
        spec = self.part.checker
        kind = value_kind(spec.kind)
        read = read_value(self.run.answer(self.part.name), kind, spec, self.part.name, self.run.load_problems)
        if isinstance(read, Unread):
            return self.result(*_status(read))
        if isinstance(read, Unreadable):
            if read.not_answered:
                return self.result("not answered", str(read.error))
            return self.result("problem", f"could not read your answer: {read.error}", read.understood)
        if isinstance(spec, PublicNumber) and (problem := _number_problem(read.answer, spec)):
            return self.result("problem", problem, read.understood)
        return self.result("ready", understood=read.understood)

    def _check_function(self, spec: PublicFunction) -> PartCheck:
        cases = visible_cases(self.part, self.parameters)
        raws = [self.run.answer(rid) for rid in _request_ids(self.part, cases)]
        read = read_function(raws, spec, cases, self.part.name, self.run.load_problems)
        if isinstance(read, Unread):
            return self.result(*_status(read))
        if isinstance(read, Unreadable):
            return self.result("problem", f"could not read your answer: {read.error}", read.understood)
        problems = []
        for case, got in zip(cases, read.outputs):
            if isinstance(got, str):
                problems.append(f"at {case.label}: {got}")
                continue
            bad = next((p for p in map(_number_problem_in_output, got) if p), None)
            if bad:
                problems.append(f"at {case.label}: {bad}")
        understood = read.understood or ""
        if problems:
            more = f" (and at {len(problems) - 1} more input(s))" if len(problems) > 1 else ""
            return self.result("problem", problems[0] + more, understood)
        n = len(cases)
        shape = "a number" if len(spec.outputs) == 1 else f"({', '.join(spec.outputs)})"
        return self.result("ready", understood=understood or
                           f"returns {shape} at the {n} public input{'s' if n != 1 else ''}")


def _number_problem_in_output(parsed: Any) -> str | None:
    """A function's output must be a finite real number at the document's inputs."""
    from grader.checking.checkers.number import format_number

    if parsed.complex_infinity or not parsed.is_real or not math.isfinite(parsed.real):
        shown = "complex infinity" if parsed.complex_infinity else format_number(parsed.value)
        return f"returned {shown}; a finite real number is expected at this input"
    return None


def check_problem_set(public: PublicProblemSet, run: RunRecord, submission: str) -> CheckReport:
    params = public.assignment.parameters
    parts = tuple(_PartChecker(q, p, run, params).check() for q, p in public.parts())
    return CheckReport(public.assignment.title, submission, parts, run.load_problems,
                       run.skipped_statements, run.isolation, run.grader_error)


def check_submission(public: PublicProblemSet, submission: Path,
                     sandbox: Isolation | None = None) -> CheckReport:
    """Run `submission` in the grader's sandbox and check every part. Raises SubmissionFileError
    only when the file cannot be read at all."""
    from grader.sandbox import levels

    t = public.assignment.timeouts
    free_text = [part.name for _, part in public.parts() if part.checker.kind == "free_text"]
    script = read_answers(submission, free_text)
    run = run_file(submission, requests_for(public), public.assignment.parameters,
                   Limits(t.import_seconds, t.answer_seconds, t.total_seconds),
                   sandbox or levels.choose("auto"), source=script.source, cells=script.units)
    return check_problem_set(public, script.locate(run), submission.name)


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------


def find_public_problem_set(course: Path | None, assignment: str | None,
                            submission: Path | None = None) -> PublicProblemSet:
    """The public problem set of a bundle (or the stripped form of a course's full one): in
    `course`, else in the current folder, the submission's folder or this copy's bundle."""
    roots = [course] if course is not None else list(dict.fromkeys(
        [Path.cwd(), *([submission.resolve().parent] if submission else []), BUNDLE_ROOT]))
    last: SpecError | None = None
    for root in roots:
        try:
            directory = find_problem_set(root, assignment)
        except SpecError as exc:
            last = last or exc
            continue
        if is_public(directory):
            return load_public_problem_set(directory)
        return public_problem_set(load_problem_set(directory, root))
    assert last is not None
    raise last


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--course", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder holding problems/ (default: the current folder, else FILE's, else the "
                   "bundle this checker belongs to).")
@click.option("--assignment", "-a", default=None, help="Assignment name, if there are several.")
def main(file: Path, course: Path | None, assignment: str | None) -> None:
    """Check FILE (your answers.py) without the answers: every name defined, the right type and
    shape, functions callable and finite at the document's inputs, public sanity ranges."""
    try:
        public = find_public_problem_set(course, assignment, file)
    except SpecError as exc:
        click.echo(f"check: {exc.describe()}", err=True)
        sys.exit(3)
    try:
        report = check_submission(public, file)
    except SubmissionFileError as exc:
        click.echo(f"check: {exc}", err=True)
        sys.exit(1)
    click.echo(render(report), nl=False)
    if report.grader_error:
        sys.exit(4)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="check: %(levelname)s: %(message)s")
    main()
