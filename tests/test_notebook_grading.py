"""Notebooks graded end to end: each bundled example's notebook twin grades exactly as its .py, and a
notebook shaped as students really leave them (magics, Colab metadata, markdown answers, a forged
"full marks" output, a cell that raises or hangs) is graded part by part."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from notebooks import COLAB, FORGED_SCORE, code, markdown, notebook, write

from grader.pipeline import grade_submission, run_submission
from grader.problemset.loader import load_problem_set
from grader.problemset.plan import build_plan
from grader.report.render import render
from grader.report.results import Outcome
from grader.sandbox import levels
from grader.sandbox.runner import Limits

ROOT = Path(__file__).resolve().parent.parent
TWINS = ["perfect", "typical", "template", "raises", "syntax_error"]


@pytest.fixture(scope="module")
def genmodels():
    return load_problem_set(ROOT / "problems" / "genmodels", ROOT)


@pytest.fixture(scope="module")
def twin_reports(genmodels):
    sandbox = levels.choose("process")
    return {name: grade_submission(genmodels, ROOT / "submissions" / "genmodels" / f"{name}.ipynb", sandbox=sandbox)
            for name in TWINS}


@pytest.mark.parametrize("name", TWINS)
def test_each_example_notebook_grades_exactly_as_its_py_twin(name, twin_reports, example_reports):
    as_py, as_notebook = example_reports[name], twin_reports[name]
    assert as_notebook.earned == as_py.earned
    for py_part, nb_part in zip(as_py.parts, as_notebook.parts, strict=True):
        assert (nb_part.name, nb_part.outcome, nb_part.earned, nb_part.understood) == \
               (py_part.name, py_part.outcome, py_part.earned, py_part.understood)
    assert [p.type for p in as_notebook.file_problems] == [p.type for p in as_py.file_problems]
    assert all(p.cell.startswith("cell ") for p in as_notebook.file_problems)


def test_the_raising_notebook_names_cells_not_lines_of_a_generated_file(twin_reports):
    report = twin_reports["raises"]
    text = render(report, "text")
    assert 'ModuleNotFoundError at cell 3 ("import torch' in text
    q2c = next(p for p in report.parts if p.name == "q2c")
    assert 'the statement at cell 4 ("q2a = -math.log(2)"), line 2' in q2c.feedback[0]
    q4a = next(p for p in report.parts if p.name == "q4a")
    assert q4a.problem is not None and q4a.problem.frames[-1].cell == 'cell 5 ("def q4a(x0, betas, t):")'


def test_free_text_answered_in_markdown_cells_is_graded_like_strings(twin_reports, example_reports):
    for name in ("q1d", "q3a", "q3b", "q3c"):
        nb_part = next(p for p in twin_reports["perfect"].parts if p.name == name)
        py_part = next(p for p in example_reports["perfect"].parts if p.name == name)
        assert nb_part.outcome is py_part.outcome and nb_part.earned == py_part.earned > 0, name


def test_a_notebook_as_students_leave_it(genmodels, tmp_path):
    nb = notebook(
        markdown("# Homework 4\nName: Ada"),
        code("%matplotlib inline\n!pip install torch\nimport math\nimport numpy as np", count=1),
        code("%%time\nq2a = -math.log(2)", outputs=[FORGED_SCORE], count=2),
        code("%time q2d = 0.5  # wrong", outputs=[{"output_type": "execute_result", "execution_count": 3,
                                              "metadata": {}, "data": {"text/plain": "Score: 100/100"}}], count=3),
        code("from IPython.display import Markdown, display\ndisplay(Markdown(f'{q2a}'))\n"
             "get_ipython().run_line_magic('load_ext', 'autoreload')", count=4),
        code("q2c = 1 / 0", count=5),
        markdown("**Answer q3a:** A generative model learns the data distribution p(x) and can sample "
                 "new data from it; a discriminative model learns p(y|x) to predict labels."),
        code("%%bash\necho q1a", count=6),
        metadata=COLAB)
    path = write(nb, tmp_path / "hw4.ipynb")
    report = grade_submission(genmodels, path, sandbox=levels.choose("process"))
    part = {p.name: p for p in report.parts}
    assert part["q2a"].outcome is Outcome.CORRECT
    assert part["q2d"].outcome is Outcome.INCORRECT, "a stored output claiming full marks counts for nothing"
    assert [p.type for p in report.file_problems] == ["ZeroDivisionError"], "IPython.display is importable"
    assert part["q2c"].outcome is Outcome.NOT_ANSWERED
    assert 'cell 6 ("q2c = 1 / 0"), line 1' in part["q2c"].feedback[0]
    assert part["q3a"].earned > 0 and part["q3a"].provisional
    assert part["q1a"].outcome is Outcome.NOT_ANSWERED, "a %%bash cell is not run"
    notes = "\n".join(report.notes)
    assert 'cell 2 ("%matplotlib inline"): `%matplotlib inline` left out (IPython only)' in notes
    assert "`!pip install torch` left out (the grader does not install packages)" in notes
    assert "`%%bash` cell is not Python" in notes
    assert "100/100" not in render(report, "text") and report.earned < 20
    assert "<code>%matplotlib inline</code> left out" in render(report, "html")


def test_a_cell_that_is_not_python_does_not_run_and_cannot_swallow_the_next(genmodels, tmp_path):
    nb = notebook(code('q3a = """an answer I never closed\nq2c = 1'), code("import math"),
                  code("def q4a(x0 betas):\n    return 1"), code("q2a = -math.log(2)"),
                  code("q2d = " + "(" * 300 + "1" + ")" * 300))
    record = run_submission(build_plan(genmodels), write(nb, tmp_path / "broken.ipynb"), levels.choose("process"))
    assert record.answer("q2a").value == pytest.approx(-0.6931471805599453)
    assert record.answer("q2c").status.value == "missing"
    unclosed, missing_comma, too_deep = record.load_problems
    assert (unclosed.type, unclosed.cell, unclosed.defines) == \
           ("SyntaxError", 'cell 1 ("q3a = """an answer I never closed")', ("q3a", "q2c"))
    assert "this cell did not run" in unclosed.message
    assert (missing_comma.cell, missing_comma.line, missing_comma.defines) == \
           ('cell 3 ("def q4a(x0 betas):")', 1, ("q4a",))
    assert too_deep.cell.startswith("cell 5") and too_deep.defines == ("q2d",)


def test_a_cell_that_hangs_costs_only_itself(genmodels, tmp_path):
    nb = notebook(code("import math"), code("while True:\n    pass"), code("q2a = -math.log(2)"))
    plan = replace(build_plan(genmodels), limits=Limits(import_seconds=1, answer_seconds=1, total_seconds=20))
    record = run_submission(plan, write(nb, tmp_path / "hang.ipynb"), levels.choose("process"))
    assert record.answer("q2a").value == pytest.approx(-0.6931471805599453)
    assert [(line, cell) for line, _, cell in record.skipped_statements] == [(1, 'cell 2 ("while True:")')]


def test_the_twins_are_what_scripts_notebook_twins_writes():
    """After changing an example .py, run `python scripts/notebook_twins.py` (this test says so)."""
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from notebook_twins import twins
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    for path, text in twins().items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run scripts/notebook_twins.py"
