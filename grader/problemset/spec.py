"""The problem set as data: pydantic models of one YAML file per question (and, re-exported from
`assignment_spec.py`, of `assignment.yaml`).

Every model is frozen and forbids unknown fields, so a typo in a spec is an error that names the
field (see `loader.py`) rather than a setting silently ignored.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import Field, ValidationError, field_validator, model_validator

from grader.problemset.assignment_spec import (  # noqa: F401  (re-exported: spec names the whole set)
    Assignment,
    LatePolicy,
    Policies,
    Strict,
    Timeouts,
    Tolerance,
    Variation,
)
from grader.sandbox.child.harness import GRADER_FUNCTION_FAMILIES

# A parameter reference such as "$betas" or a literal JSON-like value.
ArgValue = Any

# ---------------------------------------------------------------------------------------------
# Checkers: one settings model per kind, chosen by `kind`
# ---------------------------------------------------------------------------------------------


class NumberChecker(Strict):
    kind: Literal["number"]
    rtol: float | None = Field(default=None, ge=0, le=1)
    atol: float | None = Field(default=None, ge=0)
    sanity: tuple[float, float] | None = None
    """A public plausibility range (e.g. [0, 1] for a probability) used in feedback."""


class SymbolicChecker(Strict):
    kind: Literal["symbolic"]
    variables: list[str] = Field(min_length=1)
    points: int = Field(default=8, ge=1, le=100)
    sample_range: tuple[float, float] = (-2.0, 2.0)
    positive: bool = False
    """Sample only positive values of the variables (e.g. for a standard deviation)."""
    rtol: float | None = Field(default=None, ge=0, le=1)
    atol: float | None = Field(default=None, ge=0)
    seconds: float = Field(default=2.0, gt=0)


class Option(Strict):
    key: str
    aliases: list[str] = []
    feedback: str | None = None
    """Said when a student picks this option wrongly (or misses it, for a correct one)."""


class ChoiceChecker(Strict):
    kind: Literal["choice"]
    options: list[Option] = Field(min_length=2)
    accept: list[str] = Field(min_length=1)
    """Keys that earn full marks. With several, any non-empty selection of them is correct."""
    allow_several: bool = False
    """Whether a student may name several classes (e.g. "VAE or flow"); all must be accepted."""

    @model_validator(mode="after")
    def _accept_keys_exist(self) -> ChoiceChecker:
        keys = {o.key for o in self.options}
        unknown = [k for k in self.accept if k not in keys]
        if unknown:
            raise ValueError(f"accept lists {unknown}, which are not option keys {sorted(keys)}")
        return self


class MultiChoiceChecker(Strict):
    kind: Literal["multi_choice"]
    options: list[Option] = Field(min_length=2)
    correct: list[str] = Field(min_length=1)
    partial_credit: Literal["all_or_nothing", "right_minus_wrong"] = "right_minus_wrong"
    """right_minus_wrong: (correct options chosen − wrong options chosen) / number correct, at least 0."""

    @model_validator(mode="after")
    def _correct_keys_exist(self) -> MultiChoiceChecker:
        keys = {o.key for o in self.options}
        unknown = [k for k in self.correct if k not in keys]
        if unknown:
            raise ValueError(f"correct lists {unknown}, which are not option keys {sorted(keys)}")
        return self


class BooleanChecker(Strict):
    kind: Literal["boolean"]


class _GraderFunctionFamily(Strict):
    family: str
    """One of the harness's families (grader/sandbox/child/harness.py GRADER_FUNCTION_FAMILIES)."""

    @field_validator("family")
    @classmethod
    def _known_family(cls, family: str) -> str:
        if family not in GRADER_FUNCTION_FAMILIES:
            raise ValueError(f"unknown grader-function family {family!r}; known families: "
                             + ", ".join(GRADER_FUNCTION_FAMILIES))
        return family


class GraderFunction(_GraderFunctionFamily):
    """A function the grader passes in, (x, t) ↦ family(scale·x + shift·t): a stand-in for a trained
    network, e.g. DDPM's eps_model(x_t, t). As a visible input: {grader_function: {family: tanh,
    scale: 1.0, shift: -0.2}}."""

    scale: float
    shift: float


class RandomGraderFunction(_GraderFunctionFamily):
    """A grader function drawn for the hidden random checks: `scale` and `shift` are each a number
    or a range [low, high] drawn from uniformly, e.g. {family: affine, scale: [0.5, 1.5], shift: [-1, 1]}."""

    scale: float | tuple[float, float]
    shift: float | tuple[float, float]

    @field_validator("scale", "shift", mode="before")
    @classmethod
    def _number_or_range(cls, value: Any) -> Any:
        def number(v: Any) -> bool:
            return isinstance(v, int | float) and not isinstance(v, bool)

        if number(value) or (isinstance(value, list | tuple) and len(value) == 2 and all(map(number, value))):
            return value
        raise ValueError("expected a number, or a range [low, high] to draw it from")


def grader_function_problems(value: Any) -> list[str]:
    """What is wrong with a literal input that is a grader function ({grader_function: {...}}); an
    empty list for any other value or a valid one."""
    if not isinstance(value, dict) or "grader_function" not in value:
        return []
    if set(value) != {"grader_function"}:
        extra = sorted(str(k) for k in value if k != "grader_function")
        return [f"unknown field(s) {extra} beside grader_function"]
    spec = value["grader_function"]
    if not isinstance(spec, dict):
        return [f"grader_function: expected a mapping {{family, scale, shift}}, got {spec!r}"]
    try:
        GraderFunction.model_validate(spec)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            where = ".".join(["grader_function", *map(str, error["loc"])])
            if error["type"] == "missing":
                problems.append(f"{where}: required field is missing")
            elif error["type"] == "extra_forbidden":
                problems.append(f"{where}: unknown field (expected family, scale, shift)")
            else:
                problems.append(f"{where}: {error['msg'].removeprefix('Value error, ')} "
                                f"(got {error.get('input')!r})")
        return problems
    return []


class RandomArg(Strict):
    """How one argument of a function answer is drawn for the hidden random checks."""

    uniform: tuple[float, float] | None = None
    integer: tuple[int, int] | None = None
    index_into: str | None = None
    """An integer t with 1 ≤ t ≤ len(<that argument>)."""
    uniform_list: tuple[float, float] | None = None
    length: tuple[int, int] | None = None
    same_length_as: str | None = None
    grader_function: RandomGraderFunction | None = None
    """A function the grader passes in, e.g. {family: affine, scale: [0.5, 1.5], shift: [-1, 1]}."""

    @model_validator(mode="after")
    def _exactly_one_kind(self) -> RandomArg:
        kinds = [self.uniform, self.integer, self.index_into, self.uniform_list, self.grader_function]
        if sum(k is not None for k in kinds) != 1:
            raise ValueError(
                "give exactly one of uniform, integer, index_into, uniform_list, grader_function"
            )
        if self.uniform_list is not None and self.length is None and self.same_length_as is None:
            raise ValueError("uniform_list needs length: [min, max] or same_length_as: <argument>")
        return self


class HiddenInputs(Strict):
    count: int = Field(default=6, ge=1, le=200)
    args: dict[str, RandomArg]


class FunctionChecker(Strict):
    kind: Literal["function"]
    signature: list[str] = Field(min_length=1)
    outputs: list[str] = ["value"]
    """Names of the returned components: one for a number, several for a tuple (mean, variance)."""
    visible_inputs: list[dict[str, ArgValue]] = Field(min_length=1)
    hidden_inputs: HiddenInputs | None = None
    boundary_inputs: list[dict[str, ArgValue]] = []
    """Inputs on a set of measure zero (z = 0 for a density): disagreement there never fails."""
    expression_variable: str | None = None
    """If set, a sympy expression or formula string in this variable is accepted instead of a callable."""
    rtol: float | None = Field(default=None, ge=0, le=1)
    atol: float | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _inputs_match_signature(self) -> FunctionChecker:
        wanted = set(self.signature)
        for where, inputs in (("visible_inputs", self.visible_inputs),
                              ("boundary_inputs", self.boundary_inputs)):
            for i, case in enumerate(inputs):
                if set(case) != wanted:
                    raise ValueError(
                        f"{where}[{i}] has arguments {sorted(case)}, the signature is {self.signature}"
                    )
        if self.hidden_inputs and set(self.hidden_inputs.args) != wanted:
            raise ValueError(
                f"hidden_inputs.args has {sorted(self.hidden_inputs.args)}, "
                f"the signature is {self.signature}"
            )
        problems = [f"{where}[{i}].{arg}.{problem}"
                    for where, inputs in (("visible_inputs", self.visible_inputs),
                                          ("boundary_inputs", self.boundary_inputs))
                    for i, case in enumerate(inputs) for arg, value in case.items()
                    for problem in grader_function_problems(value)]
        if problems:
            raise ValueError("; ".join(problems))
        return self


class Concept(Strict):
    """One idea a free-text answer should contain, recognised by any of its regular expressions."""

    name: str
    points: float = Field(gt=0)
    patterns: list[str] = Field(min_length=1)
    feedback: str
    """Said when the concept was not recognised: what the answer should address."""

    @field_validator("patterns")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        import re

        for p in patterns:
            try:
                re.compile(p)
            except re.error as exc:
                raise ValueError(f"pattern {p!r} is not a valid regular expression: {exc}") from exc
        return patterns


class FreeTextChecker(Strict):
    kind: Literal["free_text"]
    rubric: list[Concept] = Field(min_length=1)
    model_answer: str
    min_words: int = Field(default=5, ge=0)


CheckerSpec = Annotated[
    (NumberChecker | SymbolicChecker | ChoiceChecker | MultiChoiceChecker | BooleanChecker | FunctionChecker
     | FreeTextChecker),
    Field(discriminator="kind"),
]

CHECKER_KINDS: tuple[str, ...] = tuple(
    get_args(model.model_fields["kind"].annotation)[0] for model in get_args(get_args(CheckerSpec)[0])
)
"""Every `kind:` a part's checker may name, in the order above."""


# ---------------------------------------------------------------------------------------------
# Questions and parts
# ---------------------------------------------------------------------------------------------


class Mistake(Strict):
    """An anticipated wrong answer and the message it earns (STACK's potential responses)."""

    value: Any = None
    """A literal answer (number, string formula, bool, option key or list of keys)."""
    ref: str | None = None
    """A name the reference solution defines that computes the wrong answer (functions too)."""
    message: str

    @model_validator(mode="after")
    def _value_or_ref(self) -> Mistake:
        if (self.value is None) == (self.ref is None):
            raise ValueError("give exactly one of value or ref")
        return self


class Part(Strict):
    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    """The Python name the student defines."""
    points: float = Field(gt=0)
    prompt: str | None = None
    checker: CheckerSpec
    expected: str | None = None
    """The NAME the reference solution uses for this answer, if it is not `name` (not a value)."""
    mistakes: list[Mistake] = []
    explanation: str | None = None
    """Shown with the expected answer when the policy allows."""

    @property
    def reference_name(self) -> str:
        return self.expected or self.name


def section_of(question_id: str) -> str:
    """The section a question belongs to: its id without the part letter ("3p" → "3")."""
    return question_id.rstrip("abcdefghijklmnopqrstuvwxyz") or question_id


class Question(Strict):
    id: str
    title: str
    prompt: str
    parts: list[Part] = Field(min_length=1)

    @property
    def points(self) -> float:
        return sum(p.points for p in self.parts)

    @property
    def section(self) -> str:
        return section_of(self.id)
