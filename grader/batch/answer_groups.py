"""Answer groups: the class's answers to one free-text part, grouped so that a TA decides once per
group instead of once per student (as Gradescope's answer groups do).

Two steps:
1. Answers equal after `normalise` (Unicode compatibility forms, case, punctuation, whitespace)
   always share a group: that needs no judgement.
2. The distinct normalised answers are compared by TF-IDF over word 1–2-grams and character
   3–5-grams (scikit-learn), and agglomerative clustering with average linkage joins those whose
   mean cosine distance is below `DISTANCE` — copies with light edits, and close paraphrases
   that share most of their wording. Average linkage keeps a chain of small edits from joining
   two unrelated answers: every member must be close to the group as a whole.

Groups are proposals: the review sheet lists every member, and a TA may move a student out of a
group (by deleting the id from the group's `students` cell) or override one member.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from grader.checking.checkers.free_text import FORMAT_CHARACTERS

DISTANCE = 0.4
"""Mean cosine distance (1 − similarity) under which answers are proposed as one group. Measured on
the generated class of bench/bench_review.py (200 students × 19 parts): 99 % of pairs made from
the same answer (copies, light edits, rewordings) are within 0.42 of each other, 99 % of pairs
written independently are 0.5 or more apart. Below the gap: a wrong merge costs a TA more than
a group split in two."""

_PUNCTUATION = re.compile(r"[^\w\s]")
MISSING_EXTRA = ("grouping free-text answers needs scikit-learn: pip install 'grader[review]' "
                 "(or pip install scikit-learn)")


@dataclass(frozen=True)
class Answer:
    student: str
    text: str
    suggested: float = 0.0
    """The provisional (rubric) score of this answer."""


@dataclass(frozen=True)
class AnswerGroup:
    members: tuple[Answer, ...]
    """Most typical first: the first member is the group's representative."""

    @property
    def representative(self) -> Answer:
        return self.members[0]

    @property
    def students(self) -> tuple[str, ...]:
        return tuple(a.student for a in self.members)

    @property
    def suggested_range(self) -> tuple[float, float]:
        scores = [a.suggested for a in self.members]
        return min(scores), max(scores)


def normalise(text: str) -> str:
    """The answer with what does not change its meaning removed: compatibility forms (NFKC),
    invisible format characters, case, punctuation and runs of whitespace."""
    folded = unicodedata.normalize("NFKC", text)
    folded = FORMAT_CHARACTERS.sub("", folded).casefold()
    return " ".join(_PUNCTUATION.sub(" ", folded).split())


def group_answers(answers: Sequence[Answer], distance: float = DISTANCE) -> list[AnswerGroup]:
    """Group one part's answers; groups largest first (ties: by representative text)."""
    by_text: dict[str, list[Answer]] = {}
    for answer in answers:
        by_text.setdefault(normalise(answer.text), []).append(answer)
    texts = list(by_text)
    labels = _cluster(texts, distance) if len(texts) > 1 else [0] * len(texts)
    clusters: dict[int, list[str]] = {}
    for text, label in zip(texts, labels):
        clusters.setdefault(label, []).append(text)
    groups = [_group(cluster, by_text) for cluster in clusters.values()]
    return sorted(groups, key=lambda g: (-len(g.members), normalise(g.representative.text)))


def _group(texts: list[str], by_text: dict[str, list[Answer]]) -> AnswerGroup:
    """Members ordered by how many students wrote their exact text (then by text): the answer most
    students wrote represents the group."""
    ordered = sorted(texts, key=lambda t: (-len(by_text[t]), t))
    return AnswerGroup(tuple(a for t in ordered for a in sorted(by_text[t], key=lambda a: a.student)))


def _cluster(texts: list[str], distance: float) -> list[int]:
    try:
        from scipy.sparse import hstack
        from sklearn.cluster import AgglomerativeClustering
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import normalize
    except ImportError:
        raise RuntimeError(MISSING_EXTRA) from None

    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(texts)
    try:
        words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True).fit_transform(texts)
    except ValueError:  # no answer has a word of two letters or more: characters alone
        words = chars[:, :0]
    vectors = normalize(hstack([words, chars]).tocsr())
    # An answer with nothing to compare (only punctuation) is a group of its own.
    comparable = [i for i in range(len(texts)) if vectors[i].nnz]
    labels = list(range(len(texts)))
    if len(comparable) > 1:
        model = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                        distance_threshold=distance)
        for i, label in zip(comparable, model.fit_predict(vectors[comparable].toarray())):
            labels[i] = len(texts) + int(label)
    return labels
