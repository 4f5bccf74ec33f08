"""The checker kinds: the protocol each kind's module implements, and the one map from a spec's
`kind:` to its module. Everything that depends on the kind — grading, `grade show`, the starter
file, the bundle's questions and local check — looks the kind up here.

Every kind says what a student gives (`expects`) and what the starter file's stub takes
(`stub_arguments`). A *value* kind (all but `function`) reads one value and compares it:

    parse(value, spec) -> Parsed          raises AnswerFormatError if the value cannot be read
    grade(answer, expected, spec) -> Verdict
    same(answer, other, spec) -> bool     does the answer match a listed common mistake?
    show(answer) -> str                   the answer as the grader understood it, for reports

`function` answers are called at many inputs and compared input by input; that kind has its own
entry points (`parse_outputs`, `outputs_from_expression`, `grade`, `agrees`: see function.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from grader.checking.checkers import (
    boolean,
    choice,
    free_text,
    function,
    multi_choice,
    number,
    symbolic,
)
from grader.checking.checkers.base import Verdict


class CheckerKind(Protocol):
    def expects(self, spec: Any) -> str: ...
    def stub_arguments(self, spec: Any) -> tuple[str, ...]: ...


class ValueKind(CheckerKind, Protocol):
    def parse(self, value: Any, spec: Any) -> Any: ...
    def grade(self, answer: Any, expected: Any, spec: Any) -> Verdict: ...
    def same(self, answer: Any, other: Any, spec: Any) -> bool: ...
    def show(self, answer: Any) -> str: ...


VALUE_KINDS: Mapping[str, ValueKind] = {
    "number": number,
    "symbolic": symbolic,
    "choice": choice,
    "multi_choice": multi_choice,
    "boolean": boolean,
    "free_text": free_text,
}
KINDS: Mapping[str, CheckerKind] = {**VALUE_KINDS, "function": function}
"""Every kind, by the name a spec gives in `kind:` (`problemset.spec.CHECKER_KINDS` lists the same)."""


def value_kind(name: str) -> ValueKind:
    """The module of a kind that reads one value (KeyError for `function` or an unknown kind)."""
    return VALUE_KINDS[name]
