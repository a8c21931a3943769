"""How an answer sounds when spoken: length, speaking time and filler words."""

from __future__ import annotations

import re
from enum import StrEnum

from bot.bank.model import Kind

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


# Fillers in their filler sense only: "like" after a comma or "was/is like", "kind of"
# unless it follows a word that makes it mean "type of".
_FILLERS: dict[str, re.Pattern[str]] = {
    name: re.compile(pattern)
    for name, pattern in {
        "um": r"\b(?:um+|umm+|erm+|uhm+)\b",
        "uh": r"\b(?:uh+|er+h?)\b",
        "like": r"(?:, like,|(?:was|is|were|i'm|it's|am) like,?(?= [a-z\"]))",
        "you know": r"\byou know\b"
                    r"(?! (?:how|what|when|where|why|who|that|if|the|about|it|your|my))",
        "basically": r"\bbasically\b",
        "actually": r"\bactually\b",
        "literally": r"\bliterally\b",
        "honestly": r"\bhonestly\b",
        "totally": r"\btotally\b",
        "i mean": r"\bi mean\b(?! (?:it|that|when|to))",
        "sort of": r"(?<!\bthat )(?<!\bthis )(?<!\bwhat )(?<!\bthe )(?<!\bany )(?<!\bsome )"
                   r"(?<!\bevery )(?<!\bone )(?<!\bsame )\bsort of\b",
        "kind of": r"(?<!\bthat )(?<!\bthis )(?<!\bwhat )(?<!\bthe )(?<!\bany )(?<!\bsome )"
                   r"(?<!\bevery )(?<!\bone )(?<!\bsame )\bkind of\b",
        "and stuff": r"\b(?:and|or) stuff\b",
        "or whatever": r"\bor whatever\b",
    }.items()
}


# Substrings without which a filler cannot occur: a cheap test before the regex runs.
_TRIGGERS: dict[str, tuple[str, ...]] = {
    "um": ("um", "erm", "uhm"), "uh": ("uh", "er"), "like": ("like",),
    "sort of": ("sort of",), "kind of": ("kind of",), "and stuff": (" stuff",),
}


def filler_counts(lowered: str) -> dict[str, int]:
    """Filler words in lower-cased text, with how often each occurs (only those present)."""
    counts = {}
    for name, pattern in _FILLERS.items():
        if not any(t in lowered for t in _TRIGGERS.get(name, (name,))):
            continue
        n = len(pattern.findall(lowered))
        if n:
            counts[name] = n
    return counts
