"""Recovery-oriented, person-first language: spot stigmatising terms and suggest alternatives.

Rules worth knowing (tested in tests/test_language.py):
- Words are matched whole: "addict" is flagged, "addiction" is not; "abuse" only in the
  substance-use sense ("substance abuse", "drug abuse"), never "child abuse" or "elder abuse".
- Names and titles are not flagged: when every matched word is capitalised mid-sentence
  ("Substance Abuse and Mental Health Services Administration", "Alcoholics Anonymous"),
  or the term stands inside quotation marks (quoting a policy or what someone said).
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


def _rule(pattern: str, suggestion: str) -> _Rule:
    return _Rule(re.compile(pattern, re.IGNORECASE), suggestion)


_DRUGS = r"(?:drugs?|alcohol|substances?|opioids?|opiates?|pills|heroin|meth|cocaine|prescriptions?)"

# Order matters only for overlapping phrases: longer phrases first.
RULES: tuple[_Rule, ...] = (
    _rule(r"\b(?:commit(?:s|ted|ting)?|complet(?:ed|es|e)) suicide\b",
          "died by suicide / took their own life"),
    _rule(r"\b(?:successful|failed|unsuccessful) suicide(?: attempts?)?\b",
          "died by suicide / survived a suicide attempt"),
    _rule(r"\b(?:drug |substance |alcohol )?abusers?\b",
          "person who uses substances / person with a substance use disorder"),
    _rule(r"\b(?:substance|drug|alcohol|opioid|prescription|polysubstance) abuse\b",
          "substance use / misuse / substance use disorder"),
    _rule(rf"\babus(?:e|es|ed|ing) {_DRUGS}\b", "misusing / using"),
    _rule(r"\b(?:ex-|former |recovering |drug |heroin |meth )?addicts?\b|\bjunkies?\b",
          "person with a substance use disorder / person in recovery"),
    _rule(r"\b(?:an |the |a recovering |recovering )alcoholics?\b|\balcoholics\b(?! anonymous)",
          "person with an alcohol use disorder / person in recovery"),
    _rule(r"\b(?:(?:stay|stays|stayed|staying|get|got|getting|been|being|was|am|is|are|were|"
          r"be|test|tests|tested|testing|came back|come back|comes back|months|years|days) "
          r"(?:clean|dirty)|clean and sober|clean time|dirty (?:urine|ua|uas|tests?|screens?|"
          r"drug (?:tests?|screens?))|(?:clean|dirty) (?:urine|ua|uas|tests?|screens?|"
          r"drug (?:tests?|screens?)))\b",
          "testing negative/positive, in recovery, not using (currently)"),
    _rule(r"\bsuffer(?:s|ed|ing)? (?:from|with)\b|\bsufferers?\b", "lives with / has / experiences"),
    _rule(r"\b(?:the )?mentally ill\b", "person living with a mental health condition"),
    _rule(r"\b(?:a |the )?(?:schizophrenics?|psychotics)\b",
          "person living with schizophrenia / psychosis"),
    _rule(r"\b(?:a|the) bipolar\b(?! (?:disorder|diagnosis|i|ii|depression|symptoms))",
          "person living with bipolar disorder"),
    _rule(r"\b(?:crazy|insane|psychos?|lunatics?|nutcases?|loony|looney)\b",
          "describe the experience (e.g. distressing, overwhelming) rather than the person"),
    _rule(r"\bnon-?complian(?:t|ce)\b",
          "chose not to follow the plan / not taking medication as prescribed (and ask why)"),
    _rule(r"\bfrequent flyers?\b", "person who uses services often"),
    _rule(r"\b(?:manipulative|attention[- ]seeking)\b",
          "trying to get needs met / asking for connection"),
    _rule(r"\b(?:high|low)[- ]functioning\b", "describe the person's strengths and needs"),
    _rule(r"\bthe homeless\b", "people experiencing homelessness"),
    _rule(r"\b(?:wheelchair[- ]bound|confined to a wheelchair)\b", "uses a wheelchair"),
    _rule(r"\b(?:retarded|handicapped)\b", "person with a (intellectual) disability"),
)

_QUOTED = re.compile(r'"[^"\n]{1,300}"')


def _is_name(original: str) -> bool:
    """True when every word of the match is capitalised: a proper name or title."""
    letters = [w for w in re.findall(r"[^\W\d_]+", original) if len(w) > 1]
    return bool(letters) and all(w[0].isupper() for w in letters) and not original.isupper()


def _sentence_start(text: str, index: int) -> bool:
    before = text[:index].rstrip()
    return not before or before[-1] in ".!?\n:"


def language_notes(text: str) -> list[LanguageNote]:
    """Stigmatising terms in ``text``, each once, in the order they first appear."""
    text = clean(text)
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    taken: list[tuple[int, int]] = []
    notes: list[tuple[int, LanguageNote]] = []
    seen: set[str] = set()
    for rule in RULES:
        for found in rule.pattern.finditer(text):
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
