"""A GradeReport as data and back: what the batch gradebook and the Gradescope worker store."""

from __future__ import annotations

import dataclasses
import json

import pytest
from report_fixtures import HOSTILE, clean_report, make_report

from grader.report.serialise import report_from_data, report_to_data, report_to_json

REPORTS = {
    "every outcome": make_report(),
    "expected shown": make_report(show_expected=True, show_hidden_inputs=True),
    "clean": clean_report(),
    "grader error": make_report(grader_error=f"crashed: {HOSTILE}", notes=("é ∞ ≤",)),
}


@pytest.mark.parametrize("report", REPORTS.values(), ids=REPORTS.keys())
def test_a_report_survives_the_round_trip(report):
    assert report_from_data(report_to_data(report)) == report


@pytest.mark.parametrize("report", REPORTS.values(), ids=REPORTS.keys())
def test_the_json_keeps_every_field_as_plain_data(report):
    """Every field, nested ones included, with outcomes as their values (as dataclasses.asdict
    would give them), so that stored gradebooks stay readable by this and later versions."""
    expected = json.loads(json.dumps(dataclasses.asdict(report), default=lambda o: o.value))
    assert json.loads(report_to_json(report)) == expected
    assert "é ∞ ≤" in report_to_json(REPORTS["grader error"])  # stored as text, not escapes


def test_something_that_is_not_a_report_is_refused():
    with pytest.raises(TypeError, match="not part of a report"):
        report_to_json(dataclasses.replace(make_report(), notes=(object(),)))
