"""`grade template`: a starter answers.py with every answer stubbed and its prompt as a docstring.

Every stub is a function that raises NotImplementedError, which the grader reports as "not
answered" — so the unchanged template grades to 0 without a single error. A student may replace a
stub by a plain value (`q9 = math.log(3)`) or keep the function and return the value.
"""

from __future__ import annotations

import textwrap

from grader.checking.kinds import KINDS
from grader.problemset.loader import ProblemSet
from grader.problemset.spec import Part, Question

HEADER = '''"""{title} — your answers.

Replace each stub below. An answer may be a value (q9 = math.log(3)) or a function of no
arguments returning it; answers that take inputs (like q4a(x0, betas, t)) must stay functions.
Check your work at any time with:

    grade submit {filename}

The problem's parameters are also available as the dict PARAMETERS when the grader runs this file.
"""

import math

# import numpy as np          # numpy, scipy and sympy are available
# import scipy.stats as stats
# import sympy as sp
'''

def _docstring(question: Question, part: Part) -> str:
    text = question.prompt.strip()
    if part.prompt:
        text += "\n\n" + part.prompt.strip()
    body = f"[{question.id}] {question.title} ({part.points:g} points)\n\n{text}"
    expects = KINDS[part.checker.kind].expects(part.checker)
    body += "\n\n" + textwrap.fill(f"Your answer: {expects}.", width=96, break_on_hyphens=False)
    body = body.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return textwrap.indent(f'"""{body}\n"""', "    ")


def _stub(question: Question, part: Part) -> str:
    params = ", ".join(KINDS[part.checker.kind].stub_arguments(part.checker))
    return f"def {part.name}({params}):\n{_docstring(question, part)}\n    raise NotImplementedError\n"


def render_template(problem_set: ProblemSet, filename: str = "answers.py") -> str:
    chunks = [HEADER.format(title=problem_set.assignment.title, filename=filename)]
    section = None
    for question in problem_set.questions:
        if question.section != section:
            section = question.section
            title = problem_set.assignment.sections.get(section, f"Section {section}")
            chunks.append(f"\n\n# {'=' * 96}\n# {section}. {title}\n# {'=' * 96}")
        for part in question.parts:
            chunks.append("\n\n" + _stub(question, part))
    return "".join(chunks)
