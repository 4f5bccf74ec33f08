"""Reading a submitted notebook: untrusted JSON, read and validated with the Jupyter project's own
library, within caps on size and cell count. Every refusal is one SubmissionFileError that names the
file and says what to do."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from grader.notebook.script import METADATA_KEY
from grader.sandbox.submission_file import SubmissionFileError, decode_source
from grader.sandbox.wire import clean_text

MAX_NOTEBOOK_BYTES = 32 << 20
"""Notebooks carry their outputs (plots as base64 images): far larger than the code they hold."""
MAX_CELLS = 2000
MAX_JSON_CONTAINERS = 500_000
"""Objects and arrays in the whole file: a real notebook, outputs included, has tens of thousands.
Each costs the grader's own (unconfined) process memory before a cell is read, so many millions of
empty `{}` are refused before the JSON is parsed."""
KEPT_NOTEBOOK_METADATA = ("kernelspec", "language_info")
"""The only notebook metadata read (the kernel's language); the rest is dropped before validation."""

_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')

CLEAR_OUTPUTS = "clear the outputs (Jupyter: Edit → Clear Outputs of All Cells) and save it again"


def looks_like_notebook(path: Path, data: bytes) -> bool:
    """A `.ipynb` file, or any file whose text is a notebook's JSON (a renamed notebook)."""
    if path.suffix.lower() == ".ipynb":
        return True
    head = data[:4096].lstrip()
    return head.startswith(b"{") and b'"cells"' in data[:1 << 20] and b'"nbformat"' in data


def parse_notebook(path: Path, data: bytes) -> Any:
    """The notebook as nbformat's NotebookNode (version 4), or SubmissionFileError."""
    import nbformat  # imported here: grading .py files never pays for it

    text = decode_source(path, data).removeprefix("\ufeff")  # a byte-order mark some editors write
    if not text.strip():
        raise SubmissionFileError(f"{path}: empty file; save your notebook and submit it again")
    outside_strings = _JSON_STRING.sub(b"", data)
    if outside_strings.count(b"{") + outside_strings.count(b"[") > MAX_JSON_CONTAINERS:
        raise SubmissionFileError(f"{path}: its JSON holds more than {MAX_JSON_CONTAINERS:,} objects and "
                                  f"arrays, far more than a notebook of answers; {CLEAR_OUTPUTS}")
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise SubmissionFileError(f"{path}: not a notebook (it is not valid JSON: {str(exc)[:120]}); "
                                  "submit the .ipynb file Jupyter saved, or your answers .py file") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells", raw.get("worksheets")), list):
        raise SubmissionFileError(f"{path}: JSON, but not a Jupyter notebook (no list of cells); submit "
                                  "the .ipynb file Jupyter saved, or your answers .py file")
    cells: list[Any] = (raw["cells"] if isinstance(raw.get("cells"), list) else  # nbformat 3: worksheets
                        [c for w in raw.get("worksheets", []) if isinstance(w, dict) for c in w.get("cells", [])])
    if len(cells) > MAX_CELLS:
        raise SubmissionFileError(f"{path}: {len(cells)} cells, more than the {MAX_CELLS} a notebook may have "
                                  "here; submit only the notebook of this assignment")
    # Outputs, attachments and metadata other than the grader's and the kernel's are never read:
    # dropped before nbformat validates (32 MiB of plots would cost seconds of schema checks).
    if isinstance(raw.get("metadata"), dict):
        raw["metadata"] = {k: v for k, v in raw["metadata"].items() if k in KEPT_NOTEBOOK_METADATA}
    for cell in cells:
        if isinstance(cell, dict):
            cell.pop("attachments", None)
            if "outputs" in cell:
                cell["outputs"] = []
            if isinstance(cell.get("metadata"), dict):
                cell["metadata"] = {k: v for k, v in cell["metadata"].items() if k == METADATA_KEY}
    try:
        notebook = nbformat.reads(json.dumps(raw), as_version=4)
        nbformat.validate(notebook)
    except Exception as exc:  # nbformat raises several types for a broken file: all the student's
        reason = clean_text(str(exc).strip().splitlines()[0][:160]) if str(exc).strip() else type(exc).__name__
        raise SubmissionFileError(f"{path}: not a valid Jupyter notebook ({reason}); open it in Jupyter, "
                                  "save it, and submit it again") from None
    _check_language(path, notebook)
    return notebook


def _check_language(path: Path, notebook: Any) -> None:
    metadata = notebook.get("metadata", {})
    language = (metadata.get("kernelspec", {}).get("language")
                or metadata.get("language_info", {}).get("name") or "python")
    if str(language).lower() not in ("python", "python3", "ipython", "ipython3"):
        language = clean_text(str(language)[:40])
        raise SubmissionFileError(f"{path}: a notebook for {language}, not Python; the answers must be "
                                  "Python: choose a Python 3 kernel (Kernel → Change Kernel), move your "
                                  "answers into code cells, save and submit again")
