"""grader.batch.similarity: planted copies are found and ranked above independent work."""

from __future__ import annotations

import ast
import csv
import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from review_corpus import generate_class

from grader.batch.similarity import Submission, similar_pairs
from grader.handout.starter import render_template
from grader.problemset.loader import load_problem_set
from grader.problemset.spec import FreeTextChecker

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "submissions" / "genmodels"


def disguise(source: str, seed: int = 1) -> str:
    """What a student hiding a copy does: every function's variables renamed, the top-level
    statements reordered, the layout and comments gone (ast.unparse)."""
    tree = ast.parse(source)
    for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
        local = {a.arg for a in function.args.args} | {
            n.id for n in ast.walk(function) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
        for node in ast.walk(function):
            if isinstance(node, ast.Name) and node.id in local:
                node.id = f"my_{node.id}"
            elif isinstance(node, ast.arg) and node.arg in local:
                node.arg = f"my_{node.arg}"
    imports = [s for s in tree.body if isinstance(s, (ast.Import, ast.ImportFrom))]
    rest = [s for s in tree.body if s not in imports]
    random.Random(seed).shuffle(rest)
    tree.body = imports + rest
    return ast.unparse(tree)


def reflow(text: str) -> str:
    """The same prose re-wrapped at another width, recased and with its punctuation changed."""
    return "\n".join(textwrap.wrap(text.lower().replace(";", ",").replace(" - ", ", "), width=37))


@pytest.fixture(scope="module")
def problem_set():
    return load_problem_set(ROOT / "problems" / "genmodels", ROOT)


@pytest.fixture(scope="module")
def ranked(problem_set):
    parts = [p for _, p in problem_set.parts() if isinstance(p.checker, FreeTextChecker)]
    # Independent prose: each student's answers are their own (the corpus's original answers).
    prose = generate_class(parts, 6, seed=11, copy=0, edit=0, reword=0)
    answers = {f"s{n:04d}": {a.part: a.text for a in prose if a.student == f"s{n:04d}"} for n in range(6)}
    code = {name: (EXAMPLES / f"{name}.py").read_text(encoding="utf-8")
            for name in ("perfect", "typical", "raises", "syntax_error")}
    starter = render_template(problem_set)
    students = [Submission("perfect", code["perfect"], answers["s0000"]),
                Submission("typical", code["typical"], answers["s0001"]),
                Submission("raises", code["raises"], answers["s0002"]),
                Submission("syntax_error", code["syntax_error"], answers["s0003"]),
                Submission("ivy", starter, answers["s0004"]),
                # planted: typical's code disguised; prose of her own
                Submission("tina", disguise(code["typical"]), answers["s0005"]),
                # planted: ivy's prose reflowed; code of her own (the untouched starter)
                Submission("pam", starter, {part: reflow(text) for part, text in answers["s0004"].items()})]
    return similar_pairs(students, starter, top=30)


def test_planted_copies_rank_above_independent_work(ranked):
    top_two = {frozenset((p.first, p.second)) for p in ranked[:2]}
    assert top_two == {frozenset(("tina", "typical")), frozenset(("ivy", "pam"))}
    independent = [p.score for p in ranked[2:]]
    assert min(p.score for p in ranked[:2]) > 2 * max(independent)


def test_renamed_and_reordered_code_is_found_with_its_passages(ranked):
    pair = next(p for p in ranked if {p.first, p.second} == {"tina", "typical"})
    assert pair.code >= 0.4 and pair.prose == 0
    shared = "".join(p.text for p in pair.second_code if p.shared)  # typical's side
    assert "alphas" in shared and "".join(p.text for p in pair.second_code) == \
        (EXAMPLES / "typical.py").read_text(encoding="utf-8")  # passages rebuild the file exactly


def test_reflowed_prose_is_found_part_by_part_and_the_starter_is_nobodys(ranked):
    pair = next(p for p in ranked if {p.first, p.second} == {"ivy", "pam"})
    assert pair.prose == 1 and len(pair.prose_matches) == 19
    assert pair.code == 0  # both handed in the starter's code: not a copy of each other


def test_the_command_writes_the_page_and_table(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("perfect", "typical", "raises"):
        (folder / f"{name}.py").write_text((EXAMPLES / f"{name}.py").read_text(encoding="utf-8"))
    (folder / "tina.py").write_text(disguise((EXAMPLES / "typical.py").read_text(encoding="utf-8")))
    done = subprocess.run([sys.executable, "-m", "grader.cli", "similarity", str(folder), "--out", str(tmp_path / "o"),
                           "--course", str(ROOT), "-a", "genmodels"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "1. tina · typical" in done.stdout and "never a score change" in done.stdout
    with (tmp_path / "o" / "similarity.csv").open(encoding="utf-8-sig") as f:
        first = next(csv.DictReader(f))
    assert (first["first"], first["second"]) == ("tina", "typical")
    page = (tmp_path / "o" / "similarity.html").read_text(encoding="utf-8")
    assert "<mark>" in page and "never a change of score" in page and "<script" not in page


def test_the_code_score_is_the_same_in_every_process():
    """The k-gram hashes are our own: Python's hash() (which copydetect uses) changes per process."""
    program = ("from pathlib import Path\nfrom grader.batch.similarity import Submission, similar_pairs\n"
               f"folder = Path({str(EXAMPLES)!r})\n"
               "a, b = (Submission(n, (folder / f'{n}.py').read_text(), {}) for n in ('perfect', 'typical'))\n"
               "print(similar_pairs([a, b])[0].code)\n")
    scores = {subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in (1, 2, 3)}
    assert len(scores) == 1 and 0 < float(scores.pop()) < 1
