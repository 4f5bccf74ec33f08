"""The bundle's documents: questions.md, README.md and the starter file's header.

questions.md is rendered from the PUBLIC problem set only (public_spec.py), so it cannot quote a
secret even by accident. The examples given to students are neutral placeholders ("x", "y",
`math.sqrt(2) / 4`), never an option or a value of the problem set.
"""

from __future__ import annotations

from typing import Any

from grader.checking.kinds import KINDS
from grader.handout.public_spec import (
    PublicFunction,
    PublicPart,
    PublicProblemSet,
)

CHECK_COMMAND = "grade submit answers.py"
"""The check, once the bundle is installed (`pip install -e .`: its pyproject.toml names `grade`)."""
MODULE_CHECK_COMMAND = "python -m grader.handout.check answers.py"
"""The same check without the `grade` command (from the bundle's folder, after requirements.txt)."""

ANSWERS_HEADER = '''"""{title} — your answers.

Replace each stub below. An answer may be a value (e.g. `answer = math.sqrt(2) / 4`) or a function
of no arguments returning it; answers that take inputs (their stub has arguments) must stay
functions with those arguments. Check your work at any time, from the bundle's folder, with:

    {check}

It checks that every answer is defined and readable, not that it is right: correctness is graded
when you upload this file. The problem's parameters are also available as the dict PARAMETERS when
the grader runs this file.
"""

import math

# import numpy as np          # numpy, scipy and sympy are available
# import scipy.stats as stats
# import sympy as sp
'''


# The README's longest table cells (a Markdown table row cannot be broken across lines).
_PROBLEMS_ROW = ("the problem set's specs in public form (answer names, points, options, the inputs functions are "
                 "called at)")
_READY_ROW = ("defined, of the right type and shape (functions: callable, returning the right number of finite "
              "numbers at the document's inputs), within any range the question fixes (e.g. a probability in [0, 1])")
_PROBLEM_ROW = ("it raised an exception, timed out, cannot be read (e.g. `True` where a number is expected, an "
                "unknown option) or fails a range check; the message says what to fix")


def _labels(part: PublicPart, parameters: dict[str, Any]) -> list[str]:
    from grader.handout.check import visible_cases

    return [case.label for case in visible_cases(part, parameters)]


def expected_form(part: PublicPart, parameters: dict[str, Any]) -> str:
    """What the grader reads for this part, in words (no answer, no hint at one)."""
    text = KINDS[part.checker.kind].expects(part.checker)
    if isinstance(part.checker, PublicFunction):
        inputs = "; ".join(f"`{label}`" for label in _labels(part, parameters))
        text += (f". Checked locally at the document's inputs ({inputs}); graded on upload at "
                 "these and at hidden random inputs, so compute from the arguments")
    return text


def render_questions(public: PublicProblemSet) -> str:
    a = public.assignment
    lines = [f"# {a.title}", "",
             f"{len(public.questions)} questions, {public.points:g} points. Write each answer under its "
             "name in `answers.py`, check the file with", "", f"    {CHECK_COMMAND}", "",
             "and upload `answers.py`. Every part listed here is graded on upload. (Working in Jupyter "
             "or Colab? `answers.ipynb` holds the same stubs: check and upload it instead.)", ""]
    if a.parameters:
        lines += ["The document's values, also available to your code as the dict `PARAMETERS`:", ""]
        lines += [f"- `{name}` = `{value!r}`" for name, value in a.parameters.items()]
        lines.append("")
    section = None
    for q in public.questions:
        if q.section != section:
            section = q.section
            lines += [f"## {section}. {a.sections.get(section, f'Section {section}')}", ""]
        lines += [f"### {q.id}. {q.title} ({q.points:g} point{'s' if q.points != 1 else ''})", "",
                  q.prompt.rstrip(), ""]
        for p in q.parts:
            lines.append(f"- **`{p.name}`** ({p.points:g} point{'s' if p.points != 1 else ''}): "
                         f"{expected_form(p, a.parameters)}.")
            if p.prompt:
                lines += ["", *("  " + line if line else "" for line in p.prompt.rstrip().splitlines())]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def render_readme(public: PublicProblemSet, rtol: float, atol: float, version: str,
                  requirements: list[str]) -> str:
    a = public.assignment
    parts = sum(len(q.parts) for q in public.questions)
    return f"""# {a.title} — student bundle

Everything you need to work on this problem set and check your answers locally. It contains no
expected answers: your answers are graded for correctness when you upload them.

| file | what it is |
| --- | --- |
| `questions.md` | the questions, and for each answer name what the grader reads |
| `answers.py` | your starter file: one stub per answer, its question as the docstring |
| `answers.ipynb` | the same starter as a notebook (Jupyter, Colab): use either, upload the one you used |
| `problems/{a.slug}/` | {_PROBLEMS_ROW} |
| `grader/` | a copy of the grader (version {version}), used by the local check |
| `pyproject.toml` | installs that copy with the `grade` command and the packages it needs |
| `requirements.txt` | the same packages, for an install without the `grade` command |

## Set up once

You need Python 3.11 or newer. From this folder:

```bash
python3 -m venv .venv
source .venv/bin/activate          # Windows: .venv\\Scripts\\activate
pip install -e .
```

## Check your work

From this folder:

```bash
{CHECK_COMMAND}
{CHECK_COMMAND.replace("answers.py", "answers.ipynb")}        # if you work in the notebook
```

(With only `pip install -r requirements.txt`, the same check is `{MODULE_CHECK_COMMAND}`.)

Your file runs as it does on upload, in the grader's sandbox (a separate process with time
limits), and each answer is read by the grader's own parsers; functions are called at the
document's own inputs. Each of the {parts} parts is then
reported as

| status | meaning |
| --- | --- |
| ready | {_READY_ROW} |
| not answered | missing, `None`, `...`, empty, or still the template's stub |
| problem: ... | {_PROBLEM_ROW} |

The check exits with 0 whenever it printed a report; 1 if the file cannot be read (missing, not
UTF-8, over 1 MiB); 3 if the specs cannot be loaded; 4 if the checker itself failed.

**What it does not check: whether an answer is right.** On upload every part ({public.points:g} points
in all) is graded: numbers against the expected values, with |answer − expected| ≤ {atol:g} +
{rtol:g}·|expected| unless a question says otherwise (four significant figures are enough);
functions also at hidden random inputs, so compute from the arguments rather than returning fixed
numbers; choices against the accepted options; free text by a keyword rubric, provisionally, and
then by course staff. A part that is "ready" here can still be wrong; fix every "problem" before
you upload, because the grader reads your file the same way.

## Writing answers

- An answer is a value (`answer = math.sqrt(2) / 4`) or a function of no arguments returning it.
  Answers whose stub takes arguments must stay functions with those arguments.
- Numbers may be floats, numpy or sympy values, or formula strings such as `"sqrt(2)/4"`; write
  infinities as `math.inf` / `-math.inf` (or `sympy.oo`, `"inf"`, `"∞"`). `True` is not a number.
- Choices are strings naming an option (`questions.md` lists the option keys; their usual names
  are understood too); multiple choices are lists of option keys or strings such as `"(x) and (y)"`.
- numpy, scipy and sympy are available; the document's values are in the dict `PARAMETERS`.

Requirements: {", ".join(requirements)}.
"""
