"""What the bank teaches is accurate peer practice (trainer's review, findings 4-10, 13, 14).

Trainees rehearse on these example answers, so a wrong fact here is a wrong fact in an
interview. Each check names the review finding it keeps fixed.
"""

from __future__ import annotations

import re

import pytest

from bot.bank import Question, load_bank
from bot.paths import CONTENT_DIR

BANK = load_bank(CONTENT_DIR)
_SENTENCE = re.compile(r"[^.!?]+[.!?]?")


def sentences(text: str) -> list[str]:
    return [s.strip().lower() for s in _SENTENCE.findall(" ".join(text.split())) if s.strip()]


def taught(q: Question) -> str:
    """The text a trainee reads as guidance: what interviewers want and the model answer."""
    return f"{q.looking_for}\n{q.example_answer}"


# Finding 4: mandated reporting covers abuse and neglect (of children, older and dependent
# adults, by state law); a risk to the person's own life goes through the crisis protocol.
_RISK_TO_SELF = re.compile(r"hurting themselves|harming themselves|hurt themselves|suicid|"
                           r"ending their life|harm to self|risk of harm|life is in|danger")


@pytest.mark.parametrize("question", list(BANK), ids=lambda q: q.id)
def test_risk_to_self_is_not_called_mandated_reporting(question: Question):
    said = sentences(taught(question))
    wrong = [" ".join(said[max(0, i - 1):i + 1]) for i, s in enumerate(said)
             if "mandated report" in s and any(map(_RISK_TO_SELF.search, said[max(0, i - 1):i + 1]))]
    assert not wrong, wrong


# Finding 5: legal confidentiality. A court-ordered person in a substance use program hears
# that the court or probation learns only what they consent to in writing (42 CFR Part 2).
@pytest.mark.parametrize("qid", ["pp-12", "cps-08"])
def test_part_2_consent_is_taught_where_it_applies(qid: str):
    text = " ".join(taught(BANK[qid]).lower().split())
    assert "42 cfr part 2" in text and "written consent" in text


# Finding 6: case managers coordinate services and are often unlicensed; they are not
# "clinical roles" beside therapists.
@pytest.mark.parametrize("question", list(BANK), ids=lambda q: q.id)
def test_case_managers_are_not_called_clinicians(question: Question):
    text = " ".join([question.prompt, taught(question), *(f.prompt for f in question.follow_ups)])
    wrong = [s for s in sentences(text) if "case manager" in s
             and re.search(r"clinical roles?|as a clinician|managers? (?:is|are) clinicians?", s)]
    assert not wrong, wrong


# Finding 7: a safety plan includes making the person's space safer for a while.
@pytest.mark.parametrize("qid", ["pss-21", "cps-05", "pp-13"])
def test_safety_plans_include_means_safety(qid: str):
    text = BANK[qid].example_answer.lower()
    assert re.search(r"hold onto|lock|firearm|means safety|space safer|surroundings safer", text)


# Finding 8: hourly bed checks belong to a crisis residential or inpatient unit, not to a
# voluntary peer respite, whose guests aren't watched through the night.
@pytest.mark.parametrize("question", list(BANK), ids=lambda q: q.id)
def test_night_checks_are_not_set_in_a_peer_respite(question: Question):
    text = question.example_answer.lower()
    assert not ("respite" in text and re.search(r"(?:bed|room|safety|hourly) checks", text))


# Finding 9: an example answers the bank's prompt, not the seed's wording of it: "Yes" and
# "No" open only answers to yes/no questions.
@pytest.mark.parametrize("question", list(BANK), ids=lambda q: q.id)
def test_yes_or_no_only_answers_a_yes_no_question(question: Question):
    opening = question.example_answer.split()[0].strip(",.").lower()
    if opening in {"yes", "no"}:
        assert re.match(r"(?:have|has|do|does|did|are|is|can|could|would|will)\b",
                        question.prompt.lower()), question.prompt


# Finding 10: after an overdose, "treatment" means naming medication for opioid use
# disorder as an option, and the weeks after are a high-risk time.
def test_the_overdose_question_names_moud_and_the_risk_after():
    text = " ".join(taught(BANK["pp-14"]).lower().split())
    assert "buprenorphine" in text and "methadone" in text
    assert re.search(r"high[- ]risk", text)


# Finding 13: the examples should read as different people's answers, not one template.
RUN = 7


def _runs(text: str) -> set[str]:
    w = re.findall(r"[a-z0-9']+", text.lower())
    return {" ".join(w[i:i + RUN]) for i in range(len(w) - RUN + 1)}


def test_no_seven_word_run_recurs_across_three_examples():
    seen: dict[str, set[str]] = {}
    for q in BANK:
        for run in _runs(q.example_answer):
            seen.setdefault(run, set()).add(q.id)
    templated = {run: sorted(ids) for run, ids in seen.items() if len(ids) >= 3}
    assert not templated, templated


@pytest.mark.parametrize("question", list(BANK), ids=lambda q: q.id)
def test_an_example_does_not_end_on_an_aphorism(question: Question):
    last = sentences(question.example_answer)[-1]
    assert not re.search(r", not (?:a |an |the |with |to )?[a-z' ]+[.!?]$", last), last


def test_stories_vary_their_people_and_places():
    examples = [q.example_answer.lower() for q in BANK]
    for stock in ("in her fifties", "in his fifties", "drop-in cent", "at my last"):
        assert sum(stock in e for e in examples) <= 2, stock


# Finding 13: one lived-experience example names no diagnosis, and candidates are told
# they never have to.
def test_a_lived_experience_example_names_no_diagnosis():
    diagnoses = re.compile(r"depression|anxiety|bipolar|psychosis|schizo|ptsd|eating disorder|"
                           r"use disorder|borderline|ocd\b")
    answers = [BANK[qid] for qid in ("cps-02", "pss-14")]
    assert any(not diagnoses.search(q.example_answer.lower()) for q in answers)
    assert all("ada" in q.looking_for.lower().split() for q in answers)
