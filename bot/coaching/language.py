"""Recovery-oriented, person-first language: spot stigmatising terms and suggest alternatives.

Rules worth knowing (tested in tests/test_language.py):
- Words are matched whole: "addict" is flagged, "addiction" is not; "abuse" only in the
  substance-use sense ("substance abuse", "drug abuse", "abusing drugs"), never "child abuse",
  "elder abuse" or "her abuser"; "clean"/"dirty" only in the drug-test sense ("been clean",
  "a dirty UA"), never "a clean workspace" or "the room is clean".
- Names and titles are not flagged: when every matched word is capitalised mid-sentence
  ("Substance Abuse and Mental Health Services Administration", "Alcoholics Anonymous"),
  or the term stands inside quotation marks (quoting a policy or what someone said).
- Each term is reported once, as the writer first wrote it, in order of appearance.

Speed: a rule's regex only runs where one of its trigger words occurs (a plain substring
search), starting at the few word starts just before it; scanning the whole answer with
twenty-odd regexes would cost far more than the rest of the coaching.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text import clean


@dataclass(frozen=True, slots=True)
class LanguageNote:
    term: str  # as the writer wrote it
    suggestion: str


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    suggestion: str
    # Lower-case substrings, one of which every match contains (within _REACH of its start).
    triggers: tuple[str, ...]


def _rule(pattern: str, suggestion: str, *triggers: str) -> _Rule:
    return _Rule(re.compile(pattern, re.IGNORECASE), suggestion, triggers)


_DRUGS = (r"(?:drugs?|alcohol|substances?|opioids?|opiates?|pills|heroin|meth|cocaine"
          r"|prescriptions?)")
# Words after "suicide" that make a phrase about the work: "completed suicide risk training".
_SUICIDE_WORK = (r"(?![- ](?:risk|prevention|assessment|screening|safety|training|awareness"
                 r"|intervention|postvention|first aid|protocol|course|certification|hotline"
                 r"|lifeline|education|response|care)\b)")
_CLEAN = "testing negative/positive, in recovery, not using (currently)"

# Order matters only for overlapping phrases: longer phrases first.
RULES: tuple[_Rule, ...] = (
    _rule(rf"\b(?:commit(?:s|ted|ting)?|complet(?:ed|es|e)) suicide\b{_SUICIDE_WORK}",
          "died by suicide / took their own life", "suicide"),
    _rule(rf"\b(?:successful|failed|unsuccessful) suicide(?: attempts?)?\b{_SUICIDE_WORK}",
          "died by suicide / survived a suicide attempt", "suicide"),
    _rule(r"\b(?:drug|substance|alcohol|opioid|heroin|polysubstance) abusers?\b",
          "person who uses substances / person with a substance use disorder", "abuser"),
    _rule(r"\b(?:substance|drug|alcohol|opioid|prescription|polysubstance) abuse\b",
          "substance use / misuse / substance use disorder", "abuse"),
    _rule(rf"\babus(?:e|es|ed|ing) (?:of )?{_DRUGS}\b", "misusing / using", "abus"),
    _rule(r"\b(?:ex-|former |recovering |drug |heroin |meth )?addicts?\b|\bjunkies?\b",
          "person with a substance use disorder / person in recovery", "addict", "junkie"),
    _rule(r"(?<!non-)(?<!non )\b(?:recovering )?alcoholics?\b(?! (?:anonymous|beverages?"
          r"|drinks?|content|liver|hepatitis|cirrhosis|ketoacidosis|neuropathy|cardiomyopathy"
          r"|pancreatitis|punch|cider)\b)",
          "person with an alcohol use disorder / person in recovery", "alcoholic"),
    # Clean / dirty: the phrases first, then verbs and people ("been clean", "she's clean").
    _rule(r"\b(?:clean and sober|clean time|(?:clean|dirty) (?:urine|uas?|tests?|screens?"
          r"|(?:drug|tox) (?:tests?|screens?)))\b", _CLEAN, "clean", "dirty"),
    _rule(r"\b(?:(?:stay|stays|stayed|staying|get|gets|got|getting|been|being|am|test|tests"
          r"|tested|testing|came back|come back|comes back|days|weeks|months|years"
          r"|(?:i|you|he|she|we|they)(?:'m|'re|'s| am| are| is| was| were))"
          r" (?:clean|dirty)|(?:is|are|was|were|be) (?:clean|dirty)(?= (?:for|since|now|today"
          r"|again|off)\b))\b",
          _CLEAN, "clean", "dirty"),
    _rule(r"\bsuffer(?:s|ed|ing)? (?:from|with)\b|\bsufferers?\b", "lives with / has / experiences",
          "suffer"),
    _rule(r"\b(?:the )?mentally ill\b", "person living with a mental health condition",
          "mentally ill"),
    _rule(r"\b(?:a |the )?(?:schizophrenics?|psychotics)\b|\b(?:a|the) psychotic\b(?! (?:episodes?"
          r"|breaks?|symptoms?|features?|disorders?|experiences?|states?|illness|depression)\b)",
          "person living with schizophrenia / psychosis", "schizophrenic", "psychotic"),
    _rule(r"\b(?:a|the) bipolar\b(?! (?:disorder|diagnosis|i|ii|1|2|depression|symptoms?"
          r"|episodes?|medications?|meds|spectrum|type|support)\b)",
          "person living with bipolar disorder", "bipolar"),
    _rule(r"\b(?:crazy|insane|psychos?|lunatics?|nutcases?|loony|looney)\b",
          "describe the experience (e.g. distressing, overwhelming) rather than the person",
          "crazy", "insane", "psycho", "lunatic", "nutcase", "loony", "looney"),
    _rule(r"(?<!hipaa )(?<!regulatory )\bnon[- ]?complian(?:t|ce)\b(?! (?:with|to) (?:hipaa"
          r"|ferpa|42 cfr|the law|laws?|regulations?|polic(?:y|ies)|rules|standards"
          r"|requirements|osha|the ada)\b)",
          "chose not to follow the plan / not taking medication as prescribed (and ask why)",
          "complian"),
    _rule(r"\bfrequent flyers?\b(?! (?:miles|points|programs?|status|numbers?|cards?"
          r"|accounts?)\b)", "person who uses services often", "frequent flyer"),
    _rule(r"\b(?:manipulative|attention[- ]seeking)\b",
          "trying to get needs met / asking for connection", "manipulative", "attention"),
    _rule(r"\b(?:high|low)[- ]functioning\b", "describe the person's strengths and needs",
          "functioning"),
    _rule(r"\bthe homeless\b(?! (?:shelters?|services?|outreach|coalition|programs?|count"
          r"|drop-in|cent(?:er|re)s?|teams?|court|camps?|encampments?|ministry|mission)\b)",
          "people experiencing homelessness", "the homeless"),
    _rule(r"\b(?:wheelchair[- ]bound|confined to a wheelchair)\b", "uses a wheelchair",
          "wheelchair"),
    _rule(r"\b(?:retarded|handicapped)\b", "person with a (intellectual) disability",
          "retarded", "handicapped"),
)
# How far before its trigger word a match may start ("confined to a wheelchair").
_REACH = 32

_QUOTED = re.compile(
    r'"[^"\n]{1,300}"'
    # Single quotes; an apostrophe between letters ("don't") does not close them.
    r"|'(?<!\w')(?=\S)(?:[^'\n]|(?<=\w)'(?=\w)){1,300}(?<=\S)'(?!\w)"
)
_WORD_START = re.compile(r"(?<!\w)\w")
_LETTERS = re.compile(r"[^\W\d_]+")


def _is_name(original: str) -> bool:
    """True when every word of the match is capitalised: a proper name or title."""
    letters = [w for w in _LETTERS.findall(original) if len(w) > 1]
    return bool(letters) and all(w[0].isupper() for w in letters) and not original.isupper()


def _sentence_start(text: str, index: int) -> bool:
    before = text[:index].rstrip()
    return not before or before[-1] in ".!?\n:"


def _matches(rule: _Rule, text: str, lowered: str) -> list[re.Match[str]]:
    """Every match of ``rule`` in ``text``, looking only near the rule's trigger words."""
    found: dict[int, re.Match[str]] = {}
    for trigger in rule.triggers:
        at = lowered.find(trigger)
        while at >= 0:
            for word in _WORD_START.finditer(text, max(0, at - _REACH), at + 1):
                match = rule.pattern.match(text, word.start())
                if match and match.end() > at:
                    found.setdefault(match.start(), match)
                    break
            at = lowered.find(trigger, at + len(trigger))
    return [found[start] for start in sorted(found)]


def language_notes(text: str) -> list[LanguageNote]:
    """Stigmatising terms in ``text``, each once, in the order they first appear."""
    text = clean(text)
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare letter whose lower case is longer: look everywhere
        rules_matches = [(rule, list(rule.pattern.finditer(text))) for rule in RULES]
    else:
        rules_matches = [(rule, _matches(rule, text, lowered)) for rule in RULES
                         if any(t in lowered for t in rule.triggers)]
    if not any(found for _, found in rules_matches):
        return []
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    taken: list[tuple[int, int]] = []
    notes: list[tuple[int, LanguageNote]] = []
    seen: set[str] = set()
    for rule, matches in rules_matches:
        for found in matches:
            start, end = found.span()
            if any(a <= start and end <= b for a, b in quoted):
                continue
            if any(start < b and a < end for a, b in taken):
                continue
            original = found.group(0)
            if _is_name(original) and (not _sentence_start(text, start) or " " in original):
                continue
            taken.append((start, end))
            key = original.lower()
            if key not in seen:
                seen.add(key)
                notes.append((start, LanguageNote(original, rule.suggestion)))
    return [note for _, note in sorted(notes, key=lambda n: n[0])]
