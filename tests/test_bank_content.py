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
# Boilerplate that names the field's ideals without making any of them concrete: what a
# candidate says who has read the job advert but not thought about the question. Each must
# stay a weak answer to every question: at most one key point, and a score under 40.
VAGUE_ANSWERS = {
    "short": VAGUE,
    # The trainer's review (finding 2): it once scored 100 on pss-15 and pss-02.
    "ideals": (
        "I would stay calm and listen to them with respect, without judgment. I think it's "
        "important to make them feel safe and understand where they're coming from. I would "
        "give them choices and options and connect them with resources in the community. I "
        "would talk to my supervisor and follow the policy and protocol, and document it. I "
        "would check in and follow up later. I believe in hope and strengths, and that "
        "recovery is possible. In the end I learned that everyone is different, and the person "
        "who I was working with said it helped. I always show up on time and try to be "
        "consistent. I would share my lived experience if it helped and keep it short, then "
        "bring it back to them. I care about others and want to understand their history and "
        "culture."
    ),
    "buzzwords": (
        "Recovery is a journey, and every journey is unique. As a peer I believe in meeting "
        "people with dignity and treating everyone with kindness. I'm passionate about this "
        "work because of my own lived experience, and I want to give back to my community. "
        "I'm a good communicator, I'm patient and compassionate, and I always go the extra "
        "mile for the people I serve. I'm a team player and I'm open to feedback. I know how "
        "important it is to stay professional, follow the rules and take care of myself. "
        "Everyone deserves support and a chance at a better life, and it would be an honor to "
        "be part of your team and make a difference."
    ),
    "story": (
        "There was a time at my last job when I worked with someone who was going through a "
        "lot. My goal was to be there for them no matter what. I talked with them and made "
        "sure they felt heard and supported, and I told them about some services that might "
        "help. I was patient and I never gave up on them, even when it was hard. As a result "
        "they were doing much better after a while, and they thanked me for everything. I "
        "learned that being there for someone makes a big difference, and that everybody "
        "deserves a second chance. It was a really rewarding experience, and it is a big part "
        "of why I want to do this work."
    ),
}


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


@pytest.mark.parametrize("vague", list(VAGUE_ANSWERS))
@pytest.mark.parametrize("question", list(BANK), ids=lambda q: q.id)
def test_boilerplate_stays_a_weak_answer(question: Question, vague: str):
    feedback = give_feedback(question, VAGUE_ANSWERS[vague])
    covered = [(k.id, k.evidence) for k in feedback.key_points if k.covered]
    assert len(covered) <= 1, f"generic words count as covering: {covered}"
    assert feedback.score < 40, (feedback.score, covered)


@pytest.mark.parametrize("question", list(BANK), ids=lambda q: q.id)
def test_follow_ups_are_whole_sentences(question: Question):
    assert all(f.prompt.rstrip().endswith(("?", ".")) for f in question.follow_ups)
