"""The provisional free-text score against a careful human grader, on a labelled set.

tests/data/free_text_labelled.yaml was written without reading the rubric's patterns (see its
header); bench/bench_provisional.py prints the same figures per part and per kind of answer.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from bench_provisional import scored  # noqa: E402


@pytest.fixture(scope="module")
def rows():
    return scored()


def test_the_labelled_set_covers_every_free_text_part_and_kind(rows):
    parts = {a["part"] for a, _, _ in rows}
    assert len(rows) >= 80 and len(parts) == 19
    for part in parts:
        kinds = {a["kind"] for a, _, _ in rows if a["part"] == part}
        assert {"paraphrase", "partial", "wrong", "keyword_salad"} <= kinds, part


def test_within_half_a_point_of_the_label_for_at_least_80_percent(rows):
    within = sum(abs(got - a["points"]) <= 0.5 for a, got, _ in rows)
    assert within >= 0.8 * len(rows), f"{within} of {len(rows)}"


def test_no_keyword_list_earns_more_than_a_quarter(rows):
    worst = max(got / possible for a, got, possible in rows if a["kind"] == "keyword_salad")
    assert worst <= 0.25
