"""How an answer sounds when spoken: length, speaking time and filler words."""

from __future__ import annotations

import re
from enum import StrEnum

from bot.bank.model import Kind
from bot.coaching.answer import Answer

WORDS_PER_MINUTE = 130  # a calm interview pace; most people speak 120-150 words a minute


class Length(StrEnum):
    TOO_BRIEF = "too_brief"
    GOOD = "good"
    TOO_LONG = "too_long"


# Words for about 45 s to 2.5 min of speech; stories need a little more room to land.
_BANDS = {
    Kind.BEHAVIORAL: (110, 340),
    Kind.SITUATIONAL: (80, 320),
    Kind.KNOWLEDGE: (70, 300),
    Kind.PERSONAL: (80, 320),
}


def band_limits(kind: Kind) -> tuple[int, int]:
    return _BANDS[kind]


def length_band(words: int, kind: Kind) -> Length:
    low, high = _BANDS[kind]
    if words < low:
        return Length.TOO_BRIEF
    return Length.TOO_LONG if words > high else Length.GOOD


def speaking_seconds(words: int) -> int:
    return round(words * 60 / WORDS_PER_MINUTE)


# Filler words that are fillers whenever they stand alone as a word.
_FILLER_WORDS = {
    "um": "um", "umm": "um", "ummm": "um", "erm": "um", "uhm": "um", "hmm": "um",
    "uh": "uh", "uhh": "uh", "uhhh": "uh", "er": "uh", "err": "uh",
    "basically": "basically", "actually": "actually", "literally": "literally",
    "honestly": "honestly", "totally": "totally",
}
# Phrases, in the space-separated word text, with the words after them that make them
# ordinary speech ("you know how...", "I mean it").
_PHRASES: dict[str, re.Pattern[str]] = {
    "you know": re.compile(r" you know (?!how |what |when |where |why |who |that |if |the |"
                           r"about |it |your |my |them |him |her )"),
    "i mean": re.compile(r" i mean (?!it |that |when |to |what |by )"),
    "and stuff": re.compile(r" (?:and|or) stuff "),
    "or whatever": re.compile(r" or whatever "),
}
# Each phrase with its last word, which every match has.
_PHRASES_BY_LAST_WORD = tuple((name, name.split()[-1], p) for name, p in _PHRASES.items())
# "kind of" / "sort of" mean "type of" after these words.
_TYPE_OF = ("that", "this", "what", "the", "any", "some", "every", "one", "same", "which",
            "a", "different", "each", "no", "another")
# "like" is a filler between commas, or after "was/is/I'm" as a quotative ("she was like,
# no way"): followed by a comma, a quote or an exclamation, not by the rest of a simile
# ("it's like a compass").
_QUOTATIVE = frozenset(("was", "is", "were", "i'm", "it's", "am"))
_AFTER_QUOTATIVE = re.compile(r",| [\"“']| (?:oh|no|yeah|wow|whoa|okay|ok|hey|what|why|i|um|uh)\b")


def _word_before(text: str, at: int) -> str:
    start = at
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] == "'"):
        start -= 1
    return text[start:at]


def _like_fillers(lowered: str) -> int:
    """How often "like" is a filler: between commas ("it was, like, hard"), or said as a
    quote after "was", "is" or "I'm" ("she was like, no way")."""
    count = 0
    at = lowered.find(" like")
    while at != -1:
        end = at + len(" like")
        if lowered.startswith(", like,", at - 1) or (
                _AFTER_QUOTATIVE.match(lowered, end) and _word_before(lowered, at) in _QUOTATIVE):
            count += 1
        at = lowered.find(" like", end)
    return count


def filler_counts(answer: Answer) -> dict[str, int]:
    """Filler words of ``answer`` and how often each occurs (only those present)."""
    lowered, tokens, spaced, starts = answer.lowered, answer.words, answer.spaced, answer.starts
    counts: dict[str, int] = {}
    for token in _FILLER_WORDS.keys() & answer.vocabulary:
        name = _FILLER_WORDS[token]
        counts[name] = counts.get(name, 0) + tokens.count(token)
    for name, last, pattern in _PHRASES_BY_LAST_WORD:
        if last[:3] in starts:
            n = len(pattern.findall(spaced))
            if n:
                counts[name] = n
    for name in ("kind of", "sort of"):
        if name[:3] not in starts:
            continue
        start = spaced.find(f" {name} ")
        while start != -1:
            before = spaced[:start].rsplit(" ", 1)[-1]
            if before not in _TYPE_OF:
                counts[name] = counts.get(name, 0) + 1
            start = spaced.find(f" {name} ", start + 1)
    likes = _like_fillers(lowered) if "lik" in starts else 0
    if likes:
        counts["like"] = likes
    return counts
