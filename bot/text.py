"""Plain-text helpers shared by the bank and the coaching: normalising and counting words."""

from __future__ import annotations

import re
import unicodedata

# Zero-width and bidirectional control characters: invisible, but they split or glue words.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
             "\u2066\u2067\u2068\u2069"),
    None,
)
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})
WORD_RE = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")


def clean(text: str) -> str:
    """Text with compatibility forms folded, invisible characters removed, quotes straightened."""
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE).translate(_QUOTES)


def normalize(text: str) -> str:
    """``clean`` text in lower case: the form matching works on."""
    return clean(text).lower()


def words(text: str) -> list[str]:
    """The words of ``text`` as a person would count them (hyphen and apostrophe kept inside)."""
    return WORD_RE.findall(normalize(text))


def word_count(text: str) -> int:
    return len(WORD_RE.findall(text))
