"""Coaching tells a strong answer from a weak one, and each part of its guidance is right.

`data/strong_answers*.yaml` hold, for every seed question, a strong answer written for these
tests (not the bank's example answer): the kind of answer a well-prepared trainee gives.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from bot.bank import Kind, Question, load_bank
from bot.coaching import EmptyAnswer, Feedback, Length, give_feedback
from bot.coaching.delivery import WORDS_PER_MINUTE, band_limits
from bot.coaching.feedback import _says_i_twice
from bot.paths import CONTENT_DIR
from tests.test_bank_content import VAGUE
from tests.test_originality import SEED_HASHES, runs

BANK = load_bank(CONTENT_DIR)
SEED_IDS = [q.id for q in BANK.select("cps")] + [q.id for q in BANK.select("pss")]
STRONG: dict[str, str] = {}
for part in sorted((Path(__file__).parent / "data").glob("strong_answers*.yaml")):
    STRONG |= yaml.safe_load(part.read_text(encoding="utf-8")) or {}
# Fluent, well shaped, first person, and about something else entirely.
OFF_TOPIC = (
    "Last spring I decided to learn to bake sourdough bread. My goal was a loaf with an open "
    "crumb by the summer. I started a starter from flour and water, fed it every morning and "
    "kept notes on the temperature of my kitchen. The first loaves were flat and dense, so I "
    "watched videos, changed the hydration and tried longer folds. I also bought a cast iron "
    "pot, which made a real difference to the crust. By July I was baking two loaves every "
    "weekend and giving one to my neighbour. I learned that patience and small adjustments "
    "matter more than expensive equipment, and now I bake most of the bread we eat at home."
)


def test_every_seed_question_has_a_strong_answer():
    assert sorted(STRONG) == sorted(SEED_IDS)


def test_strong_answers_are_not_the_example_answers_or_seed_text():
    for qid, answer in STRONG.items():
        example = {h for _, h in runs(BANK[qid].example_answer)}
        mine = runs(answer)
        assert not [r for r, h in mine if h in SEED_HASHES], f"{qid} repeats seed text"
        shared = [r for r, h in mine if h in example]
        assert not shared, f"{qid} copies the example answer: {shared[0]!r}"


@pytest.mark.parametrize("qid", SEED_IDS)
def test_a_strong_answer_scores_well_above_a_vague_or_off_topic_one(qid: str):
    question = BANK[qid]
    strong = give_feedback(question, STRONG[qid])
    vague = give_feedback(question, VAGUE)
    off_topic = give_feedback(question, OFF_TOPIC)
    missed = [k.label for k in strong.key_points if not k.covered]
    assert strong.covered >= 0.6 * len(strong.key_points), f"missed {missed}"
    assert strong.score >= 70, strong.summary
    assert strong.length is Length.GOOD, (strong.words, strong.length)
    assert not strong.language, strong.language
    assert not strong.crisis
    assert strong.score >= max(vague.score, off_topic.score) + 30, (
        strong.score, vague.score, off_topic.score)
    # A fluent story about something else may touch a generic point ("I learned"), no more.
    assert off_topic.covered <= 2, [k.evidence for k in off_topic.key_points if k.covered]


# --- focused checks -------------------------------------------------------------------------

def _first(kind: Kind) -> Question:
    return next(q for q in BANK if q.kind is kind)


BEHAVIORAL = _first(Kind.BEHAVIORAL)
KNOWLEDGE = _first(Kind.KNOWLEDGE)
STORY = {
    "situation": "A few months ago at my placement I was matched with a young man leaving jail.",
    "task": "My goal was to help him find a place to live before his release date.",
    "action": "I listened to what he wanted, and we called three housing programs together.",
    "result": "As a result he signed a lease, and I learned to let him lead each call.",
}


def test_star_finds_each_part_and_names_the_missing_ones():
    full = give_feedback(BEHAVIORAL, " ".join(STORY.values()))
    assert full.star is not None and full.star.missing() == []
    for part in STORY:
        partial = give_feedback(BEHAVIORAL, " ".join(v for k, v in STORY.items() if k != part))
        assert partial.star is not None
        assert partial.star.missing() == [part], part
        assert any(part.capitalize() in tip for tip in partial.tips), partial.tips


def test_star_is_only_judged_for_behavioural_questions():
    assert give_feedback(KNOWLEDGE, " ".join(STORY.values())).star is None


def test_a_story_that_is_all_setting_is_told_to_spend_longer_on_the_action():
    setting = " ".join([STORY["situation"], STORY["task"]] + [
        "The housing list was long and the waiting times were longer than anyone expected."] * 6
        + ["I asked him what mattered most.", STORY["result"]])
    feedback = give_feedback(BEHAVIORAL, setting)
    assert feedback.star is not None and feedback.star.missing() == []
    assert feedback.star.action_share < 0.3
    assert any("Action carries the answer" in tip for tip in feedback.tips)


@pytest.mark.parametrize("kind", list(Kind))
def test_length_band_edges_and_speaking_time(kind: Kind):
    question = _first(kind)
    low, high = band_limits(kind)
    for words, band in [(low - 1, Length.TOO_BRIEF), (low, Length.GOOD),
                        (high, Length.GOOD), (high + 1, Length.TOO_LONG)]:
        feedback = give_feedback(question, " ".join(["word"] * words))
        assert feedback.words == words
        assert feedback.length is band, (words, feedback.length)
        assert feedback.speaking_seconds == round(words * 60 / WORDS_PER_MINUTE)
    brief = give_feedback(question, "I would listen.")
    assert brief.length is Length.TOO_BRIEF
    assert any(f"aim for {low}-{high} words" in tip for tip in brief.tips)


def test_a_130_word_answer_takes_about_a_minute_to_say():
    assert give_feedback(KNOWLEDGE, " ".join(["word"] * 130)).speaking_seconds == 60


def test_filler_words_are_counted_but_ordinary_uses_are_not():
    text = ("Um, I would, like, basically listen first, you know, and um ask what kind of help "
            "they want. I mean, we could talk. She was like, oh no. I kind of wait. You know how "
            "it is: I mean it when I say that sort of thing is the kind of talk that I like. "
            "It's like a compass, and it was like a weight off.")
    fillers = give_feedback(KNOWLEDGE, text).filler_words
    assert fillers == {"um": 2, "like": 2, "basically": 1, "you know": 1, "i mean": 1,
                       "kind of": 1}


def test_many_fillers_cost_points_and_get_a_tip():
    clean = STRONG[KNOWLEDGE.id]
    filled = clean.replace(". ", ". Um, basically, ", 6)
    a, b = give_feedback(KNOWLEDGE, clean), give_feedback(KNOWLEDGE, filled)
    assert b.filler_words["um"] >= 5
    assert b.score < a.score
    assert any("Cut filler words" in tip and '"um"' in tip for tip in b.tips)


@pytest.mark.parametrize("text", ["", "   \n\t ", "...!?", "\u200b\u200b", "**  __ ~~", "\U0001F600"])
def test_an_answer_without_words_is_an_empty_answer(text: str):
    with pytest.raises(EmptyAnswer, match="empty"):
        give_feedback(KNOWLEDGE, text)


def test_markdown_and_mentions_are_just_words():
    feedback = give_feedback(KNOWLEDGE, "@everyone **I would listen** and `ask` what they want.")
    assert feedback.words == 9


def test_a_very_long_answer_is_graded_and_told_to_trim():
    long = (KNOWLEDGE.example_answer + "\n\n") * 20
    feedback = give_feedback(KNOWLEDGE, long[:4000])
    assert feedback.length is Length.TOO_LONG
    assert any(tip.startswith("Trim to under") for tip in feedback.tips)


def test_score_is_bounded_and_summary_names_the_count():
    for question in BANK:
        for text in (VAGUE, OFF_TOPIC, question.example_answer):
            feedback = give_feedback(question, text)
            assert 0 <= feedback.score <= 100
            assert f"{feedback.covered} of {len(question.key_points)} key points" in \
                feedback.summary


# One seed question of each kind: the behavioural one carries STAR parts.
@pytest.mark.parametrize("qid", [next(i for i in SEED_IDS if BANK[i].kind is k) for k in Kind])
def test_feedback_survives_a_json_round_trip(qid: str):
    for text in (STRONG[qid], VAGUE, "I'm a nutjob, um, basically."):
        feedback = give_feedback(BANK[qid], text)
        stored = json.loads(json.dumps(feedback.to_dict()))
        assert Feedback.from_dict(stored) == feedback


@given(st.text(alphabet="i' d.", max_size=20))
def test_speaking_as_i_twice_is_what_counting_says(text: str):
    counted = text.count(" i ") + text.startswith("i ") + text.count("i'd ")
    assert _says_i_twice(text) == (counted >= 2)
