"""Cues reward the point, not the words a pitfall shares with it (trainer's review, finding
1), and the matcher's two rules beyond plain matching: ``*`` and negation.

`PITFALL_ANSWERS` hold answers a trainee might really give that commit a question's pitfall
(offering a diagnosis, promising total secrecy, handling suicide risk alone): none may earn
the point the pitfall contradicts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.bank import BankError, KeyPoint, load_bank
from bot.coaching import give_feedback
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
        text.replace("cues: [", 'cues: ["* certified", ', 1))
    with pytest.raises(BankError) as caught:
        load_bank(tmp_path)
    assert any("starts with a word, not *" in str(p) for p in caught.value.problems)


# --- pitfall answers earn nothing for the point they contradict ----------------------------

PITFALL_ANSWERS: list[tuple[str, tuple[str, ...], str]] = [
    ("cps-01", ("non-clinical",),
     "A certified peer specialist is really a junior clinician. I'd help diagnose what people "
     "are dealing with, suggest which medication might work for them and answer their "
     "clinical questions, since I've been through it myself."),
    ("pss-01", ("scope",),
     "I know these conditions well, so after a couple of meetings I can usually diagnose what "
     "someone has and give medication advice based on what worked for me. I'd share my "
     "clinical opinion of their diagnosis with the treatment team."),
    ("pss-10", ("role-limits",),
     "I'd decide that myself. If someone has questions about their diagnosis or their "
     "medication I'd answer them, help diagnose what's going on and suggest which medication "
     "to try, and I'd give them legal advice too. I'd only bring in other professionals if "
     "things got really bad."),
    ("pss-13", ("peer-role",),
     "You should choose me because I can do more than most peers. I help diagnose people, I "
     "give medication advice, I provide counseling and I write treatment plans, so I'm "
     "basically a clinician who has been there."),
    ("pp-11", ("no-clinical",),
     "Honestly the peer role is a lot like the clinical roles. I'd provide therapy, help "
     "diagnose, give medication advice and take care of the clinical side when the therapist "
     "is busy."),
    ("pss-25", ("confidentiality", "scope"),
     "The main principle is confidentiality: I keep everything people tell me confidential, "
     "no matter what, because privacy matters most. I also help diagnose people and give "
     "medication advice when their clinician isn't around."),
    ("cps-06", ("clear-up-front",),
     "To earn trust I promise that whatever they tell me stays completely confidential, and "
     "that I protect their privacy no matter what. Then I just try to be friendly."),
    ("pss-04", ("role-confidentiality",),
     "I tell them right away that everything they say is confidential and their privacy is "
     "safe with me, so they can tell me anything at all."),
    ("pss-11", ("role-confidentiality",),
     "I'd promise them that everything is confidential and nothing they say ever leaves the "
     "room, so they feel safe enough to tell me everything."),
    ("cps-08", ("limits-up-front", "exceptions", "supervisor-policy"),
     "I'd promise them it stays between us no matter what. Their privacy comes first, so I'd "
     "keep it confidential, never tell my supervisor and not write anything down. If it was "
     "something serious, I'd handle it myself."),
    ("pp-07", ("no-promise", "limits", "mandated"),
     "I'd promise them I won't tell anyone on the team. Everything they tell me is "
     "confidential and stays between us, because they need one person they can trust."),
    ("cps-05", ("ask-directly", "protocol-escalate"),
     "I'd handle the suicide risk myself and keep things positive. I wouldn't bring up "
     "suicide directly in case it puts the idea in their head; I'd hint around it and steer "
     "the talk to something hopeful."),
    ("pss-21", ("ask-directly", "protocol-and-help", "confidentiality-limits"),
     "At my last job a woman told me she felt hopeless. I didn't want to upset her by "
     "mentioning suicide, so I hinted around it and told her things would get better. She "
     "asked me to keep it a secret, I promised I would, and I handled it myself."),
    ("pss-03", ("stay-calm", "ask-harm", "get-help"),
     "I'd tell them firmly to calm down and that there will be consequences if they keep it "
     "up. I'd avoid talking about harm so I don't make it worse, and I'd deal with it myself "
     "rather than calling anyone."),
    ("pp-14", ("no-judgement", "harm-reduction"),
     "I'd call 911 first. Once they came round I'd give them a serious lecture about how "
     "dangerous that was and shame them a little so it sinks in, and I'd make them promise "
     "to go to treatment, because I can't keep supporting someone who keeps using."),
    ("pp-06", ("scope", "their-decision"),
     "If the side effects are that bad, I'd tell them to stop. When I had side effects I "
     "quit my medication and felt better, so my advice would be to do the same."),
    ("pp-03", ("boundary", "not-advice"),
     "I'd happily tell them everything: my diagnosis, the medication and dose that helped me, "
     "and what my family thought, because being open builds trust and they might want to try "
     "the same medication."),
    ("pp-12", ("transparency",),
     "I'd tell them that nothing they say here goes to the court, so they can relax and be "
     "honest with me about anything."),
    ("pss-06", ("team",),
     "I'd tell them that if they're still struggling, maybe their medication isn't right and "
     "they should cut back the dose. I've seen that work."),
]


@pytest.mark.parametrize(("qid", "points", "answer"), PITFALL_ANSWERS,
                         ids=[f"{q}:{'+'.join(p)}" for q, p, _ in PITFALL_ANSWERS])
def test_an_answer_that_commits_the_pitfall_does_not_earn_the_point(
        qid: str, points: tuple[str, ...], answer: str):
    feedback = give_feedback(BANK[qid], answer)
    earned = [(k.id, k.evidence) for k in feedback.key_points if k.id in points and k.covered]
    assert not earned, f"the pitfall earns {earned}"
