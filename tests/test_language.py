"""Person-first, recovery-oriented language: stigmatising terms are caught, ordinary words not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.coaching.language import (
    RULES,
    LanguageNote,
    _matches,
    candidate_rules,
    candidate_rules_at_word_starts,
    language_notes,
)
from bot.text import clean, find_words, word_starts

# (text, the term as the writer wrote it, a phrase from the suggestion)
FLAGGED = [
    # Substance use.
    ("He is an addict, and I meet him where he is.", "addict", "substance use disorder"),
    ("Addicts deserve respect.", "Addicts", "substance use disorder"),
    ("She used to call herself an ex-addict.", "ex-addict", "person in recovery"),
    ("People called him a junkie on the street.", "junkie", "substance use disorder"),
    ("Her father was an alcoholic.", "alcoholic", "alcohol use disorder"),
    ("I grew up with an alcoholic father.", "alcoholic", "alcohol use disorder"),
    ("Many alcoholics hide it well.", "alcoholics", "alcohol use disorder"),
    ("I run a group for drug abusers.", "drug abusers", "person who uses substances"),
    ("He is a substance abuser.", "substance abuser", "person who uses substances"),
    ("I have worked in substance abuse treatment.", "substance abuse", "substance use disorder"),
    ("Drug abuse is common in our area.", "Drug abuse", "substance use disorder"),
    ("Alcohol abuse runs in my family.", "Alcohol abuse", "substance use disorder"),
    ("Opioid abuse changed our town.", "Opioid abuse", "substance use disorder"),
    ("He was abusing drugs at the time.", "abusing drugs", "misusing"),
    ("She abused alcohol for years.", "abused alcohol", "misusing"),
    ("Some people abuse prescriptions.", "abuse prescriptions", "misusing"),
    ("The abuse of opioids is a public health issue.", "abuse of opioids", "misusing"),
    # Clean / dirty in the drug-test sense.
    ("He wants to get clean.", "get clean", "in recovery"),
    ("She stayed clean through the holidays.", "stayed clean", "in recovery"),
    ("We celebrate clean time in group.", "clean time", "in recovery"),
    ("He has 90 days clean.", "days clean", "in recovery"),
    ("His test came back dirty.", "came back dirty", "testing negative/positive"),
    ("She tested dirty last week.", "tested dirty", "testing negative/positive"),
    ("A dirty UA is not a reason to discharge someone.", "dirty UA", "testing negative/positive"),
    ("He had a clean drug screen.", "clean drug screen", "testing negative/positive"),
    ("She is clean now and doing well.", "She is clean", "in recovery"),
    ("My son is clean now.", "is clean", "in recovery"),
    ("He was an ex-junkie.", "junkie", "substance use disorder"),
    # Suicide.
    ("My uncle committed suicide when I was twelve.", "committed suicide", "died by suicide"),
    ("People who commit suicide are often in pain.", "commit suicide", "died by suicide"),
    ("It was a completed suicide.", "completed suicide", "died by suicide"),
    ("She survived a failed suicide attempt.", "failed suicide attempt", "survived"),
    ("It was a successful suicide.", "successful suicide", "died by suicide"),
    # Mental health.
    ("She suffers from depression.", "suffers from", "lives with"),
    ("Schizophrenia sufferers are rarely violent.", "sufferers", "lives with"),
    ("We serve the mentally ill in this county.", "the mentally ill", "mental health condition"),
    ("He is mentally ill.", "mentally ill", "mental health condition"),
    ("He is a schizophrenic.", "a schizophrenic", "living with schizophrenia"),
    ("Schizophrenics are people first.", "Schizophrenics", "living with schizophrenia"),
    ("She was called a psychotic by staff.", "a psychotic", "psychosis"),
    ("He is a bipolar who works nights.", "a bipolar", "bipolar disorder"),
    ("She's bipolar, so some weeks were harder.", "bipolar", "bipolar disorder"),
    ("A drug user came in asking for supplies.", "drug user", "person who uses drugs"),
    ("The unit was crazy that night.", "crazy", "describe the experience"),
    ("That sounds insane.", "insane", "describe the experience"),
    ("Kids called him a psycho.", "psycho", "describe the experience"),
    ("Some staff called her a lunatic.", "lunatic", "describe the experience"),
    # Service language.
    ("The client was non-compliant with his meds.", "non-compliant", "chose not to follow"),
    ("Noncompliance is often a sign the plan doesn't fit.", "Noncompliance", "ask why"),
    ("He is non compliant with treatment.", "non compliant", "chose not to follow"),
    ("She is a frequent flyer at the ER.", "frequent flyer", "uses services often"),
    ("Staff said she was manipulative.", "manipulative", "get needs met"),
    ("That is just attention-seeking.", "attention-seeking", "get needs met"),
    ("He is high-functioning.", "high-functioning", "strengths and needs"),
    ("She is low functioning.", "low functioning", "strengths and needs"),
    ("I volunteer with the homeless.", "the homeless", "experiencing homelessness"),
    ("He is wheelchair-bound.", "wheelchair-bound", "uses a wheelchair"),
    ("She is confined to a wheelchair.", "confined to a wheelchair", "uses a wheelchair"),
    ("The kids called him retarded at school.", "retarded", "disability"),
    ("He is handicapped.", "handicapped", "disability"),
    # Added after the audit: each term with its suggestion.
    ("Staff called him a schizo.", "schizo", "living with schizophrenia"),
    ("The schizos on the ward were my friends.", "schizos", "living with schizophrenia"),
    ("He's a druggie, they said.", "druggie", "person who uses drugs"),
    ("Nobody should call her a crackhead.", "crackhead", "person who uses drugs"),
    ("The tweakers downtown need outreach too.", "tweakers", "person who uses drugs"),
    ("His brother is a drunk.", "a drunk", "alcohol use disorder"),
    ("The drunks at the bus stop are people first.", "drunks", "alcohol use disorder"),
    ("She was labelled a borderline by the intake team.", "a borderline", "borderline personality"),
    ("The nurse said she was nuts.", "was nuts", "describe the experience"),
    ("The waitlist drives me nuts.", "drives me nuts", "describe the experience"),
    ("He acted like a retard, they said.", "retard", "disability"),
    ("Old records say mental retardation.", "mental retardation", "intellectual"),
    ("He was treated like a mental patient.", "mental patient", "mental health care"),
    ("The ER labelled her drug-seeking.", "drug-seeking", "pain relief"),
    ("He was flagged for drug seeking behavior.", "drug seeking", "pain relief"),
    ("I do outreach with IV drug users.", "IV drug users", "person who injects drugs"),
    ("She is an intravenous drug user.", "intravenous drug user", "person who injects drugs"),
    ("Her file called her a cutter.", "a cutter", "person who self-harms"),
    ("Cutters often hide their arms.", "Cutters", "person who self-harms"),
    ("We should include the disabled.", "the disabled", "people with disabilities"),
    ("The disabled deserve good jobs.", "The disabled", "people with disabilities"),
    ("The addicted deserve care, not punishment.", "The addicted", "substance use disorder"),
    ("The nurses cared for addicted babies.", "addicted babies", "neonatal abstinence"),
    ("The press wrote about crack babies.", "crack babies", "neonatal abstinence"),
    ("I run a group for homeless clients.", "homeless clients", "experiencing homelessness"),
    ("A homeless man asked me for directions.", "homeless man", "experiencing homelessness"),
    ("We serve homeless people downtown.", "homeless people", "experiencing homelessness"),
    ("Every homeless person has a story.", "homeless person", "experiencing homelessness"),
    ("I talked with the homeless man outside.", "homeless man", "experiencing homelessness"),
    ("He was resistant to change.", "resistant", "not ready yet"),
    ("Resistant clients are often just scared.", "Resistant", "not ready yet"),
    ("Staff said she was resistant.", "resistant", "not ready yet"),
    ("The team called him unmotivated.", "unmotivated", "not ready yet"),
    ("He is in denial about his drinking.", "in denial", "not ready to talk about it"),
    ("I work with special needs kids.", "special needs", "disability"),
    ("He is on opioid replacement therapy.", "opioid replacement therapy", "medication for opioid"),
    ("She receives opioid substitution treatment.", "opioid substitution treatment",
     "medication for opioid"),
    ("The methadone replacement program helped him.", "methadone replacement program",
     "medication for opioid"),
    ("That guy is a psychopath.", "psychopath", "describe the experience"),
    # Clean / dirty: a person is in recovery; a test is negative or positive.
    ("He is sober and clean.", "sober and clean", "in recovery"),
    ("She has been in recovery and clean for nine years.", "clean", "in recovery"),
    ("He's in recovery and clean for nine years.", "clean", "in recovery"),
    ("My brother is clean since 2019.", "is clean", "in recovery"),
    ("Her urine was dirty.", "urine was dirty", "testing negative/positive"),
    ("He tested clean on Monday.", "tested clean", "testing negative/positive"),
    ("She got dirty again after the funeral.", "got dirty", "using"),
    # "Non-compliant" of a person is still flagged next to a law.
    ("The client was non-compliant with the court order.", "non-compliant", "chose not to"),
]

# The writer's words for themselves: a note that costs nothing, offering words for others.
SELF_DESCRIBED = [
    ("I'm a recovering alcoholic, and I share that when it helps.", "recovering alcoholic",
     "person in recovery"),
    ("I have been clean since 2016.", "been clean", "in recovery"),
    ("I'm a recovering addict myself.", "recovering addict", "person in recovery"),
    ("I've been clean for six years.", "been clean", "in recovery"),
    ("I am clean and sober.", "clean and sober", "in recovery"),
    ("I'm clean today.", "I'm clean", "in recovery"),
    ("I suffered with anxiety for years.", "suffered with", "lives with"),
    ("I was an addict for fifteen years.", "addict", "person in recovery"),
    ("I call myself an alcoholic in meetings.", "alcoholic", "person in recovery"),
    ("As a recovering addict, I know how shame works.", "recovering addict", "person in recovery"),
    ("I got clean in 2012.", "got clean", "in recovery"),
    ("I have 90 days clean.", "days clean", "in recovery"),
    ("I've been in recovery and clean for nine years.", "clean", "in recovery"),
    ("I was in denial for years.", "in denial", "not ready"),
    ("I was a drunk, and I'm not ashamed of that.", "a drunk", "alcohol use disorder"),
    ("I used to be a junkie.", "junkie", "substance use disorder"),
    ("I'm a borderline, and I've made peace with the word.", "a borderline",
     "borderline personality"),
]
# About someone else, even in a sentence that starts with "I".
NOT_SELF_DESCRIBED = [
    ("I work with addicts.", "addicts"),
    ("I grew up with an alcoholic father.", "alcoholic"),
    ("I have addicts in my family.", "addicts"),
    ("As an addict's daughter, I learned to hide things.", "addict"),
    ("As a junkie, he was turned away.", "junkie"),
    ("I told him he is clean now.", "he is clean"),
    ("I'm the child of an alcoholic.", "alcoholic"),
]

# Ordinary words and proper names that contain or sit next to the terms above.
NOT_FLAGGED = [
    # Next to the terms added after the audit.
    "She has schizoaffective disorder, and I support her goals.",
    "He has schizoid traits, and he likes his own company.",
    "I tweaked my résumé for this role.",
    "We had a tweak to the schedule.",
    "He was drunk when he called, so I called back in the morning.",
    "Drunk driving cost him his licence.",
    "A drunk driver hit her car.",
    "It was a borderline decision.",
    "He has borderline personality disorder, and he is a great dad.",
    "Her score was borderline high.",
    "I'm allergic to nuts, so I bring my own snacks.",
    "We covered the nuts and bolts of peer work.",
    "He is nuts about football.",
    "The doors use a flame retardant coating.",
    "She works as a mental health patient advocate.",
    "He was seeking help for his pain.",
    "I do outreach with people who inject drugs.",
    "I used a box cutter to open the donations.",
    "We bought bolt cutters for the garden plot.",
    "A cookie-cutter plan doesn't fit anyone.",
    "She is a disabled veteran and proud of it.",
    "The disabled parking space was taken.",
    "The disabled community taught me a lot.",
    "He is addicted to caffeine, like me.",
    "I volunteer at the homeless shelter on Fridays.",
    "Homeless services in our county are stretched.",
    "He was homeless for two years before he found housing.",
    "She lives with treatment-resistant depression.",
    "He has treatment resistant schizophrenia.",
    "Drug-resistant TB is rare here.",
    "The coat is water-resistant.",
    "He showed some resistance at first, and I rolled with it.",
    "I was motivated to apply for this job.",
    "Denial of benefits letters are hard to read.",
    "Special Needs Trust paperwork can be confusing.",
    "A special needs trust protects benefits.",
    "Nicotine replacement therapy helped me quit smoking.",
    "I support people on medication for opioid use disorder.",
    "We hired a high-functioning team.",
    "Our low-functioning system needed new software.",
    "The agency had a non-compliance with the court order to fix.",
    "Non-compliance with the court order can mean a fine.",
    "I keep the group room clean for the next session.",
    "I have lived experience of addiction and recovery.",
    "Nicotine is highly addictive.",
    "He is addicted to gambling, and I don't judge.",
    "I report suspected child abuse and elder abuse as a mandated reporter.",
    "She survived sexual abuse and domestic abuse.",
    "He was abused as a child.",
    "Emotional abuse and financial abuse are both real.",
    "She left her abuser last year.",
    "I never tolerate abuse of power.",
    "I spent the morning cleaning the group room.",
    "I keep a clean workspace.",
    "The room is clean and welcoming.",
    "The kitchen was dirty, so I helped clean it up.",
    "Nobody likes dirty dishes.",
    "I want a clean slate for every peer.",
    "We get our hands dirty in this work.",
    "I refer people to Alcoholics Anonymous and SMART Recovery.",
    "I go to alcoholics anonymous meetings myself.",
    "Adult Children of Alcoholics helped my family.",
    "SAMHSA, the Substance Abuse and Mental Health Services Administration, funds our program.",
    "I completed the Substance Abuse Counselor certificate.",
    'Our old policy was called "Drug Abuse Prevention".',
    'He calls himself "an addict", and I respect his words.',
    "He calls himself 'an addict', and I respect his words.",
    "I don't want anyone suffering alone.",
    "Suffering is part of the human experience.",
    "We make sure of compliance with HIPAA.",
    "Non-compliance with HIPAA can cost the agency its funding.",
    "Every room has a functioning smoke detector.",
    "I studied psychology and sociology.",
    "I support people with schizophrenia, psychosis and bipolar disorder.",
    "She has a bipolar II diagnosis.",
    "He had a psychotic episode last spring.",
    "I support people living with mental illness.",
    "I work with people experiencing homelessness.",
    "I volunteered at the homeless shelter.",
    "He uses a wheelchair.",
    "I'm committed to suicide prevention.",
    "I completed suicide risk assessment training.",
    "He died by suicide, and I survived a suicide attempt.",
    "I serve a successful suicide prevention program.",
    "A person with a substance use disorder deserves respect.",
    "She is in recovery from alcohol use disorder.",
    "We offer non-alcoholic drinks at every event.",
    "He ordered an alcoholic beverage.",
    "I earned frequent flyer miles on work trips.",
    "I want to manipulate nothing and empower people.",
    "She went to high school nearby.",
    "We want every peer to thrive.",
]


# Talking about a word is not using it: a trainee who explains the language they avoid
# should not be marked down for naming it.
MENTIONED = [
    "I'd note what he said, and not a word like anxious or resistant.",
    "I avoid words like addict or junkie.",
    "I avoid labels such as unmotivated, resistant or in denial.",
    "I say person in recovery instead of addict.",
    "I'd write testing negative rather than clean.",
    "I would never call someone non-compliant.",
    "We stopped using the term frequent flyer on our unit.",
    "I don't say suffers from; I say lives with.",
    "Instead of calling him a junkie, the team now says he uses drugs.",
    "That word, retarded, hurts people.",
    "The word retard should never be used.",
]
STILL_USED = [
    ("He was resistant, so I wrote a note.", "resistant"),
    ("In other words, he is an addict.", "addict"),
    ("My word, the clients were resistant.", "resistant"),
    ("I don't think he is an addict.", "addict"),
]


@pytest.mark.parametrize("text", MENTIONED)
def test_a_term_talked_about_is_not_flagged(text: str) -> None:
    assert language_notes(text) == []


@pytest.mark.parametrize(("text", "term"), STILL_USED)
def test_a_term_used_near_a_marker_word_is_still_flagged(text: str, term: str) -> None:
    assert [n.term for n in language_notes(text)] == [term]


@pytest.mark.parametrize(("text", "term", "suggestion"), FLAGGED)
def test_stigmatising_term_is_flagged_with_its_suggestion(
    text: str, term: str, suggestion: str
) -> None:
    notes = language_notes(text)
    assert [n.term for n in notes] == [term]
    assert suggestion in notes[0].suggestion
    assert notes[0].self_described is False


@pytest.mark.parametrize(("text", "term", "suggestion"), SELF_DESCRIBED)
def test_the_writers_word_for_themselves_is_a_self_described_note(
    text: str, term: str, suggestion: str
) -> None:
    notes = language_notes(text)
    assert [(n.term, n.self_described) for n in notes] == [(term, True)]
    assert suggestion in notes[0].suggestion


@pytest.mark.parametrize(("text", "term"), NOT_SELF_DESCRIBED)
def test_a_term_about_someone_else_is_not_self_described(text: str, term: str) -> None:
    assert [(n.term, n.self_described) for n in language_notes(text)] == [(term, False)]


def test_the_same_term_for_oneself_and_for_someone_else_is_two_notes() -> None:
    notes = language_notes("I was an alcoholic, and my father was an alcoholic too.")
    assert [(n.term, n.self_described) for n in notes] == [
        ("alcoholic", True), ("alcoholic", False)]


def test_clean_of_a_person_and_clean_of_a_test_get_different_suggestions() -> None:
    person, test = language_notes("He has been clean for a year, and his UA was clean.")
    assert person.term == "been clean" and "in recovery" in person.suggestion
    assert "negative" not in person.suggestion
    assert test.term == "UA was clean" and "testing negative/positive" in test.suggestion
    assert "in recovery" not in test.suggestion


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_ordinary_words_names_and_quotes_are_not_flagged(text: str) -> None:
    assert language_notes(text) == []


def test_every_rule_is_exercised() -> None:
    for rule in RULES:
        assert any(rule.pattern.search(text) for text, _, _ in FLAGGED + SELF_DESCRIBED), \
            rule.pattern.pattern


def test_enough_cases() -> None:
    assert len(NOT_FLAGGED) >= 30
    assert len(SELF_DESCRIBED) >= 10


def test_a_repeated_term_is_reported_once_as_first_written() -> None:
    text = "He is an addict. Addict is a label. Calling someone an addict hurts."
    (note,) = language_notes(text)
    assert note.term == "addict"


def test_same_word_in_different_case_is_reported_once() -> None:
    notes = language_notes("Crazy, right? It was crazy. CRAZY.")
    assert [n.term for n in notes] == ["Crazy"]


def test_terms_come_in_order_of_appearance() -> None:
    text = "He was non-compliant and manipulative, a frequent flyer, an addict who relapsed."
    assert [n.term for n in language_notes(text)] == [
        "non-compliant", "manipulative", "frequent flyer", "addict",
    ]


def test_the_term_is_reported_as_written() -> None:
    notes = language_notes("Honestly, the SCHIZOPHRENICS on the unit were treated badly.")
    assert [n.term for n in notes] == ["the SCHIZOPHRENICS"]


def test_curly_quotes_count_as_quotes() -> None:
    assert language_notes("He calls himself \u201can addict\u201d, and I respect that.") == []


def test_terms_outside_a_quote_are_still_flagged() -> None:
    notes = language_notes('He calls himself "an addict", but staff call him a junkie.')
    assert [n.term for n in notes] == ["junkie"]


def test_a_note_is_a_language_note() -> None:
    (note,) = language_notes("She suffers from anxiety.")
    assert isinstance(note, LanguageNote)
    assert note == LanguageNote("suffers from", note.suggestion)


def test_looking_near_trigger_words_finds_what_a_full_scan_finds() -> None:
    """Rules run only near their trigger words; that must not change what they find."""
    texts = ([text for text, _, _ in FLAGGED + SELF_DESCRIBED] + NOT_FLAGGED
             + [text for text, _ in NOT_SELF_DESCRIBED])
    for text in texts:
        cleaned = clean(text)
        for rule in RULES:
            full = [m.span() for m in rule.pattern.finditer(cleaned)]
            if any(t in cleaned.lower() for t in rule.triggers):
                near = [m.span() for m in _matches(rule, cleaned, cleaned.lower())]
            else:
                near = []
            assert near == full, (text, rule.pattern.pattern)


def test_the_search_for_trigger_words_misses_no_rule_that_matches() -> None:
    """Triggers are searched for under the shorter word inside them; no rule may be lost."""
    texts = ([text for text, _, _ in FLAGGED + SELF_DESCRIBED] + NOT_FLAGGED
             + [text for text, _ in NOT_SELF_DESCRIBED])
    for text in texts:
        lowered = clean(text).lower()
        candidates = candidate_rules(lowered)
        for rule in RULES:
            if rule.pattern.search(lowered):
                assert rule in candidates, (text, rule.pattern.pattern)


def test_a_letter_whose_lower_case_is_longer_does_not_shift_terms() -> None:
    notes = language_notes("İstanbul clinic staff called him an addict.")
    assert [n.term for n in notes] == ["addict"]


@pytest.mark.parametrize("text", ["", "   ", "\u200b"])
def test_empty_text(text: str) -> None:
    assert language_notes(text) == []


# The cases, and the same words glued to punctuation, quotes, hyphens and each other.
_CASES = ([text for text, _, _ in FLAGGED + SELF_DESCRIBED] + NOT_FLAGGED + MENTIONED
          + [text for text, _ in NOT_SELF_DESCRIBED + STILL_USED])
_GLUED = [variant for text in _CASES for variant in (
    text, text.upper(), f'"{text}"', f"({text})", text.replace(" ", "-"), text.replace(" ", "'"),
    text.replace(" ", "."), text.replace(" ", "_"), text.replace(" ", ""), "x" + text)]


def _starts_a_word(lowered: str, at: int) -> bool:
    return at == 0 or not lowered[at - 1].isalnum()


def test_every_match_of_a_rule_has_a_trigger_at_the_start_of_a_word() -> None:
    """What lets the coaching skip a rule whose triggers start no word of the answer."""
    for text in _GLUED:
        cleaned = clean(text)
        lowered = cleaned.lower()
        for rule in RULES:
            for m in rule.pattern.finditer(cleaned):
                assert any(lowered.startswith(t, at) and _starts_a_word(lowered, at)
                           for t in rule.triggers for at in range(m.start(), m.end())), (
                    text, rule.pattern.pattern)


_PIECES = [
    *sorted({t for rule in RULES for t in rule.triggers}), "non", "recovering", "the", "a", "an", "tested", "was", "been", "i'm", "high", "drug",
    "is", "clean", "for", "years", "successful", "with", "hipaa", "x", "s", "box"]


@given(st.lists(st.sampled_from(_PIECES) | st.sampled_from([" ", "-", "'", ".", "_", "9"]),
                max_size=12).map(" ".join) | st.lists(st.sampled_from(_PIECES), max_size=6).map(
                    "".join))
def test_knowing_the_word_starts_loses_no_rule_of_any_text(text: str) -> None:
    """Each matching rule is a candidate however it is looked for, so the notes are the same:
    the candidates keep the order of RULES."""
    lowered = clean(text).lower()
    starts = word_starts(find_words(lowered), lowered)
    for rule in RULES:
        if rule.pattern.search(lowered):
            assert rule in candidate_rules(lowered)
            assert rule in candidate_rules_at_word_starts(lowered, starts)


def test_knowing_the_word_starts_loses_no_rule_that_matches() -> None:
    for text in _GLUED:
        lowered = clean(text).lower()
        starts = word_starts(find_words(lowered), lowered)
        candidates = candidate_rules_at_word_starts(lowered, starts)
        for rule in RULES:
            if rule.pattern.search(lowered):
                assert rule in candidates, (text, rule.pattern.pattern)
