"""Normalising and counting words: what a person sees, not what the bytes say."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bot.text import (
    _TABLE,
    WORD_RE,
    clean,
    find_words,
    normalize,
    word_count,
    word_starts,
    words,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I listen first.", ["i", "listen", "first"]),
        # Apostrophes: straight, curly, modifier letter, acute accent and prime all count.
        ("I don't judge.", ["i", "don't", "judge"]),
        ("I don\u2019t judge.", ["i", "don't", "judge"]),
        ("I don\u02bct judge.", ["i", "don't", "judge"]),
        ("I don\u00b4t judge.", ["i", "don't", "judge"]),
        ("I don\u2032t judge.", ["i", "don't", "judge"]),
        ("the peers\u2019 group", ["the", "peers", "group"]),
        # Hyphenated words are one word, whatever the hyphen; dashes separate.
        ("person-first language", ["person-first", "language"]),
        ("self\u2011care", ["self-care"]),
        ("self\u2010care", ["self-care"]),
        ("work\u2014life balance", ["work", "life", "balance"]),
        ("9\u20135 shifts", ["9", "5", "shifts"]),
        ("peer - support", ["peer", "support"]),
        ("a peer- and person-led group", ["a", "peer", "and", "person-led", "group"]),
        # Zero-width characters glue; a soft hyphen is only a possible break.
        ("peer\u200bsupport", ["peersupport"]),
        ("peer \u200bsupport", ["peer", "support"]),
        ("\ufeffrecovery", ["recovery"]),
        ("recov\u00adery", ["recovery"]),
        ("co\u200dfacilitate", ["cofacilitate"]),
        # Right-to-left marks and embeddings are invisible.
        ("\u200fhello\u200e world\u202c", ["hello", "world"]),
        ("\u2067\u05e9\u05dc\u05d5\u05dd\u2069 peer", ["\u05e9\u05dc\u05d5\u05dd", "peer"]),
        # Vowel points and vowel signs stay inside their word.
        ("\u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd \u05e2\u05d5\u05b9\u05dc\u05b8\u05dd",
         ["\u05e9\u05b8\u05c1\u05dc\u05d5\u05b9\u05dd", "\u05e2\u05d5\u05b9\u05dc\u05b8\u05dd"]),
        ("\u0645\u064e\u0631\u0652\u062d\u064e\u0628\u064b\u0627", [
            "\u0645\u064e\u0631\u0652\u062d\u064e\u0628\u064b\u0627"]),
        ("\u0928\u092e\u0938\u094d\u0924\u0947 \u0926\u0941\u0928\u093f\u092f\u093e",
         ["\u0928\u092e\u0938\u094d\u0924\u0947", "\u0926\u0941\u0928\u093f\u092f\u093e"]),
        # Emoji are not words, with or without joiners and variation selectors.
        ("I \U0001f499 peer work \U0001f642", ["i", "peer", "work"]),
        ("thanks \U0001f469\u200d\u2695\ufe0f!", ["thanks"]),
        ("\u2764\ufe0f", []),
        # Compatibility forms fold: full-width letters, ligatures, no-break spaces.
        ("\uff30\uff25\uff25\uff32 support", ["peer", "support"]),
        ("\ufb01rst", ["first"]),
        ("peer\u00a0support", ["peer", "support"]),
        ("cafe\u0301", ["caf\u00e9"]),
        # Underscores and slashes separate; digits are words.
        ("_really_ listen", ["really", "listen"]),
        ("24/7 support, call 988", ["24", "7", "support", "call", "988"]),
        ("", []),
        ("  \n\t ", []),
        ("\u200b\u200f", []),
        ("...!?", []),
    ],
)
def test_words(text: str, expected: list[str]) -> None:
    assert words(text) == expected
    assert word_count(text) == len(expected)


def test_word_count_is_not_fooled_by_invisible_characters_or_curly_apostrophes() -> None:
    plain = "I don't give advice; I share what worked for me."
    fancy = "I don\u2019t give\u200b advice; I\u200f share what worked\u2060 for me."
    assert word_count(fancy) == word_count(plain) == 10


def test_normalize_straightens_quotes_and_lowers() -> None:
    assert normalize("\u201cI\u2019M FINE,\u201d she said.") == "\"i'm fine,\" she said."
    assert normalize("\u00abOui\u00bb, \u201eja\u201c") == '"oui", "ja"'
    assert normalize("\u2018single\u2019") == "'single'"


def test_clean_keeps_case() -> None:
    assert clean("Peer\u200b Support\u2019s") == "Peer Support's"


def test_clean_keeps_the_visible_text() -> None:
    text = "A peer\u2014not a clinician\u2014listens. 988 \u2013 call or text."
    assert clean(text) == text


def test_find_words_matches_word_re() -> None:
    for text in ["ascii don't self-care", "caf\u00e9 \u2014 na\u00efve", "\u05e9\u05b8\u05dc"]:
        assert find_words(text) == WORD_RE.findall(text)


@given(st.text())
def test_clean_is_idempotent(text: str) -> None:
    assert clean(clean(text)) == clean(text)


@given(st.text())
def test_counting_agrees_with_the_words(text: str) -> None:
    assert word_count(text) == len(words(text))
    assert find_words(text) == WORD_RE.findall(text)


# Plain ASCII with the marks the shortcuts look at: quotes, hyphens, backticks, at word edges,
# doubled, alone, at the very start and end.
@given(st.text(alphabet="aZ9 '-`.\n\t_", max_size=40))
def test_the_ascii_shortcuts_agree_with_the_full_rules(text: str) -> None:
    assert clean(text) == unicodedata.normalize("NFKC", text.translate(_TABLE)).translate(_TABLE)
    assert find_words(text) == WORD_RE.findall(text)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_words_have_no_edge_punctuation_or_invisible_characters(text: str) -> None:
    for word in words(text):
        assert word
        assert word[0] not in "'-"
        assert word[-1] not in "'-"
        assert not any(ch in word for ch in "\u200b\u200c\u200d\u200e\u200f\u00ad\ufeff")


@given(st.text(alphabet="abI9 '-.,\"\u00e9\u0301", max_size=40))
@example("Self-care, x-i'd, don't, he's'addict, '90s, 9-1-1.")
def test_word_starts_hold_the_start_of_every_word_and_part_of_one(text: str) -> None:
    lowered = normalize(text)
    starts = word_starts(find_words(lowered), lowered)
    # Cue matching's words (split at hyphens), as far as a cue's word can start one of them.
    for word in " ".join(find_words(lowered)).replace("-", " ").split():
        assert len(word) < 3 or word[:3] in starts, word
    # In ASCII, whatever starts after a character that is no letter or digit.
    if lowered.isascii():
        for at in range(len(lowered) - 2):
            if (at == 0 or not lowered[at - 1].isalnum()) and lowered[at:at + 3].isalnum():
                assert lowered[at:at + 3] in starts, at
