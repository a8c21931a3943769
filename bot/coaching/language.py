"""Recovery-oriented, person-first language: spot stigmatising terms and suggest alternatives.

The terms and their alternatives are in bot/coaching/language_terms.py. Here:
- Names and titles are not flagged: when every matched word is capitalised mid-sentence
  ("Substance Abuse and Mental Health Services Administration", "Alcoholics Anonymous"),
  or the term stands inside quotation marks (quoting a policy or what someone said).
- A term the writer uses of themselves ("I'm a recovering alcoholic", "I have been clean
  since 2016", "I was in denial for years") is a note marked ``self_described``: people may
  describe themselves as they choose, so it costs no points, and the guidance only offers
  the words to use for the people they serve.
- A term the writer talks *about* rather than uses is not flagged: "I avoid words like
  addict or junkie", "I say person in recovery instead of addict", "I'd never call
  someone non-compliant" (the marker, then at most a short list of other words).
- Each term is reported once, as the writer first wrote it, in order of appearance.

Speed notes for these checks are in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.coaching.answer import Answer
from bot.coaching.language_terms import REACH, RULES, Rule

__all__ = ["RULES", "LanguageNote", "language_notes", "notes"]


@dataclass(frozen=True, slots=True)
class LanguageNote:
    term: str  # as the writer wrote it
    suggestion: str
    self_described: bool = False  # the writer's word for themselves: a note, not a fault


_QUOTED = re.compile(
    r'"[^"\n]{1,300}"'
    # Single quotes; an apostrophe between letters ("don't") does not close them.
    r"|'(?<!\w')(?=\S)(?:[^'\n]|(?<=\w)'(?=\w)){1,300}(?<=\S)'(?!\w)"
)
_WORD_START = re.compile(r"(?<!\w)\w")

# The writer as the one the term is about. Between the subject and the term only small words
# may stand ("I'm still a recovering addict", "I have 90 days clean"), so "I work with
# addicts" or "my alcoholic father" are about someone else.
_SMALL = (r"(?: (?:a|an|the|still|also|now|always|only|just|really|proudly|myself|finally"
          r"|happily|once|very|so|pretty|quite|completely|totally|kind of|sort of|one of the"
          r"|(?:sober|in recovery|abstinent) and|\d+|one|two|three|four|five|six|seven|eight|nine"
          r"|ten|eleven|twelve|\w+teen|twenty|thirty|forty|fifty|several|many|a few|days?"
          r"|weeks?|months?|years?))*")
# "I'm a ...", "I've been ...", "I call myself ...": before any term.
_SELF_AS = re.compile(
    r"(?:^|[^\w'])(?:i(?:'m| am| was|'ve been| have been|'d been| had been| used to be| became"
    r"| become| remain(?:ed)?| feel| felt| call myself| consider myself| see myself"
    r"| describe myself| identify as)|(?:call|called|consider|considered|describe|described"
    rf"|see|saw) myself(?: as)?|proud to be){_SMALL} $"
)
# "I got clean", "I have 90 days clean", "I suffered with anxiety": before a term that starts
# with its verb or its time.
_SELF_DOES = re.compile(rf"(?:^|[^\w'])i(?:'ve|'d|'m| have| had| am)?{_SMALL} $")
_STARTS_WITH_VERB = re.compile(r"(?:been|being|stay|get|got|days|weeks|months|years|clean|sober"
                               r"|suffer|abus)", re.IGNORECASE)
# "As a recovering addict, I...": the term, then the writer.
_AS_A = re.compile(r"(?:^|[^\w'])as an? $")
_THEN_I = re.compile(r"(?: myself)?,? (?:i|i'm|i've|i'd|i'll)\b", re.IGNORECASE)
_I_AM = re.compile(r"i(?:'m| am| was| were)\b", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_]+")
# Talking about a word, not using it: a marker ("words like", "instead of", "never call
# someone"), then perhaps a short list of other words ("labels like unmotivated, resistant
# or"), right before the term.
_LIST = r"(?:[\"']?[\w'-]+(?: [\w'-]+)?[\"']?(?:,| or| and|, or|, and) +(?:an? )?){0,4}"
_WHO = r"(?: (?:someone|people|them|him|her|anyone|a person|the person|clients?))?"
_MENTION = re.compile(
    # "words like", "labels such as" (then perhaps a short list)
    rf"(?:(?<![\w'])(?:words?|labels?|terms?|phrases?|language) (?:like|such as) {_LIST}"
    # "the word", "that word," (the term itself, no list)
    r"|(?<![\w'])(?:the|that|this|a) (?:word|term|label|phrase),? "
    # "instead of (calling someone)", "never say", "avoid using" (then perhaps a list)
    r"|(?<![\w'])(?:(?:instead of|rather than|in place of)"
    rf"(?: (?:saying|calling|using|writing){_WHO})?"
    r"|(?:never|not|don't|do not|wouldn't|won't|avoid|stop|stopped)"
    rf" (?:say|saying|call|calling|use|using|write|writing|label|labelling|labeling){_WHO})"
    rf"(?: (?:an?|the))?[ :,]*{_LIST})"
    r"[\"']?$"
)


def _is_name(original: str) -> bool:
    """True when every word of the match is capitalised: a proper name or title."""
    letters = [w for w in _LETTERS.findall(original) if len(w) > 1]
    return bool(letters) and all(w[0].isupper() for w in letters) and not original.isupper()


def _sentence_start(text: str, index: int) -> bool:
    before = text[:index].rstrip()
    return not before or before[-1] in ".!?\n:"


def _clause_before(text: str, start: int) -> str:
    """The lower-cased text of the term's clause before it (at most about 80 characters)."""
    clause = max(text.rfind(ch, max(0, start - 80), start) for ch in ".!?;:\n") + 1
    if clause < start - 80:  # a long clause: look back 80 characters, from a word's start
        clause = text.find(" ", start - 80, start) + 1 or start
    return text[clause:start].lower()


def _mentioned(text: str, start: int) -> bool:
    """True when the term at ``start`` is talked about ("words like ..."), not used."""
    return _MENTION.search(_clause_before(text, start)) is not None


def _self_described(text: str, start: int, end: int) -> bool:
    """True when the term at ``text[start:end]`` is the writer's word for themselves."""
    if _I_AM.match(text, start):  # the term's own subject: "I'm clean"
        return True
    before = _clause_before(text, start)
    return bool(
        _SELF_AS.search(before)
        or (_STARTS_WITH_VERB.match(text, start) and _SELF_DOES.search(before))
        or (_AS_A.search(before) and _THEN_I.match(text, end))
    )


def _matches(rule: Rule, text: str, lowered: str) -> list[re.Match[str]]:
    """Every match of ``rule`` in ``text``: each starts at most ``REACH`` characters before
    one of the rule's trigger words and takes it in."""
    found: dict[int, re.Match[str]] = {}
    for trigger in rule.triggers:
        at = lowered.find(trigger)
        while at >= 0:
            for word in _WORD_START.finditer(text, max(0, at - REACH), at + 1):
                match = rule.pattern.match(text, word.start())
                if match and match.end() > at:
                    found.setdefault(match.start(), match)
                    break
            at = lowered.find(trigger, at + len(trigger))
    return [found[start] for start in sorted(found)]


# Words several triggers share: without "drug", no "drug user" (docs/PERFORMANCE.md).
_SHARED = ("drug", "mental", "loon")


def _search_order() -> tuple[tuple[str, str | None], ...]:
    """Every trigger, shortest first, with the longest trigger or shared word inside it."""
    words = sorted({t for rule in RULES for t in rule.triggers} | set(_SHARED), key=len)
    return tuple((word, max((w for w in words if w != word and w in word), key=len, default=None))
                 for word in words)


_SEARCH_ORDER = _search_order()


def _by_start() -> dict[str, tuple[str, ...]]:
    """Every trigger under the first three characters of its longest word."""
    by_start: dict[str, list[str]] = {}
    for trigger in sorted({t for rule in RULES for t in rule.triggers}):
        longest = max(trigger.replace("-", " ").split(), key=len)
        by_start.setdefault(longest[:3], []).append(trigger)
    return {start: tuple(triggers) for start, triggers in by_start.items()}


_BY_START = _by_start()


def candidate_rules(lowered: str) -> list[Rule]:
    """The rules one of whose trigger words occurs anywhere in ``lowered``."""
    found: set[str] = set()
    for word, inside in _SEARCH_ORDER:
        if (inside is None or inside in found) and word in lowered:
            found.add(word)
    return _rules_of(found)


def candidate_rules_at_word_starts(lowered: str, starts: set[str]) -> list[Rule]:
    """The rules one of whose trigger words starts a word of ``lowered``, plain ASCII text
    whose ``text.word_starts`` are ``starts`` (elsewhere a word can start after a combining
    mark, inside what ``find_words`` takes as one word)."""
    found: set[str] = set()
    for start in _BY_START.keys() & starts:
        found.update(t for t in _BY_START[start] if t in lowered)
    return _rules_of(found)


def _rules_of(triggers: set[str]) -> list[Rule]:
    if not triggers:
        return []
    return [rule for rule in RULES if not triggers.isdisjoint(rule.triggers)]


def language_notes(text: str) -> list[LanguageNote]:
    """Stigmatising terms in ``text``, each once, in the order they first appear."""
    return notes(Answer.of(text))


def notes(answer: Answer) -> list[LanguageNote]:
    """Stigmatising terms in ``answer``, each once, in the order they first appear."""
    text, lowered = answer.text, answer.lowered
    if len(lowered) != len(text):  # a rare letter whose lower case is longer: look everywhere
        rules_matches = [(rule, list(rule.pattern.finditer(text))) for rule in RULES]
    else:
        rules = (candidate_rules_at_word_starts(lowered, answer.starts) if lowered.isascii()
                 else candidate_rules(lowered))
        rules_matches = [(rule, _matches(rule, text, lowered)) for rule in rules]
    if not any(found for _, found in rules_matches):
        return []
    quoted = [m.span() for m in _QUOTED.finditer(text)]
    taken: list[tuple[int, int]] = []
    said: list[tuple[int, LanguageNote]] = []
    seen: set[tuple[str, bool]] = set()
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
            if _mentioned(text, start):
                continue
            own = _self_described(text, start, end)
            key = (original.lower(), own)  # "I was an alcoholic; so was my father": two notes
            if key not in seen:
                seen.add(key)
                said.append((start, LanguageNote(original, rule.suggestion, own)))
    return [note for _, note in sorted(said, key=lambda n: n[0])]
