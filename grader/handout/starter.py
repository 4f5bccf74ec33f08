"""`grade template`: a starter answers.py with every answer stubbed and its prompt as a docstring.

Every stub is a function that raises NotImplementedError, which the grader reports as "not
answered" — so the unchanged template grades to 0 without a single error. A student may replace a
stub by a plain value (`q9 = math.log(3)`) or keep the function and return the value.
"""

from __future__ import annotations

import textwrap

from grader.problemset.loader import ProblemSet
from grader.problemset.spec import FunctionChecker, Part, Question

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

KIND_HINTS = {
    "number": "Return a number (math.inf / -math.inf for infinities).",
    "symbolic": "Return a sympy expression or a formula string.",
    "choice": "Return a string naming your choice.",
    "multi_choice": 'Return a list of the option letters you choose, e.g. ["a", "b"].',
    "boolean": "Return True or False.",
    "free_text": "Return your answer as a string (a few sentences).",
    "function": "",
}


def _docstring(question: Question, part: Part) -> str:
    text = question.prompt.strip()
    if part.prompt:
        text += "\n\n" + part.prompt.strip()
    hint = KIND_HINTS[part.checker.kind]
    body = f"[{question.id}] {question.title} ({part.points:g} points)\n\n{text}"
    if hint:
        body += f"\n\n{hint}"
    body = body.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return textwrap.indent(f'"""{body}\n"""', "    ")


def _stub(question: Question, part: Part) -> str:
    params = ", ".join(part.checker.signature) if isinstance(part.checker, FunctionChecker) else ""
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
