"""Language notes in the guidance: what they cost, the tip, how they show, and the JSON."""

from __future__ import annotations

import json

from bot.bank import load_bank
from bot.coaching import Feedback, give_feedback
from bot.coaching.feedback import LANGUAGE
from bot.coaching.language import language_notes
from bot.coaching.render import as_text, feedback_sections
from bot.coaching.safety import in_crisis
from bot.paths import CONTENT_DIR
from tests.test_language import FLAGGED, SELF_DESCRIBED
from tests.test_safety import CRISIS, NOT_CRISIS

BANK = load_bank(CONTENT_DIR)
QUESTION = BANK.questions[0]
# One answer, three versions: plain, with the writer's own words for themselves, and with a
# label for the people the writer serves. Only those words differ.
PLAIN = ("I have been in recovery for years. I listen to peers, I share my story when it "
         "helps them, and I ask what matters to them before I suggest anything. I'm a grateful "
         "member, and I have been well since 2016.")
OWN_WORDS = PLAIN.replace("I'm a grateful member, and I have been well since 2016.",
                          "I'm a recovering alcoholic, and I have been clean since 2016.")
ABOUT_OTHERS = PLAIN.replace("I listen to peers,", "I listen to addicts,")
RESOURCES = ("US: call or text 988",)


def _language_points(answer: str) -> int:
    """Points lost against PLAIN, which must cover the same key points and length band."""
    plain, other = give_feedback(QUESTION, PLAIN), give_feedback(QUESTION, answer)
    assert (plain.key_points, plain.words, plain.filler_words) == (
        other.key_points, other.words, other.filler_words)
    return plain.score - other.score


def test_the_writers_own_words_cost_no_points() -> None:
    feedback = give_feedback(QUESTION, OWN_WORDS)
    assert [(n.term, n.self_described) for n in feedback.language] == [
        ("recovering alcoholic", True), ("been clean", True)]
    assert _language_points(OWN_WORDS) == 0


def test_a_label_for_others_costs_points_and_gets_the_tip() -> None:
    feedback = give_feedback(QUESTION, ABOUT_OTHERS)
    assert [(n.term, n.self_described) for n in feedback.language] == [("addicts", False)]
    assert 0 < _language_points(ABOUT_OTHERS) <= LANGUAGE
    assert any('instead of "addicts"' in tip for tip in feedback.tips)


def test_no_tip_asks_the_writer_to_change_their_own_words() -> None:
    feedback = give_feedback(QUESTION, OWN_WORDS)
    assert not any("alcoholic" in tip or "clean" in tip for tip in feedback.tips)


def test_a_self_described_note_shows_as_a_gentle_note() -> None:
    text = as_text(feedback_sections(QUESTION, give_feedback(QUESTION, OWN_WORDS), RESOURCES))
    assert ('"recovering alcoholic": you may describe yourself as you choose; for the people '
            "you serve, try: person with an alcohol use disorder / person in recovery.") in text
    assert '"been clean": you may describe yourself as you choose' in text
    assert "testing negative" not in text  # "been clean" is about a person, not a drug test


def test_a_note_about_others_shows_its_alternative() -> None:
    text = as_text(feedback_sections(QUESTION, give_feedback(QUESTION, ABOUT_OTHERS), RESOURCES))
    assert '"addicts" → person with a substance use disorder / person in recovery' in text
    assert "describe yourself" not in text


def test_json_says_which_notes_are_self_described_and_survives_a_round_trip() -> None:
    feedback = give_feedback(QUESTION, OWN_WORDS + " Some addicts relapse.")
    data = json.loads(json.dumps(feedback.to_dict()))
    assert [(n["term"], n["self_described"]) for n in data["language"]] == [
        ("recovering alcoholic", True), ("been clean", True), ("addicts", False)]
    assert Feedback.from_dict(data) == feedback


def test_feedback_stored_before_the_field_existed_still_loads() -> None:
    data = give_feedback(QUESTION, ABOUT_OTHERS).to_dict()
    for note in data["language"]:
        del note["self_described"]
    (note,) = Feedback.from_dict(data).language
    assert note.term == "addicts" and note.self_described is False


def test_the_guidance_finds_what_the_checks_find_on_their_own() -> None:
    """give_feedback cleans the answer once and hands it on; that must change nothing."""
    texts = [t for t, _, _ in FLAGGED + SELF_DESCRIBED] + CRISIS + NOT_CRISIS + [
        "He calls himself \u201can addict\u201d.", "I\u2019m a recovering alcoholic\u200b.",
        "\u0130stanbul staff called him an addict.", "I\u00a0want\u00a0to\u00a0die",
    ]
    for text in texts:
        feedback = give_feedback(QUESTION, text)
        assert feedback.crisis is in_crisis(text), text
        # In a crisis the guidance is the resources alone: no language notes.
        expected = () if feedback.crisis else tuple(language_notes(text))
        assert feedback.language == expected, text
