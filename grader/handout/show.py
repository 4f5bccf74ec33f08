"""`grade show QUESTION`: the question as a student sees it, and what the grader expects."""

from __future__ import annotations

from grader.checking.kinds import KINDS
from grader.problemset.spec import FreeTextChecker, Question


def _points(points: float) -> str:
    return f"{points:g} point" + ("" if points == 1 else "s")


def describe_question(question: Question, show_answers: bool = False) -> str:
    lines = [f"{question.id}. {question.title}  ({_points(question.points)})", "", question.prompt.strip(), ""]
    for part in question.parts:
        expects = KINDS[part.checker.kind].expects(part.checker)
        lines.append(f"- {part.name}  ({_points(part.points)}): {expects}")
        if part.prompt:
            lines += ["    " + line for line in part.prompt.strip().splitlines()]
        if show_answers and isinstance(part.checker, FreeTextChecker):
            lines += ["    Model answer: " + part.checker.model_answer.strip()]
        if show_answers and part.explanation:
            lines += ["    Explanation: " + part.explanation.strip()]
    return "\n".join(lines)
