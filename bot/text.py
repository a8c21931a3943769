"""Plain-text helpers shared by the bank and the coaching: normalising and counting words."""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Iterable

# Applied before NFKC (which would turn the acute accent into a space and a combining mark)
# and again after it (NFKC makes "`" of the full-width grave accent, "‐" of "‑"), so that
# ``clean`` is idempotent: invisible characters dropped, quote and hyphen look-alikes made ASCII.
_TABLE = str.maketrans(
    {
        # Zero-width and bidirectional control characters: invisible, but they split or glue
        # words. The soft hyphen too: it only marks where a word may break.
        **dict.fromkeys(
            "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u061c\u202a\u202b\u202c\u202d"
            "\u202e\u2066\u2067\u2068\u2069",
            None,
        ),
        # Apostrophes and single quotes (and the accents and primes typed for them).
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u02bc\u2032\u00b4`", "'"),
        # Double quotes and guillemets.
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2039\u203a", '"'),
        # Hyphens that join words (not dashes, which separate them).
        **dict.fromkeys("\u2010\u2011", "-"),
    }
)
# Combining marks that NFKC leaves apart from their letter (Hebrew and Arabic vowel points,
# Devanagari and Thai vowel signs, a lower-cased "İ"...): part of the word they follow.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u05bf\u05c1\u05c2\u05c4\u05c5\u05c7"
    "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
    "\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963\u0981-\u0983\u09bc-\u09d7"
    "\u0e31\u0e34-\u0e3a\u0e47-\u0e4e\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
)
_WORD = rf"[^\W_]+(?:[{_MARKS}]+[^\W_]*)*"
# A word: letters and digits, with apostrophes and hyphens kept inside ("don't", "self-care").
WORD_RE = re.compile(rf"{_WORD}(?:['\-]{_WORD})*")
_ASCII_WORD_RE = re.compile(r"[A-Za-z0-9]+(?:['\-][A-Za-z0-9]+)*")  # the same, faster, on ASCII


# Every ASCII character that cannot be part of a word becomes a space, and so do the
# non-ASCII punctuation marks common in typed answers (dashes, ellipsis, no-break space).
_ASCII_SEPARATORS = str.maketrans({
    **{chr(c): " " for c in range(128) if not (chr(c).isalnum() or chr(c) in "'-")},
    **dict.fromkeys("\u2013\u2014\u2015\u2026\u00a0\u2022\u00b7\u2192", " "),
})


# A quote or hyphen that is not between two letters or digits: at a word's edge or doubled.
# Such marks are rare, so two searches usually replace the eight substring searches that sort
# them out below. Each pattern starts with its mark, a plain character the engine skips to
# (a pattern starting with the class ['-] would be tried at every position, six times slower).
_LOOSE_QUOTE_RE = re.compile(r"'(?:(?![A-Za-z0-9])|(?<![A-Za-z0-9]'))")
_LOOSE_HYPHEN_RE = re.compile(r"-(?:(?![A-Za-z0-9])|(?<![A-Za-z0-9]-))")


def find_words(text: str) -> list[str]:
    """``WORD_RE.findall(text)``, several times faster when the text is plain ASCII (most
    answers): ``str.translate`` and ``split`` instead of a regex over every character."""
    spaced = text.translate(_ASCII_SEPARATORS)
    if not spaced.isascii():
        return WORD_RE.findall(text)
    if not _LOOSE_QUOTE_RE.search(spaced) and not _LOOSE_HYPHEN_RE.search(spaced):
        return spaced.split()  # every quote and hyphen is inside a word
    if "--" in spaced or "''" in spaced or "'-" in spaced or "-'" in spaced:
        return _ASCII_WORD_RE.findall(spaced)  # rare joins the fast path would get wrong
    tokens = spaced.split()
    padded = f" {spaced} "
    if " '" in padded or "' " in padded or " -" in padded or "- " in padded:
        # Only quotes and dashes at the edge of a word need trimming, and only then.
        tokens = [t for t in (t.strip("'-") for t in tokens) if t]
    return tokens


_FIRST_THREE = operator.itemgetter(slice(3))
# The start of a part of a word after an apostrophe or a hyphen in it ("t" in "don't", "i'd"
# in "x-i'd": cue matching splits words at hyphens only).
_AFTER_APOSTROPHE = re.compile(r"'([^\s'\-]{1,3})")
_AFTER_HYPHEN = re.compile(r"-([^\s\-]{1,3})")


def word_starts(words: Iterable[str], text: str) -> set[str]:
    """The first three characters of each of ``words`` (the ``find_words`` of ``text``, each
    once is enough) and of what follows each apostrophe or hyphen in ``text``.

    Every word, and every part of one after an apostrophe or hyphen, begins with an entry of
    this set. So a word of three characters or more whose ``word[:3]`` is not here begins
    none of them: one set look-up instead of a search through the whole text.
    """
    starts = set(map(_FIRST_THREE, words))
    if "'" in text:
        starts.update(_AFTER_APOSTROPHE.findall(text))
    if "-" in text:
        starts.update(_AFTER_HYPHEN.findall(text))
    return starts


def clean(text: str) -> str:
    """Text with compatibility forms folded, invisible characters removed, quotes straightened."""
    if text.isascii():
        # NFKC leaves ASCII as it is, and of the table's characters only "`" is ASCII.
        return text.replace("`", "'")
    return unicodedata.normalize("NFKC", text.translate(_TABLE)).translate(_TABLE)


def normalize(text: str) -> str:
    """``clean`` text in lower case: the form matching works on."""
    return clean(text).lower()


def words(text: str) -> list[str]:
    """The words of ``text`` as a person would count them (hyphen and apostrophe kept inside)."""
    return find_words(normalize(text))


def word_count(text: str) -> int:
    """How many ``words`` the text has (invisible characters and curly apostrophes split none)."""
    return len(find_words(clean(text)))


# Lone surrogates: what Python makes of bytes that aren't UTF-8 (read with "surrogateescape")
# and of broken UTF-16. They can't be encoded, so SQLite, JSON and the terminal refuse them.
# And NUL, which PostgreSQL's text can't hold (SQLite's can: an answer saved on one backend
# and refused on the other, or by ``db copy``).
_UNREADABLE_RE = re.compile("[\ud800-\udfff\x00]")


def replace_unreadable(text: str) -> tuple[str, int]:
    """``text`` with every lone surrogate and NUL replaced by U+FFFD (a valid pair is joined
    into its character), and how many characters were replaced."""
    if not _UNREADABLE_RE.search(text):
        return text, 0
    fixed = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    fixed = fixed.replace("\x00", "\ufffd")
    return fixed, fixed.count("\ufffd") - text.count("\ufffd")


def readable(text: str) -> str:
    """``text`` safe to store, send and print: see ``replace_unreadable``."""
    return replace_unreadable(text)[0]
