"""Coaching that judges meaning (issue 13): the labelled development set's targets, and each
failure the issue names, as a trainee would meet it.

The development set is in tests/data/coaching_dev/ (written as candidates speak); ``python -m
bench.coaching --verbose`` shows every case.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench import coaching as dev
from bot.bank import BankError, load_bank
from bot.coaching import Feedback, give_feedback
from bot.coaching.concepts import read_concepts
from bot.coaching.gaming import CAP
from bot.paths import CONTENT_DIR, PROJECT_ROOT

BANK = load_bank(CONTENT_DIR)


def covered(qid: str, text: str) -> dict[str, str | None]:
    return {k.id: k.evidence for k in give_feedback(BANK[qid], text).key_points if k.covered}


# --- the development set ---------------------------------------------------------------------

def test_strong_answers_beat_weak_ones_of_the_same_length_by_a_clear_margin():
    pairs = dev.pairs(BANK)
    assert pairs["cases"] >= 30
    assert pairs["accuracy"] >= 0.9, pairs["rows"]
    assert pairs["margin"] >= 15


def test_every_gaming_case_scores_at_most_40():
    gaming = dev.gaming(BANK)
    assert gaming["cases"] >= 20
    assert gaming["max"] <= CAP, [row for row in gaming["rows"] if row[2] > CAP]


def test_every_language_case_is_right_with_no_false_flag():
    language = dev.language()
    assert language["hits"] == language["flag_cases"] and language["false_flags"] == 0, (
        language["wrong"])


def test_star_reads_nine_stories_in_ten_right():
    star = dev.star()
    assert star["cases"] >= 20
    assert star["accuracy"] >= 0.9, star["wrong"]


# --- what the issue found ----------------------------------------------------------------------

@pytest.mark.parametrize(("qid", "point", "text"), [
    ("pp-07", "no-promise", "I'd be honest that I can't make that promise."),
    ("pss-21", "stay-and-listen", "I stayed calm and listened."),
    ("pss-17", "stay-neutral", "I'd be careful not to side with either of them."),
    ("pp-46", "hurt", "I can hear how much that comment hurt."),
    ("cps-01", "non-clinical", "We don't diagnose anyone or do therapy."),
])
def test_a_point_said_in_plain_words_counts(qid: str, point: str, text: str):
    assert point in covered(qid, text)


def test_the_top_tip_does_not_ask_for_what_was_said():
    feedback = give_feedback(BANK["pp-07"], "I'd be honest that I can't make that promise.")
    assert not any("promise secrecy" in tip.lower() for tip in feedback.tips), feedback.tips


@pytest.mark.parametrize(("qid", "point", "text"), [
    ("cps-01", "trained-certified", "I haven't done the training yet."),
    ("cps-01", "trained-certified", "I have not yet had the chance to do any certification."),
    ("pss-24", "practical-barriers", "It was a busy week for everyone."),  # bus is not busy
    ("pss-21", "ask-directly", "I asked her if she was safe."),
    ("pss-21", "ask-directly", "I asked her directly if she was okay."),
    ("cps-05", "ask-directly", "I'd ask them directly how they are feeling."),
])
def test_what_is_not_said_earns_nothing(qid: str, point: str, text: str):
    assert point not in covered(qid, text)


@pytest.mark.parametrize("text", [
    "I asked her directly if she was thinking about suicide.",
    "I asked him plainly whether he wanted to kill himself.",
    "I asked, are you thinking of ending your life?",
])
def test_a_direct_question_about_suicide_counts(text: str):
    assert "ask-directly" in covered("pss-21", text)


def test_a_committed_pitfall_takes_the_points_it_contradicts_and_is_named_kindly():
    feedback = give_feedback(
        BANK["pss-17"], "I'd listen to both sides, figure out who was in the wrong, and sort it.")
    assert not {"hear-each-side", "stay-neutral"} & {k.id for k in feedback.key_points
                                                     if k.covered}
    assert [p.name for p in feedback.pitfalls] == ["Deciding who was in the wrong"]
    assert feedback.tips[0] == ("Deciding who was in the wrong: interviewers listen for hearing "
                                "each side without taking one.")


def test_a_pitfall_said_negated_is_not_committed():
    feedback = give_feedback(
        BANK["pss-17"], "I'd hear each of them separately. I wouldn't decide who was right.")
    assert feedback.pitfalls == ()
    assert "hear-each-side" in {k.id for k in feedback.key_points if k.covered}


@pytest.mark.parametrize("kind", ["list", "fragments", "copy", "repeat"])
def test_an_unspoken_answer_is_capped_and_told_why(kind: str):
    answers = {
        "list": "stay calm, ask directly, suicide, crisis protocol, crisis team, 988, safety "
                "plan, in their words, follow up, debrief",
        "fragments": "Calm. Stay with. Ask directly suicide. Crisis protocol crisis team 988. "
                     "Safety plan their words. Follow up next day debrief.",
        "copy": BANK["cps-05"].prompt + " I would support them in the middle of a crisis.",
        "repeat": " ".join(["I would stay calm and ask directly about suicide."] * 6),
    }
    feedback = give_feedback(BANK["cps-05"], answers[kind])
    assert feedback.unspoken == kind
    assert feedback.score <= CAP
    assert feedback.tips[0].startswith(("Say it as sentences you would speak", "Answer in your "
                                        "own words", "Say each thing once"))


def test_the_new_fields_survive_a_json_round_trip():
    feedback = give_feedback(BANK["pss-17"], "I'd listen to both sides, figure out who was in "
                             "the wrong, and tell the other one to back down.")
    data = feedback.to_dict()
    assert data["pitfalls"][0]["undoes"] == ["stay-neutral", "hear-each-side"]
    assert data["unspoken"] is None
    assert Feedback.from_dict(data) == feedback


# --- content check validates the new fields ---------------------------------------------------

def _bank_with(tmp_path: Path, old: str, new: str) -> list[str]:
    text = (CONTENT_DIR / "pss-b.yaml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "pss-b.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(BankError) as caught:
        load_bank(tmp_path)
    return [str(p) for p in caught.value.problems]


def test_an_exemplar_of_one_meaningful_word_is_reported_with_file_line_id_and_field(
        tmp_path: Path):
    problems = _bank_with(tmp_path, 'exemplars: ["stayed with her and listened"',
                          'exemplars: ["I would listen"')
    assert any("pss-b.yaml:" in p and "pss-21 key_points[1].exemplars[0]: needs at least two "
               "meaningful words" in p for p in problems), problems


@pytest.mark.parametrize(("old", "new", "message"), [
    ("      - pitfall: 1\n        name: \"Hinting", "      - pitfall: 9\n        name: \"Hinting",
     "pitfall_signals[0].pitfall: must be the number of one of the question's pitfalls"),
    ("undoes: [ask-directly]", "undoes: [ask-plainly]",
     "pitfall_signals[0].undoes: no key point 'ask-plainly'"),
])
def test_a_bad_pitfall_signal_is_reported(tmp_path: Path, old: str, new: str, message: str):
    problems = _bank_with(tmp_path, old, new)
    assert any(message in p and "pss-21" in p for p in problems), problems


def test_the_concept_lexicon_is_valid_and_a_word_in_two_concepts_is_reported(tmp_path: Path):
    groups, problems = read_concepts(PROJECT_ROOT / "content" / "concepts.yaml")
    assert problems == [] and len(groups) >= 20
    bad = tmp_path / "concepts.yaml"
    bad.write_text("concepts:\n  listen: [listen, hear out]\n  hear: [heard out, attend]\n",
                   encoding="utf-8")
    _, problems = read_concepts(bad)
    assert [str(p) for p in problems] == [
        f"{bad}:3: hear [0]: 'heard out' is already in concept 'listen': a word belongs to one "
        "concept"]


def test_content_check_reports_the_concept_lexicon(tmp_path: Path):
    questions = tmp_path / "questions"
    questions.mkdir()
    (questions / "cps.yaml").write_text((CONTENT_DIR / "cps.yaml").read_text(encoding="utf-8"),
                                        encoding="utf-8")
    (tmp_path / "concepts.yaml").write_text("concepts:\n  calm: [Calm, steady]\n",
                                            encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "bot", "content", "check", str(questions)],
                         capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)
    assert run.returncode == 1
    assert "concepts.yaml:2: calm [0]: words are lower case" in run.stdout, run.stdout
