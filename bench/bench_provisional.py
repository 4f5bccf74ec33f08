"""How the provisional free-text score agrees with a careful human grader.

    python bench/bench_provisional.py

On tests/data/free_text_labelled.yaml (115 answers to the 19 free-text parts of genmodels: model-
quality paraphrases, partial answers, fluent wrong answers and keyword lists, each with the points a
careful grader gives, written without reading the rubric's patterns), prints per part the mean
absolute difference between the provisional score and the label and how often it is within half a
rubric point; then the same per kind of answer, and the overall figures (targets: within half a
point for at least 80 % of answers; no keyword list above a quarter of its part's points).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from grader.checking.checkers import free_text  # noqa: E402
from grader.problemset.loader import load_problem_set  # noqa: E402
from grader.problemset.spec import FreeTextChecker  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "free_text_labelled.yaml"


def scored() -> list[tuple[dict, float, float]]:
    """(labelled answer, provisional points, the part's points) for every labelled answer."""
    problem_set = load_problem_set(ROOT / "problems" / "genmodels", ROOT)
    parts = {p.name: p for _, p in problem_set.parts() if isinstance(p.checker, FreeTextChecker)}
    out = []
    for answer in yaml.safe_load(LABELLED.read_text(encoding="utf-8"))["answers"]:
        part = parts[answer["part"]]
        assert isinstance(part.checker, FreeTextChecker)
        verdict = free_text.grade(answer["text"], "", part.checker)
        out.append((answer, verdict.fraction * part.points, part.points))
    return out


def summary(rows: list[tuple[dict, float, float]]) -> str:
    diffs = [abs(got - a["points"]) for a, got, _ in rows]
    within = sum(d <= 0.5 for d in diffs)
    return (f"{len(rows):4d} answers  mean |diff| {sum(diffs) / len(diffs):.2f} pt  "
            f"within 0.5 pt {within:4d} ({100 * within / len(rows):.0f} %)")


def main() -> None:
    rows = scored()
    for key, title in (("part", "per part"), ("kind", "per kind of answer")):
        print(title)
        groups: dict[str, list] = defaultdict(list)
        for row in rows:
            groups[row[0][key]].append(row)
        for name in sorted(groups):
            print(f"  {name:<14} {summary(groups[name])}")
    print(f"overall          {summary(rows)}  (target ≥ 80 %)")
    salads = [(got / possible) for a, got, possible in rows if a["kind"] == "keyword_salad"]
    print(f"keyword lists: highest provisional share {max(salads):.0%} of the part's points (target ≤ 25 %)")


if __name__ == "__main__":
    main()
