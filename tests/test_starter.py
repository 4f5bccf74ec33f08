"""grader.handout.starter: the starter file grades to "not answered" everywhere, and says what to give."""

from __future__ import annotations

import ast
from pathlib import Path

from grader.checking.kinds import KINDS
from grader.handout.starter import render_template
from grader.pipeline import grade_submission
from grader.problemset.loader import load_problem_set
from grader.report.results import Outcome
from grader.sandbox import levels

ROOT = Path(__file__).resolve().parent.parent
GENMODELS = load_problem_set(ROOT / "problems" / "genmodels", ROOT)


def test_one_stub_per_part_with_the_kinds_arguments():
    tree = ast.parse(render_template(GENMODELS))
    stubs = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    for _, part in GENMODELS.parts():
        stub = stubs[part.name]
        assert tuple(a.arg for a in stub.args.args) == KINDS[part.checker.kind].stub_arguments(part.checker)
        docstring = ast.get_docstring(stub) or ""
        assert "Your answer:" in docstring
        assert " ".join(docstring.split()).count(" ".join(KINDS[part.checker.kind].expects(part.checker).split()))


def test_the_hints_are_wrapped_for_an_editor():
    """The course's own prompts are kept as written; the hint the starter adds is wrapped."""
    text = render_template(GENMODELS)
    hints = [block for block in text.split("\n\n") if block.strip().startswith("Your answer:")]
    assert len(hints) == sum(1 for _ in GENMODELS.parts())
    assert all(len(line) <= 100 for hint in hints for line in hint.splitlines())


def test_the_unchanged_starter_file_grades_to_not_answered(tmp_path):
    path = tmp_path / "answers.py"
    path.write_text(render_template(GENMODELS), encoding="utf-8")
    report = grade_submission(GENMODELS, path, sandbox=levels.choose("process"))
    assert {p.outcome for p in report.parts} == {Outcome.NOT_ANSWERED}
    assert report.earned == 0 and not report.file_problems


def test_the_bundled_template_example_is_what_grade_template_writes():
    """submissions/genmodels/template.py is the example of a student's untouched starter file."""
    committed = (ROOT / "submissions" / "genmodels" / "template.py").read_text(encoding="utf-8")
    assert committed == render_template(GENMODELS, "template.py")
