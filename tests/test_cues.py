"""The cue matcher's two rules beyond plain matching: ``*`` and negation."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.bank import BankError, KeyPoint, load_bank
from bot.coaching.cues import match_text, matched_cue
from bot.paths import CONTENT_DIR
from bot.text import find_words, normalize

BANK = load_bank(CONTENT_DIR)


def point(qid: str, point_id: str) -> KeyPoint:
    return next(p for p in BANK[qid].key_points if p.id == point_id)


def hit(qid: str, point_id: str, text: str) -> str | None:
    return matched_cue(point(qid, point_id), match_text(find_words(normalize(text))))


# --- the matcher ----------------------------------------------------------------------------

def _match(cue: str, text: str) -> str | None:
    return matched_cue(KeyPoint("p", "P", (cue,)), match_text(find_words(normalize(text))))


@pytest.mark.parametrize(("cue", "text", "found"), [
    ("asked * directly", "I asked her directly.", "asked her directly"),
    ("asked * directly", "I asked J. directly.", "asked j directly"),
    ("asked * directly", "I asked directly.", None),  # * is exactly one word
    ("asked * directly", "I asked her very directly.", None),
    ("in * own words", "a plan in their own words", "in their own words"),
    ("don't diagnose", "I don't diagnose anyone.", "don't diagnose"),
    ("9-1-1", "I'd call 9-1-1 right away", "9 1 1"),
])
def test_a_star_stands_for_one_word(cue: str, text: str, found: str | None):
    assert _match(cue, text) == found


@pytest.mark.parametrize("text", [
    "I wouldn't ask directly.", "I would never ask directly.", "I'd not ask directly.",
    "without asking directly", "I dont ask directly", "I can't ask directly.",
])
def test_a_cue_right_after_a_negating_word_does_not_count(text: str):
    assert _match("ask directly", text) is None


@pytest.mark.parametrize(("text", "found"), [
    ("I wouldn't wait. I'd ask directly.", "ask directly"),  # a later, plain match counts
    ("Not everyone likes it, but I ask directly.", "ask directly"),
    ("I would not hesitate to ask directly.", "ask directly"),  # only the word just before
    ("I don't diagnose.", "don't diagnose"),  # a cue may carry its own negation
])
def test_negation_is_only_the_word_just_before(text: str, found: str):
    cue = found if found == "don't diagnose" else "ask directly"
    assert _match(cue, text) == found


def test_the_loader_rejects_a_cue_that_starts_with_a_star(tmp_path: Path):
    text = (CONTENT_DIR / "cps.yaml").read_text(encoding="utf-8")
    (tmp_path / "cps.yaml").write_text(
        text.replace('cues: [certif, "trained"', 'cues: ["* certified", "trained"', 1))
    with pytest.raises(BankError) as caught:
        load_bank(tmp_path)
    assert any("starts with a word, not *" in str(p) for p in caught.value.problems)
