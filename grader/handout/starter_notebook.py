"""`grade template --format ipynb`: the starter as a Jupyter notebook — each question's prompt as a
markdown cell, then one answer cell per part: a code cell with the stub for answers in Python, a
labelled markdown cell for free text (its first line and its metadata name the part, so the grader
finds it even if the student recreates the cell or copies the text elsewhere). Unchanged, it grades
as "not answered" everywhere, like the .py starter."""

from __future__ import annotations

import nbformat
from nbformat import v4

from grader.checking.kinds import KINDS
from grader.notebook.script import ANSWER_PLACEHOLDER, METADATA_KEY
from grader.problemset.loader import ProblemSet
from grader.problemset.spec import Part, Question
from grader.report.render import mathtext

INTRODUCTION = """# {title} — your answers

Write each answer in the cell below its question: replace the stub's `raise NotImplementedError` by
your code, or the whole stub by a value (`q9 = math.log(3)`); answers that take inputs (like
`q4a(x0, betas, t)`) must stay functions. Answer the free-text parts in the markdown cells that
start with **Answer qN:** — keep that first line, write below it.

The grader runs the code cells from top to bottom, as *Restart & Run All* does: a cell that fails
costs only the answers it defines. Lines only Jupyter understands (`%matplotlib inline`,
`!pip install …`) are left out when grading; the outputs saved in the notebook are never read.
Check your work at any time with:

    {check}
"""

IMPORTS = """import math

# import numpy as np          # numpy, scipy and sympy are available
# import scipy.stats as stats
# import sympy as sp"""


def _question_markdown(question: Question) -> str:
    """The question as markdown, its math as `$…$` so that Jupyter renders it."""
    points = sum(p.points for p in question.parts)
    text = (f"### [{question.id}] {mathtext.markdown(question.title)} ({points:g} points)\n\n"
            f"{mathtext.markdown(question.prompt.strip())}")
    for part in question.parts:
        if part.prompt:
            text += f"\n\n**{part.name}** ({part.points:g} points): {mathtext.markdown(part.prompt.strip())}"
    return text


def _answer_cell(part: Part) -> nbformat.NotebookNode:
    expects = KINDS[part.checker.kind].expects(part.checker)
    if part.checker.kind == "free_text":
        source = f"**Answer {part.name}:**\n\n{ANSWER_PLACEHOLDER}"
        return v4.new_markdown_cell(source, metadata={METADATA_KEY: {"part": part.name}})
    params = ", ".join(KINDS[part.checker.kind].stub_arguments(part.checker))
    source = f"# {part.name}: {expects}.\ndef {part.name}({params}):\n    raise NotImplementedError"
    return v4.new_code_cell(source, metadata={METADATA_KEY: {"part": part.name}})


def render_notebook(problem_set: ProblemSet, filename: str = "answers.ipynb", check: str | None = None) -> str:
    """The starter notebook's JSON text (nbformat 4, valid against Jupyter's schema). `check`: the
    command that checks it (default: `grade submit FILENAME`)."""
    check = check or f"grade submit {filename}"
    cells = [v4.new_markdown_cell(INTRODUCTION.format(title=problem_set.assignment.title, check=check)),
             v4.new_code_cell(IMPORTS)]
    section = None
    for question in problem_set.questions:
        if question.section != section:
            section = question.section
            title = problem_set.assignment.sections.get(section, f"Section {section}")
            cells.append(v4.new_markdown_cell(f"## {section}. {title}"))
        cells.append(v4.new_markdown_cell(_question_markdown(question)))
        cells += [_answer_cell(part) for part in question.parts]
    for number, cell in enumerate(cells):
        # Stable (the same file every time); nbformat allows at most 64 characters (slugs may be longer).
        cell["id"] = f"{problem_set.assignment.slug[:56]}-{number:03d}"
    notebook = v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}})
    nbformat.validate(notebook)
    return nbformat.writes(notebook)
