"""STAR's fast pattern forms find exactly what the plain forms find.

star.py writes its patterns to start with plain text (``_after``, ``_each``) and finds the
speaker's actions in the whole answer at once; these check both against the obvious way.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.bank import load_bank
from bot.coaching import star
from bot.paths import CONTENT_DIR
from bot.text import find_words, normalize, word_starts

AFTER = [("at|in|during|on", " my ", r"(?:\w+ )?(?:job|role)"),
         ("months|month|years|year|weeks|week|days|day", " ago", "")]
EACH = [(("i (?:had|met)", "we had", "there was"), r" (?:a|an) (?:\w+ )?(?:client|man)"),
        (("a", "one"), r" (?:client|man) (?:i|who|that)\b"),
        (("which", "that", "this"), " (?:led|meant)")]


def _texts(words: str, middle: str, ends: list[str]) -> list[str]:
    """Each of ``words`` (and look-alikes) before ``middle`` and each of ``ends``, glued to
    what comes before in several ways."""
    return [f"{before}{word}{middle}{end}"
            for word in [*words.split("|"), "x", "ths", "dur"]
            for before in ["", " ", "s", "a ", ". "]
            for end in ends]


@pytest.mark.parametrize(("words", "anchor", "rest"), AFTER)
def test_a_pattern_starting_at_its_anchor_finds_what_the_plain_pattern_finds(
        words: str, anchor: str, rest: str):
    plain = re.compile(f"(?:{words}){anchor}{rest}")
    fast = star._after(words, anchor, rest)
    texts = _texts(words, anchor, ["job", "old job", "jobs", "x", "", "role."])
    texts += _texts(words, anchor.strip(), ["job", ""])
    assert [bool(fast.search(t)) for t in texts] == [bool(plain.search(t)) for t in texts]
    assert any(plain.search(t) for t in texts) and not all(plain.search(t) for t in texts)


@pytest.mark.parametrize(("starts", "rest"), EACH)
def test_a_pattern_split_by_its_start_finds_what_the_plain_pattern_finds(
        starts: tuple[str, ...], rest: str):
    plain = re.compile(f"(?:{'|'.join(starts)}){rest}")
    fast = star._each(starts, rest)
    words = "|".join(starts).replace("(?:", "").replace(")", "")
    texts = _texts(words, " ", ["a client", "an old man", "client who", "led", "man i",
                                "clients", "x", ""])
    texts += _texts("i had|i met", " ", ["a client", "an old man"])
    assert [any(p.search(t) for p in fast) for t in texts] == [
        bool(plain.search(t)) for t in texts]
    assert any(plain.search(t) for t in texts) and not all(plain.search(t) for t in texts)


def _acting_one_sentence_at_a_time(lowered: str) -> int:
    action = re.compile("|".join(f"(?:{p.pattern})" for p in star._ACTIONS))
    sentences = [s for s in star._SENTENCE.findall(lowered) if s.strip()]
    return sum(1 for s in sentences if any(
        m.start() == 0 or not s[m.start() - 1].isalnum() for m in action.finditer(s)))


def _starts(lowered: str) -> list[int]:
    return [s.start() for s in star._SENTENCE.finditer(lowered) if s.group().strip()]


# Sentences made of subjects, actions and look-alikes, in every order of three.
_PIECES = ["I asked", "hi asked", "we called", "swe called", "I'd listen", "I'd", "they asked",
           "and I", "asked", ". ", "! ", "\n", "? ", " ", ", ", "I"]
SENTENCES = st.lists(st.sampled_from(_PIECES), max_size=12).map(" ".join)


@given(SENTENCES)
def test_actions_found_in_the_whole_answer_land_in_their_sentences(text: str):
    lowered = text.lower()
    assert star._acting(lowered, _starts(lowered)) == _acting_one_sentence_at_a_time(lowered)


def test_actions_in_the_bank_examples_are_counted_as_one_sentence_at_a_time():
    for question in load_bank(CONTENT_DIR):
        lowered = question.example_answer.lower()
        assert star._acting(lowered, _starts(lowered)) == _acting_one_sentence_at_a_time(lowered)


def test_skipping_phrases_whose_words_start_no_word_changes_no_part():
    """A phrase is skipped when a word after its first starts no word of the answer."""
    answers = [q.example_answer for q in load_bank(CONTENT_DIR)]
    answers += [a.replace(" ", "-") for a in answers[:10]] + [a.replace(" ", "'") for a in answers[10:20]]
    answers += ["bathe situation", "hi was working", "xone time", "my role was", "it was up to me"]
    for answer in answers:
        lowered = normalize(answer)
        starts = word_starts(find_words(lowered), lowered)
        first = lowered.split(".")[0]  # a sentence, read with the whole answer's starts
        for part in (star.SITUATION, star.TASK, star.RESULT):
            for text in (lowered, first):
                said = (any(p in text for p in part.phrases)
                        or any(pattern.search(text) for pattern in part.patterns))
                assert part.found(text, starts) == said, answer[:60]
