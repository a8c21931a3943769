"""Key-point cues: word-prefix phrases compiled once per question into fast matchers."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.bank.model import KeyPoint, Question
from bot.text import words

# Hyphens and spaces are interchangeable for matching ("self-determination" = "self determination").
_SPLIT = re.compile(r"[\s\-]+")


def match_text(text: str) -> str:
    """The answer as one space-separated line of lower-case words, ready for cue matching."""
    return " " + " ".join(_SPLIT.split(" ".join(words(text)))) + " "


def _cue_pattern(cue: str) -> str:
    parts = [re.escape(p) for p in _SPLIT.split(" ".join(words(cue))) if p]
    # Each word of the cue matches a word that begins with it; the words follow each other.
    return " " + "[^ ]* ".join(parts) + "[^ ]*"


@lru_cache(maxsize=4096)
def _key_point_regex(cues: tuple[str, ...]) -> re.Pattern[str] | None:
    patterns = sorted({_cue_pattern(c) for c in cues if words(c)}, key=len, reverse=True)
    return re.compile("|".join(patterns)) if patterns else None


def matched_cue(point: KeyPoint, prepared: str) -> str | None:
    """The first cue of ``point`` found in ``prepared`` text (see ``match_text``), or None."""
    regex = _key_point_regex(point.cues)
    if regex is None:
        return None
    found = regex.search(prepared)
    return found.group(0).strip() if found else None


def cover(question: Question, prepared: str) -> list[tuple[KeyPoint, str | None]]:
    return [(point, matched_cue(point, prepared)) for point in question.key_points]
