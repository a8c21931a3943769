"""The questions of content/questions/peerprep-e.yaml (pp-44..pp-57): their cues hold up.

The bank's own checks (tests/test_bank_content.py) grade each example answer, but the cues
were written beside those examples. Here each question is graded on answers written apart
from them (`data/new_questions_answers.yaml`): strong answers worded differently must still
be recognised, and an answer that commits one of the question's pitfalls must not get credit
for the key point the pitfall goes against.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.bank import Kind, load_bank
from bot.coaching import Length, give_feedback
from bot.paths import CONTENT_DIR
from tests.test_bank_content import VAGUE
from tests.test_feedback import OFF_TOPIC
from tests.test_originality import SEED_HASHES, runs

FILE = CONTENT_DIR / "peerprep-e.yaml"
BANK = load_bank(CONTENT_DIR)
NEW = load_bank(FILE)
NEW_IDS = [f"pp-{n}" for n in range(44, 58)]
ANSWERS: dict[str, dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "new_questions_answers.yaml").read_text(encoding="utf-8"))
STRONG = [(qid, i, text) for qid in NEW_IDS for i, text in enumerate(ANSWERS[qid]["strong"])]
PITFALLS = [(qid, p) for qid in NEW_IDS for p in ANSWERS[qid]["pitfalls"]]


def test_the_file_holds_the_new_questions_in_order():
    assert [q.id for q in NEW] == NEW_IDS
    assert all(q.source == "PeerPrep original" for q in NEW)
    assert all(BANK[q.id] == q for q in NEW)  # loaded into the shipped bank, unchanged


def test_the_new_questions_spread_over_the_kinds():
    kinds = {kind: sum(q.kind is kind for q in NEW) for kind in Kind}
    assert all(n >= 3 for n in kinds.values()), kinds


def test_every_new_question_has_strong_and_pitfall_answers():
    assert sorted(ANSWERS) == NEW_IDS
    for qid in NEW_IDS:
        assert len(ANSWERS[qid]["strong"]) >= 2, qid
        assert ANSWERS[qid]["pitfalls"], qid


def test_answers_repeat_neither_the_example_nor_the_seeds():
    for qid, _, text in STRONG:
        example = {h for _, h in runs(BANK[qid].example_answer)}
        mine = runs(text)
        assert not [r for r, h in mine if h in SEED_HASHES], f"{qid} repeats seed text"
        shared = [r for r, h in mine if h in example]
        assert not shared, f"{qid} copies its example answer: {shared[0]!r}"


@pytest.mark.parametrize(("qid", "n", "text"), STRONG, ids=[f"{q}-{i}" for q, i, _ in STRONG])
def test_a_strong_answer_in_other_words_is_recognised(qid: str, n: int, text: str):
    question = BANK[qid]
    feedback = give_feedback(question, text)
    missed = [k.label for k in feedback.key_points if not k.covered]
    assert feedback.words >= 120, feedback.words
    assert feedback.covered >= 0.6 * len(feedback.key_points), f"missed {missed}"
    assert feedback.score >= 70, feedback.summary
    assert feedback.length is Length.GOOD
    assert not feedback.language, feedback.language
    assert not feedback.crisis
    if feedback.star is not None:
        assert feedback.star.missing() == [], feedback.star.missing()
    others = max(give_feedback(question, VAGUE).score, give_feedback(question, OFF_TOPIC).score)
    assert feedback.score >= others + 30, (feedback.score, others)


@pytest.mark.parametrize(("qid", "case"), PITFALLS,
                         ids=[f"{q}-pitfall{p['pitfall']}" for q, p in PITFALLS])
def test_an_answer_that_commits_a_pitfall_misses_its_key_point(qid: str, case: dict[str, Any]):
    question = BANK[qid]
    assert 0 <= case["pitfall"] < len(question.pitfalls)
    ids = {k.id for k in question.key_points}
    assert set(case["misses"]) <= ids, set(case["misses"]) - ids
    feedback = give_feedback(question, case["answer"])
    credited = {k.id: k.evidence for k in feedback.key_points
                if k.covered and k.id in case["misses"]}
    assert not credited, f"{question.pitfalls[case['pitfall']]!r} still earns {credited}"


@pytest.mark.parametrize("qid", NEW_IDS)
def test_a_fluent_answer_about_something_else_earns_little(qid: str):
    feedback = give_feedback(BANK[qid], OFF_TOPIC)
    assert feedback.covered <= 1, [k.evidence for k in feedback.key_points if k.covered]
