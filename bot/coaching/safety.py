"""The safety net: notice when the writer speaks of their *own* present crisis.

Most answers in this product talk about supporting other people in crisis, and many tell a
recovery story in the past tense; neither must trigger. What triggers is the writer, in the
first person and the present, saying they want to die, to end their life or to hurt
themselves, or that they just tried (the statements are in bot/coaching/crisis_phrases.py).

Read first, as people type in chat: "ima", "rly", "kinda", "want 2 die" made plain, asides
("ngl", "fr", "idc") dropped, and the "I" that chat drops at the start of a sentence ("Going
to end things tonight.") put back.

Ruled out here, by the words around a statement:
- words inside quotation marks; words reported after "says", "tells me", "was like",
  "I thought" and the like, or before "she told me"; a framed line ("the chorus goes: ...",
  "In the role-play script, the caller says: ...", "Caller: ...");
- what follows "if I..." / "when I..." (the writer's own plan for a hard day);
- a statement that can be a story, "I have been suicidal" or "I tried to kill myself", when
  its sentence dates it to the past ("before", "in 2015", "years ago", "when I was 19", "so
  I know how it feels") and nothing in the sentence says "recently" ("last night", "this
  week", "again", "lately"). With no time at all it counts: a missed crisis is worse than a
  false alarm, and the crisis message itself says "if you were describing someone else,
  carry on".

Other languages: ``check`` also tells the answer's language (bot/coaching/answer_language.py),
and reads the answer in each other language it has statements for (Spanish, French, German,
Portuguese: bot/coaching/crisis_phrases_other.py) when words of that language are in it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.coaching import answer_language
from bot.coaching.crisis_phrases import CRISIS
from bot.coaching.crisis_phrases_other import BY_LANGUAGE, Phrases
from bot.text import find_words, normalize

# Chat spellings, made plain before any statement is read: "ima kms fr", "i rly wanna die",
# "kinda want to die ngl", "i want 2 die". (Chat's "dont", "im", "wanna" and "kms" are read
# by the statements themselves, crisis_phrases.py.)
_CHAT_WORDS = {
    "ima": "i'm going to", "i'ma": "i'm going to", "imma": "i'm going to",
    "rly": "really", "rlly": "really", "kinda": "kind of", "sorta": "sort of",
    # Asides that end a chat line: dropped, so what they follow ends the thought.
    "ngl": "", "fr": "", "frfr": "", "idc": "", "smh": "", "fml": "", "istg": "", "lmao": "",
}
_CHAT = re.compile(r"(?<![\w'])(?:" + "|".join(sorted(_CHAT_WORDS, key=len, reverse=True))
                   + r")(?![\w'])")
# "want 2 die": the digit for "to", after the verbs that take it.
_TWO = re.compile(r"(?<=want|anna|oing|onna|need|ving|ided) 2 ")
# Chat drops the "I" at the start of a sentence: "Going to end things tonight.", "wrote
# goodbye letters last night", "picked the date". The "i" is put back, so the statements
# after "i" read them (and the recovery-story checks date them as they do any other).
_DROPPED_I = ("going to|gonna|wrote|written|picked|gave|giving|kind of|sort of|wanna|want to"
              "|been|thinking|planning|took|tried|bought|can't|cant|don't|dont|feel|feeling"
              "|have been|have the|got the|got a|looked up|looking up|scared|afraid")
_SUBJECTLESS = tuple((mark, re.compile(re.escape(mark) + rf" ?(?=(?:{_DROPPED_I})\b)"))
                     for mark in ".!?\n")

# Who would be better off: the start of the statement, for the checks on what comes before.
_SUBJECT = re.compile(r"(?:my |the |you )?[\w']+(?: all)?(?: would| will| is| are| were| was)?"
                      r"(?: all)?(?: be)? $")
_BETTER_IF = re.compile(r"(?:better off|easier|better|fine|happier|kinder|simpler|relieved)"
                        r"(?: for (?:everyone|everybody|them))? $")

_DOUBLE_QUOTED = r'"[^"\n]*"'
# Single quotes; an apostrophe between letters ("don't") does not close them.
_SINGLE_QUOTED = r"'(?<!\w')(?=\S)(?:[^'\n]|(?<=\w)'(?=\w)){2,200}(?<=\S)'(?!\w)"
_QUOTED = re.compile(f"{_DOUBLE_QUOTED}|{_SINGLE_QUOTED}")
# The pattern for both kinds starts with a choice of two marks, which the engine tries at
# every position. When only one kind can be in the answer, that kind's own pattern does the
# same three times faster: it starts with its mark, which the engine skips to.
_DOUBLE_QUOTED_RE = re.compile(_DOUBLE_QUOTED)
_SINGLE_QUOTED_RE = re.compile(_SINGLE_QUOTED)
_OPENING_QUOTE = re.compile(r"'(?<!\w')")  # a single quote that can open a quotation
_SPACES = re.compile(r"[^\S\n]+")

# Words that show the first person that follows is someone else's, reported (or the writer's
# own past thought, reported).
_REPORT = (
    r"(?:says?|said|saying|tells?|told|telling|states?|stated|writes?|wrote|texts?|texted"
    r"|messages?|messaged|hears?|heard|disclos(?:es|ed|ing|e)|express(?:es|ed|ing)?|shared"
    r"|shares|admits?|admitted|mentions?|mentioned|posts?|posted|repeats?|repeated|screams?"
    r"|screamed|shouts?|shouted|whispers?|whispered|cries|cried|sobbed|asks?|asked"
    r"|statements?|thoughts?|thought|words|believed|was like|were like|is like|are like"
    r"|'s like|'re like|felt like|things like|stuff like|something like|phrases? like"
    r"|such as|e\.g\.|for example|remember(?:ed)? thinking|used to (?:think|say|tell myself)"
    r"|would (?:think|say|tell myself)|told myself|convinced myself|was convinced|was sure"
    r"|reads?|sang|sings?|sung|recited|recites|played|plays)"
)
# Framed speech: a line of a song, a script, a role-play or a training example, introduced by
# a colon ("In a song I like, the line is: ...", "Role-play script, caller: ...").
_FRAME = (
    r"(?:song|lyrics?|(?<!bottom )lines?|script|role-?play(?:ing)?|scenario|poem|verse|chorus"
    r"|quote|film|movie|scene|prompt|vignette|case study|exercise|drill|simulation)"
)
# A speaker's label in a script, right before its colon: "Caller: ...".
_SPEAKER = (r"(?:caller|peer|client|participant|trainee|trainer|facilitator|speaker|student"
            r"|actor|character|partner|person [ab]|youth|patient)")
# Who hears it: "tell me", "tell a client".
_LISTENER = (r"(?:me|us|him|her|them|you|someone|anyone|people|clients|peers|(?:a|the|my|our"
             r"|this|that|every|any) (?:client|peer|person|participant|member|patient|caller"
             r"|friend|youth|man|woman)s?)")
_REPORTED = re.compile(
    # Right before: "she told me", "I'd never tell a client that", "was like,".
    rf"\b{_REPORT}(?: (?:to )?{_LISTENER})?(?: (?:out loud|once|again|quietly"
    r"|simply|flatly|calmly|bluntly|today|yesterday))?(?: that| like| something like"
    r"| things like)?[\s,:\"'-]*$"
    # Or a few words before a comma or colon: "told me last week, ", "wrote in the chat: ".
    rf"|\b{_REPORT}\b(?:[ ,]+[\w'.]+){{1,6}} *[,:][\s\"']*$"
    # A thought introduced by a colon: "what it is to think: I want to die".
    r"|\b(?:think|thinking|remember) *:[\s\"']*$"
    # A framed line: "the chorus goes: ...", "Caller: ...".
    rf"|\b{_FRAME}s?\b[^.!?\n:]{{0,60}}:[\s\"']*$|\b{_SPEAKER} *:[\s\"']*$"
)
# Reported after the words: "I want to die, she told me".
_REPORTED_AFTER = re.compile(
    r"[\s\"']*[,:\-–—] *(?!i\b)(?:[\w']+ ){0,4}?(?:said|says|told|tells|wrote|writes|texted"
    r"|texts|whispered|screamed|shouted|cried|admitted|messaged|posted)\b"
)
# The writer's own thought, reported after it: "I want to die, I told myself in 2014". Only
# with a time in the past in the sentence (else it is a thought now).
_OWN_THOUGHT_AFTER = re.compile(
    r"[^,.!?;:\n]{0,40}?[\s\"']*[,:\-–—] *i (?:said to myself|told myself|thought"
    r"|used to (?:think|say)|wrote|remember thinking|kept thinking|kept saying)\b")
# The writer's own plan for a hard day: "If I feel suicidal again, I call my sponsor."
_CONDITIONAL = re.compile(
    r"\b(?:if|when|whenever|once|in case|unless|should|as soon as|every time|each time"
    r"|anytime|any time)\s*$"
)
# Between two reported statements: nothing but punctuation and "and"/"or" (and "tonight"...).
_CONTINUES = re.compile(
    r"(?: *(?:tonight|today|right now|now|any ?more|any longer|again|lately|for good|forever"
    r"|soon|all|everything)\b)*[\s,.;:!?\"'\-–—]*(?:(?:and|or|then|and then)\b[\s,]*)?"
)
# "...and I want to die too": the writer's own words after a reported statement.
_TOO = re.compile(r"[\s,]*(?:too|as well|also|myself)\b")
# "That's how I want to end it." ends the answer, not a life.
_ENDS_ANSWER = re.compile(r"\b(?:how|where|way|the point where)\s*$")


# Dating a statement that can be a story ("I have been suicidal", "I tried to kill myself").
# The writer's own words that it is recent, anywhere in the sentence.
_RECENT = re.compile(
    r"\b(?:last (?:night|week|weekend)|yesterday|tonight|this (?:morning|afternoon|evening"
    r"|week|weekend|month)|earlier today|(?:an?|one|two|three|four|five|six|few|a few|a couple"
    r"(?: of)?|several|\d+) (?:minutes?|mins?|hours?|hrs?|days?|weeks?) ago|just now|right now"
    r"|(?<!never )(?<!happen )(?<!happens )again|lately|recently|currently|at the moment"
    r"|all week|on (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b"
)
# Words that say "now" only in the statement's own clause, and not when they open a new
# thought: "I've been suicidal since 2016" is present; "I have been suicidal in the past, and
# now I help others" is a story.
_RECENT_IN_CLAUSE = re.compile(
    r"\b(?:(?:today|now|these days)(?!,? (?:i|i'm|i've|we|my)\b)|still|rn"
    r"|(?<!not )(?<!n't )(?<!n't been )since)\b"
)
# The sentence dates it to the past, or tells it as lived experience that informs the work.
_PAST = re.compile(
    r"\b(?:before(?= *(?:$|[,.;:!?)\n]|and\b|but\b|so\b|too\b|in my life\b|i (?:found|got"
    r"|came|started|entered|joined|began|went|was|had|knew|became)\b|recovery\b|treatment\b))"
    r"|in the past|(?:years?|months?|decades?|a long time|long|ages|a while|a lifetime) ago"
    r"|back (?:then|when|in)\b|at the time|at that (?:time|point)|at one (?:point|time)"
    r"|at (?:my|the|our) (?:lowest|worst|darkest)|when i was|as a (?:teen(?:ager)?|kid|child"
    r"|young (?:man|woman|adult|person)|student)|in my (?:teens|twenties|thirties|forties|20s"
    r"|30s|40s|youth|early (?:years|recovery|twenties|teens|20s)|active addiction|addiction)"
    r"|in (?:19|20)\d\d\b|used to|once\b(?! (?:i|i'm|again|more|a)\b)|long before"
    r"|since then|during my (?:addiction|illness|active|darkest|worst)|earlier in (?:my )?life"
    # Lived experience told to show what it taught ("so I know how lonely it is").
    r"|so i (?:know|understand) (?:how|what it|the)\b|i know (?:how|what) (?:it (?:feels|is like"
    r"|'s like)|lonely|dark|hard|scary|isolating|painful|heavy)|(?:which|that'?s|that is) why i"
    r" (?:do|chose|became|work|got into|want to (?:help|work|do|become|support))\b"
    r"|lived experience|(?:made|got|came) (?:it )?through|survived|saved my life"
    r"|helped me (?:through|survive|stay|heal))"
)
# Words that it stopped: they outweigh "since", "still", "now" but not "last night".
_STOPPED = re.compile(
    r"\b(?:not (?:for|in|since) (?:years|a long time|ages|a while|\d+)|not any ?more\b"
    r"|(?:no longer|never again)(?= *(?:$|[.!?,;])| (?:suicidal|feel (?:that way|like that)|do"
    r"|am|have (?:those|these|them)|self-harm|cut|hurt myself)\b))"
)
# The statements _RECENT and _PAST decide: the present perfect ("I have been...", "I've
# tried...") and the "act" group (simple past) of crisis_phrases.
_PERFECT = re.compile(r"i(?: \w+)?(?:'?ve| have)(?: \w+)? (?:been|tried|attempted|overdosed"
                      r"|od'?d|self[- ]?harmed|cut|burned|hanged|slit|written|taken|swallowed"
                      r"|made)\b")
_CLAUSE_MARKS = ",;:"


def _told_as_past(lowered: str, start: int, end: int) -> bool:
    """True when the sentence around ``lowered[start:end]`` dates it to the past."""
    sentence_start = max(lowered.rfind(ch, 0, start) for ch in ".!?;\n") + 1
    ends = [at for at in (lowered.find(ch, end) for ch in ".!?;\n") if at >= 0]
    sentence = lowered[sentence_start:min(ends) if ends else len(lowered)]
    if _RECENT.search(sentence):
        return False
    if _STOPPED.search(sentence):
        return True
    if not _PAST.search(sentence):
        return False
    clause_start = max(lowered.rfind(ch, sentence_start, start) for ch in _CLAUSE_MARKS) + 1
    clause_start = max(clause_start, sentence_start)
    clause_ends = [at for at in (lowered.find(ch, end, sentence_start + len(sentence))
                                 for ch in _CLAUSE_MARKS) if at >= 0]
    clause_end = min(clause_ends) if clause_ends else sentence_start + len(sentence)
    but = lowered.find(" but ", end, clause_end)
    clause = lowered[clause_start:but if but >= 0 else clause_end]
    return not _RECENT_IN_CLAUSE.search(clause)


def _dated_past(lowered: str, start: int, end: int) -> bool:
    """The sentence around ``lowered[start:end]`` has a time in the past and none recent."""
    sentence_start = max(lowered.rfind(ch, 0, start) for ch in ".!?;\n") + 1
    ends = [at for at in (lowered.find(ch, end) for ch in ".!?;\n") if at >= 0]
    sentence = lowered[sentence_start:min(ends) if ends else len(lowered)]
    return _PAST.search(sentence) is not None and _RECENT.search(sentence) is None


def _without_quotes(lowered: str) -> str:
    """``lowered`` with every quotation replaced by a space."""
    double = '"' in lowered
    single = _OPENING_QUOTE.search(lowered) is not None
    if double and single:
        return _QUOTED.sub(" ", lowered)
    if double:
        return _DOUBLE_QUOTED_RE.sub(" ", lowered)
    return _SINGLE_QUOTED_RE.sub(" ", lowered) if single else lowered


@dataclass(frozen=True, slots=True)
class SafetyCheck:
    """What the safety net found: a crisis or not, and the language the answer is in."""

    crisis: bool
    language: str  # "en", "es", ... (bot/coaching/answer_language.py)

    @property
    def english(self) -> bool:
        return self.language == answer_language.ENGLISH


def check(text: str, *, normalized: bool = False,
          vocabulary: set[str] | None = None) -> SafetyCheck:
    """Read ``text`` for the writer's own crisis, in English and in the answer's language.

    ``normalized``: ``text`` is already ``normalize``d (the coaching has done it once).
    ``vocabulary``: the set of its words (``find_words``), when the coaching has it already.
    """
    lowered = text if normalized else normalize(text)
    words = set(find_words(lowered)) if vocabulary is None else vocabulary
    crisis = _english_crisis(lowered, words)
    if not answer_language.has_other_words(words):  # most answers: English, nothing else
        return SafetyCheck(crisis, answer_language.ENGLISH)
    found = answer_language.counts(words)
    if not crisis:
        others = answer_language.languages_present(found)
        if others:
            plain = _without_accents(_without_quotes("\n" + _SPACES.sub(" ", lowered)))
            crisis = any(_crisis_in(plain, BY_LANGUAGE[lang]) for lang in others)
    return SafetyCheck(crisis, answer_language.pick(found))


def in_crisis(text: str, *, normalized: bool = False) -> bool:
    """True when the writer speaks of their own present wish to die or to harm themselves,
    in English or in another language the net reads (Spanish, French, German, Portuguese).

    ``normalized``: ``text`` is already ``normalize``d (the coaching has done it once).
    """
    return check(text, normalized=normalized).crisis


def _without_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _crisis_in(plain: str, phrases: Phrases) -> bool:
    """A statement of ``phrases`` that is the writer's own and present."""
    for found in phrases.statements.finditer(plain):
        start, end = found.span()
        sentence_start = max(plain.rfind(ch, 0, start) for ch in ".!?;\n") + 1
        ends = [at for at in (plain.find(ch, end) for ch in ".!?;\n") if at >= 0]
        sentence = plain[sentence_start:min(ends) if ends else len(plain)]
        if phrases.reported.search(plain, sentence_start, start):
            continue
        if phrases.past.search(sentence) and not phrases.recent.search(sentence):
            continue
        return True
    return False


def _plain_chat(lowered: str, words: set[str]) -> str:
    """``lowered`` with chat spellings made plain and a dropped sentence-opening "i" put back."""
    if not _CHAT_WORDS.keys().isdisjoint(words):
        lowered = _CHAT.sub(lambda m: _CHAT_WORDS[m.group(0)], lowered)
    if " 2 " in lowered:
        lowered = _TWO.sub(" to ", lowered)
    for mark, subjectless in _SUBJECTLESS:
        if mark in lowered:
            lowered = subjectless.sub(mark + " i ", lowered)
    return lowered


def _english_crisis(normalized: str, words: set[str]) -> bool:
    """The English statements (crisis_phrases.py), where they are the writer's own and present."""
    # A leading newline lets the sentence-start pattern match at the very start.
    lowered = "\n" + normalized
    if "  " in lowered or "\t" in lowered or "\r" in lowered:
        lowered = _SPACES.sub(" ", lowered)
    lowered = _plain_chat(_without_quotes(lowered), words)
    matches = [found for needed, regex in CRISIS if needed is None or needed in lowered
               for found in regex.finditer(lowered)]
    if not matches:
        return False
    matches.sort(key=lambda found: found.start())
    last_skipped = -1
    for found in matches:
        start, end = found.span()
        kind = found.lastgroup  # the only named groups: what kind of match this is
        if kind == "bare":
            start = found.start("bare")
        elif kind == "off":
            subject = _SUBJECT.search(lowered, max(0, start - 40), start)
            start = subject.start() if subject else start
        elif kind == "if" and not _BETTER_IF.search(lowered, max(0, start - 40), start):
            continue
        if (kind == "act" or _PERFECT.match(lowered, start)) and _told_as_past(
                lowered, start, end):
            continue  # a recovery story: not set as last_skipped, so "...and I want to die" counts
        if last_skipped >= 0 and (
            start <= last_skipped
            or (_CONTINUES.fullmatch(lowered, last_skipped, start)
                and not _TOO.match(lowered, end))
        ):
            last_skipped = max(last_skipped, end)
            continue
        clause_start = max(lowered.rfind(ch, 0, start) for ch in ".!?;\n") + 1
        before = lowered[max(clause_start, start - 80):start]
        if (
            _REPORTED.search(before)
            or _REPORTED_AFTER.match(lowered, end)
            or (_OWN_THOUGHT_AFTER.match(lowered, end) and _dated_past(lowered, start, end))
            or _CONDITIONAL.search(before)
            or (found.group(0).endswith(" it") and _ENDS_ANSWER.search(before))
        ):
            last_skipped = end
            continue
        return True
    return False
