"""JSON report, schema "grader.report/1": content, visibility, stability and schema conformance."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from report_fixtures import (
    CORRECT,
    EXPECTED_SECRETS,
    GRADER_ERROR,
    HIDDEN_INPUTS,
    MISTAKE,
    Q2A_EXPECTED,
    Q2A_EXPLANATION,
    Q4A_CASE_EXPECTED,
    SKIP_REASON,
    clean_report,
    make_report,
)

from grader.report.render.json_report import SCHEMA_ID, render_json, schema, to_dict
from grader.report.results import QuestionResult

TOP_LEVEL = ["schema", "assignment", "title", "submission", "earned", "possible", "pending_review",
             "isolation", "seconds", "grader_error", "notes", "visibility", "file_problems",
             "skipped_statements", "sections", "questions", "parts"]
PART_KEYS = {"question", "name", "kind", "earned", "possible", "outcome", "outcome_label", "feedback",
             "understood", "expected", "explanation", "mistake", "provisional", "problem", "cases"}

VARIANTS = {
    "default": make_report(),
    "everything shown": make_report(show_expected=True, show_hidden_inputs=True),
    "grader error": make_report(grader_error=GRADER_ERROR, notes=(GRADER_ERROR,)),
    "clean": clean_report(),
    "empty": make_report(questions=(), file_problems=(), skipped_statements=()),
}


def _parts(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in data["parts"]}


@pytest.fixture(scope="module")
def data() -> dict[str, Any]:
    return to_dict(make_report())


def test_top_level(data: dict[str, Any]) -> None:
    assert list(data) == TOP_LEVEL
    assert data["schema"] == SCHEMA_ID == "grader.report/1"
    assert (data["earned"], data["possible"], data["pending_review"]) == (8.5, 21, 2)
    assert data["seconds"] == 1.234 and data["isolation"] == "process" and data["grader_error"] is None
    assert data["visibility"] == {"expected": False, "expected_at_visible_inputs": False, "hidden_inputs": False}
    assert data["sections"] == [
        {"section": "2", "title": "Latent variable model and ELBO", "earned": 4, "possible": 15},
        {"section": "4", "title": "Numericals — DDPM", "earned": 4.5, "possible": 6},
    ]
    assert data["skipped_statements"] == [{"line": 12, "reason": SKIP_REASON}]


def test_file_problems(data: dict[str, Any]) -> None:
    syntax, raised = data["file_problems"]
    assert syntax == {"type": "SyntaxError", "message": "invalid syntax", "line": 31,
                      "code": "q3 = = 1", "frames": []}
    assert raised["frames"][0] == {"line": 44, "function": "<module>", "code": "setup()"}


def test_questions_list_their_parts(data: dict[str, Any]) -> None:
    q2b = next(q for q in data["questions"] if q["id"] == "2b")
    assert q2b == {"id": "2b", "title": "Entropy gap", "prompt": None, "section": "2", "earned": 0, "possible": 4,
                   "outcome": "incorrect", "outcome_label": "incorrect", "parts": ["q2b", "q2b_check"]}
    names = [name for q in data["questions"] for name in q["parts"]]
    assert names == [p["name"] for p in data["parts"]]


def test_parts(data: dict[str, Any]) -> None:
    parts = _parts(data)
    for part in parts.values():
        assert PART_KEYS <= set(part)
    q4a = parts["q4a"]
    assert (q4a["outcome"], q4a["outcome_label"], q4a["earned"], q4a["possible"]) == \
        ("partially_correct", "partially correct", 2.5, 4)
    assert parts["q2b"]["mistake"] == MISTAKE and parts["q2b"]["understood"] == "0.5"
    assert parts["q4b"]["provisional"] is True and parts["q4b"]["outcome"] == "needs_review"
    assert parts["q2a"]["provisional"] is False
    problem = parts["q2d"]["problem"]
    assert problem["type"] == "ZeroDivisionError" and problem["line"] == 14
    assert [f["function"] for f in problem["frames"]] == ["q2d", "helper"]
    assert parts["q2a"]["problem"] is None
    assert parts["q2c"]["outcome"] == "not_answered" and parts["q2e"]["outcome"] == "timed_out"


def test_expected_and_explanation_null_unless_shown(data: dict[str, Any]) -> None:
    text = render_json(make_report())
    for secret in EXPECTED_SECRETS:
        assert secret not in text
    assert all(p["expected"] is None and p["explanation"] is None for p in data["parts"])
    assert all(c["expected"] is None for c in _parts(data)["q4a"]["cases"])
    shown = _parts(to_dict(make_report(show_expected=True)))
    assert shown["q2a"]["expected"] == Q2A_EXPECTED and shown["q2a"]["explanation"] == Q2A_EXPLANATION
    assert [c["expected"] for c in shown["q4a"]["cases"]] == list(Q4A_CASE_EXPECTED)


def test_hidden_inputs_null_unless_allowed(data: dict[str, Any]) -> None:
    cases = _parts(data)["q4a"]["cases"]
    assert cases[2] == {"label": "hidden input #1", "inputs": None, "got": "0.286691", "expected": None,
                        "ok": True, "hidden": True, "boundary": False}
    assert cases[0]["inputs"] == "x=0.0" and cases[4]["boundary"] is True
    for secret in HIDDEN_INPUTS:
        assert secret not in render_json(make_report())
    shown = _parts(to_dict(make_report(show_hidden_inputs=True)))["q4a"]["cases"]
    assert [c["inputs"] for c in shown if c["hidden"]] == list(HIDDEN_INPUTS)


def test_json_text_is_indented_unicode_and_deterministic() -> None:
    text = render_json(make_report())
    assert text.startswith('{\n  "schema": "grader.report/1",\n')
    assert "⁽¹⁾" in text and "\\u" not in text
    assert json.loads(text) == to_dict(make_report())
    assert render_json(make_report()) == text


def test_points_are_clean_numbers() -> None:
    # 0.1 + 0.2 == 0.30000000000000004: float noise must not reach the JSON text.
    parts = tuple(replace(CORRECT, name=f"p{i}", earned=e, possible=1) for i, e in enumerate((0.1, 0.2)))
    data = to_dict(make_report(questions=(QuestionResult("1a", "Noise", "1", parts),), seconds=0.1 + 0.2))
    assert (data["earned"], data["possible"], data["seconds"]) == (0.3, 2, 0.3)
    assert isinstance(data["possible"], int) and '"earned": 0.3,' in json.dumps(data)


# -- schema conformance -------------------------------------------------------------------------

def _resolve(node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        ref = node["$ref"]
        assert ref.startswith("#/"), ref
        target: Any = root
        for key in ref[2:].split("/"):
            target = target[key]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}


def _type_ok(value: Any, name: str) -> bool:
    if name in ("number", "integer"):
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return ok and (name == "number" or float(value).is_integer())
    return isinstance(value, _TYPES[name])


def _validate(value: Any, node: dict[str, Any], root: dict[str, Any], path: str = "$") -> list[str]:
    """A tiny JSON Schema validator for the keywords report.schema.json uses."""
    node = _resolve(node, root)
    errors: list[str] = []
    if "type" in node:
        types = node["type"] if isinstance(node["type"], list) else [node["type"]]
        if not any(_type_ok(value, t) for t in types):
            return [f"{path}: {value!r} is not of type {types}"]
    if "const" in node and value != node["const"]:
        errors.append(f"{path}: {value!r} != {node['const']!r}")
    if "enum" in node and value not in node["enum"]:
        errors.append(f"{path}: {value!r} not in {node['enum']}")
    if "minimum" in node and isinstance(value, (int, float)) and value < node["minimum"]:
        errors.append(f"{path}: {value} < {node['minimum']}")
    if "oneOf" in node:
        matches = [s for s in node["oneOf"] if not _validate(value, s, root, path)]
        if len(matches) != 1:
            errors.append(f"{path}: matches {len(matches)} of oneOf")
    if isinstance(value, dict):
        props = node.get("properties", {})
        errors += [f"{path}: missing {key}" for key in node.get("required", []) if key not in value]
        if node.get("additionalProperties") is False:
            errors += [f"{path}: undocumented key {key}" for key in value if key not in props]
        for key, sub in value.items():
            if key in props:
                errors += _validate(sub, props[key], root, f"{path}.{key}")
    if isinstance(value, list) and "items" in node:
        for i, item in enumerate(value):
            errors += _validate(item, node["items"], root, f"{path}[{i}]")
    return errors


@pytest.mark.parametrize("name", list(VARIANTS))
def test_conforms_to_schema_tiny_validator(name: str) -> None:
    root = schema()
    assert _validate(to_dict(VARIANTS[name]), root, root) == []


def test_tiny_validator_catches_violations(data: dict[str, Any]) -> None:
    root = schema()
    broken = json.loads(json.dumps(data))
    broken["parts"][0]["outcome"] = "great"
    del broken["parts"][1]["cases"]
    broken["parts"][2]["secret"] = 1
    broken["schema"] = "grader.report/2"
    errors = _validate(broken, root, root)
    assert len(errors) == 4, errors


@pytest.mark.parametrize("name", list(VARIANTS))
def test_conforms_to_schema_jsonschema(name: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(schema())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(to_dict(VARIANTS[name]))]
    assert errors == []


def test_schema_documents_exactly_the_emitted_keys(data: dict[str, Any]) -> None:
    root = schema()
    assert root["required"] == TOP_LEVEL == list(root["properties"])
    assert set(root["$defs"]["part"]["required"]) == set(data["parts"][0])
    assert root["properties"]["schema"] == {"const": SCHEMA_ID}
