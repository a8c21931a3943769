"""Answers that are not spoken answers: lists of terms, words without sentences, the question
said back, one answer said over and over. An interviewer hears none of them as an answer, so
the coaching scores them at most ``CAP`` and says why, kindly.
"""

from __future__ import annotations

import re
from enum import StrEnum

from bot.coaching.answer import Answer
from bot.coaching.meaning import STOP

CAP = 40


class Unspoken(StrEnum):
    LIST = "list"  # terms separated by commas, semicolons or lines
    FRAGMENTS = "fragments"  # words with hardly any of the small words sentences need
    COPY = "copy"  # mostly the question's own words
    REPEAT = "repeat"  # the same words said again and again


TIPS = {
    Unspoken.LIST: "Say it as sentences you would speak: a list of terms shows you know the "
                   "words, not what you would do.",
    Unspoken.FRAGMENTS: "Say it as sentences you would speak: key words on their own don't "
                        "tell the interviewer what you would do.",
    Unspoken.COPY: "Answer in your own words: most of this repeats the question.",
    Unspoken.REPEAT: "Say each thing once: the answer repeats itself, and an interviewer "
                     "hears that as one short answer.",
}

_ITEM = re.compile(r"[^,;\n\u2022.!?]+")
_BE_AND_NOT = """
is are was were am been being has had did does not no never don't can't won't wouldn't
didn't isn't wasn't
"""
# Small words that spoken sentences are made of, beyond who says it and the grammar words.
_SENTENCE_WORDS = STOP | frozenset(_BE_AND_NOT.split())


def unspoken(answer: Answer, prompt_words: frozenset[str]) -> Unspoken | None:
    """Why ``answer`` is not a spoken answer to a question of ``prompt_words``, or None."""
    lowered, tokens = answer.lowered, answer.words
    words = len(tokens)
    if words >= 12 and len(set(tokens)) < 0.6 * words:  # else too varied to be repeated
        trigrams = list(zip(tokens, tokens[1:], tokens[2:], strict=False))
        if len(set(trigrams)) < 0.5 * len(trigrams):
            return Unspoken.REPEAT
    if words >= 8 and sum(map(prompt_words.__contains__, tokens)) >= 0.7 * words:
        return Unspoken.COPY
    if sum(map(lowered.count, ",;\n\u2022")) >= 4:
        items = [item.split() for item in _ITEM.findall(lowered)]
        items = [item for item in items if item]
        if len(items) >= 5 and sum(len(item) <= 3 for item in items) >= 0.6 * len(items):
            return Unspoken.LIST
    if words >= 10 and sum(map(_SENTENCE_WORDS.__contains__, tokens)) < 0.34 * words:
        return Unspoken.FRAGMENTS
    return None
