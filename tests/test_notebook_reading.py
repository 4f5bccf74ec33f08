"""Reading a submitted notebook: untrusted JSON, within caps; every refusal names the file and says
what to do, never a traceback."""

from __future__ import annotations

import json
import time

import nbformat
import pytest
from notebooks import COLAB, code, notebook

from grader.notebook.reading import MAX_CELLS, MAX_JSON_CONTAINERS, looks_like_notebook, parse_notebook
from grader.sandbox.runner import SubmissionFileError


def _parse(tmp_path, text: str | bytes):
    path = tmp_path / "answers.ipynb"
    data = text.encode() if isinstance(text, str) else text
    path.write_bytes(data)
    return parse_notebook(path, data)


@pytest.mark.parametrize("text, says", [
    ("", "empty file"),
    ("{not json", "not valid JSON"),
    ("[1, 2]", "not a Jupyter notebook"),
    ('{"cells": 3}', "not a Jupyter notebook"),
    ('{"cells": [{"cell_type": "code"}], "nbformat": 4, "nbformat_minor": 5, "metadata": {}}',
     "not a valid Jupyter notebook"),
    ("[" * 100000 + "]" * 100000, "not"),
])
def test_what_is_not_a_notebook_gets_one_clear_message(tmp_path, text, says):
    with pytest.raises(SubmissionFileError) as caught:
        _parse(tmp_path, text)
    message = str(caught.value)
    assert message.startswith(str(tmp_path / "answers.ipynb")) and says in message
    assert "Traceback" not in message and ("submit" in message or "save" in message)


@pytest.mark.parametrize("language, name", [("R", "ir"), ("julia", "julia-1.9")])
def test_a_notebook_of_another_language_is_refused_with_what_to_do(tmp_path, language, name):
    nb = notebook(code("q2a <- 1"), metadata={"kernelspec": {"display_name": language, "language": language,
                                                             "name": name}})
    with pytest.raises(SubmissionFileError, match=f"a notebook for {language}, not Python.*Change Kernel"):
        _parse(tmp_path, nbformat.writes(nb))


@pytest.mark.parametrize("minor", [0, 1, 2, 3, 4, 5])
def test_every_minor_version_of_nbformat_4_is_read(tmp_path, minor):
    nb = notebook(code("q2a = 1"))
    nb.nbformat_minor = minor
    data = json.loads(nbformat.writes(nb))
    if minor < 5:
        for cell in data["cells"]:
            cell.pop("id", None)
    assert _parse(tmp_path, json.dumps(data)).cells[0].source == "q2a = 1"


def test_a_colab_notebook_is_read(tmp_path):
    nb = notebook(code("q2a = 1"), metadata=COLAB)
    assert _parse(tmp_path, nbformat.writes(nb)).cells[0].source == "q2a = 1"


def test_an_nbformat_3_notebook_is_converted(tmp_path):
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": ""},
          "worksheets": [{"cells": [{"cell_type": "code", "input": "q2a = 1", "language": "python",
                                     "metadata": {}, "outputs": []}], "metadata": {}}]}
    assert _parse(tmp_path, json.dumps(v3)).cells[0].source == "q2a = 1"


def test_too_many_cells_are_refused_quickly(tmp_path):
    nb = notebook(*[code(f"x{i} = {i}") for i in range(MAX_CELLS + 1)])
    text = nbformat.writes(nb)
    started = time.monotonic()
    with pytest.raises(SubmissionFileError, match=f"{MAX_CELLS + 1} cells, more than"):
        _parse(tmp_path, text)
    assert time.monotonic() - started < 5


def test_a_renamed_notebook_is_recognised_and_python_is_not(tmp_path):
    text = nbformat.writes(notebook(code("q2a = 1"))).encode()
    assert looks_like_notebook(tmp_path / "answers.py", text)
    assert not looks_like_notebook(tmp_path / "answers.py", b'q2a = {"cells": 1, "nbformat": 4}\n')
    assert looks_like_notebook(tmp_path / "Answers.IPYNB", b"")


def test_a_byte_order_mark_is_read_past(tmp_path):
    data = b"\xef\xbb\xbf" + nbformat.writes(notebook(code("q2a = 1"))).encode()
    assert _parse(tmp_path, data).cells[0].source == "q2a = 1"


def test_a_flood_of_json_objects_is_refused_before_it_is_parsed(tmp_path):
    """Metadata is never read, but parsing millions of `{}` would cost the grader's own process
    gigabytes; braces inside strings (code, outputs) do not count."""
    nb = json.loads(nbformat.writes(notebook(code("d = {" + "{}, " * MAX_JSON_CONTAINERS + "}"))))
    assert _parse(tmp_path, json.dumps(nb)).cells[0].source.startswith("d = {{}")
    nb["metadata"]["junk"] = [{}] * (MAX_JSON_CONTAINERS + 1)
    started = time.monotonic()
    with pytest.raises(SubmissionFileError, match="more than 500,000 objects and arrays.*Clear Outputs"):
        _parse(tmp_path, json.dumps(nb))
    assert time.monotonic() - started < 5
