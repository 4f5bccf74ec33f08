"""The problem set as data, part one: `assignment.yaml` (policies, parameters and their variation).

The questions' models are in `spec.py`, which re-exports these. Every model is frozen and forbids
unknown fields, so a typo is an error that names the field.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# ---------------------------------------------------------------------------------------------
# Tolerances and policies
# ---------------------------------------------------------------------------------------------


class Tolerance(Strict):
    """|answer − expected| ≤ atol + rtol·|expected| (numpy.isclose's rule, the reference on the right),
    plus a relative slack of 1e-12 (checkers/number.py: SLACK) so that the boundary itself passes.

    The default rtol of 1e-3 accepts every answer rounded to four significant figures (rounding
    costs at most 5e-4 relatively) and rejects the mistakes the set anticipates.
    """

    rtol: float = Field(default=1e-3, ge=0, le=1)
    atol: float = Field(default=1e-9, ge=0)


class Timeouts(Strict):
    import_seconds: float = Field(default=10, gt=0)
    answer_seconds: float = Field(default=3, gt=0)
    total_seconds: float = Field(default=60, gt=0)


class LatePolicy(Strict):
    """Penalties for late submissions, applied from the platform's submission time."""

    due: datetime
    """Timezone-aware due date, e.g. 2026-11-20T23:59:00-05:00."""
    grace_minutes: float = Field(default=0, ge=0)
    penalty_per_day: float = Field(default=0, ge=0, le=1)
    """Fraction of the points lost per started day late."""
    penalty_per_hour: float = Field(default=0, ge=0, le=1)
    """Fraction of the points lost per started hour late (use one of per_day / per_hour)."""
    max_penalty: float = Field(default=1, ge=0, le=1)
    cutoff: datetime | None = None
    """After this, a submission earns 0 (it is still graded, so the student sees feedback)."""

    @field_validator("due", "cutoff")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("give a time zone, e.g. 2026-11-20T23:59:00-05:00 or ...Z")
        return value

    @model_validator(mode="after")
    def _one_rate(self) -> LatePolicy:
        if self.penalty_per_day and self.penalty_per_hour:
            raise ValueError("give penalty_per_day or penalty_per_hour, not both")
        if self.cutoff is not None and self.cutoff < self.due:
            raise ValueError("cutoff is before the due date")
        return self


class Policies(Strict):
    show_expected: Literal["never", "visible_inputs", "always"] = "never"
    """Whether reports show the expected answers (a CLI flag `--show-answers` overrides).
    `visible_inputs`: only a function part's expected values at the inputs the problem set itself
    gives (never at hidden inputs, never a value part's answer) — choose it only where those values
    do not give away another part's answer."""
    show_hidden_inputs: bool = False
    free_text_counts_provisionally: bool = True
    """Whether the rubric's provisional score is included in totals before a TA reviews it."""
    tolerance: Tolerance = Tolerance()
    timeouts: Timeouts = Timeouts()
    late: LatePolicy | None = None
    variants: Literal["document", "per_student"] = "document"
    """Whom a batch and the Gradescope autograder grade against: everyone against the document's
    numbers, or each student against their own (`variation`; hand out `grade bundle class`).
    `grade submit --student ID` always uses that student's."""


class Variation(Strict):
    """How one parameter varies between students (exactly one of the kinds)."""

    uniform: tuple[float, float] | None = None
    """A number drawn uniformly in [low, high], rounded to `decimals`."""
    integer: tuple[int, int] | None = None
    """An integer drawn uniformly in [low, high], both included."""
    choices: list[Any] | None = None
    """One of these values."""
    increasing: tuple[float, float] | None = None
    """A list as long as the document's, of distinct values in [low, high], increasing (a schedule
    such as DDPM's betas), each rounded to `decimals`."""
    decimals: int = Field(default=2, ge=0, le=8)

    @model_validator(mode="after")
    def _exactly_one_kind(self) -> Variation:
        kinds = [self.uniform, self.integer, self.choices, self.increasing]
        if sum(k is not None for k in kinds) != 1:
            raise ValueError("give exactly one of uniform, integer, choices, increasing")
        for name in ("uniform", "integer", "increasing"):
            bounds = getattr(self, name)
            if bounds is not None and not bounds[0] < bounds[1]:
                raise ValueError(f"{name}: the low end must be below the high end (got {list(bounds)})")
        if self.choices is not None and len(self.choices) < 2:
            raise ValueError("choices: give at least two values")
        return self


class Assignment(Strict):
    title: str
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    questions: list[str] = Field(min_length=1)
    """Question ids in the order they are shown; each has a file `<id>.yaml` beside this one."""
    total_points: float = Field(gt=0)
    sections: dict[str, str] = {}
    parameters: dict[str, Any] = {}
    """The document's numbers ("variant 0"): every run gets them (or a student's variant) as PARAMETERS."""
    variation: dict[str, Variation] = {}
    """Per parameter that may change between students without changing the questions' meaning."""
    seed: int = 0
    reference: str
    """Path of the reference solution, relative to the course root."""
    policies: Policies = Policies()

    @model_validator(mode="after")
    def _variation_of_known_parameters(self) -> Assignment:
        for name, variation in self.variation.items():
            if name not in self.parameters:
                raise ValueError(f"variation.{name}: no parameter {name!r} (parameters: "
                                 f"{', '.join(self.parameters) or 'none'})")
            is_list = isinstance(self.parameters[name], list)
            if (variation.increasing is not None) != is_list and variation.choices is None:
                raise ValueError(f"variation.{name}: `increasing` is for a list parameter, uniform and "
                                 f"integer for a number; {name} is {self.parameters[name]!r}")
        return self
