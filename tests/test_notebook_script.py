"""A notebook as the Python the child runs: code cells in order, IPython-only lines left out and said
so, markdown answers by label, and every line of the run told as a cell."""

from __future__ import annotations

import sys

import pytest
from notebooks import code, markdown, notebook

from grader.notebook.script import ANSWER_PLACEHOLDER, answer_label, notebook_script, runnable_code
from grader.sandbox.records import Frame, RunRecord, StudentProblem


@pytest.mark.parametrize("line, left_out", [
    ("%matplotlib inline", True),
    ("!pip install torch", True),
    ("  %timeit f()", True),
    ("files = !ls", True),
    ("np.mean?", True),
    ("??np.mean", True),
    ("x = 1 % 2", False),
    ("print('%d' % 3)", False),
])
def test_ipython_only_lines_are_left_out_and_python_kept(line, left_out):
    text, changed = runnable_code(f"import numpy as np\n{line}\ny = 2\n")
    kept = text.splitlines()
    assert len(kept) == 3, "lines keep their numbers within the cell"
    assert (kept[1].strip() == "pass") == left_out
    assert bool(changed) == left_out


def test_pip_install_says_the_grader_does_not_install_packages():
    _, changed = runnable_code("!pip install torch\nq2a = 1\n")
    assert changed == ["`!pip install torch` left out (the grader does not install packages)"]


def test_a_percent_inside_a_string_is_not_a_magic():
    text, changed = runnable_code('s = """\n%matplotlib inline\n"""\n')
    assert text == 's = """\n%matplotlib inline\n"""' and changed == []


@pytest.mark.parametrize("magic, runs", [("%%time", True), ("%%capture", True), ("%%bash", False),
                                         ("%%writefile helper.py", False), ("%%python3", False)])
def test_cell_magics(magic, runs):
    text, changed = runnable_code(f"{magic}\nq2a = 1\n")
    assert ("q2a = 1" in text) == runs
    assert changed and magic.split()[0] in changed[0]


def test_cells_run_in_order_and_lines_map_back_to_cells():
    nb = notebook(markdown("# My answers"), code("import math"), code(""),
                  code("x = 1\ny = 2\nq2a = -math.log(2)"), code("def f():\n    return 1 / 0"))
    script = notebook_script(nb)
    assert script.source == "import math\nx = 1\ny = 2\nq2a = -math.log(2)\ndef f():\n    return 1 / 0\n"
    assert script.where(3) == ('cell 4 ("x = 1")', 2)
    assert script.where(6) == ('cell 5 ("def f():")', 2)


def test_locate_tells_problems_frames_and_skipped_statements_as_cells():
    nb = notebook(code("import math"), code("a = 1\nb = 1 / 0"))
    script = notebook_script(nb)
    problem = StudentProblem("ZeroDivisionError", "division by zero", 3, "", (Frame(3, "<module>", "b = 1 / 0"),))
    record = script.locate(RunRecord(answers={}, load_problems=(problem,), skipped_statements=((3, "hung", ""),)))
    located = record.load_problems[0]
    assert (located.cell, located.line) == ('cell 2 ("a = 1")', 2)
    assert (located.frames[0].cell, located.frames[0].line) == ('cell 2 ("a = 1")', 2)
    assert record.skipped_statements == ((2, "hung", 'cell 2 ("a = 1")'),)
    assert located.summary() == 'ZeroDivisionError: division by zero (cell 2 ("a = 1"), line 2)'


def test_display_and_get_ipython_are_harmless():
    script = notebook_script(notebook(code("display(1)\nget_ipython().run_line_magic('x', '')\nq2a = 1")))
    namespace: dict = {}
    exec(script.source, namespace)
    assert namespace["q2a"] == 1
    assert script.where(script.source.splitlines().index("q2a = 1") + 1)[0].startswith("cell 1")


@pytest.mark.parametrize("source", [
    "**q3a**\n\nA generative model learns p(x).",
    "### Answer q3a:\nA generative model learns p(x).",
    "q3a:\n\nA generative model learns p(x).",
    "  Q3A  \nA generative model learns p(x).",
    "> **Answer to q3a**\n\nA generative model learns p(x).",
    "**Answer q3a:** A generative model learns p(x).",
    "- **q3a**\nA generative model learns p(x).",
    "q3a (5 points)\n\nA generative model learns p(x).",
    "Answer: **q3a**\nA generative model learns p(x).",
    "**q3a**: A generative model learns p(x).",
    "Question q3a — A generative model learns p(x).",
    "\r\n**q3a**\r\nA generative model learns p(x).",
])
def test_a_markdown_cell_answers_by_its_visible_label(source):
    assert answer_label(markdown(source), ["q3a", "q3b"]) == ("q3a", "A generative model learns p(x).")


def test_metadata_alone_identifies_the_answer_and_unlabelled_cells_answer_nothing():
    assert answer_label(markdown("It learns p(x).", part="q3a"), ["q3a"]) == ("q3a", "It learns p(x).")
    assert answer_label(markdown("It learns p(x)."), ["q3a"]) == (None, "")
    assert answer_label(markdown("## q3a is about generative models"), ["q3a"]) == (None, "")
    assert answer_label(markdown("### [q3a] The title (5 points)\n\nPrompt"), ["q3a"]) == (None, "")
    assert answer_label(markdown("**q2a**\n\n0.5"), ["q3a"]) == (None, ""), "only free-text parts"


def test_markdown_answers_become_assignments_in_cell_order_and_the_placeholder_is_no_answer():
    nb = notebook(markdown("**q3a**\n\nFirst 'quoted' \"answer\"\nover two lines"),
                  markdown(f"**q3b**\n\n{ANSWER_PLACEHOLDER}", part="q3b"),
                  code("q3c = 'typed in code'"))
    namespace: dict = {}
    exec(notebook_script(nb, ["q3a", "q3b", "q3c"]).source, namespace)
    assert namespace["q3a"] == "First 'quoted' \"answer\"\nover two lines"
    assert "q3b" not in namespace and namespace["q3c"] == "typed in code"


def test_raw_cells_and_outputs_are_never_run_or_read():
    nb = notebook(code("q2a = 1", outputs=[{"output_type": "stream", "name": "stdout", "text": "q2a = 2"}]))
    nb.cells.append({"cell_type": "raw", "id": "raw", "metadata": {}, "source": "q2a = 3"})
    assert notebook_script(nb).source == "q2a = 1\n"



def test_the_child_is_given_each_cell_to_parse_on_its_own():
    script = notebook_script(notebook(code("display(1)"), markdown("**q3a**\n\ntext"), code("q2a = 1\nq2b = 2")),
                             ["q3a"])
    shim_lines = script.source.index("display(1)") and script.source[:script.source.index("display(1)")].count("\n")
    assert script.units == ((1, shim_lines), (shim_lines + 1, shim_lines + 1), (shim_lines + 2, shim_lines + 2),
                            (shim_lines + 3, shim_lines + 4))
    assert notebook_script(notebook(code("q2a = 1"))).units == ((1, 1),)


def test_notes_are_capped():
    script = notebook_script(notebook(code("\n".join(f"!echo {i}" for i in range(100)))))
    assert len(script.notes) == 21 and script.notes[-1] == "… and 80 more notes like these"


def test_only_the_start_of_a_long_first_line_is_examined_for_a_label():
    answer = "A generative model learns p(x) " * 2000
    assert answer_label(markdown(f"**Answer q3a:** {answer}\nmore"), ["q3a"]) == ("q3a", f"{answer.strip()}\nmore")
    assert answer_label(markdown("q3a: " + "x" * 5000), ["q3a"]) == ("q3a", "x" * 5000)
    assert answer_label(markdown("q3a is " + "very " * 5000 + "long"), ["q3a"]) == (None, "")
    assert answer_label(markdown(" " * 5000 + "**q3a**\ntext"), ["q3a"]) == ("q3a", "text")


def test_a_cell_that_names_a_part_but_is_not_its_answer_is_noted():
    nb = notebook(markdown("### [q3a] Why generative models? (4 points)\n\nExplain."),
                  markdown("My answer for q3a: see below\n\nIt learns p(x)."), markdown("q3b notes\nx"),
                  code("q3b = 'typed in code'"))
    script = notebook_script(nb, ["q3a", "q3b"])
    assert script.notes == ('cell 2 ("My answer for q3a: see below"): names q3a but was not read as its '
                            "answer; start the cell with its label (**Answer q3a:**) and write the answer "
                            "after it",)


def test_a_part_answered_twice_is_noted_and_the_later_answer_counts():
    nb = notebook(markdown("**q3a**\nfirst"), markdown("**q3a**\nsecond"))
    script = notebook_script(nb, ["q3a"])
    namespace: dict = {}
    exec(script.source, namespace)
    assert namespace["q3a"] == "second"
    assert script.notes == ('cell 2 ("**q3a**"): answers q3a again; this later answer is the one graded '
                            '(not cell 1 ("**q3a**")\'s)',)


def test_a_pasted_image_is_left_out_of_a_text_answer():
    image = "![my plot](data:image/png;base64," + "iVBORw0KGgo" * 100_000 + ")"
    script = notebook_script(notebook(markdown(f"**q3a**\nThe KL term.\n{image}\nDone.")), ["q3a"])
    namespace: dict = {}
    exec(script.source, namespace)
    assert namespace["q3a"] == "The KL term.\n[image: my plot]\nDone."
    assert script.notes == ('cell 1 ("**q3a**"): 1 embedded image(s) left out of the answer of q3a '
                            "(only text is graded)",)


@pytest.mark.parametrize("line, runs", [("%time q2a = f()", "q2a = f()"), ("q2a = %time f()", "q2a = f()"),
                                        ("    %time g()", "    g()")])
def test_a_timed_line_runs_its_statement(line, runs):
    text, changed = runnable_code(f"x = 1\n{line}\n")
    assert text.split("\n")[1] == runs and changed == ["`%time` left out (the line's code ran once, untimed)"]


def test_only_newlines_end_lines_as_python_counts_them():
    """U+2028 and a form feed inside a string are characters of the string, not line ends."""
    source = "s = 'a\u2028b\x0cc'\nq2a = 1"
    script = notebook_script(notebook(code(source)))
    assert script.source == source + "\n" and script.where(2)[1] == 2
    namespace: dict = {}
    exec(script.source, namespace)
    assert namespace["s"] == "a\u2028b\x0cc"


def test_ipython_display_imports_work_and_do_nothing():
    script = notebook_script(notebook(code(
        "from IPython.display import display, Markdown, clear_output\nimport IPython\n"
        "display(Markdown('**x**'))\nclear_output(wait=True)\nIPython.get_ipython().run_line_magic('a', 'b')\n"
        "q2a = 1")))
    namespace: dict = {}
    before = set(sys.modules)
    try:
        exec(script.source, namespace)
        assert namespace["q2a"] == 1
        # A stand-in module has no __file__ or __spec__ of its own, as tools that scan
        # sys.modules expect; only ordinary names do nothing.
        assert not hasattr(sys.modules["IPython.display"], "__file__")
        assert callable(sys.modules["IPython.display"].HTML)
    finally:  # the stand-ins are for the child, not for this test process
        for name in set(sys.modules) - before:
            sys.modules.pop(name)


def test_a_python3_cell_magic_says_why_its_names_are_not_answers():
    _, changed = runnable_code("%%python3\nq2a = 1\n")
    assert changed == ["not run: a `%%python3` cell runs in a separate Python process in Jupyter too, so what "
                       "it defines is not in the notebook; move its code into an ordinary cell"]
