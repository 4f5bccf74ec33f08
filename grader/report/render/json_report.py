"""The machine-readable report, schema "grader.report/1" (see report.schema.json next to this file).

Stability promises of version 1, which consumers (Gradescope export, gradebooks, LMS scripts) may
rely on:

- keys are never removed or renamed within "grader.report/1"; a new key may be added (and is
  documented in the schema at the same time), so consumers should ignore keys they do not know;
- key order is fixed by construction and list order follows the report (questions in assignment
  order, parts in question order, cases in checking order), so equal reports give equal text;
- visibility is already applied: `expected` and `explanation` are null unless the report shows
  expected answers, a hidden case's `inputs` is null unless hidden inputs may be shown;
- `parts` is the flat list of every part; each question lists its part names in order.

Top level: schema, assignment, title, submission, earned, possible, pending_review, isolation,
seconds, grader_error, notes, visibility{expected, hidden_inputs}, file_problems[problem],
skipped_statements[{line, reason}], sections[{section, title, earned, possible}],
questions[{id, title, prompt, section, earned, possible, outcome, outcome_label, parts[name]}],
parts[part].

part: question, name, kind, prompt, earned, possible, outcome, outcome_label, feedback[str],
understood, formula, expected, explanation, mistake, provisional, problem (or null), cases[case].
problem: type, message, line, code, frames[{line, function, code}].
case: label, inputs, got, expected, ok, hidden, boundary.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from grader.report.render.visibility import (
    VisibleCase,
    visible_cases,
    visible_expected,
    visible_explanation,
)
from grader.report.results import GradeReport, PartResult, QuestionResult
from grader.sandbox.records import StudentProblem

SCHEMA_ID = "grader.report/1"
SCHEMA_FILE = "report.schema.json"


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that every `to_dict` result conforms to."""
    text = resources.files("grader.report.render").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


def _number(value: float) -> float | int:
    # Round away float noise (6.999999999 -> 7) and write whole numbers as integers, so that the
    # same score always gives the same JSON text.
    value = round(value, 6) + 0.0
    return int(value) if value.is_integer() else value


def problem_dict(problem: StudentProblem | None) -> dict[str, Any] | None:
    if problem is None:
        return None
    return {
        "type": problem.type,
        "message": problem.message,
        "line": problem.line,
        **_in_cell(problem.cell),
        "code": problem.code,
        "frames": [{"line": f.line, **_in_cell(f.cell), "function": f.function, "code": f.code}
                   for f in problem.frames],
    }


def _in_cell(cell: str) -> dict[str, str]:
    """In a notebook, the cell a line is in (its line within that cell); nothing for a .py file."""
    return {"cell": cell} if cell else {}


def _case_dict(case: VisibleCase) -> dict[str, Any]:
    return {
        "label": case.label,
        "inputs": case.inputs,
        "got": case.got,
        "expected": case.expected,
        "ok": case.ok,
        "hidden": case.hidden,
        "boundary": case.boundary,
    }


def part_dict(part: PartResult, report: GradeReport) -> dict[str, Any]:
    return {
        "question": part.question,
        "name": part.name,
        "kind": part.kind,
        "prompt": part.prompt,
        "earned": _number(part.earned),
        "possible": _number(part.possible),
        "outcome": part.outcome.value,
        "outcome_label": part.outcome.label,
        "feedback": list(part.feedback),
        "understood": part.understood,
        "formula": part.formula,
        "expected": visible_expected(report, part),
        "explanation": visible_explanation(report, part),
        "mistake": part.mistake,
        "provisional": part.provisional,
        "problem": problem_dict(part.problem),
        "cases": [_case_dict(c) for c in visible_cases(report, part)],
    }


def _question_dict(question: QuestionResult) -> dict[str, Any]:
    return {
        "id": question.id,
        "title": question.title,
        "prompt": question.prompt,
        "section": question.section,
        "earned": _number(question.earned),
        "possible": _number(question.possible),
        "outcome": question.outcome.value,
        "outcome_label": question.outcome.label,
        "parts": [p.name for p in question.parts],
    }


def to_dict(report: GradeReport) -> dict[str, Any]:
    return {
        "schema": SCHEMA_ID,
        "assignment": report.assignment,
        "title": report.title,
        "submission": report.submission,
        "earned": _number(report.earned),
        "possible": _number(report.possible),
        "pending_review": _number(report.pending_review),
        "isolation": report.isolation,
        "seconds": _number(report.seconds),
        "grader_error": report.grader_error,
        "notes": list(report.notes),
        "visibility": {"expected": report.show_expected,
                       "expected_at_visible_inputs": report.show_expected_at_visible_inputs,
                       "hidden_inputs": report.show_hidden_inputs},
        "file_problems": [problem_dict(p) for p in report.file_problems],
        "skipped_statements": [{"line": line, **_in_cell(cell), "reason": reason}
                               for line, reason, cell in report.skipped_statements],
        "sections": [{"section": t.section, "title": t.title, "earned": _number(t.earned),
                      "possible": _number(t.possible)} for t in report.section_totals()],
        "questions": [_question_dict(q) for q in report.questions],
        "parts": [part_dict(p, report) for p in report.parts],
    }


def render_json(report: GradeReport) -> str:
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"
