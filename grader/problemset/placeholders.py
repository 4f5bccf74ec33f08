"""Parameter values in the text of a problem set: `$name`, `$name[i]` (an element of a list), `$$`.

A prompt, a mistake's message or an explanation may name the parameters' values ("Let β_1 =
$betas[0]"), so that each student reads the numbers of their own variant. The loader fills them
with the document's values; `variants.for_student` fills the same templates with a student's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from grader.problemset.spec import Question

# ASCII names only: "$mean²" is the value of `mean`, squared, not a parameter called "mean²".
_PLACEHOLDER = re.compile(r"\$\$|\$([A-Za-z_][A-Za-z0-9_]*)(?:\[([0-9]+)\])?")


def show_value(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return "[" + ", ".join(show_value(v) for v in value) + "]"
    return str(value)


def fill(text: str, parameters: dict[str, Any]) -> str:
    """`text` with `$name` and `$name[i]` replaced by the values; an unknown name is left as written."""
    def one(match: re.Match[str]) -> str:
        if match.group() == "$$":
            return "$"
        name, index = match.group(1), match.group(2)
        if name not in parameters:
            return match.group()
        value = parameters[name]
        if index is not None:
            if not isinstance(value, list) or int(index) >= len(value):
                return match.group()
            value = value[int(index)]
        return show_value(value)
    return _PLACEHOLDER.sub(one, text)


def _maybe(text: str | None, parameters: dict[str, Any]) -> str | None:
    return None if text is None else fill(text, parameters)


def fill_questions(templates: Sequence[Question], parameters: dict[str, Any]) -> tuple[Question, ...]:
    """The questions with every title, prompt, mistake message and explanation filled with `parameters`."""
    return tuple(question.model_copy(update={
        "title": fill(question.title, parameters),
        "prompt": fill(question.prompt, parameters),
        "parts": [part.model_copy(update={
            "prompt": _maybe(part.prompt, parameters),
            "explanation": _maybe(part.explanation, parameters),
            "mistakes": [m.model_copy(update={"message": fill(m.message, parameters)}) for m in part.mistakes],
        }) for part in question.parts],
    }) for question in templates)
