"""The run plan: which names to fetch and which calls to make — inputs only, never answers.

The same plan drives the student's run and the reference's run, so both are asked exactly the same
things. Hidden random inputs are drawn from a generator seeded by the assignment's seed and the
part's name: the same inputs on every machine and every run.
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from typing import Any, Literal

from grader.problemset.loader import ProblemSet
from grader.problemset.spec import FunctionChecker, Part, Question, RandomArg
from grader.sandbox.runner import Limits, Request


@dataclass(frozen=True)
class Case:
    """One input of a function answer, as the plan draws it and the report labels it."""

    args: tuple[Any, ...]
    """Positional arguments: plain Python values, a grader function as its spec dict."""
    kind: Literal["visible", "hidden", "boundary"]
    label: str

    @property
    def counts(self) -> bool:
        return self.kind != "boundary"


@dataclass(frozen=True)
class PartPlan:
    question: Question
    part: Part
    request_ids: tuple[str, ...]
    cases: tuple[Case, ...] = ()
    """One per request for a function part; empty for a value part."""


@dataclass(frozen=True)
class RunPlan:
    parts: tuple[PartPlan, ...]
    parameters: dict[str, Any]
    wire_args: dict[str, list[Any]]
    """Request id → positional arguments in tagged JSON, for function cases."""
    limits: Limits = Limits()
    """The assignment's time limits, for the student's run and the reference's alike."""

    def student_requests(self) -> list[Request]:
        return [Request(rid, pp.part.name, self.wire_args.get(rid))
                for pp in self.parts for rid in pp.request_ids]

    def free_text_names(self) -> list[str]:
        """The parts answered in words: in a notebook, a labelled markdown cell may answer them."""
        return [pp.part.name for pp in self.parts if pp.part.checker.kind == "free_text"]

    def reference_requests(self) -> list[Request]:
        """The reference's answers, and the values of the mistakes it computes (`ref:`)."""
        requests = []
        for pp in self.parts:
            if pp.part.checker.kind == "free_text":
                continue  # the expected answer of free text is the spec's model answer
            for rid in pp.request_ids:
                args = self.wire_args.get(rid)
                requests.append(Request(rid, pp.part.reference_name, args))
                for j, mistake in enumerate(pp.part.mistakes):
                    if mistake.ref:
                        requests.append(Request(mistake_id(rid, j), mistake.ref, args))
        return requests

    def fingerprint(self) -> str:
        text = json.dumps([r.to_json() for r in self.reference_requests()], sort_keys=True)
        text += json.dumps(self.parameters, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def mistake_id(request_id: str, index: int) -> str:
    return f"{request_id}~mistake{index}"


def resolve_parameter(value: Any, parameters: dict[str, Any]) -> Any:
    if isinstance(value, str) and value.startswith("$"):
        return parameters[value[1:]]
    return value


def _draw(arg: RandomArg, rng: random.Random, drawn: dict[str, Any]) -> Any:
    if arg.uniform is not None:
        return round(rng.uniform(*arg.uniform), 4)
    if arg.integer is not None:
        return rng.randint(*arg.integer)
    if arg.index_into is not None:
        return rng.randint(1, len(drawn[arg.index_into]))
    if arg.uniform_list is not None:
        if arg.same_length_as is not None:
            length = len(drawn[arg.same_length_as])
        else:
            length = rng.randint(*arg.length)  # type: ignore[misc]
        return [round(rng.uniform(*arg.uniform_list), 4) for _ in range(length)]
    assert arg.grader_function is not None
    function = arg.grader_function
    return {"grader_function": {k: (round(rng.uniform(*v), 4) if isinstance(v, tuple) else v)
                                for k, v in (("family", function.family), ("scale", function.scale),
                                             ("shift", function.shift))}}


def _dependency_order(args: dict[str, RandomArg]) -> list[str]:
    """Draw lists before the arguments that refer to their length."""
    first = [n for n, a in args.items() if a.index_into is None and a.same_length_as is None]
    return first + [n for n in args if n not in first]


def hidden_inputs(part: Part, checker: FunctionChecker, seed: int) -> list[dict[str, Any]]:
    if checker.hidden_inputs is None:
        return []
    digest = hashlib.sha256(f"{seed}:{part.name}".encode()).hexdigest()
    rng = random.Random(int(digest[:16], 16))
    cases = []
    for _ in range(checker.hidden_inputs.count):
        drawn: dict[str, Any] = {}
        for name in _dependency_order(checker.hidden_inputs.args):
            drawn[name] = _draw(checker.hidden_inputs.args[name], rng, drawn)
        cases.append(drawn)
    return cases


def to_wire(value: Any) -> Any:
    """Plain values as JSON; a grader function as {"$grader_function": {...}}."""
    if isinstance(value, dict) and set(value) == {"grader_function"}:
        return {"$grader_function": dict(value["grader_function"])}
    if isinstance(value, (list, tuple)):
        return [to_wire(v) for v in value]
    if isinstance(value, float) and value != value:
        return {"$float": "nan"}
    return value


def case_label(name: str, value: Any) -> str:
    if isinstance(value, dict) and "grader_function" in value:
        f = value["grader_function"]
        shift = float(f.get("shift", 0))
        inner = f"{f.get('scale')}·x {'−' if shift < 0 else '+'} {abs(shift):g}·t"
        body = f"tanh({inner})" if f.get("family") == "tanh" else inner
        return f"{name}=(x, t) ↦ {body}"
    if isinstance(value, list):
        return f"{name}=[{', '.join(f'{v:g}' if isinstance(v, float) else str(v) for v in value)}]"
    return f"{name}={value:g}" if isinstance(value, float) else f"{name}={value}"


def _function_cases(part: Part, checker: FunctionChecker, problem_set: ProblemSet):
    params = problem_set.assignment.parameters
    groups = (("visible", checker.visible_inputs), ("boundary", checker.boundary_inputs),
              ("hidden", hidden_inputs(part, checker, problem_set.assignment.seed)))
    for kind, inputs in groups:
        for case in inputs:
            args = tuple(resolve_parameter(case[name], params) for name in checker.signature)
            label = ", ".join(case_label(n, v) for n, v in zip(checker.signature, args))
            yield Case(args, kind, label)  # type: ignore[arg-type]


def build_plan(problem_set: ProblemSet) -> RunPlan:
    parts: list[PartPlan] = []
    wire: dict[str, list[Any]] = {}
    for question, part in problem_set.parts():
        checker = part.checker
        if isinstance(checker, FunctionChecker):
            cases = tuple(_function_cases(part, checker, problem_set))
            ids = tuple(f"{part.name}@{i}" for i in range(len(cases)))
            for rid, case in zip(ids, cases):
                wire[rid] = [to_wire(a) for a in case.args]
            parts.append(PartPlan(question, part, ids, cases))
        else:
            parts.append(PartPlan(question, part, (part.name,)))
    timeouts = problem_set.assignment.policies.timeouts
    limits = Limits(timeouts.import_seconds, timeouts.answer_seconds, timeouts.total_seconds)
    return RunPlan(tuple(parts), dict(problem_set.assignment.parameters), wire, limits)
