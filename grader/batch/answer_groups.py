"""Answer groups: the class's answers to one free-text part, grouped so that a TA decides once per
group instead of once per student (as Gradescope's answer groups do).

Two steps:
1. Answers equal after `normalise` (Unicode compatibility forms, case, punctuation, whitespace)
   always share a group: that needs no judgement.
2. The distinct normalised answers are compared by TF-IDF over word 1–2-grams and character
   3–5-grams (scikit-learn), and agglomerative clustering with average linkage joins those whose
   mean cosine distance is below `DISTANCE` — copies with light edits, and close paraphrases
   that share most of their wording. Average linkage keeps a chain of small edits from joining
   two unrelated answers: every member must be close to the group as a whole. A part with more
   distinct answers than CLUSTERED (a MOOC's) clusters the most written ones and compares each of
   the others with the groups found.

Groups are proposals: the review sheet lists every member, and a TA may move a student out of a
group (by deleting the id from the group's `students` cell) or override one member.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from grader.checking.checkers.free_text import FORMAT_CHARACTERS

DISTANCE = 0.4
"""Mean cosine distance (1 − similarity) under which answers are proposed as one group. Measured on
the generated class of bench/bench_review.py (200 students × 19 parts): 99 % of pairs made from
the same answer (copies, light edits, rewordings) are within 0.42 of each other, 99 % of pairs
written independently are 0.5 or more apart. Below the gap: a wrong merge costs a TA more than
a group split in two."""

CLUSTERED = 2_000
"""Distinct answers (the most written first) clustered together. Average linkage compares every
pair, so its memory and time grow with the square of the count: a MOOC's part with 80,000 distinct
answers would need tens of gigabytes. Every later answer is compared with the groups found, in
chunks: it joins the closest one on the same rule (mean distance to the members under DISTANCE) or
stands alone, in memory that does not grow with the class."""
JOIN_CHUNK = 1_000

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
    texts = sorted(by_text, key=lambda t: (-len(by_text[t]), t))  # the most written first (see CLUSTERED)
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
    """A label per text (equal labels: one group). The first CLUSTERED texts are clustered; each
    later one joins the group it is closest to on average, or stands alone."""
    try:
        import numpy as np
        from sklearn.cluster import AgglomerativeClustering
    except ImportError:
        raise RuntimeError(MISSING_EXTRA) from None

    head = texts[:CLUSTERED]
    vectorise = _vectoriser(head)
    vectors = vectorise(head)
    # An answer with nothing to compare (only punctuation) is a group of its own.
    comparable = [i for i in range(len(head)) if vectors[i].nnz]
    labels = list(range(len(texts)))
    if len(comparable) < 2:
        return labels
    # Cosine distances from the sparse vectors (unit length): n² numbers, not n × vocabulary.
    distances = 1.0 - (vectors[comparable] @ vectors[comparable].T).toarray()
    np.clip(distances, 0.0, 2.0, out=distances)
    np.fill_diagonal(distances, 0.0)
    model = AgglomerativeClustering(n_clusters=None, metric="precomputed", linkage="average",
                                    distance_threshold=distance)
    clustered = [len(texts) + int(label) for label in model.fit_predict(distances)]
    for i, label in zip(comparable, clustered):
        labels[i] = label
    if len(texts) > len(head):
        _join_nearest(texts, labels, vectorise, vectors[comparable], clustered, distance)
    return labels


def _vectoriser(texts: list[str]) -> Callable[[list[str]], Any]:
    """TF-IDF over word 1–2-grams and character 3–5-grams, fitted on `texts`: a function from texts
    to their unit-length sparse vectors."""
    try:
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import normalize
    except ImportError:
        raise RuntimeError(MISSING_EXTRA) from None

    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit(texts)
    words: TfidfVectorizer | None = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True)
    try:
        words.fit(texts)  # type: ignore[union-attr]
    except ValueError:  # no answer has a word of two letters or more: characters alone
        words = None

    def vectorise(batch: list[str]) -> Any:
        char_vectors = chars.transform(batch)
        parts = [words.transform(batch), char_vectors] if words is not None else [char_vectors]
        return normalize(hstack(parts).tocsr())

    return vectorise


def _join_nearest(texts: list[str], labels: list[int], vectorise: Callable[[list[str]], Any],
                  clustered_vectors: Any, clustered: list[int], distance: float) -> None:
    """Each text after the first CLUSTERED joins the group whose members are on average closest to
    it, when that mean distance is under `distance` (the rule average linkage applies), else stays
    alone. The mean similarity to a group's members is the dot product with their mean vector."""
    import numpy as np
    from scipy.sparse import csr_matrix

    groups = sorted(set(clustered))
    row_of = {label: row for row, label in enumerate(groups)}
    rows = np.array([row_of[label] for label in clustered])
    counts = np.bincount(rows, minlength=len(groups))
    membership = csr_matrix((1.0 / counts[rows], (rows, np.arange(len(clustered)))),
                            shape=(len(groups), len(clustered)))
    means = (membership @ clustered_vectors).T.tocsc()  # features × groups: each group's mean vector
    for start in range(CLUSTERED, len(texts), JOIN_CHUNK):
        similarity = (vectorise(texts[start:start + JOIN_CHUNK]) @ means).toarray()
        best = similarity.argmax(axis=1)
        for offset, (row, column) in enumerate(zip(similarity, best)):
            if 1.0 - row[column] < distance:
                labels[start + offset] = groups[column]
