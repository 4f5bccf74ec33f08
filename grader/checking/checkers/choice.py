"""Single choice: the student names one option (a model class, a distribution) in their own words.

Names are compared after normalisation (`normalize`): Unicode NFKC, case-folded, punctuation
dropped, whitespace collapsed and each word made singular, so "GANs", "gan" and "Generative
Adversarial Networks" meet the aliases "gan" and "generative adversarial network".

Reading a string takes two steps. First the whole text is compared with every key and alias
(a leading "the"/"a"/"an" ignored). Failing that, the text is searched for aliases written as
whole words, longest alias first, so that "VAE or Normalizing Flow" reads as {vaes, flows} and
"masked autoregressive flow" as a flow rather than an autoregressive model.

This module also provides the normalisation and phrase search that `multi_choice` reuses.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from grader.checking.checkers.base import (
    NotAnswered,
    Unparsable,
    Verdict,
    WrongType,
    correct,
    incorrect,
    is_placeholder,
)
from grader.problemset.spec import ChoiceChecker, Option
from grader.sandbox.wire import NumpyArray, describe

MAX_TEXT_CHARS = 1_000
"""Longer answers are refused: a choice is a name, and prose invites accidental matches."""

MAX_ITEMS = 50
"""A list naming more options than this is not a serious selection."""

ARTICLES = frozenset({"the", "a", "an"})

AliasTable = dict[tuple[str, ...], frozenset[str]]


# ---------------------------------------------------------------------------------------------
# Normalisation and phrase search (shared with multi_choice)
# ---------------------------------------------------------------------------------------------


def _singular(word: str) -> str:
    """A crude singular: enough for "GANs"/"GAN" and "flows"/"flow", applied to both sides alike."""
    if len(word) >= 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def normalize(text: str) -> str:
    """NFKC, case-fold, punctuation and symbols to spaces, collapse whitespace, singular words.

    Invisible format characters (zero-width space, soft hyphen: category Cf) are dropped rather
    than spaced, so that a pasted "V\u200bAE" is still "vae".
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    visible = (c for c in folded if unicodedata.category(c) != "Cf")
    spaced = "".join(c if c.isalnum() else " " for c in visible)
    return " ".join(_singular(w) for w in spaced.split())


def tokens_of(text: str) -> tuple[str, ...]:
    return tuple(normalize(text).split())


def drop_article(tokens: Sequence[str]) -> tuple[str, ...]:
    """"the data distribution" reads as "data distribution"; a lone "a" stays (it may be a key)."""
    if len(tokens) > 1 and tokens[0] in ARTICLES:
        return tuple(tokens[1:])
    return tuple(tokens)


def alias_table(options: Iterable[Option]) -> AliasTable:
    """Map each normalised key and alias to the option keys it names (several only by mistake)."""
    return _alias_table(tuple((option.key, tuple(option.aliases)) for option in options))


@functools.lru_cache(maxsize=256)
def _alias_table(options: tuple[tuple[str, tuple[str, ...]], ...]) -> AliasTable:
    # Cached: a batch reads the same options for every student (the table is never mutated).
    table: dict[tuple[str, ...], set[str]] = {}
    for key, aliases in options:
        for name in (key, *aliases):
            tokens = drop_article(tokens_of(name))
            if tokens:
                table.setdefault(tokens, set()).add(key)
    return {tokens: frozenset(keys) for tokens, keys in table.items()}


def exact_keys(tokens: Sequence[str], table: AliasTable) -> frozenset[str]:
    return table.get(drop_article(tokens), frozenset())


def find_phrases(
    tokens: Sequence[str], table: AliasTable, min_chars: int = 1
) -> frozenset[str]:
    """Keys whose aliases occur as whole-word phrases; a longer alias claims its words first.

    `min_chars` lets multi_choice skip one-letter keys such as "a", which in prose is an article.
    """
    aliases = sorted(
        (alias for alias in table if len(" ".join(alias)) >= min_chars),
        key=lambda alias: (-len(alias), alias),  # longest first; ties in a fixed order
    )
    claimed = [False] * len(tokens)
    found: set[str] = set()
    for alias in aliases:
        width = len(alias)
        for start in range(len(tokens) - width + 1):
            span = slice(start, start + width)
            if tuple(tokens[span]) == alias and not any(claimed[span]):
                found |= table[alias]
                claimed[span] = [True] * width
    return frozenset(found)


def quoted_keys(options: Iterable[Option]) -> str:
    return ", ".join(f'"{o.key}"' for o in options)


def ordered(keys: Iterable[str], options: Sequence[Option]) -> list[str]:
    """Keys in the order the spec lists its options, so messages read the same every time."""
    order = {o.key: i for i, o in enumerate(options)}
    return sorted(keys, key=lambda k: (order.get(k, len(order)), k))


def short_text(text: str, limit: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# ---------------------------------------------------------------------------------------------
# The choice kind
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceAnswer:
    keys: frozenset[str]
    text: str
    """What the student wrote, for the report."""


def _expected(spec: ChoiceChecker) -> str:
    several = "; you may name several, e.g. \"x or y\"" if spec.allow_several else ""
    return f"expected one of: {quoted_keys(spec.options)} (a string{several})"


def _keys_from_string(text: str, spec: ChoiceChecker, table: AliasTable) -> frozenset[str]:
    if len(text) > MAX_TEXT_CHARS:
        raise Unparsable(
            f"your answer is {len(text)} characters long; name the option in a few words; "
            + _expected(spec)
        )
    tokens = tokens_of(text)
    if not tokens:
        raise Unparsable(f"could not read {describe(text)} as an option; " + _expected(spec))
    keys = exact_keys(tokens, table) or find_phrases(tokens, table)
    if not keys:
        raise Unparsable(f"{describe(text)} names none of the options; " + _expected(spec))
    return keys


def plain_words(text: str) -> str:
    """Case, punctuation and spacing ignored (no plural folding: "yes" must stay "yes")."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in folded).split())


def strings_of(value: Any, expected: str, empty: str | None = None, keys: Iterable[str] = ()) -> list[str]:
    """The strings a value holds: itself, or the elements of a flat list/tuple/set/array of strings.

    `keys`: the option keys; an int (not a bool) written as one of them is read as that key, so
    that 3 or {1, 3} name options "3" or "1" and "3" where the options are numbered. A set's
    strings come sorted (a set has no order). `empty`: what to say when nothing is left (default:
    the container is empty).
    """
    numbered = frozenset(keys)
    if isinstance(value, str):
        return [value]
    if type(value) is int and str(value) in numbered:
        return [str(value)]
    kind = ("set" if isinstance(value, (set, frozenset)) else "array" if isinstance(value, NumpyArray)
            else "tuple" if isinstance(value, tuple) else "list")
    if isinstance(value, NumpyArray):
        value = list(value.data)
    if not isinstance(value, (list, tuple, set, frozenset)):
        raise WrongType(f"got {describe(value)}; " + expected)
    if len(value) > MAX_ITEMS:
        raise Unparsable(f"your {kind} has {len(value)} items; " + expected)
    items = [str(v) if type(v) is int and str(v) in numbered else v for v in value]
    bad = [v for v in items if not isinstance(v, str)]
    if bad:
        shown = sorted(map(describe, bad))[0] if kind == "set" else describe(bad[0])
        raise WrongType(f"got {shown} inside your {kind}, each item should be a string; " + expected)
    strings = [s for s in items if not is_placeholder(s)]
    if not strings:
        raise NotAnswered(f"{empty or f'the {kind} is empty'}; " + expected)
    return sorted(strings) if kind == "set" else strings


def parse(value: Any, spec: ChoiceChecker) -> ChoiceAnswer:
    if is_placeholder(value):
        raise NotAnswered("no answer given; " + _expected(spec))
    strings = strings_of(value, _expected(spec), keys=(o.key for o in spec.options))
    table = alias_table(spec.options)
    keys = frozenset().union(*(_keys_from_string(s, spec, table) for s in strings))
    if len(keys) > 1 and not spec.allow_several:
        named = ", ".join(f'"{k}"' for k in ordered(keys, spec.options))
        raise Unparsable(f"your answer names several options ({named}), name exactly one; "
                         + _expected(spec))
    return ChoiceAnswer(keys, ", ".join(strings))


def _wrong_option_lines(wrong: list[str], spec: ChoiceChecker) -> list[str]:
    by_key = {o.key: o for o in spec.options}
    return [feedback for k in wrong if k in by_key and (feedback := by_key[k].feedback)]


def grade(answer: ChoiceAnswer, expected: ChoiceAnswer, spec: ChoiceChecker) -> Verdict:
    """Correct iff every named option is accepted (and exactly one is named unless several may be).

    `expected` (the reference's own answer) is only displayed by the report; `spec.accept` rules,
    because a question such as 3(h) has several right answers.
    """
    del expected
    accept = set(spec.accept)
    wrong = ordered(answer.keys - accept, spec.options)
    too_many = len(answer.keys) > 1 and not spec.allow_several
    if answer.keys and not wrong and not too_many:
        return correct()
    lines = _wrong_option_lines(wrong, spec)
    if wrong and len(answer.keys) > 1:
        named = ", ".join(f'"{k}"' for k in wrong)
        lines.append(f"Every option you name must be a good choice; {named} is not.")
    if too_many:
        lines.append("Name exactly one option.")
    return incorrect(*lines)


def same(answer: ChoiceAnswer, other: ChoiceAnswer, spec: ChoiceChecker) -> bool:
    """Whether the answer makes the listed mistake `other`: it names every option the mistake names.

    For a single choice this is equality. Where several may be named, "VAE or GAN" makes the
    mistake "GAN", so the student sees why GANs are wrong even though they also named a VAE.
    """
    del spec
    return bool(other.keys) and other.keys <= answer.keys


def show(answer: ChoiceAnswer) -> str:
    keys = ", ".join(sorted(answer.keys))
    if normalize(answer.text) == normalize(keys):
        return keys
    return f'{keys} (read from "{short_text(answer.text)}")'


def expects(spec: Any) -> str:
    """What a student gives for this part, in words."""
    keys = ", ".join(f"`{o.key}`" for o in spec.options)
    text = f"a string naming one option: {keys} (the usual names of each are understood too)"
    if spec.allow_several:
        text += '; you may name several, e.g. "x or y"'
    return text


def stub_arguments(spec: Any) -> tuple[str, ...]:
    """The starter file's stub: a function of no arguments (a plain value may replace it)."""
    del spec
    return ()
