"""The public form of a problem set: what a student may see of the specs, and nothing else.

Stripping is a whitelist. Each public model below lists the only fields that survive; a public
model is built field by field from the full one (`public_assignment`, `public_question`), so a
field added to `grader/problemset/spec.py` later stays out of the bundle until someone adds it here on
purpose. What survives, and why it is public:

- ids, titles, prompts, points, part names: the course document itself;
- the checker kind and the format settings a student's answer is read with: a function's
  signature, output names, visible inputs (the document's values) and expression variable;
  a symbolic answer's variables; choice options' keys and aliases (sorted by key, because a
  course's own order may put the accepted option first) and whether several may be named;
  multiple choice's options and its partial-credit rule; free text's minimum word count;
- a number's `sanity` range, which the spec calls public ("a probability lies in [0, 1]");
- the assignment's parameters (the document's numbers, handed to every run as PARAMETERS) and
  its timeouts.

Everything else is dropped: the reference's path, expected-answer names, accepted and correct
options, option feedback, common mistakes (values, refs and messages), hidden-input specs and the
seed that draws them, boundary inputs, tolerances and policies, rubrics (concepts, patterns,
feedback), model answers and explanations.

The public `assignment.yaml` carries `mode: public` and has no `reference:`, so the full loader
(`grader.problemset.loader`) refuses it, and a stripped set can never be graded as if it were complete;
`load_public_problem_set` reads it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from grader.problemset.loader import ProblemSet, SpecError, _read_yaml, parse_model
from grader.problemset.spec import (
    Assignment,
    BooleanChecker,
    ChoiceChecker,
    FreeTextChecker,
    FunctionChecker,
    MultiChoiceChecker,
    NumberChecker,
    Option,
    Question,
    SymbolicChecker,
    Timeouts,
    grader_function_problems,
    section_of,
)

PUBLIC_MODE = "public"


class Public(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PublicOption(Public):
    key: str
    aliases: list[str] = []


class PublicNumber(Public):
    kind: Literal["number"]
    sanity: tuple[float, float] | None = None


class PublicSymbolic(Public):
    kind: Literal["symbolic"]
    variables: list[str] = Field(min_length=1)


class PublicChoice(Public):
    kind: Literal["choice"]
    options: list[PublicOption] = Field(min_length=2)
    allow_several: bool = False


class PublicMultiChoice(Public):
    kind: Literal["multi_choice"]
    options: list[PublicOption] = Field(min_length=2)
    partial_credit: Literal["all_or_nothing", "right_minus_wrong"] = "right_minus_wrong"


class PublicBoolean(Public):
    kind: Literal["boolean"]


class PublicFunction(Public):
    kind: Literal["function"]
    signature: list[str] = Field(min_length=1)
    outputs: list[str] = ["value"]
    visible_inputs: list[dict[str, Any]] = Field(min_length=1)
    expression_variable: str | None = None


class PublicFreeText(Public):
    kind: Literal["free_text"]
    min_words: int = Field(default=5, ge=0)


PublicChecker = Annotated[
    PublicNumber | PublicSymbolic | PublicChoice | PublicMultiChoice | PublicBoolean | PublicFunction | PublicFreeText,
    Field(discriminator="kind"),
]


class PublicPart(Public):
    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    points: float = Field(gt=0)
    prompt: str | None = None
    checker: PublicChecker


class PublicQuestion(Public):
    id: str
    title: str
    prompt: str
    parts: list[PublicPart] = Field(min_length=1)

    @property
    def points(self) -> float:
        return sum(p.points for p in self.parts)

    @property
    def section(self) -> str:
        return section_of(self.id)


class PublicAssignment(Public):
    mode: Literal["public"]
    """The bundle marker: this set has no reference and no expected answers."""
    title: str
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    questions: list[str] = Field(min_length=1)
    total_points: float = Field(gt=0)
    sections: dict[str, str] = {}
    parameters: dict[str, Any] = {}
    timeouts: Timeouts = Timeouts()


@dataclass(frozen=True)
class PublicProblemSet:
    assignment: PublicAssignment
    questions: tuple[PublicQuestion, ...]
    directory: Path

    def parts(self) -> Iterator[tuple[PublicQuestion, PublicPart]]:
        for q in self.questions:
            for p in q.parts:
                yield q, p

    @property
    def points(self) -> float:
        return sum(q.points for q in self.questions)


# ---------------------------------------------------------------------------------------------
# Full spec → public spec (a whitelist: every surviving field is named here)
# ---------------------------------------------------------------------------------------------


def _public_options(options: list[Option]) -> list[PublicOption]:
    return [PublicOption(key=o.key, aliases=list(o.aliases)) for o in sorted(options, key=lambda o: o.key)]


def public_checker(checker: Any) -> Any:
    if isinstance(checker, NumberChecker):
        return PublicNumber(kind="number", sanity=checker.sanity)
    if isinstance(checker, SymbolicChecker):
        return PublicSymbolic(kind="symbolic", variables=list(checker.variables))
    if isinstance(checker, ChoiceChecker):
        return PublicChoice(kind="choice", options=_public_options(checker.options),
                            allow_several=checker.allow_several)
    if isinstance(checker, MultiChoiceChecker):
        return PublicMultiChoice(kind="multi_choice", options=_public_options(checker.options),
                                 partial_credit=checker.partial_credit)
    if isinstance(checker, BooleanChecker):
        return PublicBoolean(kind="boolean")
    if isinstance(checker, FunctionChecker):
        return PublicFunction(kind="function", signature=list(checker.signature),
                              outputs=list(checker.outputs),
                              visible_inputs=[dict(case) for case in checker.visible_inputs],
                              expression_variable=checker.expression_variable)
    if isinstance(checker, FreeTextChecker):
        return PublicFreeText(kind="free_text", min_words=checker.min_words)
    raise TypeError(f"no public form for checker kind {getattr(checker, 'kind', checker)!r}")


def public_question(question: Question) -> PublicQuestion:
    parts = [PublicPart(name=p.name, points=p.points, prompt=p.prompt, checker=public_checker(p.checker))
             for p in question.parts]
    return PublicQuestion(id=question.id, title=question.title, prompt=question.prompt, parts=parts)


def public_assignment(assignment: Assignment) -> PublicAssignment:
    return PublicAssignment(
        mode=PUBLIC_MODE, title=assignment.title, slug=assignment.slug,
        questions=list(assignment.questions), total_points=assignment.total_points,
        sections=dict(assignment.sections), parameters=dict(assignment.parameters),
        timeouts=assignment.policies.timeouts,
    )


def public_problem_set(problem_set: ProblemSet, directory: Path | None = None) -> PublicProblemSet:
    return PublicProblemSet(public_assignment(problem_set.assignment),
                            tuple(public_question(q) for q in problem_set.questions),
                            directory or problem_set.directory)


# ---------------------------------------------------------------------------------------------
# Writing and reading the public YAML
# ---------------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text and all(line == line.rstrip() for line in text.split("\n")) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_list(dumper: yaml.SafeDumper, items: list) -> yaml.Node:
    flat = all(isinstance(i, (int, float, bool)) or (isinstance(i, str) and "\n" not in i) for i in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=flat)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(list, _represent_list)

HEADER = ("# Public version of this problem set (student bundle): expected answers, common mistakes,\n"
          "# hidden inputs, rubrics and model answers are not included.\n")


def to_yaml(model: Public) -> str:
    data = model.model_dump(mode="json", exclude_none=True)
    return HEADER + yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def write_public_problem_set(problem_set: ProblemSet, directory: Path) -> list[Path]:
    """Write `assignment.yaml` and one `<id>.yaml` per question; return the paths written."""
    public = public_problem_set(problem_set, directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = [directory / "assignment.yaml"]
    written[0].write_text(to_yaml(public.assignment), encoding="utf-8")
    for question in public.questions:
        path = directory / f"{question.id}.yaml"
        path.write_text(to_yaml(question), encoding="utf-8")
        written.append(path)
    return written


def is_public(directory: Path) -> bool:
    """Whether `directory/assignment.yaml` is a stripped (bundle) problem set."""
    try:
        data = yaml.safe_load((directory / "assignment.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return False
    return isinstance(data, dict) and data.get("mode") == PUBLIC_MODE


def load_public_problem_set(directory: Path | str) -> PublicProblemSet:
    """Load a stripped problem set; raise SpecError (naming file and field) on any problem."""
    directory = Path(directory)
    assignment_path = directory / "assignment.yaml"
    data = _read_yaml(assignment_path)
    if isinstance(data, dict) and data.get("mode") != PUBLIC_MODE:
        raise SpecError(assignment_path, ["this is a full problem set, not a student bundle's public "
                                          "one (no `mode: public`): use `grade submit` instead"])
    assignment: PublicAssignment = parse_model(PublicAssignment, data, assignment_path)
    questions = []
    for qid in assignment.questions:
        path = directory / f"{qid}.yaml"
        question: PublicQuestion = parse_model(PublicQuestion, _read_yaml(path), path)
        if question.id != qid:
            raise SpecError(path, [f"id: is {question.id!r}, but the file name says {qid!r}"])
        for part in question.parts:
            if isinstance(part.checker, PublicFunction):
                _check_inputs(part.name, part.checker, assignment.parameters, path)
        questions.append(question)
    return PublicProblemSet(assignment, tuple(questions), directory)


def _check_inputs(part_name: str, checker: PublicFunction, parameters: dict[str, Any], path: Path) -> None:
    problems = []
    for i, case in enumerate(checker.visible_inputs):
        if set(case) != set(checker.signature):
            problems.append(f"parts[{part_name}].checker.visible_inputs[{i}] has arguments "
                            f"{sorted(case)}, the signature is {checker.signature}")
        for arg, value in case.items():
            if isinstance(value, str) and value.startswith("$") and value[1:] not in parameters:
                problems.append(f"parts[{part_name}].checker: input {arg}={value} names no parameter")
            problems += [f"parts[{part_name}].checker.visible_inputs[{i}].{arg}.{problem}"
                         for problem in grader_function_problems(value)]
    if problems:
        raise SpecError(path, problems)
