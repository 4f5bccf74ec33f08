"""The run plan: inputs only, deterministic hidden inputs, parameters resolved."""

from __future__ import annotations

import json
from pathlib import Path

from grader.problemset.loader import load_problem_set
from grader.problemset.plan import build_plan, hidden_inputs

ROOT = Path(__file__).resolve().parent.parent


def genmodels():
    return load_problem_set(ROOT / "problems" / "genmodels", ROOT)


def test_student_requests_carry_no_expected_answer():
    plan = build_plan(genmodels())
    wire = json.dumps([r.to_json() for r in plan.student_requests()])
    assert "mistake" not in wire
    assert "0.693" not in wire and "0.8413" not in wire and "1.697" not in wire
    names = {r.name for r in plan.student_requests()}
    assert not any(n.startswith("mistake_") for n in names)


def test_reference_requests_include_mistakes_but_no_free_text():
    plan = build_plan(genmodels())
    names = {r.name for r in plan.reference_requests()}
    assert "mistake_q2a_log10" in names and "q2a" in names
    assert "q1d" not in names and "q3a" not in names


def test_document_values_come_from_parameters():
    plan = build_plan(genmodels())
    q4a_cases = next(pp for pp in plan.parts if pp.part.name == "q4a").cases
    assert q4a_cases[0].args == (2.0, [0.1, 0.2], 2)
    assert q4a_cases[0].kind == "visible"


def test_hidden_inputs_are_deterministic_and_valid():
    ps = genmodels()
    _, part = next((q, p) for q, p in ps.parts() if p.name == "q4e")
    first = hidden_inputs(part, part.checker, ps.assignment.seed)
    second = hidden_inputs(part, part.checker, ps.assignment.seed)
    assert first == second and len(first) == 8
    for case in first:
        assert 1 <= case["t"] <= len(case["betas"])
        assert all(0.01 <= b <= 0.5 for b in case["betas"])
    assert hidden_inputs(part, part.checker, ps.assignment.seed + 1) != first


def test_equal_length_lists_and_grader_functions():
    ps = genmodels()
    _, part = next((q, p) for q, p in ps.parts() if p.name == "q4b")
    for case in hidden_inputs(part, part.checker, ps.assignment.seed):
        assert len(case["x0"]) == len(case["eps"])
        assert 1 <= case["t"] <= len(case["alpha_bars"])
        f = case["eps_model"]["grader_function"]
        assert f["family"] == "tanh" and 0.2 <= f["scale"] <= 1.5
    plan = build_plan(ps)
    wire = plan.wire_args["q4b@0"]
    assert wire[0] == {"$grader_function": {"family": "affine", "scale": 0.5, "shift": 0.1}}


def test_boundary_cases_are_marked():
    plan = build_plan(genmodels())
    q2b = next(pp for pp in plan.parts if pp.part.name == "q2b")
    assert [c.kind for c in q2b.cases].count("boundary") == 1
    assert next(c for c in q2b.cases if c.kind == "boundary").args == (0.0,)
