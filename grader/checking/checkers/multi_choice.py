"""Multiple choice: the student selects a set of options, e.g. {"a", "c"}, ["a", "c"] or "(a) and (c)".

A string is split on list separators ("," ";" "&" "+" "/" "and" "or" "plus"); each piece is read
as a key or alias (see `choice.normalize`), or else searched for an alias phrase or a key in
parentheses such as "(c)". A bare one-letter key counts only when it stands alone, because in
prose "a" is an article. A short piece naming no option (a misspelt name, "e") is an error
rather than silently dropped; a longer one is taken as explanation and skipped.

Credit follows `spec.partial_credit` (see `fraction`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from grader.checking.checkers.base import (
    NotAnswered,
    Unparsable,
    Verdict,
    is_placeholder,
    partial,
)
from grader.checking.checkers.choice import (
    MAX_TEXT_CHARS,
    AliasTable,
    alias_table,
    exact_keys,
    find_phrases,
    normalize,
    ordered,
    short_text,
    strings_of,
    tokens_of,
)
from grader.problemset.spec import MultiChoiceChecker, Option
from grader.sandbox.wire import describe

SEPARATORS = re.compile(r"[,;&+/\n]|\b(?:and|or|plus)\b")
PARENTHESISED = re.compile(r"\(\s*([^\s()]{1,3})\s*\)")
"""A key written "(a)"; "a)" or "a." at the start of a piece is caught by LEADING_LABEL."""
LEADING_LABEL = re.compile(r"^\s*([^\s().:]{1,2})\s*[).:]")
MAX_UNKNOWN_WORDS = 3
"""A piece this short that names no option is probably a misspelt option, so it is an error."""


@dataclass(frozen=True)
class MultiChoiceAnswer:
    keys: frozenset[str]
    text: str


def _expected(spec: MultiChoiceChecker) -> str:
    listed = ", ".join(_label(o) for o in spec.options)
    return ("expected the options you select, as a set or list of keys or a string such as "
            f"\"(x) and (y)\", from: {listed}")


def _label(option: Option) -> str:
    return f'"{option.key}" ({option.aliases[0]})' if option.aliases else f'"{option.key}"'


def _labelled_keys(piece: str, keys: dict[str, str]) -> frozenset[str]:
    """Keys written as labels, "(c)" anywhere or "c)" at the start, which are real option keys."""
    found = PARENTHESISED.findall(piece) + LEADING_LABEL.findall(piece)
    return frozenset(keys[n] for n in map(normalize, found) if n in keys)


def _exact(tokens: tuple[str, ...], table: AliasTable, keys: dict[str, str]) -> frozenset[str]:
    """Bare keys ("a", "a c") or one whole alias; keys first, so the article rule of
    `exact_keys` cannot eat the "a" of "a c"."""
    if tokens and all(t in keys for t in tokens):
        return frozenset(keys[t] for t in tokens)
    return exact_keys(tokens, table)


def _keys_from_piece(piece: str, table: AliasTable, keys: dict[str, str]) -> frozenset[str]:
    """`keys` maps each normalised option key to the key itself."""
    tokens = tokens_of(piece)
    exact = _exact(tokens, table, keys)
    if exact or not tokens:
        return exact
    return find_phrases(tokens, table, min_chars=2) | _labelled_keys(piece, keys)


def _keys_from_string(text: str, spec: MultiChoiceChecker, table: AliasTable) -> frozenset[str]:
    if len(text) > MAX_TEXT_CHARS:
        raise Unparsable(f"your answer is {len(text)} characters long; " + _expected(spec))
    keys = {normalize(o.key): o.key for o in spec.options}
    whole = _exact(tokens_of(text), table, keys)
    if whole:  # an alias that itself contains "and" or "/" must not be split
        return whole
    folded = unicodedata.normalize("NFKC", text).casefold()
    found: set[str] = set()
    for piece in SEPARATORS.split(folded):
        piece_keys = _keys_from_piece(piece, table, keys)
        words = len(tokens_of(piece))
        if not piece_keys and 0 < words <= MAX_UNKNOWN_WORDS:
            raise Unparsable(f'could not read "{short_text(piece.strip())}" as an option; '
                             + _expected(spec))
        found |= piece_keys
    if not found:
        raise Unparsable(f"{describe(text)} names none of the options; " + _expected(spec))
    return frozenset(found)


def parse(value: Any, spec: MultiChoiceChecker) -> MultiChoiceAnswer:
    if is_placeholder(value):
        raise NotAnswered("no answer given; " + _expected(spec))
    strings = strings_of(value, _expected(spec), "no option selected", keys=(o.key for o in spec.options))
    table = alias_table(spec.options)
    keys = frozenset().union(*(_keys_from_string(s, spec, table) for s in strings))
    return MultiChoiceAnswer(keys, ", ".join(strings))


def fraction(chosen: frozenset[str], spec: MultiChoiceChecker) -> float:
    """right_minus_wrong: (right chosen − wrong chosen) / number right, at least 0.

    Subtracting wrong choices is what stops "select everything" from earning full marks.
    """
    right = set(spec.correct)
    if spec.partial_credit == "all_or_nothing":
        return 1.0 if chosen == right else 0.0
    score = (len(chosen & right) - len(chosen - right)) / len(right)
    return max(score, 0.0)


def _name(key: str, options: Sequence[Option]) -> str:
    for option in options:
        if option.key == key:
            return f"({key}) {option.aliases[0]}" if option.aliases else f"({key})"
    return f"({key})"


def _option_lines(keys: list[str], spec: MultiChoiceChecker, default: str) -> list[str]:
    by_key = {o.key: o for o in spec.options}
    lines = []
    for key in keys:
        option = by_key.get(key)
        text = option.feedback if option and option.feedback else default
        lines.append(f"{_name(key, spec.options)}: {text}")
    return lines


def grade(answer: MultiChoiceAnswer, expected: MultiChoiceAnswer,
          spec: MultiChoiceChecker) -> Verdict:
    """Score the selection against `spec.correct`; `expected` is shown by the report only."""
    del expected
    right = set(spec.correct)
    missed = ordered(right - answer.keys, spec.options)
    wrong = ordered(answer.keys - right, spec.options)
    lines: list[str] = []
    if missed:
        lines.append("You did not select: " + ", ".join(_name(k, spec.options) for k in missed))
        lines += _option_lines(missed, spec, "this option is also correct.")
    if wrong:
        lines.append("You selected wrongly: " + ", ".join(_name(k, spec.options) for k in wrong))
        lines += _option_lines(wrong, spec, "this option is not correct.")
    return partial(fraction(answer.keys, spec), *lines)


def same(answer: MultiChoiceAnswer, other: MultiChoiceAnswer, spec: MultiChoiceChecker) -> bool:
    """A listed mistake is a whole selection, e.g. ["d"] or ["a", "b", "c"]: compare exactly."""
    del spec
    return answer.keys == other.keys


def show(answer: MultiChoiceAnswer) -> str:
    keys = ", ".join(sorted(answer.keys))
    if normalize(answer.text) == normalize(keys):
        return keys
    return f'{keys} (read from "{short_text(answer.text)}")'


def expects(spec: Any) -> str:
    """What a student gives for this part, in words."""
    keys = ", ".join(f"`{o.key}`" for o in spec.options)
    rule = ("each right option earns its share of the points and each wrong one costs a share "
            "(never below 0)" if spec.partial_credit == "right_minus_wrong"
            else "points only for exactly the right set of options")
    return (f'the options you select, from {keys}: a set such as {{"x", "y"}}, a list such as ["x", "y"] '
            f'or a string such as "(x) and (y)"; {rule}')


def stub_arguments(spec: Any) -> tuple[str, ...]:
    """The starter file's stub: a function of no arguments (a plain value may replace it)."""
    del spec
    return ()
