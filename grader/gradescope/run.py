"""`grade gradescope run`: grade the upload in ROOT/submission and write ROOT/results/results.json.

This process is a supervisor that never runs student code and never imports the checking
libraries. It finds the file, reads the metadata, then starts the worker (`worker.py`) in a
session of its own and waits for it until the global deadline. Whatever happens — no file, an
unreadable file, a grader crash, the worker killed for memory, the deadline — it builds a valid
results.json in memory and writes it atomically at the very end, after sweeping away every process
the run left behind (it is their subreaper), so nothing can rewrite the file afterwards. Student
output never reaches this process, and its own stdout (the staff-only log on Gradescope) is never
part of results.json. In strict isolation the submission cannot see ROOT at all.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from grader.gradescope.metadata import Late, Metadata, late_penalty, read_metadata
from grader.gradescope.results_json import Context, failure_results, graded_results
from grader.gradescope.submission import find_submission
from grader.report.files import write_atomically
from grader.sandbox.child import reaping

DEFAULT_DEADLINE = 480.0
"""Seconds for the whole run: Gradescope's default container timeout is 10 minutes."""
TAIL = 8000


@dataclass(frozen=True)
class RunOptions:
    root: Path = Path("/autograder")
    course: Path | None = None
    """Default: ROOT/source, where Gradescope unpacks the autograder zip."""
    assignment: str | None = None
    isolation: str = "auto"
    deadline: float = DEFAULT_DEADLINE
    filename: str = "answers.py"
    sweep: bool = True
    """Become the subreaper and kill every leftover descendant before writing (the CLI does)."""

    @property
    def course_dir(self) -> Path:
        return self.course if self.course is not None else self.root / "source"


def log(message: str) -> None:
    """The staff-only log (Gradescope keeps stdout for instructors)."""
    print(f"[grade gradescope] {message}", flush=True)


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("grader")
    except Exception:
        return "unknown"


def _tail(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError:
        return ""
    text = data[-TAIL:].decode("utf-8", "replace")
    return ("…" + text) if len(data) > TAIL else text


@dataclass
class WorkerResult:
    data: dict[str, Any] | None
    timed_out: bool
    returncode: int | None
    stdout: str
    stderr: str


def worker_command(job_path: Path) -> list[str]:
    return [sys.executable, "-m", "grader.gradescope.worker", str(job_path)]


def run_worker(job: dict[str, Any], timeout: float, sweep: bool) -> WorkerResult:
    """Run the worker on `job` with a deadline; kill its whole tree when the deadline passes."""
    private = Path(tempfile.mkdtemp(prefix="grade-gradescope-"))
    os.chmod(private, 0o700)
    try:
        job = {**job, "out": str(private / "report.json")}
        job_path = private / "job.json"
        job_path.write_text(json.dumps(job), encoding="utf-8")
        with open(private / "stdout", "wb") as out, open(private / "stderr", "wb") as err:
            process = subprocess.Popen(worker_command(job_path), stdin=subprocess.DEVNULL, stdout=out,
                                       stderr=err, start_new_session=True)
            timed_out = False
            try:
                process.wait(timeout=max(timeout, 0.1))
            except subprocess.TimeoutExpired:
                timed_out = True
            finally:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
                process.wait()
                if sweep:
                    reaping.kill_descendants()
        data = None
        if not timed_out:
            try:
                data = json.loads((private / "report.json").read_text(encoding="utf-8"))
            except (OSError, ValueError):
                data = None
        return WorkerResult(data, timed_out, None if timed_out else process.returncode,
                            _tail(private / "stdout"), _tail(private / "stderr"))
    finally:
        shutil.rmtree(private, ignore_errors=True)


# -- messages -----------------------------------------------------------------------------------

CRASH_MESSAGE = ("**The autograder itself failed** while grading this submission. This is not a problem "
                 "with your work: course staff can see the details and will fix it and rerun the "
                 "autograder. You do not need to do anything (you may resubmit later).")
MISCONFIGURED = ("**The autograder is not set up correctly**, so this submission could not be graded. This "
                 "is not a problem with your work: course staff can see the details and will fix it and "
                 "rerun the autograder.")


def _timeout_message(deadline: float) -> str:
    minutes = f"{deadline / 60:.3g} minutes" if deadline >= 60 else f"{deadline:g} s"
    return (f"**Grading did not finish within {minutes}**, so no answer could be checked. This usually "
            "means code at the top level of your file runs for a long time — training a model, a large "
            "simulation, an endless loop — or waits for input. Keep only definitions at the top level "
            "(move long computations into functions, remove `input()` calls), then submit again. If it "
            "keeps happening, tell course staff.")


def _file_message(message: str, submission_dir: Path) -> str:
    text = message.replace(str(submission_dir) + os.sep, "")
    return (f"**Your file could not be read:** {text}. Fix it and submit again "
            "(`grade submit answers.py` on your computer checks the file first).")


# -- the run ------------------------------------------------------------------------------------

def _context(options: RunOptions, started: float, **changes: Any) -> Context:
    return replace(Context(version=_version(), assignment=options.assignment or ""), **changes,
                   execution_time=time.monotonic() - started)


def _variant_identity(metadata: Metadata) -> str | None:
    """Whose numbers to grade against (with `policies.variants: per_student`): the submitter's, the
    first of a group, by email as `grade bundle` draws them (problemset/variants.py: identity_of)."""
    from grader.problemset.variants import identity_of

    first = metadata.students[0] if metadata.students else None
    return identity_of(first.email, first.id) if first else None


def _grade(options: RunOptions, started: float, base: dict[str, Any]) -> dict[str, Any]:
    """Build results.json (in memory) for this run; may raise on the grader's own bugs. `base`
    collects the context as it is learnt, so that a crash report still has it."""
    from grader.notebook.answers_file import read_answers
    from grader.problemset.loader import SpecError, find_problem_set, load_problem_set
    from grader.sandbox.runner import SubmissionFileError

    metadata = read_metadata(options.root / "submission_metadata.json")
    notes = list(metadata.problems)
    base["metadata"] = metadata
    base["staff_notes"] = tuple(notes)
    try:
        problem_set = load_problem_set(find_problem_set(options.course_dir, options.assignment),
                                       options.course_dir)
    except SpecError as exc:
        return failure_results("Autograder setup", MISCONFIGURED,
                               _context(options, started, **base),
                               "grader_error", errors=[exc.describe()])
    assignment = problem_set.assignment
    policies = assignment.policies
    late = late_penalty(policies.late, metadata)
    if policies.late is not None and metadata.due_date is not None and metadata.due_date != policies.late.due:
        notes.append(f"Gradescope's due date ({metadata.due_date.isoformat()}) differs from assignment.yaml's "
                     f"policies.late.due ({policies.late.due.isoformat()}); the late penalty uses the latter")
    base.update(late=late, free_text_counts=policies.free_text_counts_provisionally,
                assignment=assignment.slug, title=assignment.title, possible=problem_set.points)
    base["staff_notes"] = tuple(notes)

    submission_dir = options.root / "submission"
    found = find_submission(submission_dir, options.filename)
    log(f"submission folder holds: {', '.join(found.listing) or 'nothing'}")
    if found.path is None:
        return failure_results("Submission file", found.message, _context(options, started, **base),
                               "no_submission")
    try:
        read_answers(found.path, free_text=None)
    except SubmissionFileError as exc:
        return failure_results("Submission file", _file_message(str(exc), submission_dir),
                               _context(options, started, **base), "unreadable_file")
    base["file_note"] = found.note

    remaining = options.deadline - (time.monotonic() - started)
    job = {"course": str(options.course_dir.resolve()), "assignment": assignment.slug,
           "submission": str(found.path.resolve()), "isolation": options.isolation,
           "student": _variant_identity(metadata)}
    result = run_worker(job, remaining, options.sweep)
    if result.stdout.strip():
        log("worker stdout:\n" + result.stdout)
    if result.stderr.strip():
        log("worker stderr:\n" + result.stderr)
    if result.timed_out:
        return failure_results("Grading", _timeout_message(options.deadline), _context(options, started, **base),
                               "timeout", errors=[f"the worker did not finish within the global deadline "
                                                  f"({options.deadline:g} s); it was killed",
                                                  "worker stderr (last lines):\n" + (result.stderr or "(empty)")])
    data = result.data or {}
    kind = data.get("kind")
    if kind == "report":
        from grader.report.serialise import report_from_data

        report = report_from_data(data["report"])
        if data.get("isolation_note"):
            base["staff_notes"] = base["staff_notes"] + (data["isolation_note"],)
        errors = [str(e) for e in data.get("errors") or []]
        return graded_results(report, _context(options, started, **base), errors)
    if kind == "submission_error":
        return failure_results("Submission file", _file_message(data.get("message", ""), submission_dir),
                               _context(options, started, **base), "unreadable_file")
    if kind in ("spec_error", "isolation_unavailable"):
        return failure_results("Autograder setup", MISCONFIGURED, _context(options, started, **base),
                               "grader_error", errors=[data.get("message", kind)])
    details = data.get("traceback") or result.stderr or "(no output)"
    why = (f"the grading process crashed ({data.get('message')})" if kind == "crash" else
           f"the grading process ended without a result (exit code {result.returncode}; "
           "a signal such as SIGKILL here usually means it ran out of memory)")
    return failure_results("Grading", CRASH_MESSAGE, _context(options, started, **base), "grader_error",
                           errors=[why, "traceback:\n" + details])


def _crash_results(options: RunOptions, started: float, base: dict[str, Any], details: str) -> dict[str, Any]:
    """results.json when the supervisor itself failed: with what is known, else with nothing."""
    try:
        context = _context(options, started, **base)
    except Exception:
        context = Context(execution_time=time.monotonic() - started)
    return failure_results("Grading", CRASH_MESSAGE, context, "grader_error",
                           errors=["the autograder's supervisor failed", "traceback:\n" + details])


def _prepare_results_dir(results: Path) -> None:
    """ROOT/results as a real directory, with no results.json in the way (a link, a folder)."""
    if results.is_symlink() or (results.exists() and not results.is_dir()):
        results.unlink()
    results.mkdir(parents=True, exist_ok=True)
    target = results / "results.json"
    if target.is_symlink() or target.is_file():
        target.unlink()
    elif target.exists():
        shutil.rmtree(target)


def write_results(root: Path, results: dict[str, Any]) -> Path:
    text = json.dumps(results, indent=2, ensure_ascii=True, allow_nan=False) + "\n"
    directory = root / "results"
    _prepare_results_dir(directory)
    path = directory / "results.json"
    write_atomically(path, text)
    return path


class _Deadline(Exception):
    pass


def seal(root: Path) -> None:
    """Make ROOT root-only. Everything under it decides a score or belongs to the student (the specs
    with their accepted answers, the reference and its cache, the upload, the metadata, results/),
    and the child needs none of it: it runs a staged copy of the file from a private temporary
    folder. At the user level (a container without namespaces) file permissions are the only
    boundary, and Gradescope unpacks the zip world-readable."""
    if os.geteuid() != 0:
        return  # the child runs as this uid anyway (the process level): permissions cannot help
    try:
        os.chmod(root, 0o700)
    except OSError as exc:
        log(f"could not make {root} root-only: {exc}")


def run_autograder(options: RunOptions) -> dict[str, Any]:
    """Grade and write ROOT/results/results.json; return what was written. Never raises for a
    failure of grading (it is in the results); raises only if the file cannot be written."""
    started = time.monotonic()
    seal(options.root)
    if options.sweep:
        try:
            reaping.become_subreaper()
        except Exception:
            pass
    previous = None
    if hasattr(signal, "SIGALRM") and options.sweep:
        def _alarm(signum, frame):  # the supervisor itself is stuck: give up, still write results
            raise _Deadline()
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(int(options.deadline) + 30)
    base: dict[str, Any] = {}
    try:
        try:
            results = _grade(options, started, base)
        except _Deadline:
            results = failure_results("Grading", _timeout_message(options.deadline),
                                      _context(options, started, **base), "timeout",
                                      errors=["the supervisor itself passed the global deadline"])
        except BaseException:
            details = traceback.format_exc()
            log("the supervisor failed:\n" + details)
            results = _crash_results(options, started, base, details)
    finally:
        if previous is not None:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
    if options.sweep:
        reaping.kill_descendants()  # nothing the submission started may outlive the run and touch the file
    results["execution_time"] = round(time.monotonic() - started, 2)
    path = write_results(options.root, results)
    extra = results.get("extra_data", {})
    log(f"wrote {path}: score {results['score']:g} of {extra.get('possible')} "
        f"(status {extra.get('grader', {}).get('status')}, isolation {extra.get('grader', {}).get('isolation')}, "
        f"{results['execution_time']:g} s)")
    for note in extra.get("notes", []):
        log(f"note: {note}")
    for test in results["tests"]:
        if test.get("visibility") == "hidden":
            log("diagnostics:\n" + test["output"])
    return results


__all__ = ["DEFAULT_DEADLINE", "Late", "Metadata", "RunOptions", "run_autograder", "write_results"]
