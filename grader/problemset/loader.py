"""Load and validate a problem set from `problems/<assignment>/`.

Every failure is a `SpecError` naming the file, the field path and what was expected, so that
course staff never see a pydantic or YAML traceback.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from grader.problemset.placeholders import fill_questions
from grader.problemset.spec import CHECKER_KINDS, Assignment, FunctionChecker, Question


class SpecError(Exception):
    """A problem-set file that cannot be used, with everything needed to fix it."""

    def __init__(self, file: Path | str, problems: list[str]):
        self.file = Path(file)
        self.problems = problems
        super().__init__(self.describe())

    def describe(self) -> str:
        lines = [f"{self.file}: this spec file cannot be used:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class ProblemSetNotFound(SpecError):
    """No problem set by the name asked for (or none at all, or several and no name): not the fault
    of any spec file, so the message is the sentence alone, without "this spec file cannot be used"."""

    def describe(self) -> str:
        return "; ".join(self.problems)


@dataclass(frozen=True)
class ProblemSet:
    """A validated assignment with its questions, in display order."""

    assignment: Assignment
    questions: tuple[Question, ...]
    directory: Path
    course_root: Path
    fingerprint: str
    """A hash of every spec file: cached expected answers are valid only for the same fingerprint."""
    templates: tuple[Question, ...] = ()
    """The questions as written, `$parameter` placeholders unfilled (`questions` has the values)."""

    @property
    def reference_path(self) -> Path:
        return self.course_root / self.assignment.reference

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        known = ", ".join(q.id for q in self.questions)
        raise KeyError(f"no question {question_id!r} in {self.assignment.slug}; known: {known}")

    def parts(self):
        for q in self.questions:
            for p in q.parts:
                yield q, p

    @property
    def points(self) -> float:
        return sum(q.points for q in self.questions)


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError(path, ["the file does not exist"]) from None
    except UnicodeDecodeError as exc:
        raise SpecError(path, [f"not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None
    try:
        # libyaml's loader when PyYAML has it (its wheels do): the pure-Python one takes most of a
        # second on a 33-question set, at the start of every command.
        return yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise SpecError(path, [f"{where}invalid YAML: {problem}"]) from None


def _field_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for item in loc:
        if isinstance(item, int):
            out += f"[{item}]"
        elif item in CHECKER_KINDS:
            continue  # pydantic's discriminator branch name: not a field the author wrote
        else:
            out += ("." if out else "") + str(item)
    return out or "(top level)"


def _explain(error: ErrorDetails) -> str:
    path = _field_path(tuple(error["loc"]))
    kind = error["type"]
    if kind == "missing":
        return f"{path}: required field is missing"
    if kind == "extra_forbidden":
        return f"{path}: unknown field (check its spelling; see the README's spec reference)"
    if kind == "union_tag_invalid":
        return (f"{path}: unknown checker kind {error.get('input', {}).get('kind')!r}; expected one "
                f"of {', '.join(CHECKER_KINDS)}")
    if kind == "union_tag_not_found":
        return f"{path}: a checker needs a `kind:` (number, symbolic, choice, ...)"
    msg = error["msg"].removeprefix("Value error, ")
    return f"{path}: {msg} (got {error.get('input')!r})"


def parse_model(model: type[BaseModel], data: Any, path: Path) -> Any:
    if not isinstance(data, dict):
        raise SpecError(path, [f"expected a mapping of fields at the top level, got {type(data).__name__}"])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise SpecError(path, [_explain(e) for e in exc.errors()]) from None


def _check_parameter_references(question: Question, params: dict[str, Any], path: Path) -> None:
    problems = []
    for part in question.parts:
        checker = part.checker
        if not isinstance(checker, FunctionChecker):
            continue
        for j, mistake in enumerate(part.mistakes):
            if mistake.ref is None:
                problems.append(f"parts[{part.name}].mistakes[{j}]: a function part's mistake needs "
                                "`ref:` (a function in the reference solution), not `value:`")
        for case in checker.visible_inputs + checker.boundary_inputs:
            for arg, value in case.items():
                if isinstance(value, str) and value.startswith("$") and value[1:] not in params:
                    problems.append(
                        f"parts[{part.name}].checker: input {arg}={value} names no parameter of "
                        f"assignment.yaml (known: {', '.join(sorted(params)) or 'none'})"
                    )
    if problems:
        raise SpecError(path, problems)


def load_problem_set(directory: Path | str, course_root: Path | str | None = None) -> ProblemSet:
    """Load `directory/assignment.yaml` and every question it lists; raise SpecError on any problem."""
    directory = Path(directory)
    root = Path(course_root) if course_root else directory.parent.parent
    if not directory.is_dir():
        raise SpecError(directory, ["no such problem-set directory"])
    digest = hashlib.sha256()
    assignment_path = directory / "assignment.yaml"
    digest.update(assignment_path.read_bytes() if assignment_path.exists() else b"")
    assignment: Assignment = parse_model(Assignment, _read_yaml(assignment_path), assignment_path)

    questions: list[Question] = []
    seen_names: dict[str, str] = {}
    for qid in assignment.questions:
        path = directory / f"{qid}.yaml"
        if not path.exists():
            raise SpecError(assignment_path, [f"questions lists {qid!r} but {path.name} does not exist"])
        digest.update(path.read_bytes())
        question: Question = parse_model(Question, _read_yaml(path), path)
        if question.id != qid:
            raise SpecError(path, [f"id: is {question.id!r}, but the file name says {qid!r}"])
        for part in question.parts:
            if part.name in seen_names:
                raise SpecError(path, [f"part name {part.name!r} is already used by question "
                                       f"{seen_names[part.name]}"])
            seen_names[part.name] = qid
        _check_parameter_references(question, assignment.parameters, path)
        questions.append(question)

    stray = sorted(p.stem for p in directory.glob("*.yaml")
                   if p.stem != "assignment" and p.stem not in assignment.questions)
    if stray:
        raise SpecError(assignment_path, [f"question files {stray} are not listed in questions:"])
    total = sum(q.points for q in questions)
    if abs(total - assignment.total_points) > 1e-9:
        raise SpecError(assignment_path, [f"total_points is {assignment.total_points:g} but the "
                                          f"questions' parts add up to {total:g}"])
    reference = root / assignment.reference
    if not reference.is_file():
        raise SpecError(assignment_path, [f"reference: {reference} does not exist"])
    digest.update(reference.read_bytes())
    templates = tuple(questions)
    return ProblemSet(assignment, fill_questions(templates, assignment.parameters), directory, root,
                      digest.hexdigest()[:16], templates)


def find_problem_set(course_root: Path, slug: str | None) -> Path:
    """The problem-set directory for `slug`, or the only one under `course_root/problems`."""
    problems = course_root / "problems"
    if slug:
        directory = problems / slug
        if not (directory / "assignment.yaml").exists():
            known = sorted(p.parent.name for p in problems.glob("*/assignment.yaml"))
            raise ProblemSetNotFound(problems, [f"no assignment {slug!r} in {problems}; "
                                                f"known: {', '.join(known) or 'none'}"])
        return directory
    found = sorted(p.parent for p in problems.glob("*/assignment.yaml"))
    if len(found) == 1:
        return found[0]
    if not found:
        raise ProblemSetNotFound(problems, [f"no problems/<assignment>/assignment.yaml in {course_root}: run "
                                            "grade from the course directory or pass --course DIR"])
    names = ", ".join(p.name for p in found)
    raise ProblemSetNotFound(problems, [f"several assignments in {problems} ({names}): choose one with "
                                        "--assignment NAME"])
