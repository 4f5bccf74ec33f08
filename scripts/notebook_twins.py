"""Write the bundled example submissions as notebooks: submissions/<set>/<name>.ipynb next to each
<name>.py (for `template`, the starter notebook), cells as a student would make them: a markdown
cell for the docstring and each numbered comment heading, one code cell per block of statements,
free-text answers as labelled markdown cells in `perfect`. tests/test_notebook_grading.py checks
that each grades exactly as its twin, and that the files are what this script writes.

    .venv/bin/python scripts/notebook_twins.py        # rewrite them after changing a .py example
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import nbformat
from nbformat import v4

ROOT = Path(__file__).resolve().parent.parent
TWINS = {"perfect": "jupyterlab", "typical": "colab", "raises": "jupyterlab", "syntax_error": "jupyterlab"}
HEADING = re.compile(r"^# (\d+\..*)$")
FREE_TEXT = re.compile(r"^(q1d|q3[a-c])\b")  # the genmodels set's free-text parts (perfect only)

METADATA = {
    "jupyterlab": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
                   "language_info": {"name": "python", "version": "3.11.2", "mimetype": "text/x-python",
                                     "file_extension": ".py", "pygments_lexer": "ipython3",
                                     "codemirror_mode": {"name": "ipython", "version": 3},
                                     "nbconvert_exporter": "python"}},
    "colab": {"colab": {"provenance": [], "name": "answers.ipynb"},
              "kernelspec": {"display_name": "Python 3", "name": "python3"},
              "language_info": {"name": "python"}},
}


def blocks(source: str) -> list[str]:
    """The file's top-level blocks: runs of lines separated by blank lines (strings kept whole)."""
    lines = source.splitlines()
    inside: set[int] = set()
    try:
        tree = ast.parse(source)
    except SyntaxError:  # the example with a syntax error: its blocks are plain enough
        tree = ast.Module(body=[], type_ignores=[])
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.end_lineno != node.lineno:
            inside.update(range(node.lineno, node.end_lineno + 1))
    out, current = [], []
    for number, line in enumerate(lines, start=1):
        if not line.strip() and number not in inside:
            if current:
                out.append("\n".join(current))
                current = []
        else:
            current.append(line)
    if current:
        out.append("\n".join(current))
    return out


def notebook_of(source: str, flavour: str, free_text_as_markdown: bool):
    cells = []
    try:
        docstring = ast.get_docstring(ast.parse(source))
    except SyntaxError:
        docstring = source.split('"""')[1] if source.startswith('"""') else None
    for block in blocks(source):
        if docstring and block.strip('"\n') == docstring.strip():
            cells.append(v4.new_markdown_cell(docstring))
            continue
        first = block.splitlines()[0]
        if heading := HEADING.match(first):
            cells.append(v4.new_markdown_cell(f"## {heading.group(1)}"))
            block = "\n".join(block.splitlines()[1:])
            if not block.strip():
                continue
        match = FREE_TEXT.match(block)
        if free_text_as_markdown and match:
            value = ast.literal_eval(block.split("=", 1)[1].strip())
            cells.append(v4.new_markdown_cell(f"**{match.group(1)}**\n\n{value}",
                                              metadata={"grader": {"part": match.group(1)}}))
            continue
        cells.append(v4.new_code_cell(block))
    notebook = v4.new_notebook(cells=cells, metadata=METADATA[flavour])
    nbformat.validate(notebook)
    return notebook


def twins() -> dict[Path, str]:
    """Each twin's path and its text."""
    # The template's twin is the starter notebook itself (`grade template --format ipynb`).
    from grader.handout.starter_notebook import render_notebook
    from grader.problemset.loader import load_problem_set

    folder = ROOT / "submissions" / "genmodels"
    texts = {folder / "template.ipynb": render_notebook(load_problem_set(ROOT / "problems" / "genmodels", ROOT),
                                                        "template.ipynb")}
    for name, flavour in TWINS.items():
        notebook = notebook_of((folder / f"{name}.py").read_text(), flavour, free_text_as_markdown=name == "perfect")
        # Fixed cell ids: the files do not change from one run to the next.
        for i, cell in enumerate(notebook.cells):
            cell["id"] = f"{name.replace('_', '-')}-{i:02d}"
        texts[folder / f"{name}.ipynb"] = nbformat.writes(notebook) + "\n"
    return texts


def main() -> int:
    for path, text in twins().items():
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
