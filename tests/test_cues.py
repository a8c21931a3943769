"""Cues reward the point, not the words a pitfall shares with it (trainer's review, finding
1-3), and the matcher's two rules beyond plain matching: ``*`` and negation.

`PITFALL_ANSWERS` hold answers a trainee might really give that commit a question's pitfall
(offering a diagnosis, promising total secrecy, handling suicide risk alone): none may earn
the point the pitfall contradicts. `OTHER_WORDS` say a point the way strong candidates do, in
words the example answer doesn't use (neutral pronouns, which many use for privacy, "9-1-1",
"can't guarantee confidentiality"); `STRONG_IN_OTHER_WORDS` are whole answers of that kind.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.bank import BankError, KeyPoint, load_bank
from bot.coaching import give_feedback
from bot.coaching.cues import matched_cue
from bot.paths import CONTENT_DIR

BANK = load_bank(CONTENT_DIR)


def point(qid: str, point_id: str) -> KeyPoint:
    return next(p for p in BANK[qid].key_points if p.id == point_id)


def hit(qid: str, point_id: str, text: str) -> str | None:
    return matched_cue(point(qid, point_id), text)


# --- the matcher ----------------------------------------------------------------------------

def _match(cue: str, text: str) -> str | None:
    return matched_cue(KeyPoint("p", "P", (cue,)), text)


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
    ("Not everyone likes it, but I ask directly.", "ask directly"),  # a new clause
    ("I would not hesitate to ask directly.", "ask directly"),  # "not hesitate" says yes
    ("I don't diagnose.", "don't diagnose"),  # a cue may carry its own negation
])
def test_a_negation_ends_with_its_clause(text: str, found: str):
    cue = found if found == "don't diagnose" else "ask directly"
    assert _match(cue, text) == found


@pytest.mark.parametrize(("cue", "text"), [
    ("ask directly", "I would never really want to ask directly."),
    ("training", "I haven't done the training yet."),
    ("take sides", "Rather than take sides, I'd listen."),
    ("take sides", "I'd listen instead of taking sides."),
    ("judge", "I wouldn't lecture or judge them."),  # "or" carries the negation on
])
def test_a_negation_anywhere_before_in_the_clause_counts(cue: str, text: str):
    assert _match(cue, text) is None


@pytest.mark.parametrize(("cue", "text", "found"), [
    ("bus", "It was a busy week.", None),  # a short cue word is its own word, every form
    ("bus", "We took the buses together.", "buses"),
    ("listen", "I listened to her.", "listened"),  # the dictionary form matches every form
    ("listened", "I listen to her.", None),  # another form asks for itself: a story cue
    ("advoca", "I advocated for him.", "advocated"),  # five letters or more: the words it begins
    ("stay calm", "I stayed calm.", "stayed calm"),
])
def test_cue_words_match_lemmas_and_long_stems(cue: str, text: str, found: str | None):
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
    ("pss-21", ("safety-plan",),  # finding 7: a phone number is not a safety plan
     "I gave her the 988 number and told her to call it if things got bad again, and then "
     "she went home."),
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
    ("pss-10", ("safety-first",),
     "If someone mentioned suicide, I'd wait to see whether it came up again before telling "
     "anyone, so I don't overreact or damage our relationship."),
    ("pp-05", ("confidentiality",),
     "I'd wave and call out that I'm their peer mentor, and tell my friends how we know each "
     "other, since privacy isn't a big deal between us."),
    ("pp-37", ("confidentiality",),
     "I'd introduce them to my friends at the meeting and explain how we know each other, so "
     "nobody wonders."),
    ("pp-30", ("no-processing", "treatment-is-clinical"),
     "As a peer I'd do the trauma work myself: I'd have people tell me the whole story so we "
     "can process it together, which is basically therapy without the paperwork."),
    ("pp-31", ("step-in-gently", "agreement"),
     "I'd let them keep going, because interrupting would be rude, and the group should hear "
     "the whole story in detail so everyone understands."),
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


# --- strong candidates' own phrasings --------------------------------------------------------

OTHER_WORDS: list[tuple[str, str, str]] = [
    ("pss-21", "ask-directly", "I asked her, are you thinking of killing yourself?"),
    ("pss-21", "ask-directly", "I asked her plainly if she was suicidal."),
    ("pss-21", "ask-directly", "I asked them plainly whether they were thinking of suicide."),
    ("pss-21", "ask-directly", "I asked R. directly if they wanted to die."),
    ("pss-21", "safety-plan", "They went home with a plan they wrote themselves."),
    ("pss-21", "safety-plan", "She left with a plan she wrote herself."),
    ("pss-21", "stay-and-listen", "I stayed right there with them."),
    ("cps-05", "ask-directly", "I'd ask, are you thinking about killing yourself?"),
    ("cps-08", "exceptions", "I'm required by law to report if a child is being hurt."),
    ("cps-08", "exceptions", "unless someone is at risk of harming themselves or others"),
    ("pp-07", "no-promise", "I can't keep secrets from the team if it's about your safety."),
    ("pp-07", "no-promise", "I'd be honest that I can't guarantee confidentiality."),
    ("pp-07", "mandated", "I'm legally obligated to report child abuse."),
    ("pp-06", "scope", "I'm not a medical professional, so I can't advise on that."),
    ("pp-06", "scope", "That's a question for a clinician, not for me as a peer."),
    ("pp-04", "decline", "I'd kindly hand the gift card back."),
    ("pp-04", "decline", "I'd explain I'm not able to take gifts."),
    ("pss-23", "teach-back", "I'd ask them to tell me in their own words what they'll do."),
    ("pss-23", "teach-back", "I'd ask them to repeat back the plan."),
    ("pss-17", "stay-neutral", "I wouldn't pick a side."),
    ("pss-03", "safety-space", "I'd keep my distance and not reach out to touch them."),
    ("pp-14", "call", "I'd call 9-1-1 immediately."),
    ("pp-14", "stay", "I'd stay right there until EMS arrived."),
    ("pp-14", "harm-reduction", "I'd talk about MOUD options like Suboxone if they want."),
    ("pp-14", "harm-reduction", "We could talk about buprenorphine or methadone."),
    ("pp-13", "environment", "store medications somewhere else for a while"),
    ("pss-05", "their-goal", "The goal, as J. put it, was to drive their daughter to school."),
    ("pss-05", "small-steps", "So we split the goal into pieces."),
    ("pss-05", "their-work", "J. picked the order and the pace."),
    ("pss-05", "their-work", "They did every bit of the studying."),
    ("pss-09", "person-priorities", "I asked where they wanted to start."),
    ("pss-09", "connect-coordinate", "With their permission, I called their case manager."),
    ("pss-12", "ask-not-assume", "I invited them to tell me what recovery means to them."),
    ("pp-05", "choice", "I asked them what they wanted to do, and either answer was fine."),
    ("pp-41", "connect", "I'd connect them with a paralegal at legal services."),
    ("pss-19", "open-door", "I'd let them know they can come back anytime."),
    ("pss-10", "role-limits", "Some questions are outside what a peer does."),
    ("pp-11", "no-clinical", "I don't treat people or do counseling."),
    ("pp-12", "transparency", "I'd tell them exactly what I have to share with probation."),
    ("pp-12", "role", "I'm not here to report on them; I'm a peer who has been in their shoes."),
    ("pss-05", "result", "J. passed about three months later, and what I took from it was this."),
    ("cps-06", "clear-up-front",
     "I explain at the start what I keep private and when I'd have to tell someone."),
    ("pss-25", "boundaries", "I don't date or befriend people I support."),
    ("pp-32", "repair", "When I mess up, I own it and say sorry."),
]


@pytest.mark.parametrize(("qid", "point_id", "text"), OTHER_WORDS,
                         ids=[f"{q}:{p}:{i}" for i, (q, p, _) in enumerate(OTHER_WORDS)])
def test_a_strong_candidates_own_phrasing_earns_the_point(qid: str, point_id: str, text: str):
    assert hit(qid, point_id, text), f"{qid} {point_id} misses {text!r}"


STRONG_IN_OTHER_WORDS: dict[str, str] = {
    # Neutral pronouns throughout: many candidates keep the person's gender private.
    "pss-21": (
        "Last year, volunteering at a peer-run warmline's drop-in space, I spent an evening "
        "with a member I'll call R. Over coffee they said they didn't see the point of going "
        "on. My role was never to judge how much risk they were in; it was to make sure they "
        "weren't alone with it and that the right people knew.\n\n"
        "I put my cup down and asked them plainly if they were thinking of killing themselves. "
        "They said yes, and that it had been on their mind for days. I stayed right there, kept "
        "my voice even and let them talk. When we first met I'd told them I couldn't keep "
        "something like this to myself, so I reminded them of that and said I was going to "
        "call the coordinator on shift, and that I'd stay while we did.\n\n"
        "Following our procedure, the coordinator and a mobile crisis counselor came. Once R. "
        "was calmer, they wrote their own plan: what they notice when things get dark, what "
        "helps, two friends to call and the 988 line, and they decided to have a friend keep "
        "their extra medication for a while.\n\n"
        "As a result they went home with a plan they wrote themselves. I called the next day, "
        "and I talked it through in supervision that week. I learned that asking plainly is a "
        "relief for people, not a danger."
    ),
    "pss-05": (
        "During my practicum at a clubhouse I supported a member I'll call J., who had wanted a "
        "driver's licence for years but had failed the written test twice and stopped trying. "
        "The goal, in J.'s own words, was to drive their daughter to school one day, and my "
        "task was to help without taking the wheel.\n\n"
        "I asked what had helped J. learn things before. Flash cards had worked in high school, "
        "so we split the goal into pieces: get the study booklet, then ten cards a week, then "
        "an online practice test, then booking the exam. J. picked the order and the pace. I "
        "asked what J. was good at, and it turned out song lyrics came easily, so J. made up "
        "rhymes for the road signs.\n\n"
        "When a practice test went badly and J. wanted to give up, I mentioned briefly that I'd "
        "failed my own GED math twice before passing, and we looked at how many answers had "
        "improved. J. decided to book the test anyway.\n\n"
        "As a result, J. passed on the third try about three months later and did every bit of "
        "the studying. I learned that my job is to help someone find the next doable step, "
        "then get out of the way."
    ),
    "pp-07": (
        "I'd stop them gently before they go on, because I don't want to trick anyone. I'd say: "
        "\"I really do want to hear it, but I can't keep secrets from the team if it's about "
        "your safety or someone else's, so let me tell you where the lines are first.\"\n\n"
        "Then I'd go over the basics again. Most of what we talk about stays with me and, where "
        "it's needed for your care, your treatment team. A few things I'm legally obligated to "
        "act on: if a child or an older adult is being hurt or neglected, or if you're at "
        "serious risk of harming yourself or someone else, which goes through our crisis "
        "procedure.\n\n"
        "If something like that came up, I wouldn't go around them. I'd tell them what I had "
        "to share and with whom, and I'd try to make that call with them sitting next to me. "
        "I'd also check with my supervisor about what our agency's procedure says.\n\n"
        "After that, what they tell me is up to them. Sometimes people still tell me, sometimes "
        "they hold back, and both are okay. If it's something they'd rather the team not hear, "
        "we can think together about whether they'd want to raise it on their own."
    ),
    "pss-09": (
        "During my practicum at a recovery community center I supported a person I'll call "
        "Sam, who was sleeping in a friend's garage, managing diabetes and trying to cut back "
        "on drinking, with benefits that had lapsed and an old eviction on their record. Every "
        "provider wanted something different, and Sam said they felt buried. My goal was to "
        "help them get some footing without taking over.\n\n"
        "I asked where they wanted to start. Sam chose the benefits, because without income "
        "nothing else moved. We wrote each need on its own index card and took one thing at a "
        "time. With their permission I called their case manager so we weren't duplicating "
        "effort, and I made a warm handoff to a housing navigator. Before the benefits "
        "appointment we practiced what Sam wanted to say, and I sat beside them while they "
        "spoke up for themselves. I kept my own role clear: blood sugar questions went to "
        "their nurse.\n\n"
        "As a result, within three months their benefits were restored and Sam moved into a "
        "room of their own. I learned that letting the person pick the first step is what gets "
        "things moving."
    ),
    "pp-14": (
        "I'd shout their name and rub their breastbone. If they didn't respond, I'd call 9-1-1 "
        "on speaker straight away and tell the dispatcher someone is barely breathing. I carry "
        "Narcan, so I'd give a dose in one nostril, start rescue breaths if I'm trained and "
        "they aren't breathing, or roll them into the recovery position if they are. If there's "
        "no change after a few minutes, a second dose. I'd stay right there until EMS arrived, "
        "because it can wear off before the opioid does, and I'd tell the crew what I saw and "
        "gave.\n\n"
        "Afterwards I'd follow our procedure: tell my supervisor, write the incident report and "
        "debrief, and use my own supports if it stirred up my history.\n\n"
        "When I see the person next, the first thing I'd say is that I'm glad they're alive. No "
        "lecture. The days after an overdose are a high-risk time, so I'd ask what they want "
        "now. If they're interested, we could talk about MOUD, like Suboxone or methadone, and "
        "I could go with them to a clinic. If not, we'd talk about staying safer: their own "
        "naloxone, test strips and never using alone. Either way it's their call, and my "
        "support doesn't depend on it."
    ),
    # Finding 7: an honest "no job experience, but trained" answer can earn every point.
    "pss-21/training": (
        "I haven't supported someone through this in a paid role yet, so I'll be honest about "
        "that and tell you what I'm trained to do. Last year I completed QPR and Mental Health "
        "First Aid, and we practiced these steps in role-plays during my certification course."
        "\n\nIf someone hinted that they didn't want to be around anymore, I'd ask directly: "
        "\"Are you thinking about suicide?\" Asking plainly doesn't plant the idea. Then I'd "
        "stay with them and listen without trying to argue them out of how they feel. At our "
        "first meeting I'd have explained that I can't keep a risk to someone's life to myself, "
        "so I'd remind them of that, tell them I'm bringing in my supervisor, and follow our "
        "protocol, calling mobile crisis or 911 if the danger were immediate.\n\nOnce they "
        "were safer, I'd help them write their own safety plan: warning signs, what helps, "
        "people they'd call, 988, and whether someone could hold onto medications for a while."
        "\n\nI'd check in the next day and debrief with my supervisor afterward. My training "
        "taught me that asking the question is itself a way of caring."
    ),
    "cps-08": (
        "I'd thank them for trusting me, keep my face and voice calm, and not press for more "
        "than they want to say. Then I'd ask what they'd like from me.\n\n"
        "This is where the first meeting pays off. At the start I explain the limits of "
        "confidentiality: most of what we talk about stays private, but I'm required by law "
        "to report abuse or neglect of a child or an older adult, and if someone is at risk of "
        "harming themselves or others I follow our crisis procedure. What exactly applies "
        "depends on state law and agency policy, and I tell people that too.\n\n"
        "If what they've shared falls outside those exceptions, it stays private. I wouldn't "
        "pass it to family, other providers or coworkers without their written consent.\n\n"
        "If it falls inside one, I'd tell them straight away what I have to share, with whom "
        "and why, before I do it, and invite them to be part of it, maybe by making the call "
        "together. Then I'd follow our policy, note only what's required and talk it through "
        "with my supervisor. Afterwards I'd keep checking in, so the relationship survives it."
    ),
}


@pytest.mark.parametrize("name", list(STRONG_IN_OTHER_WORDS))
def test_a_strong_answer_in_other_words_scores_well(name: str):
    feedback = give_feedback(BANK[name.split("/")[0]], STRONG_IN_OTHER_WORDS[name])
    missed = [k.id for k in feedback.key_points if not k.covered]
    assert not missed, f"missed {missed}"
    assert feedback.score >= 70, feedback.summary
    assert not feedback.language, feedback.language


# --- cue hygiene ---------------------------------------------------------------------------

_NEUTRAL = {"she": ("they",), "he": ("they",), "her": ("their", "them"), "his": ("their",),
            "him": ("them",), "herself": ("themselves",), "himself": ("themselves",),
            "she'd": ("they'd",), "he'd": ("they'd",), "she's": ("they're",),
            "he's": ("they're",), "was": ("were",)}


def _neutral_forms(cue: str) -> set[str]:
    forms = {""}
    for word in cue.split():
        options = _NEUTRAL.get(word, (word,))
        forms = {f"{f} {o}".strip() for f in forms for o in options}
    return forms


@pytest.mark.parametrize("question", list(BANK), ids=lambda q: q.id)
def test_a_gendered_cue_has_a_neutral_twin(question):
    gendered = {"she", "he", "her", "his", "him", "herself", "himself", "she'd", "he'd",
                "she's", "he's"}
    for kp in question.key_points:
        for cue in kp.cues:
            if gendered & set(cue.split()):
                assert _neutral_forms(cue) & set(kp.cues), (
                    f"{kp.id}: {cue!r} has no they/their form")
