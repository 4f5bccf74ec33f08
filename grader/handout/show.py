"""`grade show QUESTION`: the question as a student sees it, and what the grader expects."""

from __future__ import annotations

from grader.problemset.spec import (
    ChoiceChecker,
    FreeTextChecker,
    FunctionChecker,
    MultiChoiceChecker,
    NumberChecker,
    Question,
    SymbolicChecker,
)


def _expects(checker) -> str:
    if isinstance(checker, FunctionChecker):
        outputs = checker.outputs
        returned = "a number" if len(outputs) == 1 else f"the tuple ({', '.join(outputs)})"
        text = f"a function ({', '.join(checker.signature)}) returning {returned}"
        if checker.expression_variable:
            text += f", or an expression in {checker.expression_variable}"
        return text
    if isinstance(checker, NumberChecker):
        return "a number"
    if isinstance(checker, SymbolicChecker):
        return f"an expression in {', '.join(checker.variables)}"
    if isinstance(checker, ChoiceChecker):
        return "one of: " + ", ".join(o.key for o in checker.options) + (
            " (several allowed)" if checker.allow_several else "")
    if isinstance(checker, MultiChoiceChecker):
        return "a list of options among: " + ", ".join(o.key for o in checker.options)
    if isinstance(checker, FreeTextChecker):
        return "a few sentences of text (reviewed by course staff)"
    return "True or False"


def describe_question(question: Question, show_answers: bool = False) -> str:
    lines = [f"{question.id}. {question.title}  ({question.points:g} points)", "", question.prompt.strip(), ""]
    for part in question.parts:
        lines.append(f"- {part.name}  ({part.points:g} points): {_expects(part.checker)}")
        if part.prompt:
            lines += ["    " + line for line in part.prompt.strip().splitlines()]
        if show_answers and isinstance(part.checker, FreeTextChecker):
            lines += ["    Model answer: " + part.checker.model_answer.strip()]
        if show_answers and part.explanation:
            lines += ["    Explanation: " + part.explanation.strip()]
    return "\n".join(lines)
