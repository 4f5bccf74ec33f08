"""Gradescope's results.json from a GradeReport, or from a failure: pure functions, no I/O.

The shape (see `results.schema.json` beside this file and `grader/gradescope/__init__.py` for why
there is one test per part):

* one **visible** test per question part: `name` "2c · q2c (KL divergence …)", `number`
  "<section>.<k>" (the k-th part of the section, so 2c is "2.3"), `score`, `max_score`, `status`
  (passed iff full marks), `output`: the part's Markdown feedback block, exactly what
  `grade submit --format markdown` shows for it, with what the policy keeps secret left out;
* one **after_due_date** test per part that has something secret — the expected answer, its
  explanation, the expected values and inputs of the hidden random checks — unless the policy
  already shows it: `name` "2c · q2c — expected answer", the same `number`, 0 / 0 points, the full
  block. Students see it once the (late) due date has passed;
* free-text parts say "pending review" in their name and output, with the rubric's provisional
  score counted or 0 as `policies.free_text_counts_provisionally` says;
* a **hidden** "Autograder diagnostics (course staff only)" test only when something went wrong on
  the grader's side (a crash, a timeout, a broken reference, a misconfiguration), holding the
  details and traceback. (Gradescope hides the total from students while a hidden test exists; in
  those cases the total is not meaningful anyway, and the visible `output` says what happened.)

The top-level `score` is the total after the late penalty; `output` (Markdown) states the total,
the late penalty, what is pending review and what will be shown after the due date, and problems
in the file as a whole (a syntax error). `extra_data` records the submission id, the students and
the grading facts for staff; `stdout_visibility` is hidden (the supervisor's log goes there).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from grader.gradescope.metadata import Late, Metadata
from grader.report.render import common
from grader.report.render.markdown import fence, part_markdown, prose
from grader.report.results import GradeReport, PartResult, QuestionResult

FORMAT = "md"
TITLE_CHARS = 48
DIAGNOSTICS = "Autograder diagnostics (course staff only)"
PENDING_SUFFIX = " — pending review"


@dataclass(frozen=True)
class Context:
    """Everything about the run besides the report itself."""

    metadata: Metadata = field(default_factory=Metadata)
    late: Late = field(default_factory=Late)
    execution_time: float = 0.0
    file_note: str = ""
    """About which file was graded, for the student (e.g. "graded x.py, the only .py file")."""
    free_text_counts: bool = True
    staff_notes: tuple[str, ...] = ()
    """Facts for staff only, in `extra_data` (and the supervisor's stdout): an unreadable metadata
    file, grading below the strict level (user or process, and why). Failures go to the hidden
    diagnostics test instead."""
    version: str = ""
    assignment: str = ""
    title: str = ""
    possible: float = 0.0


def _number(value: float) -> float:
    """A score as JSON: rounded like the reports print it, never -0.0."""
    return round(value, 6) + 0.0


def _short(title: str) -> str:
    title = " ".join(title.split())
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1].rstrip() + "…"


def _full_marks(earned: float, possible: float) -> bool:
    return earned >= possible - 1e-9


def _numbers(questions: tuple[QuestionResult, ...]) -> dict[tuple[str, str], str]:
    """"<section>.<k>": the k-th part of its section, in display order (2c → "2.3")."""
    counts: dict[str, int] = {}
    numbers = {}
    for question in questions:
        for part in question.parts:
            counts[question.section] = counts.get(question.section, 0) + 1
            numbers[(question.id, part.name)] = f"{question.section}.{counts[question.section]}"
    return numbers


def _secrets(report: GradeReport, part: PartResult) -> list[str]:
    """What of `part` the student may not see yet (empty when the policy shows everything)."""
    kept = []
    if not report.show_expected and (part.expected is not None or part.explanation or part.cases):
        kept.append("expected answer")
    if not report.show_hidden_inputs and any(c.hidden for c in part.cases):
        kept.append("hidden checks")
    return kept


def _pending_line(part: PartResult, free_text_counts: bool) -> str:
    if free_text_counts:
        return ("*Pending review:* free-text answers are read by course staff; the score above is the "
                "rubric's provisional one and may change.")
    return ("*Pending review:* free-text answers are scored by course staff; this part counts 0 points "
            "until they have reviewed it.")


def part_tests(report: GradeReport, free_text_counts: bool = True) -> list[dict[str, Any]]:
    """The visible test of every part, each followed by its after_due_date answer test if any."""
    full = replace(report, show_expected=True, show_hidden_inputs=True)
    numbers = _numbers(report.questions)
    tests: list[dict[str, Any]] = []
    for question in report.questions:
        for part in question.parts:
            number = numbers[(question.id, part.name)]
            status = "passed" if _full_marks(part.earned, part.possible) else "failed"
            name = f"{question.id} · {part.name}"
            shown = part_markdown(part, report)
            revealed = part_markdown(part, full)
            kept = _secrets(report, part) if revealed != shown else []
            blocks = [shown.rstrip("\n")]
            if part.provisional:
                blocks.append(_pending_line(part, free_text_counts))
            if kept:
                blocks.append(f"*The {' and '.join(kept)} will be shown after the due date, in "
                              f"\u201c{name} — {' and '.join(kept)}\u201d.*")
            title = f" ({_short(question.title)})" if question.title else ""
            tags = [f"question {question.id}", part.kind] + (["pending review"] if part.provisional else [])
            tests.append({
                "name": name + title + (PENDING_SUFFIX if part.provisional else ""),
                "number": number,
                "score": _number(part.earned),
                "max_score": _number(part.possible),
                "status": status,
                "output": "\n\n".join(blocks) + "\n",
                "output_format": FORMAT,
                "tags": tags,
                "visibility": "visible",
            })
            if kept:
                tests.append({
                    "name": f"{name} — {' and '.join(kept)}",
                    "number": number,
                    "score": 0.0,
                    "max_score": 0.0,
                    "status": status,
                    "output": ("*Shown after the due date: the complete feedback of this part, with the "
                               f"{' and '.join(kept)}.*\n\n{revealed}"),
                    "output_format": FORMAT,
                    "tags": [f"question {question.id}", "answer"],
                    "visibility": "after_due_date",
                })
    return tests


def diagnostics_test(notes: list[str]) -> dict[str, Any]:
    """The staff-only test: never shown to students."""
    blocks = []
    for note in notes:
        lines = note.rstrip("\n").splitlines() or [""]
        blocks.append(fence(lines) if len(lines) > 1 else prose(note))
    return {
        "name": DIAGNOSTICS,
        "score": 0.0,
        "max_score": 0.0,
        "output": "\n\n".join(blocks) + "\n",
        "output_format": FORMAT,
        "tags": ["diagnostics"],
        "visibility": "hidden",
    }


def _file_problems(report: GradeReport) -> list[str]:
    if not common.has_file_box(report):
        return []
    blocks = ["**Problems in your file as a whole:**"]
    for problem in report.file_problems:
        blocks.append(f"- {prose(common.problem_heading(problem))}")
        location = common.location_lines(problem)
        if location:
            blocks.append(fence(location))
    blocks += [f"- {prose(common.skipped_line(line, reason, cell))}"
               for line, reason, cell in report.skipped_statements]
    blocks.append(prose(common.FILE_PROBLEMS_NOTE))
    return blocks


def _extra_data(context: Context, status: str, isolation: str | None, earned: float | None,
                score: float, pending: float = 0.0) -> dict[str, Any]:
    meta = context.metadata
    return {
        "submission_id": meta.submission_id,
        "students": [s.to_json() for s in meta.students],
        "submitted_at": meta.created_at.isoformat() if meta.created_at else None,
        "grader": {"version": context.version, "assignment": context.assignment, "status": status,
                   "isolation": isolation},
        "earned_before_penalty": earned,
        "score": score,
        "possible": _number(context.possible),
        "pending_review": _number(pending),
        "late": context.late.to_json(),
        "notes": list(context.staff_notes),
    }


def _top(tests: list[dict[str, Any]], score: float, output: str, context: Context,
         extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "score": _number(score),
        "execution_time": round(max(context.execution_time, 0.0), 2),
        "output": output,
        "output_format": FORMAT,
        "test_output_format": FORMAT,
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "extra_data": extra,
        "tests": tests,
    }


def graded_results(report: GradeReport, context: Context, errors: list[str] | None = None) -> dict[str, Any]:
    """results.json for a submission the grader graded (whatever the score); `errors`: the
    grader's own failures besides those the report records, for the hidden diagnostics."""
    late = context.late
    earned = _number(report.earned)
    score = _number(report.earned * (1 - late.penalty))
    tests = part_tests(report, context.free_text_counts)

    title = prose(report.title or report.assignment)
    lines = [f"## {title}"]
    total = f"**Score: {common.score(score, report.possible)}**"
    if late.penalty > 0:
        total += f" after the late penalty ({common.score(earned, report.possible)} before it)"
    else:
        pct = common.percent(earned, report.possible)
        total += f" ({pct})" if pct else ""
    facts = [total]
    if context.file_note:
        facts.append(prose(context.file_note))
    if late.explanation:
        sentence = late.explanation[0].upper() + late.explanation[1:]
        facts.append(f"Late policy: {prose(late.explanation)}." if late.policy != "none" else f"{prose(sentence)}.")
    pending = common.pending_line(report)
    if pending:
        counted = ("counted provisionally" if context.free_text_counts
                   else "counted as 0 until they are reviewed")
        facts.append(f"Pending review: {prose(pending)} ({counted}).")
    if any(t["visibility"] == "after_due_date" for t in tests):
        facts.append("Expected answers and the hidden random checks are shown after the due date.")
    blocks = ["\n\n".join(lines), "  \n".join(facts)]
    error = common.grader_error_line(report)
    if error or report.failed_parts:
        blocks.append("> **Grader error.** " + prose(error or "The grader could not check some parts. "
                                                     "This is not your fault; course staff have been told."))
    blocks += [f"> **Note.** {prose(note)}" for note in common.extra_notes(report)]
    blocks += _file_problems(report)

    failures = list(errors or [])
    if report.grader_error:
        failures.append(f"grader error: {report.grader_error}")
    for part in report.failed_parts:
        failures.append(f"{part.question} {part.name}: " + " ".join(part.feedback))
    if failures:
        tests.append(diagnostics_test(failures + list(context.staff_notes)))
    status = "grader_error" if failures else "graded"
    extra = _extra_data(context, status, report.isolation, earned, score, report.pending_review)
    return _top(tests, score, "\n\n".join(blocks) + "\n", context, extra)


def failure_results(name: str, message: str, context: Context, status: str,
                    errors: list[str] | None = None, isolation: str | None = None) -> dict[str, Any]:
    """results.json when nothing could be graded: one visible test that says what happened and
    what to do (0 of all points), plus the staff-only diagnostics when the grader failed (`errors`)."""
    title = prose(context.title or context.assignment or "Autograder")
    output = f"## {title}\n\n**Score: {common.score(0, context.possible)}**\n\n{message}\n"
    tests = [{
        "name": name,
        "number": "0",
        "score": 0.0,
        "max_score": _number(context.possible),
        "status": "failed",
        "output": message + "\n",
        "output_format": FORMAT,
        "visibility": "visible",
    }]
    if errors:
        tests.append(diagnostics_test(list(errors) + list(context.staff_notes)))
    return _top(tests, 0.0, output, context, _extra_data(context, status, isolation, None, 0.0))


__all__ = ["Context", "DIAGNOSTICS", "diagnostics_test", "failure_results", "graded_results", "part_tests"]
