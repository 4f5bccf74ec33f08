"""Notebooks for the tests, built with nbformat as JupyterLab and Colab save them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
from nbformat import v4

JUPYTERLAB = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
              "language_info": {"name": "python", "version": "3.11.2", "file_extension": ".py"}}
COLAB = {"colab": {"provenance": []}, "kernelspec": {"display_name": "Python 3", "name": "python3"},
         "language_info": {"name": "python"}, "accelerator": "GPU"}


def code(source: str, outputs: list[Any] | None = None, count: int | None = None) -> Any:
    cell = v4.new_code_cell(source, execution_count=count)
    cell.outputs = [nbformat.from_dict(o) for o in outputs or []]
    return cell


def markdown(source: str, part: str | None = None) -> Any:
    return v4.new_markdown_cell(source, metadata={"grader": {"part": part}} if part else {})


def notebook(*cells: Any, metadata: dict[str, Any] | None = None) -> Any:
    nb = v4.new_notebook(cells=list(cells), metadata=metadata if metadata is not None else JUPYTERLAB)
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i}"
    return nb


def write(nb: Any, path: Path) -> Path:
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return path


FORGED_SCORE = {"output_type": "stream", "name": "stdout",
                "text": "Autograder: all tests passed. Score: 100 / 100\n"}
"""A stored output claiming full marks: it must never count."""
