"""`grade template --format ipynb`: a valid notebook with every prompt and one answer cell per part,
which grades as "not answered" unchanged and as the student's answers once filled in."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import nbformat
import pytest

from grader.handout.starter_notebook import render_notebook
from grader.notebook.script import ANSWER_PLACEHOLDER
from grader.pipeline import grade_submission
from grader.problemset.loader import load_problem_set
from grader.report.render import mathtext
from grader.report.results import Outcome
from grader.sandbox import levels

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def genmodels():
    return load_problem_set(ROOT / "problems" / "genmodels", ROOT)


@pytest.fixture(scope="module")
def starter(genmodels):
    return nbformat.reads(render_notebook(genmodels), as_version=4)


def test_the_starter_is_a_valid_notebook_with_every_prompt_and_answer_cell(genmodels, starter):
    nbformat.validate(starter)
    assert starter.metadata.kernelspec.language == "python"
    markdown = "\n".join(c.source for c in starter.cells if c.cell_type == "markdown")
    for question in genmodels.questions:  # math as $…$, so that Jupyter renders it
        assert f"### [{question.id}] {mathtext.markdown(question.title)}" in markdown
        assert mathtext.markdown(question.prompt.strip().splitlines()[0]) in markdown
    assert "$x_{t-1}$" in markdown and "$\\bar{\\alpha}_{t}$" in markdown
    answer_cells = [c for c in starter.cells if "grader" in c.metadata]
    assert [c.metadata.grader.part for c in answer_cells] == [p.name for q in genmodels.questions for p in q.parts]
    for cell in answer_cells:
        part = next(p for q in genmodels.questions for p in q.parts if p.name == cell.metadata.grader.part)
        if part.checker.kind == "free_text":
            assert cell.cell_type == "markdown"
            assert cell.source.splitlines()[0] == f"**Answer {part.name}:**" and ANSWER_PLACEHOLDER in cell.source
        else:
            assert cell.cell_type == "code" and f"def {part.name}(" in cell.source


def test_the_same_starter_every_time(genmodels):
    assert render_notebook(genmodels) == render_notebook(genmodels)


def test_cell_ids_stay_within_nbformats_64_characters_for_a_long_slug(genmodels):
    long = replace(genmodels, assignment=genmodels.assignment.model_copy(update={"slug": "x" * 100}))
    starter = nbformat.reads(render_notebook(long), as_version=4)
    nbformat.validate(starter)
    ids = [cell.id for cell in starter.cells]
    assert len(set(ids)) == len(ids) and max(map(len, ids)) <= 64


def test_unchanged_it_grades_not_answered_and_filled_in_it_grades(genmodels, starter, tmp_path):
    unchanged = tmp_path / "answers.ipynb"
    nbformat.write(starter, unchanged)
    report = grade_submission(genmodels, unchanged, sandbox=levels.choose("process"))
    assert {p.outcome for p in report.parts} == {Outcome.NOT_ANSWERED}
    assert not report.file_problems and not report.notes

    for cell in starter.cells:
        part = cell.metadata.get("grader", {}).get("part")
        if part == "q2a":
            cell.source = "q2a = -math.log(2)"
        elif part == "q1d":
            # A student who rewrote the cell: no metadata, only the visible label.
            cell.metadata = {}
            cell.source = "**Answer q1d:**\n\nThe KL gap stays large, so the ELBO is loose and samples are blurry."
    filled = tmp_path / "filled.ipynb"
    nbformat.write(starter, filled)
    report = grade_submission(genmodels, filled, sandbox=levels.choose("process"))
    part = {p.name: p for p in report.parts}
    assert part["q2a"].outcome is Outcome.CORRECT
    assert part["q1d"].outcome is not Outcome.NOT_ANSWERED and part["q1d"].earned > 0
    assert sum(p.outcome is Outcome.NOT_ANSWERED for p in report.parts) == len(report.parts) - 2
