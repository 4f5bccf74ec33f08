"""grader.handout.show: `grade show QUESTION` prints the prompt and, per part, what to give."""

from __future__ import annotations

from pathlib import Path

from grader.checking.kinds import KINDS
from grader.handout.show import describe_question
from grader.problemset.loader import load_problem_set

ROOT = Path(__file__).resolve().parent.parent
GENMODELS = load_problem_set(ROOT / "problems" / "genmodels", ROOT)


def test_every_part_line_says_what_its_kind_expects():
    for question in GENMODELS.questions:
        text = describe_question(question)
        assert text.startswith(f"{question.id}. {question.title}")
        assert question.prompt.strip().splitlines()[0] in text
        for part in question.parts:
            line = next(line for line in text.splitlines() if line.startswith(f"- {part.name} "))
            assert KINDS[part.checker.kind].expects(part.checker) in line


def test_a_multiple_choice_part_is_not_described_as_true_or_false():
    """The old description fell back to "True or False" for any kind it did not list."""
    q1c = GENMODELS.question("1c")
    assert "True or False" not in describe_question(q1c)
    assert "the options you select" in describe_question(q1c)


def test_model_answers_only_when_asked():
    q1d = GENMODELS.question("1d")
    assert "Model answer:" not in describe_question(q1d)
    assert "Model answer:" in describe_question(q1d, show_answers=True)


def test_one_point_is_singular():
    text = describe_question(GENMODELS.question("2e"))
    assert "- q2e_finite  (1 point):" in text and "(4 points)" in text.splitlines()[0]
