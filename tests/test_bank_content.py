"""The shipped bank: complete, valid, and coherent with the coaching that grades answers to it."""

import pytest

from bot.bank import TOPICS, Kind, Question, load_bank
from bot.coaching import give_feedback
from bot.paths import CONTENT_DIR

BANK = load_bank(CONTENT_DIR)
VAGUE = (
    "I think this is a really good question. I would do my best and be supportive, because I "
    "care about people and I am a hard worker. I would try to help them as much as I can and "
    "make sure they feel good about everything. I am a people person and a team player."
)


def test_seed_questions_keep_their_ids_in_seed_order():
    assert [q.id for q in BANK.select("cps")] == [f"cps-{n:02d}" for n in range(1, 10)]
    assert [q.id for q in BANK.select("pss")] == [f"pss-{n:02d}" for n in range(1, 26)]


def test_size_and_topic_coverage():
    own = BANK.select("peerprep")
    assert len(own) >= 26
    assert len(BANK) >= 60
    counts = BANK.count_by_topic()
    assert set(counts) == set(TOPICS)
    assert all(n >= 3 for n in counts.values()), counts


def test_every_kind_is_used():
    assert {q.kind for q in BANK} == set(Kind)


@pytest.mark.parametrize("question", list(BANK), ids=lambda q: q.id)
def test_example_answer_is_a_model_answer(question: Question):
    feedback = give_feedback(question, question.example_answer)
    missed = [k.label for k in feedback.key_points if not k.covered]
    assert not missed, f"the example answer misses key points: {missed}"
    assert not feedback.language, f"example uses flagged language: {feedback.language}"
    assert not feedback.crisis
    if feedback.star is not None:
        assert feedback.star.missing() == [], f"example lacks STAR parts {feedback.star.missing()}"
    assert feedback.score >= 80, feedback.summary


@pytest.mark.parametrize("question", list(BANK), ids=lambda q: q.id)
def test_a_vague_answer_covers_no_key_point(question: Question):
    feedback = give_feedback(question, VAGUE)
    covered = [(k.label, k.evidence) for k in feedback.key_points if k.covered]
    assert not covered, f"generic words count as covering: {covered}"
    assert feedback.score < 40


@pytest.mark.parametrize("question", list(BANK), ids=lambda q: q.id)
def test_follow_ups_are_whole_sentences(question: Question):
    assert all(f.rstrip().endswith(("?", ".")) for f in question.follow_ups)
