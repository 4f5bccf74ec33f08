"""A class's outputs are the same whatever way they are produced: golden files of a 200-student batch.

The goldens (tests/golden/batch200/) were written by the batch as it was before its outputs were
streamed from the gradebook; refresh them deliberately with `pytest tests/test_batch_outputs.py
--update-golden` after a change that is meant to alter an output.
"""

from __future__ import annotations

import gzip
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from grader.batch.model import Override
from grader.batch.outputs import write_outputs
from grader.batch.run import run_batch
from grader.batch.store import Gradebook
from grader.problemset.loader import load_problem_set
from grader.sandbox import levels

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "batch200"
OUTPUTS = ("gradebook.csv", "gradebook-long.csv", "summary.html")


def _make_class(folder: Path, students: int) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from bench_batch import make_class  # the benchmarks' generated class: copies, edits, mistakes
    finally:
        sys.path.remove(str(ROOT / "bench"))
    make_class(folder, students)


@pytest.fixture(scope="module")
def graded_class(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 generated genmodels submissions graded at the process level, two of them reviewed."""
    base = tmp_path_factory.mktemp("batch200")
    folder, out = base / "class", base / "out"
    folder.mkdir()
    _make_class(folder, 200)
    roster = base / "roster.csv"
    roster.write_text("id,name,email\n" + "".join(
        f"student{i:03d},Student {i},s{i}@example.edu\n" for i in range(0, 205, 3)), encoding="utf-8")
    problem_set = load_problem_set(ROOT / "problems" / "genmodels", ROOT)
    from grader.batch.executor import LocalExecutor

    run_batch(problem_set, folder, out, levels.choose("process"), LocalExecutor(2), roster_path=roster)
    at = datetime(2026, 12, 1, tzinfo=UTC)
    with Gradebook(out / "gradebook.sqlite") as book:
        book.set_override("student004", "q3a", Override(1.0, "Half right.", "ta", at))
        book.set_override("student010", "q3b", Override(2.0, "", "ta", at))
        write_outputs(problem_set, out, book, roster, rewrite=set())
    return out


def _stable(name: str, text: str) -> str:
    """The output without what legitimately differs between runs (the dashboard's timing lines)."""
    if name.endswith(".html"):
        text = re.sub(r"\d+(\.\d+)? s\b", "<seconds> s", text)
    return text


@pytest.mark.parametrize("name", OUTPUTS)
def test_the_outputs_equal_the_golden_files(graded_class, name, update_golden):
    got = _stable(name, (graded_class / name).read_text(encoding="utf-8"))
    golden = GOLDEN / (name + ".gz")  # the long table is 1.6 MB of text
    if update_golden:
        golden.write_bytes(gzip.compress(got.encode("utf-8"), mtime=0))
    assert got == gzip.decompress(golden.read_bytes()).decode("utf-8"), f"{name} differs from {golden}"
