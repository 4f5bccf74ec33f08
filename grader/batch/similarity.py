"""Submissions that are suspiciously alike: a flag for course staff, never a change of score.

Code is compared as MOSS does, with copydetect's implementation: each file is reduced to tokens
with names replaced by V/F and strings by S (so renamed variables change nothing), its k-grams are
hashed and winnowed into fingerprints (so reordered functions keep theirs), and two files are as
alike as the share of their fingerprints they have in common. Passages everyone shares are left
out: what the starter file gives, and (MOSS's `-m`) any fingerprint found in more than
`COMMON_SHARE` of the class — "q1a = '…'" lines look the same in every file.

Prose (the free-text answers the gradebook keeps) is compared part by part with the TF-IDF vectors
of the answer groups; a pair of answers at cosine similarity `PROSE_COPY` or more is a near copy
(reflowed, recased or lightly edited).

A pair's score is the larger of its code similarity and the share of the free-text parts both
answered that are near copies; pairs are listed highest first.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from grader.batch.answer_groups import normalise

MISSING_EXTRA = ("the similarity report needs copydetect and scikit-learn: pip install 'grader[review]' "
                 "(or pip install copydetect scikit-learn)")

NOISE = 25
"""Shortest shared run of filtered code characters worth reporting (copydetect's noise threshold)."""
GUARANTEE = 30
"""Every shared run this long is found (copydetect's guarantee threshold)."""
COMMON_SHARE = 0.5
MIN_COMMON = 3
"""A fingerprint in more than max(MIN_COMMON, COMMON_SHARE × class) files is everyone's, not a copy."""
PROSE_COPY = 0.85


@dataclass(frozen=True)
class Submission:
    key: str
    code: str
    answers: dict[str, str] = field(default_factory=dict)
    """Free-text answers by part."""


@dataclass
class _Fingerprint:
    code: str
    filtered: str
    offsets: Any
    hashes: set[int]
    index: dict[int, list[int]]


@dataclass(frozen=True)
class Passage:
    """A stretch of one file, shared with the other file of its pair or not."""

    text: str
    shared: bool


@dataclass(frozen=True)
class ProseMatch:
    part: str
    similarity: float
    first: str
    second: str


@dataclass(frozen=True)
class SimilarPair:
    first: str
    second: str
    code: float
    """Share of fingerprints in common (the larger of the two files' shares)."""
    prose: float
    """Share of the free-text parts both answered that are near copies."""
    prose_matches: tuple[ProseMatch, ...]
    first_code: tuple[Passage, ...] = ()
    second_code: tuple[Passage, ...] = ()

    @property
    def score(self) -> float:
        return max(self.code, self.prose)


def _libraries() -> Any:
    try:
        from copydetect import utils
    except ImportError:
        raise RuntimeError(MISSING_EXTRA) from None
    return utils


def _stable_hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def _fingerprint(code: str, ignored: set[int]) -> _Fingerprint:
    """copydetect's winnowing of the normalised tokens, over k-gram hashes of our own: copydetect
    hashes with Python's hash(), which differs from one process to the next (PYTHONHASHSEED), so
    the same two files would score differently in two runs."""
    utils = _libraries()
    import numpy as np

    filtered, offsets = utils.filter_code(code, "answers.py", "python")
    kgrams = np.array([_stable_hash(filtered[i:i + NOISE]) for i in range(len(filtered) - NOISE + 1)],
                      dtype=np.int64)
    hashes, positions = utils.winnow(kgrams, window_size=GUARANTEE - NOISE + 1, remove_duplicates=False)
    keep = ~np.isin(hashes, np.fromiter(ignored, dtype=np.int64, count=len(ignored)))
    index: dict[int, list[int]] = {}
    for value, position in zip(hashes[keep].tolist(), positions[keep].tolist()):
        index.setdefault(value, []).append(position)
    return _Fingerprint(code, filtered, offsets, set(index), index)


def _passages(fp: _Fingerprint, shared: set[int]) -> tuple[Passage, ...]:
    """The file's own text cut into shared and unshared stretches (no markup: the page escapes it)."""
    utils = _libraries()
    import numpy as np

    starts = [i for h in shared for i in fp.index.get(h, [])]
    if not starts:
        return (Passage(fp.code, False),)
    slices = utils.get_copied_slices(np.array(starts, dtype=int), NOISE)
    if len(fp.offsets):  # back from the filtered code to the student's own characters
        slices = slices + fp.offsets[:, 1][np.clip(np.searchsorted(fp.offsets[:, 0], slices), 0,
                                                   fp.offsets.shape[0] - 1)]
    out, end = [], 0
    for start, stop in zip(slices[0], slices[1]):
        start, stop = max(int(start), end), int(stop)
        if start > end:
            out.append(Passage(fp.code[end:start], False))
        if stop > start:
            out.append(Passage(fp.code[start:stop], True))
        end = max(end, stop)
    if end < len(fp.code):
        out.append(Passage(fp.code[end:], False))
    return tuple(out)


def _prose_similarity(submissions: Sequence[Submission]) -> dict[str, Any]:
    """Per free-text part: (keys of those who answered, their cosine similarity matrix)."""
    try:
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.preprocessing import normalize
    except ImportError:
        raise RuntimeError(MISSING_EXTRA) from None
    parts = sorted({p for s in submissions for p in s.answers})
    out = {}
    for part in parts:
        keys = [s.key for s in submissions if normalise(s.answers.get(part, ""))]
        texts = [normalise(s.answers[part]) for s in submissions if s.key in set(keys)]
        if len(texts) < 2:
            continue
        chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True).fit_transform(texts)
        words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                token_pattern=r"(?u)\b\w+\b").fit_transform(texts)
        vectors = normalize(hstack([words, chars]).tocsr())
        out[part] = (keys, (vectors @ vectors.T).toarray())
    return out


def similar_pairs(submissions: Sequence[Submission], starter: str = "", top: int = 20) -> list[SimilarPair]:
    """The `top` most alike pairs of `submissions`, highest score first (ties by keys)."""
    starter_hashes = _fingerprint(starter, set()).hashes if starter.strip() else set()
    first_pass = {s.key: _fingerprint(s.code, starter_hashes) for s in submissions}
    counts = Counter(h for fp in first_pass.values() for h in fp.hashes)
    limit = max(MIN_COMMON, COMMON_SHARE * len(submissions))
    common = {h for h, n in counts.items() if n > limit}
    prints = {key: (fp if not common else _Fingerprint(fp.code, fp.filtered, fp.offsets, fp.hashes - common,
                                                       {h: i for h, i in fp.index.items() if h not in common}))
              for key, fp in first_pass.items()}
    prose = _prose_similarity(submissions)
    by_key = {s.key: s for s in submissions}
    pairs = []
    for a, b in combinations(sorted(by_key), 2):
        fa, fb = prints[a], prints[b]
        shared = fa.hashes & fb.hashes
        code = max(len(shared) / len(fa.hashes) if fa.hashes else 0.0,
                   len(shared) / len(fb.hashes) if fb.hashes else 0.0)
        matches, both = [], 0
        for part, (keys, sims) in prose.items():
            if a in keys and b in keys:
                both += 1
                similarity = float(sims[keys.index(a), keys.index(b)])
                if similarity >= PROSE_COPY:
                    matches.append(ProseMatch(part, similarity, by_key[a].answers[part], by_key[b].answers[part]))
        pairs.append(SimilarPair(a, b, code, len(matches) / both if both else 0.0, tuple(matches)))
    pairs.sort(key=lambda p: (-p.score, p.first, p.second))
    return [_with_passages(p, prints) for p in pairs[:top]]


def _with_passages(pair: SimilarPair, prints: dict[str, _Fingerprint]) -> SimilarPair:
    shared = prints[pair.first].hashes & prints[pair.second].hashes
    return SimilarPair(pair.first, pair.second, pair.code, pair.prose, pair.prose_matches,
                       _passages(prints[pair.first], shared), _passages(prints[pair.second], shared))
