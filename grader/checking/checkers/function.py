"""Function answers: compared with the reference at the document's inputs and at hidden random ones.

Each input (a "case") is called in the submission's own process; the parent receives only the
returned numbers. An answer given as an expression in the spec's `expression_variable` (a sympy
expression or a formula string, e.g. for a density p(z)) is evaluated here instead.

Score: the share of (case × output component) pairs that agree, so a function right for the mean
but wrong for the variance earns half. Boundary cases (a set of measure zero, like z = 0 for a
density with a jump) are shown but never cost points.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from grader.checking import mathparse, sympy_tree
from grader.checking.checkers import number
from grader.checking.checkers.base import (
    NotAnswered,
    TooComplex,
    Verdict,
    WrongType,
    is_placeholder,
    partial,
)
from grader.checking.checkers.number import ParsedNumber
from grader.checking.timebox import TimeLimitExceeded, time_limit
from grader.problemset.plan import Case
from grader.problemset.spec import FunctionChecker, NumberChecker
from grader.report.results import CaseRow
from grader.sandbox.wire import NamedValues, NumpyArray, SympyTree, describe

Outputs = tuple[ParsedNumber, ...]


def _number_spec(spec: FunctionChecker) -> NumberChecker:
    return NumberChecker(kind="number", rtol=spec.rtol, atol=spec.atol)


def _by_name(value: Any, spec: FunctionChecker) -> list[Any] | None:
    """A dict's or namedtuple's values in the order of the spec's outputs, read by name; None for
    any other value (and for a namedtuple whose fields name none of the outputs: read by position)."""
    if isinstance(value, NamedValues):
        if set(value.fields) == set(spec.outputs):
            return [value.as_dict()[name] for name in spec.outputs]
        if not set(value.fields) & set(spec.outputs):
            return None
        keys, what = list(value.fields), f"a {value.type} with the fields"
    elif isinstance(value, dict):
        if set(value) == set(spec.outputs):
            return [value[name] for name in spec.outputs]
        keys, what = list(value), "a dict with the keys"
    else:
        return None
    extra = ", ".join(repr(k) for k in [k for k in keys if k not in spec.outputs][:5])
    raise WrongType(f"returned {what} {', '.join(map(repr, keys)) or 'none'}; expected exactly "
                    f"{', '.join(map(repr, spec.outputs))}" + (f" (not {extra})" if extra else ""))


def parse_outputs(value: Any, spec: FunctionChecker) -> Outputs:
    """A number for a one-output function; a tuple/list/array of that many numbers otherwise."""
    n = len(spec.outputs)
    named = _by_name(value, spec)
    if n == 1:
        return (number.parse(named[0] if named is not None else value),)
    if is_placeholder(value):
        raise NotAnswered("the function returned None")
    items: Sequence[Any]
    if named is not None:
        items = named
    elif isinstance(value, (list, tuple)):
        items = value
    elif isinstance(value, NumpyArray):
        items = value.data
    else:
        raise WrongType(f"returned {describe(value)}; expected a tuple ({', '.join(spec.outputs)}), or a dict "
                        "with those keys")
    if len(items) != n:
        raise WrongType(f"returned {len(items)} values; expected {n}: ({', '.join(spec.outputs)})")
    return tuple(number.parse(v) for v in items)


def read_expression(value: Any, spec: FunctionChecker) -> Any:
    """An expression answer (sympy tree or formula) as a sympy expression in the spec's variable."""
    variable = spec.expression_variable
    if variable is None:
        raise WrongType(f"{describe(value)} is not a function: define `def ...({', '.join(spec.signature)}):`")
    if isinstance(value, str):
        expr = mathparse.parse_formula(value, [variable])
    elif isinstance(value, SympyTree):
        expr = sympy_tree.rebuild_tree(value.tree, [variable])
    else:
        raise WrongType(f"{describe(value)} is neither a function nor an expression in {variable}")
    import sympy

    extra = expr.free_symbols - {sympy.Symbol(variable, real=True)}
    if extra:
        names = ", ".join(sorted(map(str, extra)))
        raise WrongType(f"the expression uses {names}; only {variable} is allowed")
    return expr


def outputs_from_expression(expr: Any, spec: FunctionChecker, cases: Sequence[Case]) -> list[Outputs]:
    """Evaluate an expression answer (from `read_expression`) at every case's input."""
    import sympy

    variable = spec.expression_variable
    assert variable is not None  # read_expression refuses an expression where none is accepted
    symbol = sympy.Symbol(variable, real=True)
    index = spec.signature.index(variable)
    results: list[Outputs] = []
    try:
        with time_limit(5.0):
            for case in cases:
                # evalf with subs evaluates numerically: substituting first could build exact
                # huge numbers (7**Max(z, 10**7)) that no time limit can interrupt.
                value_here = expr.evalf(30, subs={symbol: sympy.Float(case.args[index])})
                results.append((number._from_sympy(value_here, "expression"),))
    except TimeLimitExceeded:
        raise TooComplex("the expression took too long to evaluate; simplify it") from None
    except (TypeError, ValueError, ArithmeticError, AttributeError, RecursionError, MemoryError):
        raise TooComplex("the expression could not be evaluated at the inputs; simplify it") from None
    return results


def _component_ok(got: ParsedNumber, want: ParsedNumber, spec: NumberChecker) -> bool:
    return number.grade(got, want, spec).is_correct


def _describe_outputs(outputs: Outputs, names: list[str], oks: list[bool] | None = None) -> str:
    """The outputs as "mean=1.5, variance=0.2"; where some are right and some wrong (`oks`), each
    with its own mark ("mean=1.5 ✓, variance=0.2 ✗"): one ✗ for the row would hide the right one."""
    if len(outputs) == 1:
        return number.show(outputs[0]).split(" (read from")[0]
    marks = [" ✓" if ok else " ✗" for ok in oks] if oks and any(oks) and not all(oks) else [""] * len(outputs)
    return ", ".join(f"{n}={number.show(o).split(' (read from')[0]}{mark}"
                     for n, o, mark in zip(names, outputs, marks))


def agrees(got: Sequence[Outputs | str], other: Sequence[Outputs], cases: Sequence[Case],
           spec: FunctionChecker) -> bool:
    """Whether the answer matches `other` (a common mistake) at every counted case it answered."""
    nspec = _number_spec(spec)
    compared = 0
    for case, g, o in zip(cases, got, other):
        if not case.counts or isinstance(g, str):
            continue
        compared += 1
        if not all(number.same(a, b, nspec) for a, b in zip(g, o)):
            return False
    return compared > 0


MIN_CASES_FOR_CONSTANT = 3
"""A function is judged constant in an output only when it answered at this many counted inputs."""


def _constant_outputs(got: Sequence[Outputs | str], expected: Sequence[Outputs], cases: Sequence[Case],
                      spec: FunctionChecker) -> dict[int, ParsedNumber]:
    """Outputs (by position) the answer returns unchanged at every counted input while the
    expected value changes with the input: `return 0.0` must not earn the inputs where the
    expected value happens to be 0 (the posterior variance at t = 1)."""
    nspec = _number_spec(spec)
    answered = [(g, want) for case, g, want in zip(cases, got, expected) if case.counts and not isinstance(g, str)]
    if len(answered) < MIN_CASES_FOR_CONSTANT:
        return {}
    constant = {}
    for i in range(len(spec.outputs)):
        values = [g[i] for g, _ in answered]
        wanted = [want[i] for _, want in answered]
        if _unchanging(values, wanted, nspec) \
                and not all(number.same(values[0], w, nspec) for w in wanted):
            constant[i] = values[0]
    return constant


def _unchanging(got: list[ParsedNumber], wanted: list[ParsedNumber], spec: NumberChecker) -> bool:
    """The same value everywhere within the tolerance, or moving a thousand times less than the
    expected value does (`0.0 + 1e-8 * t` is no escape)."""
    if all(number.same(g, got[0], spec) for g in got):
        return True
    finite_got = [g.real for g in got if math.isfinite(g.real)]
    finite_wanted = [w.real for w in wanted if math.isfinite(w.real)]
    if len(finite_got) < len(got) or len(finite_wanted) < 2:
        return False
    return max(finite_got) - min(finite_got) < 1e-3 * (max(finite_wanted) - min(finite_wanted))


def grade(got: Sequence[Outputs | str], expected: Sequence[Outputs], cases: Sequence[Case],
          spec: FunctionChecker) -> Verdict:
    """`got[i]` is the parsed output at case i, or a sentence saying why there is none."""
    nspec = _number_spec(spec)
    names = spec.outputs
    constant = _constant_outputs(got, expected, cases, spec)
    rows: list[CaseRow] = []
    right = total = 0
    per_component = [0] * len(names)
    counted_cases = 0
    tally = {"visible": [0, 0], "hidden": [0, 0]}
    boundary_misses = 0
    for case, g, want in zip(cases, got, expected):
        expected_text = _describe_outputs(want, names)
        if isinstance(g, str):
            oks = [False] * len(names)
            got_text = g
        else:
            oks = [_component_ok(a, b, nspec) and i not in constant for i, (a, b) in enumerate(zip(g, want))]
            got_text = _describe_outputs(g, names, oks)
        ok = all(oks)
        rows.append(CaseRow(case.label, got_text, expected_text, ok, case.kind == "hidden",
                            case.kind == "boundary"))
        if not case.counts:
            boundary_misses += not ok
            continue
        counted_cases += 1
        tally[case.kind][0] += ok
        tally[case.kind][1] += 1
        right += sum(oks)
        total += len(oks)
        for i, flag in enumerate(oks):
            per_component[i] += flag
    fraction = right / total if total else 0.0
    feedback = []
    vis_ok, vis_n = tally["visible"]
    hid_ok, hid_n = tally["hidden"]
    summary = f"Agrees with the expected values at {vis_ok} of {vis_n} given input(s)"
    if hid_n:
        summary += f" and at {hid_ok} of {hid_n} hidden random input(s)"
    feedback.append(summary + ".")
    if vis_n and vis_ok == vis_n and hid_n and hid_ok < hid_n:
        feedback.append("Right at the given inputs but not at others: make sure the function computes "
                        "from its arguments (no hard-coded numbers, t counted from 1).")
    for i, value in constant.items():
        what = f"The {names[i]}" if len(names) > 1 else "It"
        feedback.append(f"{what} is {number.show(value).split(' (read from')[0]} at every input, while the "
                        "expected value changes with the input: a constant earns nothing, even where it "
                        "happens to match.")
    if len(names) > 1 and counted_cases:
        for name, n_ok in zip(names, per_component):
            if 0 < n_ok < counted_cases or (n_ok == counted_cases and fraction < 1):
                feedback.append(f"The {name} is right at {n_ok} of {counted_cases} inputs.")
            elif n_ok == 0 and fraction > 0:
                feedback.append(f"The {name} is wrong at every input.")
    if boundary_misses:
        feedback.append("It differs at a boundary point, which does not count (a density may take any "
                        "value on a set of probability zero).")
    verdict = partial(fraction, *feedback)
    return Verdict(verdict.outcome, verdict.fraction, verdict.feedback, tuple(rows))


def expects(spec: Any) -> str:
    """What a student gives for this part, in words."""
    returned = "a number" if len(spec.outputs) == 1 else f"the tuple ({', '.join(spec.outputs)})"
    text = f"a function of ({', '.join(spec.signature)}) returning {returned}"
    if spec.expression_variable:
        text += f", or a sympy expression (or formula string) in `{spec.expression_variable}`"
    return text


def stub_arguments(spec: Any) -> tuple[str, ...]:
    """The starter file's stub takes the function's arguments."""
    return tuple(spec.signature)
