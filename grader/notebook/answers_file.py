"""The Python to run for a submitted answers file, whichever format the student used: a `.py` file
as it is, a notebook (also one renamed to `.py`) as its cells."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from grader.notebook.reading import MAX_NOTEBOOK_BYTES, looks_like_notebook, parse_notebook
from grader.notebook.script import Script, notebook_script
from grader.sandbox.submission_file import (
    MAX_SUBMISSION_BYTES,
    SubmissionFileError,
    decode_source,
    read_submission_bytes,
)

SUFFIXES = (".py", ".ipynb")
"""The answers files a student may submit."""


def is_answers_file(name: str) -> bool:
    return name.lower().endswith(SUFFIXES)


def read_answers(path: Path, free_text: Collection[str] | None = ()) -> Script:
    """The file's Python, or SubmissionFileError naming the file and what to do. `free_text`: the
    parts a notebook's labelled markdown cells may answer; None before the problem set is known
    (a first check of the file: markdown cells may then be answers)."""
    data = read_submission_bytes(path, MAX_NOTEBOOK_BYTES)
    if looks_like_notebook(path, data):
        notebook = parse_notebook(path, data)
        # Before anything is done with the code: how much there is (the .py file's cap). Markdown
        # cells are only looked at (a pasted image may be large); the answers they hold count below.
        code = sum(len(str(c.get("source", "")).encode("utf-8", "replace")) for c in notebook.cells
                   if c.get("cell_type") == "code")
        if code > MAX_SUBMISSION_BYTES:
            raise SubmissionFileError(f"{path}: its code cells hold more than {MAX_SUBMISSION_BYTES // 1024} KiB "
                                      "of code; submit only the notebook of this assignment")
        script = notebook_script(notebook, free_text or ())
        maybe_answers = free_text is None and any(c.get("cell_type") == "markdown" and str(c.get("source", "")).strip()
                                                  for c in notebook.cells)
        if not script.source.strip() and not maybe_answers:
            raise SubmissionFileError(
                f"{path}: the notebook holds no Python to grade (no code cell has code, and no markdown "
                "cell is labelled with a free-text part's name); write your answers in code cells, "
                "save the notebook and submit it again")
        if len(script.source.encode("utf-8", "replace")) > MAX_SUBMISSION_BYTES:  # markdown answers as repr
            raise SubmissionFileError(f"{path}: its code and markdown answers hold more than "
                                      f"{MAX_SUBMISSION_BYTES // 1024} KiB of text; submit only the notebook "
                                      "of this assignment, with answers in words")
        return script
    if len(data) > MAX_SUBMISSION_BYTES:
        raise SubmissionFileError(f"{path}: larger than {MAX_SUBMISSION_BYTES // 1024} KiB; "
                                  "submit only your answers file")
    return Script(decode_source(path, data))
