"""Hostile notebooks (.ipynb), graded by the real pipeline at the process level.

A notebook is untrusted JSON that the grader's own process reads, validates and turns into Python
(grader/notebook/) before anything is sandboxed: every byte of it reaches code that runs with no
time or memory limit. So besides what the child may do (the same as a .py file: see the rest of
this suite), a notebook must never make the *parent* crash, hang, blow up its memory, run shell
cells, or write a report that cannot be written. The safe behaviour asserted here:

- a file that cannot be graded is refused with a SubmissionFileError whose message names the file
  (never a traceback, never a grader error blamed on the grader), as short, printable UTF-8 text;
- otherwise grading finishes within BOUND seconds with a complete report: the attack costs only the
  cells it is in, honest cells earn their points, and the report renders as UTF-8;
- markdown text is only ever data (a string), shell and cell magics never run, outputs and
  metadata decide nothing.

Notebooks are written with json.dumps (ASCII, so that lone surrogates survive as `\\ud800`
escapes, as a hostile student would write them), in the test's own temporary folder. Attacks that
would hang or exhaust the grader are run in a separate interpreter with a timeout and an address
space limit (`grade_elsewhere`), so that the suite stays fast whether or not the hole is there.
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
import secsupport as s
from notebooks import COLAB, FORGED_SCORE, JUPYTERLAB, code, markdown, notebook

from grader.report.render import render
from grader.report.results import Outcome
from grader.sandbox.records import AnswerStatus
from grader.sandbox.submission_file import SubmissionFileError
from grader.sandbox.wire import clean_text

BOUND = 30.0
"""No notebook may take longer than this to grade or to refuse (seconds)."""

HONEST = "import math\nq2a = -math.log(2)"
"""An honest code cell: q2a must earn its points whatever the rest of the notebook does."""

GENERATIVE = "A generative model learns the data distribution p(x) and can sample new data from it."

FORMATS = ("text", "markdown", "html", "json")


# -- helpers ------------------------------------------------------------------------------------------

def save(nb: Any, path: Path) -> Path:
    """Write a notebook (a NotebookNode or a plain dict) as a hostile student would: raw JSON,
    ASCII escapes, no validation."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, ensure_ascii=True), encoding="ascii")
    return path


def nb4(*cells: dict[str, Any], metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    """An nbformat 4.5 notebook as a plain dict (cells as given: no help from nbformat)."""
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": JUPYTERLAB if metadata is None else metadata,
            "cells": [dict(c, id=c.get("id", f"c{i}")) for i, c in enumerate(cells)]}


def raw_code(source: Any, **extra: Any) -> dict[str, Any]:
    return {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": source,
            **extra}


def raw_markdown(source: Any, **extra: Any) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": {}, "source": source, **extra}


def graded(grader, path: Path) -> s.Graded:
    """Grade `path` afresh at the process level, within BOUND seconds."""
    g = grader.grade(path, "process", fresh=True)
    assert g.seconds < BOUND, f"{path.name} took {g.seconds:.1f} s"
    return g


def refused(grader, path: Path) -> str:
    """The file is refused: a SubmissionFileError naming the file, no traceback; its message."""
    g = graded(grader, path)
    assert isinstance(g.error, SubmissionFileError), (
        f"{path.name}: expected a SubmissionFileError, got {g.error!r} "
        f"(report: {g.report and g.report.grader_error})")
    message = str(g.error)
    assert str(path) in message, f"the refusal does not name the file: {message}"
    assert "Traceback" not in message
    return message


def save_bytes(data: bytes, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def report_of(grader, problem_set, path: Path) -> s.Graded:
    """The file is graded: a complete report, no grader error, nothing left behind."""
    g = graded(grader, path)
    assert g.error is None, f"{path.name}: {g.error!r}"
    s.assert_complete(g.report, problem_set)
    assert g.new_files == [], f"{path.name} left files behind: {g.new_files}"
    assert g.leftovers == [], f"{path.name} left processes behind: {g.leftovers}"
    return g


def refused_or_graded(grader, problem_set, path: Path) -> s.Graded | None:
    """Either of the safe outcomes: refused (as `refused` says) or graded (as `report_of` says);
    the grading, or None when refused."""
    g = graded(grader, path)
    if isinstance(g.error, SubmissionFileError):
        refused(grader, path)
        return None
    return report_of(grader, problem_set, path)


def assert_renders(report) -> None:
    """Every report format can be written as UTF-8 (as `grade submit --out`, `grade batch` and the
    Gradescope results do)."""
    for fmt in FORMATS:
        try:
            render(report, fmt).encode("utf-8")
        except UnicodeError as exc:
            pytest.fail(f"the {fmt} report cannot be written as UTF-8: {exc}")


_IN_A_FRESH_GRADER = r"""
import json, resource, sys
from pathlib import Path
root, path, address_space = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
if address_space:
    resource.setrlimit(resource.RLIMIT_AS, (address_space, resource.RLIM_INFINITY))
from grader.pipeline import grade_submission
from grader.problemset.loader import load_problem_set
from grader.sandbox import levels
from grader.sandbox.submission_file import SubmissionFileError
problem_set = load_problem_set(root / "problems" / "genmodels", root)
try:
    report = grade_submission(problem_set, path, sandbox=levels.choose("process"))
    q2a = next(p for p in report.parts if p.name == "q2a")
    out = {"kind": "report", "grader_error": report.grader_error, "q2a": q2a.outcome.value}
except SubmissionFileError as exc:
    out = {"kind": "refused", "message": str(exc)[:2000]}
except BaseException as exc:
    out = {"kind": "crash", "message": repr(exc)[:2000]}
print(json.dumps(out))
"""


def grade_elsewhere(paths: list[Path], cwd: Path, seconds: float = 20.0,
                    address_space: int = 0) -> list[dict[str, Any]]:
    """Grade each of `paths` in a fresh interpreter of its own (all at once, each in its own session,
    `address_space` bytes at most if given), killed after `seconds`: a grader that hangs or eats
    memory costs this test only that. The outcome of each, in order."""
    env = dict(os.environ, PYTHONPATH=str(s.ROOT))
    procs = [subprocess.Popen([sys.executable, "-c", _IN_A_FRESH_GRADER, str(s.ROOT), str(path), str(address_space)],
                              cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              start_new_session=True) for path in paths]
    deadline = time.monotonic() + seconds
    outcomes = []
    for proc in procs:
        try:
            out, err = proc.communicate(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the session started above, and only it
            proc.communicate()
            outcomes.append({"kind": "timeout", "message": f"still working after {seconds:g} s (killed)"})
            continue
        lines = out.strip().splitlines()
        outcomes.append(json.loads(lines[-1]) if lines else {"kind": "died", "message": err[-2000:]})
    return outcomes


# -- markdown answers are data --------------------------------------------------------------------------

BREAKOUTS = {
    "single quote": "'); import os; os.system('touch /tmp/SECTEST-nb-md-1')#",
    "double quote": "\"); import os; os.system(\"touch /tmp/SECTEST-nb-md-2\")#",
    "triple single": "'''\nimport os; os.system('touch /tmp/SECTEST-nb-md-3')\n'''",
    "triple double": '"""\nimport os\nos.system("touch /tmp/SECTEST-nb-md-4")\n"""  #',
    "backslashes": "C:\\new\\table\\ \\' \\\" \\\\ \\N{BULLET} \\u0041 \\x00 and a last \\",
    "nul": "before\x00after'); import os; os.system('touch /tmp/SECTEST-nb-md-5')#",
    "line breaks": "a\rimport os; os.system('touch /tmp/SECTEST-nb-md-6')\r\nb\u2028c\x85d\x0be\x0cf",
    "f-string": "{__import__('os').system('touch /tmp/SECTEST-nb-md-7')}",
    "label again": "**q3b**\n'; q2a = 0; '\nq3b = 'smuggled'",
    "long": "x' + '" * 3_000,
}


@pytest.mark.parametrize("payload", list(BREAKOUTS.values()), ids=list(BREAKOUTS))
def test_markdown_text_cannot_break_out_of_its_assignment(grader, problem_set, tmp_path, payload):
    """A labelled markdown cell becomes `q3a = '<its text>'`: whatever the text holds (quotes, triple
    quotes, backslashes, NUL, line breaks of every kind), it arrives as exactly that string (\\r\\n and
    \\r made "\\n" as Jupyter does; other control characters, vertical tab and NEL included, made
    U+FFFD as for any string answer; U+2028 kept), and none of it runs."""
    path = save(notebook(code(HONEST), markdown(f"**Answer q3a:**\n\n{payload}")), tmp_path / "answers.ipynb")
    g = report_of(grader, problem_set, path)
    s.assert_honest(g.report, ["q2a"])
    answer = g.raw("q3a")
    assert answer.status is AnswerStatus.VALUE
    assert answer.value == clean_text(payload.replace("\r\n", "\n").replace("\r", "\n").strip()), \
        "the text arrived altered"
    assert g.raw("q3b").status is AnswerStatus.MISSING, "a second label inside the text was obeyed"
    assert_renders(g.report)


@pytest.mark.parametrize("cells", [
    [markdown(f"**q3a**\n\nA \ud800 {GENERATIVE}")],
    [markdown(f"\ud800 {GENERATIVE}", part="q3a")],
    [code("!echo \ud800\nq2c = 1")],
], ids=["markdown answer", "tagged markdown", "magic line"])
def test_lone_surrogates_leave_a_report_that_can_be_written(grader, problem_set, tmp_path, cells):
    """A lone surrogate (JSON escape \\ud800, which no .py file can hold: .py files must decode as
    UTF-8) in a markdown answer (a value, like a .py file's '\\ud800' literal) or in grader-made text
    (the note naming a left-out magic line). Found by this suite: no format of that report could be
    encoded as UTF-8, and `grade batch` aborted (BatchStore.save, write_outputs) for the whole class,
    on every rerun; wire.clean_text now replaces surrogates, and labels and notes are cleaned."""
    path = save(notebook(code(HONEST), *cells), tmp_path / "answers.ipynb")
    g = report_of(grader, problem_set, path)
    s.assert_honest(g.report, ["q2a"])
    assert_renders(g.report)


@pytest.mark.parametrize("cell", [code("s = '\ud800'\nq2c = 1"), code("# my notes \ud800\nq2c = 1")],
                         ids=["string literal", "comment"])
def test_a_lone_surrogate_in_a_code_cell_costs_only_that_cell(grader, problem_set, tmp_path, cell):
    """Found by this suite: the script could not be written as UTF-8 for the child, and every part
    became a grader error. The parent now writes U+FFFD in its place."""
    g = report_of(grader, problem_set, save(notebook(code(HONEST), cell), tmp_path / "answers.ipynb"))
    s.assert_honest(g.report, ["q2a"])
    assert_renders(g.report)


CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""What grader/sandbox/wire.py removes from every string of the child's (clean_text)."""


@pytest.mark.parametrize("cell", [
    code("# \x1b]0;graded 100/100\x07\x1b[2J\nq2c = 1 / 0"),
    code("# \x1b[8m hidden\nq2c = (\n"),
    code("!echo \x1b[2J\x1b[H\nq2c = 1"),
], ids=["raises", "does not parse", "magic line"])
def test_cell_labels_and_notes_carry_no_control_characters(grader, problem_set, tmp_path, cell):
    """wire.clean_text keeps control characters out of every string the child sends ('a student's
    string must not be able to move a terminal's cursor, retitle its window or hide text'); cell
    labels and notes are made by the parent from the notebook's text. Found by this suite: ESC
    sequences on a cell's first line reached the text, markdown and HTML reports as they were."""
    g = report_of(grader, problem_set, save(notebook(code(HONEST), cell), tmp_path / "answers.ipynb"))
    s.assert_honest(g.report, ["q2a"])
    for fmt in FORMATS:
        found = CONTROL.findall(render(g.report, fmt).replace("\r", ""))
        assert not found, f"{fmt} report: {sorted(set(found))!r}"


# -- labels and metadata --------------------------------------------------------------------------------

def test_markdown_cannot_answer_parts_that_are_not_free_text(grader, problem_set, tmp_path):
    """Only free-text parts may be markdown cells: a label or a metadata tag naming a number, a
    function, a choice or any other name is ignored, and so is malformed grader metadata."""
    cells = [
        raw_code("x = 1"),
        raw_markdown("-0.6931471805599453", metadata={"grader": {"part": "q2a"}}),
        raw_markdown("**q2d**\n\n0.8413447460685429"),
        raw_markdown("**Answer q2b:**\n\nlambda *a: 0"),
        raw_markdown("B", metadata={"grader": {"part": "q1a"}}),
        raw_markdown("{}", metadata={"grader": {"part": "PARAMETERS"}}),
        raw_markdown("0", metadata={"grader": {"part": "__builtins__"}}),
        raw_markdown(GENERATIVE, metadata={"grader": {"part": ["q3a"]}}),
        raw_markdown(GENERATIVE, metadata={"grader": {"part": {"q3a": True}}}),
        raw_markdown(GENERATIVE, metadata={"grader": "q3a"}),
        raw_markdown(GENERATIVE, metadata={"grader": {"part": "Q3A"}}),
    ]
    g = report_of(grader, problem_set, save(nb4(*cells), tmp_path / "answers.ipynb"))
    for name in ("q2a", "q2d", "q1a", "q3a"):
        assert g.raw(name).status is AnswerStatus.MISSING, f"{name} was answered by a markdown cell"
    for name in ("q2a", "q2d", "q2b", "q1a", "q3a"):
        assert s.part(g.report, name).outcome is Outcome.NOT_ANSWERED, f"{name} was answered by a markdown cell"
    assert g.report.earned == 0


@pytest.mark.parametrize("order", ["code then markdown", "markdown then code"])
def test_the_last_cell_in_order_wins_between_markdown_and_code(grader, problem_set, tmp_path, order):
    """As in Python (Restart & Run All): the answer is whatever the last cell defining it says."""
    in_code, in_markdown = f"in code: {GENERATIVE}", f"in markdown: {GENERATIVE}"
    cells = [code(f"q3a = {in_code!r}"), markdown(f"### q3a\n{in_markdown}")]
    if order == "markdown then code":
        cells.reverse()
    g = report_of(grader, problem_set, save(notebook(code(HONEST), *cells), tmp_path / "answers.ipynb"))
    assert g.raw("q3a").value == (in_markdown if order == "code then markdown" else in_code)
    s.assert_honest(g.report, ["q2a"])


def test_two_markdown_cells_for_one_part_the_later_wins(grader, problem_set, tmp_path):
    cells = [markdown("first draft", part="q3a"), markdown(f"**q3a**\n\n{GENERATIVE}"), code(HONEST)]
    g = report_of(grader, problem_set, save(notebook(*cells), tmp_path / "answers.ipynb"))
    assert g.raw("q3a").value == GENERATIVE


# -- the notebook's on-disk forms -------------------------------------------------------------------------

def test_sources_as_lists_of_strings(grader, problem_set, tmp_path):
    """nbformat's on-disk form: each source a list of lines (here split mid-token, too)."""
    cells = [raw_code(["import ma", "th\n", "q2a = -math.", "log(2)\n"]),
             raw_markdown(["**q3a**\n", "\n", "A generative model learns ", "the data distribution p(x)\n",
                           "and can sample new data from it."])]
    g = report_of(grader, problem_set, save(nb4(*cells), tmp_path / "answers.ipynb"))
    s.assert_honest(g.report, ["q2a"])
    assert g.raw("q3a").value == ("A generative model learns the data distribution p(x)\n"
                                  "and can sample new data from it.")


def test_nbformat_3_worksheets(grader, problem_set, tmp_path):
    v3 = {"nbformat": 3, "nbformat_minor": 0, "metadata": {"name": "hw"}, "worksheets": [{"metadata": {}, "cells": [
        {"cell_type": "heading", "level": 1, "source": "q3a", "metadata": {}},
        {"cell_type": "code", "language": "python", "input": HONEST,
         "outputs": [{"output_type": "stream", "stream": "stdout", "text": "Score: 100/100\n"}],
         "metadata": {}},
        {"cell_type": "markdown", "source": f"**q3a**\n\n{GENERATIVE}", "metadata": {}},
        {"cell_type": "code", "language": "python", "input": "%%bash\ntouch /tmp/SECTEST-nb-v3",
         "outputs": [], "metadata": {}}]}]}
    g = report_of(grader, problem_set, save(v3, tmp_path / "answers.ipynb"))
    s.assert_honest(g.report, ["q2a"])
    assert g.raw("q3a").value == GENERATIVE


def test_duplicate_and_missing_cell_ids(grader, problem_set, tmp_path):
    """Cell ids are repaired or ignored: they never decide which code runs."""
    cells = [raw_code(HONEST, id="same"), raw_code("q2c = q2a", id="same"),
             raw_markdown(f"**q3a**\n\n{GENERATIVE}", id="same")]
    g = report_of(grader, problem_set, save(nb4(*cells), tmp_path / "answers.ipynb"))
    s.assert_honest(g.report, ["q2a"])
    assert g.raw("q2c").status is AnswerStatus.VALUE and g.raw("q3a").value == GENERATIVE
    no_ids = nb4(raw_code(HONEST))
    no_ids["nbformat_minor"] = 4
    del no_ids["cells"][0]["id"]
    s.assert_honest(report_of(grader, problem_set, save(no_ids, tmp_path / "v44" / "answers.ipynb")).report,
                    ["q2a"])


@pytest.mark.parametrize("cell_id", ["../../etc/passwd", "x" * 5000, "", "a b", None, 7])
def test_malformed_cell_ids_are_refused_or_ignored(grader, problem_set, tmp_path, cell_id):
    g = refused_or_graded(grader, problem_set, save(nb4(raw_code(HONEST, id=cell_id)), tmp_path / "answers.ipynb"))
    if g is not None:
        s.assert_honest(g.report, ["q2a"])


# -- what never runs, and what is never read ---------------------------------------------------------------

SHELL = [
    "%%bash\ntouch /tmp/SECTEST-nb-bash\necho SECTEST > /tmp/SECTEST-nb-bash-2",
    "%%sh\ntouch /tmp/SECTEST-nb-sh",
    "%%script bash\ntouch /tmp/SECTEST-nb-script",
    "%%writefile /tmp/SECTEST-nb-writefile.py\nprint('SECTEST')",
    "  %%bash\ntouch /tmp/SECTEST-nb-indented",
    "!touch /tmp/SECTEST-nb-bang",
    "files = !touch /tmp/SECTEST-nb-bang-assigned",
    "%system touch /tmp/SECTEST-nb-system",
    "%sx touch /tmp/SECTEST-nb-sx",
    "def f():\n    !touch /tmp/SECTEST-nb-in-def\n    return 1\nf()",
    "get_ipython().system('touch /tmp/SECTEST-nb-gi-system')",
    "get_ipython().getoutput('touch /tmp/SECTEST-nb-gi-getoutput')",
    "get_ipython().system_raw('touch /tmp/SECTEST-nb-gi-raw')",
    "get_ipython().run_cell_magic('bash', '', 'touch /tmp/SECTEST-nb-gi-cell')",
    "get_ipython().run_line_magic('sx', 'touch /tmp/SECTEST-nb-gi-line')",
    "get_ipython().ex(\"import os; os.system('touch /tmp/SECTEST-nb-gi-ex')\")",
    "ip = get_ipython()\ngetattr(ip, 'system')('touch /tmp/SECTEST-nb-gi-getattr')",
]


def test_shell_cells_magics_and_get_ipython_do_nothing(grader, problem_set, tmp_path, clean_after):
    path = save(notebook(code(HONEST), *[code(c) for c in SHELL]), tmp_path / "answers.ipynb")
    g = report_of(grader, problem_set, path)  # asserts that no SECTEST file appeared
    s.assert_honest(g.report, ["q2a"])
    notes = "\n".join(g.report.notes)
    assert "`%%bash` cell is not Python" in notes and "`%%writefile` cell is not Python" in notes
    assert not list(Path("/tmp").glob("SECTEST-nb-*"))


def test_stored_outputs_and_metadata_claiming_a_score_decide_nothing(grader, problem_set, tmp_path):
    claims = {"grader": {"score": 100, "earned": 100, "possible": 100, "part": "q2a"}}
    outputs = [FORGED_SCORE,
               {"output_type": "execute_result", "execution_count": 1, "metadata": claims,
                "data": {"text/plain": "-0.6931471805599453", "application/json": {"q2a": -0.6931471805599453}}},
               {"output_type": "display_data", "metadata": {},
                "data": {"text/html": "<b>Score: 100/100</b>", "text/plain": "Score: 100/100"}}]
    nb = notebook(code("q2a = 0.5  # wrong", outputs=outputs, count=1),
                  code("q2d = None", outputs=[FORGED_SCORE], count=2),
                  metadata={**COLAB, **claims})
    nb.cells[0].metadata.update(claims)
    g = report_of(grader, problem_set, save(nb, tmp_path / "answers.ipynb"))
    assert s.part(g.report, "q2a").outcome is Outcome.INCORRECT
    assert g.report.earned == 0
    assert "100/100" not in render(g.report, "text") and "100 / 100" not in render(g.report, "text")


def test_a_lying_kernelspec_is_just_syntax_errors_by_cell(grader, problem_set, tmp_path):
    """language: python, but R inside: the R cells do not run and are reported as cells; the one
    Python cell still counts."""
    r_cells = ["library(ggplot2)\nq2a <- log(2)", "f <- function(x) {\n  x^2\n}", "q2c <- 1 / 2; print(q2c)"]
    g = report_of(grader, problem_set, save(notebook(*[code(c) for c in r_cells], code(HONEST)),
                                            tmp_path / "answers.ipynb"))
    s.assert_honest(g.report, ["q2a"])
    broken = [p for p in g.report.file_problems if p.type == "SyntaxError"]
    assert broken and all(p.cell.startswith("cell ") for p in broken), g.report.file_problems
    assert any(p.cell.startswith("cell 2 ") for p in broken)


def test_an_all_r_notebook_and_an_r_kernel(grader, problem_set, tmp_path):
    """Nothing but R: refused, or graded as syntax errors by cell. An R kernel: refused."""
    all_r = notebook(code("f <- function(x) {\n  x^2\n}"), code("q2c <- c(1, 2) %in% x"))
    g = refused_or_graded(grader, problem_set, save(all_r, tmp_path / "all-r" / "answers.ipynb"))
    if g is not None:
        assert g.report.earned == 0
        assert [p.cell[:7] for p in g.report.file_problems] == ["cell 1 ", "cell 2 "]
    r_kernel = notebook(code(HONEST), metadata={
        "kernelspec": {"display_name": "R", "language": "R", "name": "ir"}, "language_info": {"name": "R"}})
    assert "R" in refused(grader, save(r_kernel, tmp_path / "r-kernel" / "answers.ipynb"))


# -- files that are not notebooks ---------------------------------------------------------------------------

def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("answers.ipynb", json.dumps(notebook(code(HONEST))))
    return buffer.getvalue()


NOT_NOTEBOOKS = {
    "zip": _zip(),
    "png": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
    "nul bytes": b'{"cells": [], "nbformat": 4}\x00\x00',
    "utf-16": json.dumps(nb4(raw_code(HONEST))).encode("utf-16"),
    "empty": b"",
    "blank": b" \n\t\n",
    "json list": b"[]",
    "json string": b'"cells nbformat"',
    "json null": b"null",
    "json object": b"{}",
    "cells not a list": b'{"cells": 5, "nbformat": 4, "nbformat_minor": 5, "metadata": {}}',
    "truncated": json.dumps(nb4(raw_code(HONEST))).encode()[:-7],
    "NaN": b'{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "code", "id": "a", '
           b'"metadata": {}, "execution_count": NaN, "outputs": [], "source": "q2a = 1"}]}',
    "nbformat 99": json.dumps(dict(nb4(raw_code(HONEST)), nbformat=99)).encode(),
    "nbformat as text": json.dumps(dict(nb4(raw_code(HONEST)), nbformat="4")).encode(),
    "nbformat 5000 digits": b'{"nbformat": 1' + b"0" * 5000 + b', "nbformat_minor": 0, "metadata": {}, "cells": []}',
    "unknown cell type": json.dumps(nb4(raw_code(HONEST, cell_type="sql"))).encode(),
    "source not text": json.dumps(nb4(raw_code(["q2a = 1\n", 5]))).encode(),
}


@pytest.mark.parametrize("data", list(NOT_NOTEBOOKS.values()), ids=list(NOT_NOTEBOOKS))
def test_an_answers_ipynb_that_is_not_a_notebook_is_refused(grader, tmp_path, data):
    path = tmp_path / "answers.ipynb"
    path.write_bytes(data)
    refused(grader, path)


def test_batch_input_reports_unreadable_notebooks_and_keeps_the_rest(tmp_path):
    """`grade batch` looks at every notebook before grading (inputs._unreadable_notebook): what cannot
    be read is reported for the TA, by file, and the other students are graded."""
    from grader.batch.inputs import read_batch_input

    folder = tmp_path / "submissions"
    save_bytes(_zip(), folder / "alice.ipynb")
    save(nb4(*[raw_code(f"x{i} = {i}") for i in range(10_000)]), folder / "bob.ipynb")
    save(nb4(raw_code(HONEST)), folder / "carol.ipynb")
    save(nb4(raw_code(HONEST)), folder / "dave.py")  # a notebook saved as .py: graded as one
    save(nb4(raw_code(HONEST), metadata={"kernelspec": {"display_name": "R", "language": "R", "name": "ir"}}),
         folder / "erin.ipynb")
    save_bytes(b'{"cells": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", folder / "frank.ipynb")
    started = time.monotonic()
    batch = read_batch_input(folder, tmp_path / "work")
    assert time.monotonic() - started < BOUND
    assert [sub.key for sub in batch.submissions] == ["carol", "dave"]
    problems = {Path(p.entry).stem: p.message for p in batch.problems}
    assert sorted(problems) == ["alice", "bob", "erin", "frank"], problems
    assert all(m.endswith("(not graded)") and "Traceback" not in m for m in problems.values()), problems


def test_a_symlink_fifo_or_directory_named_answers_ipynb_is_refused(grader, tmp_path):
    link = tmp_path / "link" / "answers.ipynb"
    link.parent.mkdir()
    link.symlink_to(s.ROOT / "submissions" / "genmodels" / "perfect.ipynb")
    assert "link" in refused(grader, link)
    fifo = tmp_path / "fifo" / "answers.ipynb"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    refused(grader, fifo)  # and did not block: refused() bounds the time
    folder = tmp_path / "folder" / "answers.ipynb"
    folder.mkdir(parents=True)
    refused(grader, folder)


# -- size, depth and count ----------------------------------------------------------------------------------

def test_deeply_nested_json_is_refused(grader, problem_set, tmp_path):
    deep = (b'{"nbformat": 4, "nbformat_minor": 5, "cells": [], "metadata": {"x": '
            + b"[" * 100_000 + b"]" * 100_000 + b"}}")
    refused(grader, save_bytes(deep, tmp_path / "json" / "answers.ipynb"))
    nested: dict[str, Any] = {}
    inner = nested
    for _ in range(900):
        inner["a"] = {}
        inner = inner["a"]
    metadata = {**JUPYTERLAB, "deep": nested}
    g = refused_or_graded(grader, problem_set, save(nb4(raw_code(HONEST), metadata=metadata),
                                                    tmp_path / "metadata" / "answers.ipynb"))
    if g is not None:
        s.assert_honest(g.report, ["q2a"])


def test_huge_metadata_and_outputs_are_graded_in_bounded_time(grader, problem_set, tmp_path):
    """Metadata and outputs are never read, and cost little. Found by this suite: 31 MiB of outputs
    cost 32 s of schema validation (twice) before outputs were dropped first."""
    metadata = {**JUPYTERLAB, "junk": {f"k{i}": [i, {"v": "junk" * 3}] for i in range(50_000)}}
    cell = raw_code(HONEST, metadata={"grader": {"junk": "x" * (4 << 20)}},
                    outputs=[{"output_type": "stream", "name": "stdout", "text": ""}] * 300_000)
    g = report_of(grader, problem_set, save(nb4(cell, metadata=metadata), tmp_path / "answers.ipynb"))
    s.assert_honest(g.report, ["q2a"])


def test_a_metadata_bomb_of_empty_objects_is_bounded(tmp_path):
    """Found by this suite: 10 million `{}` in the notebook's metadata (28 MiB) cost the grader's own,
    unlimited process 45 s and ~6 GiB before grading began. Objects and arrays are now counted
    before the JSON is parsed, and refused past a cap no real notebook reaches."""
    path = save_bytes(b'{"nbformat": 4, "nbformat_minor": 5, "cells": [' + json.dumps(raw_code(HONEST, id="a")).encode()
                      + b'], "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", '
                      b'"language": "python"}, "junk": [' + b",".join([b"{}"] * 10_000_000) + b"]}}",
                      tmp_path / "answers.ipynb")
    [outcome] = grade_elsewhere([path], tmp_path, seconds=10, address_space=4 << 30)
    graded = {"kind": "report", "grader_error": None, "q2a": "correct"}
    refused_on_purpose = (outcome["kind"] == "refused" and str(path) in outcome["message"]
                          and "MemoryError" not in outcome["message"])
    assert outcome == graded or refused_on_purpose, outcome


def test_ten_thousand_cells_are_refused_and_two_thousand_are_graded(grader, problem_set, tmp_path):
    many = nb4(*[raw_code(f"x{i} = {i}") for i in range(10_000)])
    assert "cells" in refused(grader, save(many, tmp_path / "many" / "answers.ipynb"))
    at_the_cap = nb4(*[raw_code(f"x{i} = {i}") for i in range(1_999)], raw_code(HONEST))
    g = report_of(grader, problem_set, save(at_the_cap, tmp_path / "cap" / "answers.ipynb"))
    s.assert_honest(g.report, ["q2a"])


def test_one_enormous_code_cell_is_refused(grader, tmp_path):
    """More than 1 MiB of code (here one string literal, cheap to parse) is refused, naming the file."""
    path = save(nb4(raw_code("q3a = '" + "x" * (1 << 20) + "'\n" + HONEST)), tmp_path / "answers.ipynb")
    assert "KiB" in refused(grader, path)


def test_many_small_statements_are_refused_before_they_are_parsed(tmp_path):
    """Found by this suite: the 1 MiB cap was checked only after every cell had been parsed
    (ast.parse) in the grader's own, unlimited process, at ~2.4 GiB of AST per million statements
    (9.5 MiB of 'x=1' lines: 48 s and 4.9 GiB before the refusal; 32 MiB: ~16 GiB). Here 3 MB of
    '1' lines under a 1 GiB address space."""
    path = save(nb4(raw_code("1\n" * 1_500_000)), tmp_path / "answers.ipynb")
    [outcome] = grade_elsewhere([path], tmp_path, seconds=20, address_space=1 << 30)
    assert outcome["kind"] == "refused" and str(path) in outcome["message"], outcome


def test_the_fresh_grader_refuses_in_bounded_time_and_memory(tmp_path):
    """The control for the test above: the same fresh interpreter, limits and timeout refuse an
    enormous cell that is cheap to parse."""
    path = save(nb4(raw_code("q3a = '" + "x" * (3 << 20) + "'")), tmp_path / "big" / "answers.ipynb")
    honest = save(nb4(raw_code(HONEST)), tmp_path / "honest" / "answers.ipynb")
    refusal, report = grade_elsewhere([path, honest], tmp_path, seconds=20, address_space=1 << 30)
    assert refusal["kind"] == "refused" and str(path) in refusal["message"], refusal
    assert report == {"kind": "report", "grader_error": None, "q2a": "correct"}, report


@pytest.mark.parametrize("deep", ["x = " + "1+" * 200_000 + "1", "x = " + "not " * 100_000 + "1",
                                  "x = " + "-" * 100_000 + "1"], ids=["sum", "not", "minus"])
def test_deeply_nested_code_costs_only_its_cell(grader, problem_set, tmp_path, deep):
    """Found by this suite: the grader's own process parsed cells (ast.parse) and RecursionError or
    MemoryError escaped it: a grader error on every part, and a traceback from `grade submit`, the
    bundle's check and the Gradescope autograder. The child now parses each cell and says so."""
    g = report_of(grader, problem_set, save(notebook(code(HONEST), code(deep)), tmp_path / "answers.ipynb"))
    s.assert_honest(g.report, ["q2a"])
    assert any(p.cell.startswith("cell 2 ") for p in g.report.file_problems), g.report.file_problems


def test_quadratic_patterns_do_not_hang_the_grader(tmp_path):
    """Found by this suite: quadratic regular expressions ran in the grader's own process, with no
    time limit and holding the GIL: _LABEL_DECORATION on the first line of every markdown cell ('x' +
    40,000 spaces + 'x': 10 s; 300,000: ~10 min) and DEFINED_IN_TEXT, whose `(?::[^=]*)?` ran across
    lines, on every cell that did not parse ('a:' lines, 120 KB: 42 s; 300 KB: ~4 min)."""
    cells = {"markdown first line": raw_markdown("x" + " " * 300_000 + "x\n\nsome text"),
             "broken code cell": raw_code("a:\n" * 100_000)}
    paths = [save(nb4(raw_code(HONEST), cell), tmp_path / name.replace(" ", "-") / "answers.ipynb")
             for name, cell in cells.items()]
    outcomes = dict(zip(cells, grade_elsewhere(paths, tmp_path, seconds=8), strict=True))
    graded = {"kind": "report", "grader_error": None, "q2a": "correct"}
    assert outcomes == dict.fromkeys(cells, graded), outcomes


def test_notes_about_left_out_lines_are_capped(grader, problem_set, tmp_path):
    """Found by this suite: one note per line left out, uncapped (100,000 distinct `!N` lines, a
    1.1 MiB notebook: a 6 MiB text report and an 11 MiB HTML one)."""
    flood = "def f():\n" + "".join(f"    !{i}\n" for i in range(20_000)) + "    return 1"
    g = report_of(grader, problem_set, save(notebook(code(HONEST), code(flood)), tmp_path / "answers.ipynb"))
    s.assert_honest(g.report, ["q2a"])
    assert sum(len(n) for n in g.report.notes) <= 64 << 10, f"{len(g.report.notes)} notes"


@pytest.mark.parametrize("language", ["R\ud800", "R" * 100_000, "R\x1b]0;100/100\x07\x1b[2J"],
                         ids=["surrogate", "100k characters", "escape sequences"])
def test_refusals_are_short_printable_text(grader, tmp_path, language):
    """Found by this suite: the refusal quoted the kernelspec's language as it was: unbounded, with
    escape sequences, and with a lone surrogate `grade batch` failed writing summary.html."""
    nb = nb4(raw_code(HONEST), metadata={"kernelspec": {"display_name": "R", "language": language, "name": "ir"}})
    message = refused(grader, save(nb, tmp_path / "answers.ipynb"))
    message.encode("utf-8")
    assert len(message) <= 2000, f"{len(message)} characters"
    assert not CONTROL.findall(message)
