"""Whichever format a student hands in, the grader runs the right Python or says what is wrong."""

from __future__ import annotations

import base64
import time

import nbformat
import pytest
from notebooks import code, markdown, notebook, write

from grader.notebook.answers_file import is_answers_file, read_answers
from grader.notebook.reading import MAX_NOTEBOOK_BYTES
from grader.sandbox.runner import SubmissionFileError


def test_a_py_file_is_run_as_it_is(tmp_path):
    path = tmp_path / "answers.py"
    path.write_text("q2a = 1  # {\"cells\": []}\n")
    script = read_answers(path)
    assert script.source == path.read_text() and script.cells == ()


def test_a_notebook_saved_under_a_py_name_is_read_as_a_notebook(tmp_path):
    path = tmp_path / "answers.py"
    path.write_text(nbformat.writes(notebook(code("q2a = 1"))))
    script = read_answers(path)
    assert script.source == "q2a = 1\n" and script.cells[0].label == 'cell 1 ("q2a = 1")'


@pytest.mark.parametrize("cells", [
    [],
    [markdown("# Homework 3"), code("")],
    [code("   \n", outputs=[{"output_type": "stream", "name": "stdout", "text": "q2a = 0.5"}])],
])
def test_a_notebook_without_code_says_so(tmp_path, cells):
    path = write(notebook(*cells), tmp_path / "answers.ipynb")
    with pytest.raises(SubmissionFileError, match="holds no Python to grade.*code cells"):
        read_answers(path, ["q3a"])


def test_a_notebook_of_only_markdown_answers_is_graded(tmp_path):
    path = write(notebook(markdown("**q3a**\n\nIt learns p(x).")), tmp_path / "answers.ipynb")
    assert read_answers(path, ["q3a"]).source == "q3a = 'It learns p(x).'\n"


def test_images_beyond_the_cap_are_refused_quickly(tmp_path):
    image = base64.b64encode(b"\x89PNG" + b"\0" * (MAX_NOTEBOOK_BYTES // 2)).decode()  # 2 plots: ~43 MB
    plot = {"output_type": "display_data", "metadata": {}, "data": {"image/png": image}}
    nb = notebook(code("q2a = 1", outputs=[plot]), code("q2b = 2", outputs=[plot]))
    path = write(nb, tmp_path / "answers.ipynb")
    assert path.stat().st_size > MAX_NOTEBOOK_BYTES
    started = time.monotonic()
    with pytest.raises(SubmissionFileError, match="larger than .*KiB"):
        read_answers(path)
    assert time.monotonic() - started < 5


def test_images_within_the_cap_are_read_and_ignored(tmp_path):
    image = base64.b64encode(b"\x89PNG" + b"\0" * (8 << 20)).decode()
    plot = {"output_type": "display_data", "metadata": {}, "data": {"image/png": image}}
    path = write(notebook(code("q2a = 1", outputs=[plot])), tmp_path / "answers.ipynb")
    assert read_answers(path).source == "q2a = 1\n"


@pytest.mark.parametrize("name, accepted", [("answers.py", True), ("answers.ipynb", True), ("A.IPYNB", True),
                                            ("answers.txt", False), ("answers.py.bak", False)])
def test_answers_file_names(name, accepted):
    assert is_answers_file(name) == accepted
