"""Is a free-text answer a list of terms rather than an explanation ("keyword salad")?

A keyword rubric rewards the words it looks for, so "encoder, decoder, latent code, noise,
sampling" would collect most of its points without saying anything. Such a list has two marks
that prose does not have together: it is cut by commas (or semicolons, bullets, line breaks) into
many short pieces, and it has almost none of the small words sentences are built from (articles,
prepositions, pronouns, auxiliaries). An answer with both earns no provisional points and is
flagged for the reviewer; a terse sentence ("Mode collapse: the generator outputs few samples.")
has one piece and is never taken for a list.
"""

from __future__ import annotations

import re

FUNCTION_WORDS = frozenset("""
a an the this that these those it its they them their there here we our you your he she his her i my
is are was were be been being am do does did doing have has had having will would can could shall should
may might must not no nor and or but so if then than because since while when where which who whom whose
what why how of to in on at by for with from into onto over under about between through during before
after above below up down out off again further once as until against among per via each every all any
both either neither some such only own same too very just also even still yet more most less least
other another much many few one
""".split())
"""Words that carry grammar rather than topic (closed classes of English)."""

SEPARATORS = re.compile(r"[,;\n•·|]|\s[-–—*]\s")
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")

MIN_PIECES = 4
MAX_WORDS_PER_PIECE = 3.5
MAX_FUNCTION_SHARE = 0.2
"""On tests/data/free_text_labelled.yaml (written without these rules in mind): its 19 keyword lists
have 6 pieces or more, at most 2.4 words a piece and at most 0.15 function words; none of its 96
written answers has under 0.22 function words."""


def reads_as_term_list(text: str) -> bool:
    pieces = [p for p in SEPARATORS.split(text) if WORD.search(p)]
    words = [w.lower() for w in WORD.findall(text)]
    if len(pieces) < MIN_PIECES or not words:
        return False
    function_share = sum(w in FUNCTION_WORDS for w in words) / len(words)
    return len(words) / len(pieces) <= MAX_WORDS_PER_PIECE and function_share < MAX_FUNCTION_SHARE
