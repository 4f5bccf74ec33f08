"""A notebook as the Python the child runs, and the way back from that Python's lines to cells.

Code cells run in order, as "Restart & Run All" would. What only IPython understands is left out
and said so: line magics (`%matplotlib inline`), shell lines (`!pip install x`), help (`np.mean?`),
cell magics (`%%time` keeps its body; `%%bash` and other non-Python cells are not run). The child
parses each cell on its own (`Script.units`), as Jupyter compiles it: a cell that is not valid Python
does not run at all, is reported as that cell's SyntaxError, and cannot swallow the next cells.
`display(...)` and `get_ipython()` become harmless no-ops. A free-text answer may be a markdown cell
labelled with the part's name (its first line, or the cell's metadata as the starter notebook
writes it): it becomes `name = "its text"` at its place among the cells.
"""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Any

from grader.sandbox.records import Frame, RunRecord, StudentProblem
from grader.sandbox.wire import clean_text

METADATA_KEY = "grader"
"""Cell metadata written by the starter notebook: {"grader": {"part": "q1b"}}."""

RUN_AS_PYTHON_CELL_MAGICS = {"time", "timeit", "capture", "prun"}
"""Cell magics whose body is ordinary Python: the body runs (once), the magic line is left out."""

SEPARATE_PROCESS_CELL_MAGICS = {"python", "python2", "python3", "pypy", "script"}
"""Cell magics whose body is Python run by another interpreter: its names never reach the notebook."""

_SURROGATE = re.compile("[\ud800-\udfff]")

MAX_LABEL_LINE = 120
"""How much of a markdown cell's first line is examined for a label."""
MAX_NOTES = 20
"""Lines left out are listed up to this many (then counted): a report stays readable."""

ANSWER_PLACEHOLDER = "_Write your answer here, below the label line._"
"""The starter notebook's text in a markdown answer cell: an answer left so is not an answer."""

_SHIMS = {
    "display": "def display(*objects, **options):  # IPython's display(): nothing to show when graded\n"
               "    return None\n",
    "get_ipython": "class _NoIPython:  # get_ipython() outside IPython: every call does nothing\n"
                   "    def __call__(self, *args, **kwargs):\n"
                   "        return self\n"
                   "    def __getattr__(self, name):\n"
                   "        return self\n"
                   "def get_ipython():\n"
                   "    return _NoIPython()\n",
    # `from IPython.display import display, Markdown`: IPython is not installed where answers run;
    # its modules become ones whose every name does nothing.
    "IPython": "import sys as _sys, types as _types\n"
               "class _NoIPythonName:\n"
               "    def __call__(self, *args, **kwargs):\n"
               "        return self\n"
               "    def __getattr__(self, name):\n"
               "        if name.startswith('__'):  # __file__, __spec__, ...: as a real object has them\n"
               "            raise AttributeError(name)\n"
               "        return self\n"
               "class _NoIPythonModule(_types.ModuleType):\n"
               "    def __getattr__(self, name):\n"
               "        if name.startswith('__'):\n"
               "            raise AttributeError(name)\n"
               "        return _NoIPythonName()\n"
               "for _name in ('IPython', 'IPython.display', 'IPython.core', 'IPython.core.display'):\n"
               "    _sys.modules.setdefault(_name, _NoIPythonModule(_name))\n",
}

_MAGIC_LINE = re.compile(r"^\s*(?:[%!]|\w[\w.]*\?\??\s*$|\?\??\w)|^\s*[\w.]+\s*=\s*[%!]")
"""An IPython-only line: %magic, !shell, `name?` help, or `x = !ls` / `x = %time f()`."""

_TIME_LINE = re.compile(r"(?P<before>\s*(?:[\w.]+\s*=\s*)?)%time\s+(?P<statement>\S.*)")
"""`%time statement`: the statement is Python, and runs."""

_LABEL = re.compile(
    r"[\s#>*_`+\-]*"                                                   # heading, quote, bullet, emphasis
    r"(?:(?:answer|solution|part|question)(?:\s+(?:to|for))?\s*[:.\-]?\s*[*_`]*\s*)*"  # "Answer to", "Part"
    r"(?P<name>[A-Za-z_]\w*)"
    r"(?P<close>[*_`]*)\s*"
    r"(?:\(\s*\d+(?:\.\d+)?\s*(?:points?|pts?|marks?)\s*\)\s*)?"          # "(5 points)"
    r"(?P<separator>[*_`]*\s*[:.\-\u2013\u2014]?[\s*_`]*)"
    r"(?P<rest>.*)", re.IGNORECASE)
"""A markdown answer's label line: the part's name, decorated as people write it ("### q3a",
"**Answer q3a:**", "- **q3a** (5 points)", "Answer: **q3a**"). The answer may follow on the same line
after a colon, a dash or the closing emphasis ("**Answer q3a:** The KL term …")."""

_DATA_IMAGE = re.compile(r"!\[([^\]\n]{0,200})\]\(\s*data:[^)\s]*\)")
"""An image pasted into a markdown cell (Jupyter and Colab inline it as a base64 data URI)."""

_WORD = re.compile(r"\w+")
_CODE_ASSIGNS = r"^[ \t]*(?:def[ \t]+)?{}\b"


@dataclass(frozen=True)
class CellSpan:
    """Lines `first`..`last` of the script came from the cell called `label`."""

    first: int
    last: int
    label: str


@dataclass(frozen=True)
class Script:
    """The Python to run for a submitted file, and where each of its lines came from."""

    source: str
    cells: tuple[CellSpan, ...] = ()
    """Empty for a .py file: its lines are the student's own."""
    notes: tuple[str, ...] = ()
    """What was changed to run it (IPython lines left out), for the report."""
    units: tuple[tuple[int, int], ...] | None = None
    """For a notebook, the line ranges the child parses one by one (the shims, then each cell), as
    Jupyter compiles each cell on its own; None for a .py file."""

    def locate(self, record: RunRecord) -> RunRecord:
        """The run's lines as cells and lines within them (nothing to do for a .py file)."""
        if not self.cells:
            return record
        answers = {rid: replace(raw, problem=self._problem(raw.problem)) if raw.problem else raw
                   for rid, raw in record.answers.items()}
        skipped = []
        for line, reason, _ in record.skipped_statements:
            cell, within = self.where(line)
            skipped.append((within, reason, cell))
        return replace(record, answers=answers,
                       load_problems=tuple(self._problem(p) for p in record.load_problems),
                       skipped_statements=tuple(skipped),
                       notes=tuple(self.notes) + tuple(record.notes))

    def where(self, line: int) -> tuple[str, int]:
        """(cell label, line within the cell) for a line of the script."""
        for span in self.cells:
            if span.first <= line <= span.last:
                return span.label, line - span.first + 1
        return "", line  # a line of the grader's own shims: not expected in a report

    def _frame(self, frame: Frame) -> Frame:
        cell, line = self.where(frame.line)
        return replace(frame, line=line, cell=cell)

    def _problem(self, problem: StudentProblem) -> StudentProblem:
        frames = tuple(self._frame(f) for f in problem.frames)
        if problem.line is None:
            return replace(problem, frames=frames)
        cell, line = self.where(problem.line)
        message = problem.message
        if problem.type == "SyntaxError" and cell and not problem.frames:
            message += " (this cell did not run)"  # the child parses each cell on its own
        return replace(problem, line=line, cell=cell, frames=frames, message=message)


def cell_label(number: int, source: str) -> str:
    first = next((line.strip() for line in lines_of(source[:4096]) if line.strip()), "")
    first = clean_text(first)
    if len(first) > 40:
        first = first[:39] + "…"
    return f'cell {number} ("{first}")' if first else f"cell {number}"


def lines_of(text: str) -> list[str]:
    """A cell's lines as Python and Jupyter count them: split at \\n, \\r\\n and \\r only (not at
    U+2028 or form feeds, which str.splitlines also splits at: a string literal holding one would be
    broken in two)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def read_label(line: str, free_text: Collection[str]) -> tuple[str | None, str]:
    """The free-text part a label line names, and any answer text after the label on that line.
    Only the line's start is examined: a label is short, the answer after it may not be."""
    head, tail = line[:MAX_LABEL_LINE].lstrip(), line[MAX_LABEL_LINE:]
    match = _LABEL.fullmatch(head)
    by_case = {name.lower(): name for name in free_text}
    if not match or match["name"].lower() not in by_case:
        return None, ""
    rest = (match["rest"] + tail).strip()
    if rest and not (match["close"] or match["separator"].strip()):
        return None, ""  # "q3a is about …": a sentence that starts with the name, not a label
    return by_case[match["name"].lower()], rest


def answer_label(cell: Any, free_text: Collection[str]) -> tuple[str | None, str]:
    """The free-text part a markdown cell answers, and its text: (None, "") when it answers none.
    The visible first line ("**q1b**", "Answer q1b:", "### q1b") is enough; metadata alone also is."""
    # Not split into lines: a markdown cell may be megabytes (a pasted image); only the first is a label.
    text = str(cell.get("source", "")).replace("\r\n", "\n").replace("\r", "\n").lstrip()
    first, _, below = text.partition("\n")
    visible, inline = read_label(first, free_text)
    metadata = cell.get("metadata", {}).get(METADATA_KEY, {})
    tagged = metadata.get("part") if isinstance(metadata, dict) else None
    if visible:
        return visible, f"{inline}\n{below}".strip()
    if isinstance(tagged, str) and tagged in free_text:
        return tagged, text.strip()
    return None, ""


def _mentioned(cell: Any, free_text: Collection[str]) -> list[str]:
    """Free-text parts named on a markdown cell's first line (outside the starter's "[q3]" headings)."""
    first = next((line for line in lines_of(str(cell.get("source", ""))[:4096]) if line.strip()), "")
    first = re.sub(r"\[\w+\]", "", first[:MAX_LABEL_LINE])
    by_case = {name.lower(): name for name in free_text}
    return [by_case[word.lower()] for word in _WORD.findall(first) if word.lower() in by_case]


def notebook_script(notebook: Any, free_text: Collection[str] = ()) -> Script:
    """The Python a notebook's cells amount to. `free_text`: the parts a markdown cell may answer.
    Nothing here parses the student's code: the child does, cell by cell, under its limits."""
    chunks: list[str] = []
    spans: list[CellSpan] = []
    notes: list[str] = []
    answered: dict[str, str] = {}
    mentions: dict[str, str] = {}
    line = 1
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        kind, text = cell.get("cell_type"), str(cell.get("source", ""))
        label = cell_label(number, text)
        if kind == "markdown":
            name, answer = answer_label(cell, free_text)
            if not name:
                mentions.update({part: label for part in _mentioned(cell, free_text) if part not in mentions})
            if not name or not answer or answer == ANSWER_PLACEHOLDER:
                continue
            answer, images = _DATA_IMAGE.subn(r"[image: \1]", answer)
            if images:
                notes.append(f"{label}: {images} embedded image(s) left out of the answer of {name} "
                             "(only text is graded)")
            if name in answered:
                notes.append(f"{label}: answers {name} again; this later answer is the one graded "
                             f"(not {answered[name]}'s)")
            answered[name] = label
            code = f"{name} = {answer!r}\n"
        elif kind == "code":
            # A lone surrogate (JSON "\\ud800") cannot be written as UTF-8 for the child: U+FFFD.
            code, changed = runnable_code(_SURROGATE.sub("\ufffd", text))
            notes += [f"{label}: {what}" for what in changed]
            if not code.strip():
                continue
            code = code if code.endswith("\n") else code + "\n"
        else:
            continue
        count = code.count("\n")
        spans.append(CellSpan(line, line + count - 1, label))
        chunks.append(code)
        line += count
    body = "".join(chunks)
    for part, label in mentions.items():
        if part not in answered and not re.search(_CODE_ASSIGNS.format(re.escape(part)), body, re.M):
            notes.append(f"{label}: names {part} but was not read as its answer; start the cell with its "
                         f"label (**Answer {part}:**) and write the answer after it")
    shims = "".join(shim for name, shim in _SHIMS.items() if re.search(rf"\b{name}\b", body))
    offset = shims.count("\n")
    spans = [CellSpan(s.first + offset, s.last + offset, s.label) for s in spans]
    units = ((1, offset),) * bool(offset) + tuple((s.first, s.last) for s in spans)
    notes = list(dict.fromkeys(notes))
    if len(notes) > MAX_NOTES:
        notes = notes[:MAX_NOTES] + [f"… and {len(notes) - MAX_NOTES} more notes like these"]
    return Script(shims + body, tuple(spans), tuple(notes), units)


def runnable_code(text: str) -> tuple[str, list[str]]:
    """A code cell's text with IPython-only lines left out (each line kept, so that line numbers
    within the cell still hold), and what was left out. A line inside a multi-line string is text,
    whatever it starts with."""
    lines = lines_of(text)
    if lines and not lines[-1]:
        lines.pop()  # the newline that ends the cell's last line
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    changed = []
    if first is not None and lines[first].lstrip().startswith("%%"):
        words = lines[first].lstrip()[2:].split()
        magic = clean_text(words[0][:40]) if words else ""
        if magic in SEPARATE_PROCESS_CELL_MAGICS:
            return "", [f"not run: a `%%{magic}` cell runs in a separate Python process in Jupyter too, so "
                        "what it defines is not in the notebook; move its code into an ordinary cell"]
        if magic not in RUN_AS_PYTHON_CELL_MAGICS:
            return "", [f"not run: a `%%{magic}` cell is not Python"]
        lines[first] = ""
        changed.append(f"`%%{magic}` left out (the cell's code ran once, untimed)")
    candidates = [i for i, line in enumerate(lines) if _MAGIC_LINE.match(line)]
    if candidates:
        in_strings = _lines_inside_strings("\n".join(lines))
        for i in candidates:
            if i in in_strings:
                continue
            line = lines[i]
            timed = _TIME_LINE.match(line)
            if timed:  # `%time f()` or `x = %time f()`: the statement runs, untimed
                lines[i] = timed["before"] + timed["statement"]
                changed.append("`%time` left out (the line's code ran once, untimed)")
                continue
            indent = line[: len(line) - len(line.lstrip())]
            shown = clean_text(line.strip() if len(line.strip()) <= 60 else line.strip()[:59] + "…")
            why = ("the grader does not install packages" if "pip install" in line or "conda install" in line
                   else "IPython only")
            changed.append(f"`{shown}` left out ({why})")
            lines[i] = f"{indent}pass"
    return "\n".join(lines), changed


def _lines_inside_strings(text: str) -> set[int]:
    """Indexes of the lines that start inside a multi-line string (tokenize: linear, no parser)."""
    inside: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING and token.end[0] > token.start[0]:
                inside.update(range(token.start[0], token.end[0]))
    except (tokenize.TokenError, SyntaxError, ValueError):
        pass  # e.g. an unclosed string: the cell is not Python anyway, and the child says so
    return inside
