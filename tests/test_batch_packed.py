"""Packed reports: the same JSON comes back, with or without a dictionary; plain text reads as itself."""

from __future__ import annotations

import json

import pytest

from grader.batch import packed

REPORT = json.dumps({"questions": [{"id": "1a", "prompt": "What is the goal of generative AI? " * 20,
                                    "parts": [{"name": "q1a", "earned": 2.0, "understood": "flows"}]}]})
OTHER = REPORT.replace('"flows"', '"gans"').replace("2.0", "0.0")


@pytest.mark.parametrize("text", [REPORT, OTHER, "", "ünïcödé ∞ ≥"])
def test_a_report_packs_and_unpacks_to_the_same_text(text):
    assert packed.unpack(packed.pack(text)) == text
    with_dictionary = packed.pack(text, 1, REPORT.encode())
    assert packed.dictionary_of(with_dictionary) == 1
    assert packed.unpack(with_dictionary, REPORT.encode()) == text


def test_the_dictionary_turns_a_similar_report_into_little_more_than_its_differences():
    alone, against = packed.pack(OTHER), packed.pack(OTHER, 1, REPORT.encode())
    assert len(against) < len(alone) / 2


def test_a_report_stored_as_text_before_packing_reads_as_itself():
    assert packed.dictionary_of(REPORT) is None
    assert packed.unpack(REPORT) == REPORT


def test_bytes_that_are_not_a_packed_report_are_refused():
    with pytest.raises(ValueError):
        packed.dictionary_of(b"PK\x03\x04")
