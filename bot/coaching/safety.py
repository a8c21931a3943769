"""The safety net: notice when the writer speaks of their *own* present crisis.

Most answers in this product talk about supporting other people in crisis, and many tell a
recovery story in the past tense; neither must trigger. What triggers is the writer, in the
first person and the present, saying they want to die, to end their life or to hurt
themselves, or that they just tried. An answer is read two ways (three in Spanish), and any
reading can flag it:

1. **Statements** (bot/coaching/crisis_phrases.py, first part): phrases as people say them,
   with the rules below ("Ruled out here").
2. **Clause by clause** (the second part there, and ``_clause_crisis`` below): the rules a
   crisis-line trainer teaches, not phrases. Each sentence is cut into clauses (at a comma,
   colon or dash, at "but"/"because", at "and"/"so" when a new subject follows), and a clause
   counts when all of this holds:

   - **It says one of the things a person in crisis says about themselves**: an act of dying
     or self-harm ("end it", "take my life", "cut myself", "not wake up", "jump off the
     bridge", "swallow all my pills", crashing my car when chosen, not when feared); a
     passive wish ("my heart just stops", "disappear", "be gone", "no reason for me to be
     here"); a state ("suicidal", "done with living", "no point in going on", "I don't want
     to be here", "I want it all to stop", "I can't keep myself safe"); the means made ready
     (pills saved up, a rope bought, a gun loaded, looking up how many) or stared at in the
     next clause ("pills on my nightstand and I keep staring at them"); standing on a bridge
     or the tracks; goodbyes (a last message, letters for my family, my will written, my
     affairs in order, "this is goodbye", my dog given away, unless for an everyday reason);
     not being here soon ("I won't be around much longer"); others better off ("better off
     without me", "better off raising my son without me", "easier if I wasn't here", not
     "if I was gone for a week"); a voice or my head "telling", "ordering", "saying I
     should"; "killing myself is all I think about"; "the urge to hurt myself"; "I can't
     promise I'll be safe tonight"; "ready to stop fighting", "I've made my peace"; a day
     picked ("I've picked Friday"); at the top of a garage or on a roof (not "for a staff
     photo"); means at hand ("sitting in the tub with a razor", "a knife against my wrist")
     or ruminated on ("my brother's gun... I can't stop thinking about it", not my
     client's); imagining or planning my own funeral; self-harm going on ("I've been
     cutting since then").
   - **It is the writer's own**: the nearest subject before it is "I" (or nobody, when chat
     drops the "I": "been thinking about ending it"); not "she", "my client", "someone",
     "they", "who". Burdens and goodbyes name the writer themselves ("without me").
   - **It is now or soon**: an act needs a stance toward it ("want", "going to", "plan",
     "thinking about", "ready", "keep", "hoping", "waiting for a reason to", "I'm ...ing",
     "I've been ..."), or to be done just now ("last night", "20 min ago"); a time it has
     lasted ("for weeks now", "for real this time") keeps it present. A bare stance in a
     later clause takes up an earlier act ("kms lol no but actually i want to"). A noun is
     not a stance ("a wish to die").
   - **Nothing turns it around**: no "not"/"never" and no recovery word ("free of",
     "stopped", "survived") between the writer and it; no "if"/"when" before the writer
     ("if I feel suicidal again, I call my sponsor"); no "would" ("I'd never tell a peer
     they're better off without me"); no past tense ("I wanted to die", but "I wanted to
     die today" is now), and a sentence
     dated to the past ("years ago", "in 2016", "at my lowest", "but not anymore") is a
     recovery story unless it also says "lately", "again" or "tonight".
   - **It is not reported or framed**: not after "she told me", "he kept saying", "Caller:",
     "I know what it is to think:", nor followed by ", a young man told me"; and not in a
     sentence about a song, a script, a role-play, training, examples or warning signs.
   - **It is not an idiom or the work**: "die of embarrassment", "rather die than sing",
     "suicide prevention", "end it there", "hurt myself at the gym", "take all my meds as
     prescribed", "tired of living paycheck to paycheck".

   A missed crisis costs more than a false alarm, and the crisis message itself says "if you
   were describing someone else, carry on"; still, the second reading is held to the same
   budget of false alarms (at most one in forty) on the development sets. Sets 1 and 2 of
   tests/data/coaching_dev/crisis_heldout*.yaml were written to score it and tuned on from
   round three, set 3 from round four; set 4 is held out (bench.coaching prints each; it
   scored 17/25 recall, 2/25 false alarms when first read, and was not tuned on).

3. **Spanish, clause by clause** (``_concept_crisis``, crisis_phrases_other.SPANISH_CONCEPTS):
   Spanish drops the subject and its verb says who speaks, so the writer's own stance is a
   first-person verb ("quiero", "voy a", "estoy pensando en") before an act ("morir",
   "quitarme la vida", "desaparecer para siempre"); a state ("ya no quiero vivir", "soy una
   carga"), means made ready, a goodbye or the act now ("me estoy cortando otra vez") count
   alone. Not after someone else's words ("me dijo", "mi cliente"), a "no" before the
   stance, "si"/"cuando", in a framed sentence (a song, training, warning signs) or one
   dated to the past ("hace años") unless it is recent ("anoche", "otra vez").

Read first, as people type in chat: "ima", "rly", "kinda", "want 2 die", "unalive", "kys"
said to oneself ("i should just kys") made plain, asides ("ngl", "fr", "idc") dropped, and
the "I" that chat drops at the start of a sentence ("Going to end things tonight.",
"honestly hoping...") put back.

Ruled out for a statement (the first reading), by the words around it:
- words inside quotation marks; words reported after "says", "tells me", "was like",
  "I thought" and the like, or before "she told me"; a framed line ("the chorus goes: ...",
  "In the role-play script, the caller says: ...", "Caller: ...", or without the colon:
  "whose chorus is I don't want...");
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
A Spanish statement is also turned around by its clause: a "no" or a "si" before it ("no
quiero morir, quiero vivir"), or means kept safe ("bajo llave", "como dice mi médico").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bot.coaching import answer_language
from bot.coaching import crisis_phrases as cp
from bot.coaching.crisis_phrases import CRISIS
from bot.coaching.crisis_phrases_other import BY_LANGUAGE, SPANISH_CONCEPTS, Concepts, Phrases
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
    # Or without a colon: "whose chorus is I don't...", "the line goes I want to...".
    rf"|\b{_FRAME}s?(?: \w+)? (?:is|was|goes|went|says|said|reads|read|sings|sang)[\s,\"']*$"
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
# A story's own time ("that night I overdosed", "the night I tried", "the next day"): past
# only when nothing anywhere in the answer says it is recent ("...Last night I did it again").
_STORY_TIME = re.compile(
    r"\b(?:that (?:night|day|evening|morning|weekend|winter|summer|spring|autumn|fall|year)"
    r"|the (?:night|day|morning|evening) (?:i|when|that|after|before)|the next (?:day|morning))"
    r"\b"
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
    if not _PAST.search(sentence) and not (
            _STORY_TIME.search(sentence) and not _RECENT.search(lowered)):
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
    crisis = _english_crisis(lowered, words) or _clause_crisis("\n" + lowered, words)
    if not answer_language.has_other_words(words):  # most answers: English, nothing else
        return SafetyCheck(crisis, answer_language.ENGLISH)
    found = answer_language.counts(words)
    if not crisis:
        others = answer_language.languages_present(found)
        if others:
            plain = _without_accents(_without_quotes("\n" + _SPACES.sub(" ", lowered)))
            crisis = any(_crisis_in(plain, BY_LANGUAGE[lang]) for lang in others) or (
                "es" in others and _spanish_clause_crisis(plain, words))
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
        if phrases is BY_LANGUAGE["es"] and _spanish_held_back(plain, sentence_start, start,
                                                                sentence):
            continue
        return True
    return False


def _spanish_held_back(plain: str, sentence_start: int, start: int, sentence: str) -> bool:
    """A Spanish statement turned around by its clause: "no quiero morir", "si pienso en
    matarme, llamo...", or means kept safe ("mis pastillas guardadas bajo llave")."""
    c = SPANISH_CONCEPTS
    before = plain[sentence_start:start]
    clause_start = max((m.end() for m in c.clauses.finditer(before)), default=0)
    clause = before[clause_start:]
    return (c.negation.search(clause) is not None or c.condition.search(clause) is not None
            or (c.means.search(sentence) is not None and c.safe.search(sentence) is not None))


def _spanish_clause_crisis(plain: str, words: set[str]) -> bool:
    """The clause reading in Spanish: on ``plain`` (lower case, no accents, no quotations);
    ``words``: the answer's words, as written."""
    return _concept_crisis(plain, words, SPANISH_CONCEPTS)


def _concept_crisis(plain: str, words: set[str], c: Concepts) -> bool:
    """A concept of crisis in a clause that is the writer's own, now (the language's
    ``Concepts``: crisis_phrases_other.py). Only sentences with a trigger word are read."""
    present = {_without_accents(word) for word in words if _without_accents(word) in c.triggers}
    if not present:
        return False
    for sentence in _SENTENCES.split(plain):
        if not any(word in sentence for word in present) or c.framed.search(sentence):
            continue
        phrases = BY_LANGUAGE["es"] if c is SPANISH_CONCEPTS else None
        if phrases and phrases.past.search(sentence) and not phrases.recent.search(sentence):
            continue  # a recovery story
        earlier = ""
        for clause in c.clauses.split(sentence):
            if _concept_clause(clause, earlier, c):
                return True
            earlier += " " + clause
    return False


def _concept_clause(clause: str, earlier: str, c: Concepts) -> bool:
    found = (c.now.search(clause) or c.state.search(clause) or c.goodbye.search(clause)
             or _stance_act(clause, c) or _ready_means(clause, c))
    if found is None:
        return False
    before = clause[:found.start()]
    if c.others.search(before) or c.others.search(earlier[-40:]) or c.condition.search(before):
        return False  # someone else's words, or the writer's plan for a hard day
    return c.negation.search(before) is None


def _stance_act(clause: str, c: Concepts) -> re.Match[str] | None:
    """A first-person stance with an act at most two words after it ("quiero morir")."""
    for stance in c.stance.finditer(clause):
        act = c.act.search(clause, stance.end())
        if act and len(clause[stance.end():act.start()].split()) <= 2:
            return stance
    return None


def _ready_means(clause: str, c: Concepts) -> re.Match[str] | None:
    means = c.means.search(clause)
    return means if means and c.ready.search(clause) and not c.safe.search(clause) and re.search(
        r"(?<!\w)(?:mis|tengo|me)(?!\w)", clause) else None


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
        elif kind == "if":
            better = _BETTER_IF.search(lowered, max(0, start - 40), start)
            if not better:
                continue
            # The checks on what comes before start at who would be better off.
            subject = _SUBJECT.search(lowered, max(0, better.start() - 40), better.start())
            start = subject.start() if subject else better.start()
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


# --- The second reading: clause by clause ---------------------------------------------------
# The statements above are phrases; this reads concepts (crisis_phrases.ACT, STATE, MEANS...)
# in the clause where they stand, with the stance a trainer listens for. See the module
# docstring ("Clause by clause").

def _word(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w'])(?:{pattern})(?![\w'])")


_SENTENCES = re.compile(r"[.!?;\n]+")
# A clause ends at a comma, colon, bracket or dash, at "but", "because", "though"..., and at
# "and"/"so"/"then" when a new subject follows ("...last night and I want to...").
_CLAUSES = re.compile(
    r"\s*(?:[,:()]|\s[-–—]+\s|(?<![\w'])(?:but|because|though|although|while|cause|whereas)"
    r"(?![\w'])|(?<![\w'])(?:and|so|then|or)(?= (?:i|i'm|i've|i'll|i'd|he|she|they"
    r"|we|you|my|it|he's|she's|they're|we're|you're|there's)(?![\w'])))\s*")
# Who a clause is about: the writer ("i"), or someone else.
_SUBJECT_WORD = _word(
    r"i|i'm|i've|i'll|i'd|he|she|they|we|you|he's|she's|they're|we're|you're|he'd|she'd"
    r"|they'd|we'd|you'd|someone|somebody|anyone|anybody|everyone|everybody|people|clients"
    r"|peers|participants|residents|(?:a|an|the|my|our|his|her|their|one|this|that|every"
    r"|each|any) (?:\w+ )?(?:client|peer|person|participant|resident|veteran|caller|friend"
    r"|brother|sister|sponsor|son|daughter|mom|mum|dad|mother|father|man|woman|teen"
    r"|teenager|kid|member|patient|partner|wife|husband|coworker|colleague|guy|girl|boy"
    r"|youth|student|trainee|character|actor|narrator|singer|speaker)s?")
_FIRST_PERSON = frozenset({"i", "i'm", "i've", "i'll", "i'd"})
# Chat drops the "I" that opens a sentence: "been thinking about ending it".
_DROPPED_I_START = _word(
    r"(?:(?:honestly|lately|literally|really|just|still|sometimes|seriously|tbh) )?"
    r"(?:been|thinking|planning|going to|gonna|want|wanna|wanting|just|keep|kept|feel|feeling"
    r"|wish|gave|giving|bought|wrote|writing|written|cut|cutting|can't|don't|do not|won't"
    r"|wouldn't|really|tired|done|ready|standing|sitting|hope|hoping|scared|afraid|still"
    r"|considering|having|got|have|need|so|sick|never|kinda|kind of|literally|about to|picked"
    r"|took|taking|staring|looking)")
# A sentence that frames what it holds: a song, a script, a role-play, training content.
_FRAMED = _word(
    r"role-?plays?|role-?played|role-?playing|role play|scripts?|scenarios?|songs?|lyrics?"
    r"|poems?|movies?|films?|characters?|actors?|trainings?|trainer|class|workshops?"
    r"|warning signs?|phrases? like|things like|stuff like|words like|such as|for example"
    r"|examples?|taught|learned|learnt|curriculum|module|vignettes?|case stud(?:y|ies)|quotes?"
    r"|quoted|chorus|verse|asist|qpr|mhfa|cues?|signs? (?:of|that|include)|red flags?"
    r"|risk factors?")
# Words that report someone's speech before the clause.
_REPORTING = _word(
    r"said|says|say|saying|told|tells|tell|telling|wrote|writes|texted|texts|asked|asks"
    r"|mentioned|admitted|shared|disclosed|screamed|cried|whispered|sang|sings|read|reads"
    r"|heard|hears|posted|messaged|repeated|kept saying|described|explained")
_CONDITION = _word(r"if|when|whenever|unless|once|in case|suppose|supposing|imagine|what if"
                   r"|as if|even if|someday|one day")
# Between the writer and the act: a "not", or words of recovery, turn it around.
_NEGATED = re.compile(r"(?<![\w'])(?:not|never|no longer|no|nobody|nothing|without|clean|free"
                      r"|stopped|quit|recovered|recovering|survived|beat|overcame|instead"
                      r"|rather than)(?![\w'])|n't(?![\w'])")
_NOT_NEGATING = re.compile(r"(?:wouldn't|would not|don't|do not|didn't|won't) (?:even )?mind"
                           r"|(?:can't|cannot|couldn't) (?:stop|help|wait)|not sure|no idea"
                           r"|don't know|not even|not only")
# The writer's stance toward an act: wanting, planning, about to (now or soon).
_INTENT = _word(cp.INTENT)
# A present act: "I'm cutting", "I've been hurting myself", "I keep...".
_PRESENT = _word(r"'m|am|been|keep|keeps|started|start|still|again|now|currently|constantly")
# The stance told in the past: "I wanted to die" (a story unless something says "recently").
_PAST_VERB = _word(r"wanted|wished|was|were|used to|tried|thought|felt|had|planned|hoped"
                   r"|kept|considered|fantasi[sz]ed|dreamed|dreamt")
_PERFECT_PRESENT = re.compile(r"(?:'ve|have|has)(?: \w+)? (?:been|decided|started|tried)")
_WOULD = _word(r"would|'d|might have")
_WOULD_OK = _word(r"rather|mind|better off|like to|love to|easier|better|kinder|simpler")
_ACT = _word(cp.ACT)
# After an act: words that make it an idiom or the work ("die of embarrassment", "suicide
# prevention", "end things with my old job").
_ACT_AFTER = re.compile(
    r" *(?:of|to|for(?! (?:real|good|sure|ever|weeks|days|months|years|a (?:while|week|month"
    r"|few)|some time|so long|the last|a long time))|inside|laughing|trying|peacefully|happy"
    r"|happily|old|young|at (?:\w+ )?"
    r"(?:ninety|eighty|seventy|hundred|\d+|old age)|on (?:this|that|the) hill|prevention"
    r"|reversal|risk|screening|assessment|awareness|training|rates?|statistics|kits?|survivors?"
    r"|loss|deaths?|response|education|first aid|with|on a|in (?:his|her|their)"
    r"|differently|than|there|here|free|clean|recovery|at (?:the )?(?:gym|work|game|office)"
    r"|cooking|shaving|by accident|accidentally|playing|running|lifting|working out"
    r"|in the kitchen|while|chopping|over|peers?|people|patients?|clients?|persons?|family"
    r"|relatives|loved|parents|process|dignity)\b")
# After taking pills: a normal day ("all my meds as prescribed", "every morning").
_TAKING_AFTER = re.compile(
    r" *(?:as (?:prescribed|my doctor|directed|usual)|this morning|every|each|daily|on time"
    r"|with food|at (?:night|bedtime))\b")
# "That's how I want to end it": the end of an answer.
_ENDS_SOMETHING = re.compile(r"(?<![\w'])(?:how|where|way|the point where)(?![\w'])")
# "I'm ending it": the act itself in the present.
_AM = re.compile(r"(?:'m|(?<![\w'])am)(?![\w'])")
# What follows "than" that makes "I'd rather die than..." about living, not an idiom.
_THAN_LIVING = re.compile(r" *than (?:\w+ ){0,2}?(?:live|living|keep|go on|going on|feel"
                          r"|feeling|be alive|wake up|face|deal|another day|this)\b")
_DEATH_WORD = re.compile(r"(?:die|dying|death|be dead|were dead|was dead)$")
_STATE = _word(cp.STATE)
_INNER = re.compile(rf"(?<![\w']){cp.INNER} (?:\w+ )?(?:{cp.ACT})(?![\w'])")
_MEANS = _word(cp.MEANS)
_MEANS_READY = _word(cp.MEANS_READY)
_MEANS_SAFE = _word(r"locked|lock|locking|away|as prescribed|storage|dispose|disposed|safe"
                    r"|safely|policy|naloxone|narcan|pharmacy|for (?:the|our) (?:group|clients"
                    r"|peers|respite|house)|prescribed|refill|refilled|doctor"
                    r"|shave|shaving|shaved|cook|cooking|chop|chopping|hunting|range")
# At a high place for an everyday reason: "on the roof of the building for a staff photo".
_FOR_WORK = (r"[\w' ]{0,40}? (?:for|with|to) (?:a|an|the|my|our|some|work|group)\b(?: \w+)? ?"
             r"(?:meeting|photo|shift|class|group|event|tour|picnic|lunch|break|smoke|party|work"
             r"|job|call|interview|training|team|coworkers?|colleagues?|friends?|view|fresh air)")
_PLACE = re.compile(rf"(?:'m|am)(?: \w+)? (?:on|at|in) (?:(?:the )?(?:top|edge|roof) of )?"
                    rf"(?:the|a|my|this) (?:\w+ )?{cp.PLACE}\b"
                    rf"(?!{_FOR_WORK})")
_GOODBYE = _word(cp.GOODBYE)
_GOODBYE_ORDINARY = _word(
    r"for today|for now|tomorrow|see you|next (?:week|time|session|one|question|round)"
    r"|practi[cs]e more|for the day|habits?|job|warehouse|work|this question|later|thursday"
    r"|monday|tuesday|wednesday|friday|saturday|sunday|interview|shift|class|group"
    # Things given away for a reason of everyday life.
    r"|because (?:i'm|i am|we're|we are|i got|i bought|i have a new)|learning|upgrad\w*|new one"
    r"|outgrew|outgrown|moving|moved|replac\w*|downsiz\w*|decluttering")
_ABSENCE = _word(cp.ABSENCE)
_ABSENCE_ORDINARY = _word(
    r"because|since|cause|moving|move|vacation|holiday|leave|trip|travel|travelling"
    r"|traveling|appointment|shift|off|away|busy|working|work|class|school|anywhere")
_BURDEN = _word(cp.BURDEN)


_ILL = re.compile(r"(?<![\w'])(think|guess|hope|know|maybe|then) ill(?![\w'])")
# "kys" said to oneself ("i should just kys", "telling myself to kys") is "kill myself";
# said to anyone else it stays "kill yourself".
_KYS_TO_SELF = re.compile(r"(?<![\w'])((?:i|i'm|im|my ?self)(?: [\w']+){0,3}? )kys(?![\w'])")


def _plain_words(lowered: str) -> str:
    """Chat spellings and contractions without an apostrophe, made plain."""
    text = _ILL.sub(r"\1 i'll", lowered.replace("my self", "myself"))
    present = _CHAT_KEYS.intersection(find_words(text))
    if not present:
        return text
    if "kys" in present:
        text = _KYS_TO_SELF.sub(r"\1kill myself", text)
    return _chat_pattern(frozenset(present)).sub(lambda m: cp.CHAT_WORDS[m.group(0)], text)


@lru_cache(maxsize=256)
def _chat_pattern(words: frozenset[str]) -> re.Pattern[str]:
    """A pattern for just the chat spellings an answer has (a short one is fast)."""
    return _word("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


_SENTENCE_WORDS = re.compile(r"[\w'-]+")


_ALL_GATES = frozenset().union(*cp.GATES.values())
_ALL_KINDS = frozenset(cp.GATES)
# Speed only: a sentence is read for a concept only when it holds one of the concept's words,
# and a concept is tried only where one of its opening words stands. tests/test_safety.py
# turns this off to check that the gates hide nothing.
_GATED = True
_CHAT_KEYS = frozenset(cp.CHAT_WORDS)
_TOKEN = re.compile(r"[\w'-]+")
# Each concept, tried only where one of its opening words stands (crisis_phrases.ANCHORS).
_CONCEPTS: tuple[tuple[str, re.Pattern[str], frozenset[str]], ...] = tuple(
    (kind, re.compile(rf"(?:{pattern})(?![\w'])"), cp.ANCHORS[kind]) for kind, pattern in (
        ("inner", rf"{cp.INNER} (?:\w+ )?(?:{cp.ACT})"), ("burden", cp.BURDEN),
        ("goodbye", cp.GOODBYE), ("state", cp.STATE), ("absence", cp.ABSENCE),
        ("act", cp.ACT)))
_PRONOUNS = cp.word_set(
    "i i'm i've i'll i'd he she they we you he's she's they're we're you're he'd she'd they'd"
    " we'd you'd someone somebody anyone anybody everyone everybody people who clients peers"
    " participants residents patients callers")
_ROLES = frozenset(
    word + plural for word in cp.word_set(
        "client peer person participant resident veteran caller friend brother sister sponsor"
        " son daughter mom mum dad mother father man woman teen teenager kid member patient"
        " partner wife husband coworker colleague guy girl boy youth student trainee character"
        " actor narrator singer speaker") for plural in ("", "s"))
_DETERMINERS = cp.word_set("a an the my our his her their one this that every each any")


class _Clause:
    """A clause, its words and where each stands."""

    __slots__ = ("text", "tokens")

    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]

    def subject(self, before: int) -> tuple[str | None, int, int]:
        """The last subject before ``before``: its word, start and end (None, 0, 0 if none)."""
        found: tuple[str | None, int, int] = (None, 0, 0)
        for index, (word, start, end) in enumerate(self.tokens):
            if start >= before:
                break
            if word in _PRONOUNS or (word in _ROLES and (
                    self.tokens[index - 1][0] in _DETERMINERS
                    or (index > 1 and self.tokens[index - 2][0] in _DETERMINERS))):
                found = (word, start, end)
        return found


def _clause_crisis(lowered: str, words: set[str] | None = None) -> bool:
    """The second reading: a concept of crisis in a clause that is the writer's own, now.

    ``words``: the answer's words (``find_words``), when the coaching has them already.
    """
    if words is None:
        words = set(find_words(lowered))
    chat = not _CHAT_KEYS.isdisjoint(words)
    if _GATED and not chat and _ALL_GATES.isdisjoint(words):
        return False
    text = _without_quotes(lowered)
    if chat or "my self" in text or " ill " in text:
        text = _plain_words(text)
        words = set(find_words(text))
    if "  " in text or "\t" in text or "\r" in text:
        text = _SPACES.sub(" ", text)
    if _GATED:
        sentences = [text[start:end] for start, end in _candidate_sentences(text, words)]
    else:
        sentences = _SENTENCES.split(text)
    for sentence in sentences:
        sentence = " ".join(sentence.split())
        gates = _kinds_in(sentence) if _GATED else _ALL_KINDS
        if _sentence_crisis(sentence, text, gates) and not _FRAMED.search(sentence) and not (
                (_PAST.search(sentence) or _STOPPED.search(sentence))
                and not _RECENT.search(sentence)):
            return True
    return False


def _kinds_in(sentence: str) -> frozenset[str]:
    """The concepts whose words are in ``sentence``."""
    here = set(find_words(sentence))
    return frozenset(kind for kind, needed in cp.GATES.items() if not needed.isdisjoint(here))


def _sentence_around(text: str, at: int) -> tuple[int, int]:
    start = max(text.rfind(mark, 0, at) for mark in _SENTENCE_MARKS) + 1
    ends = [end for end in (text.find(mark, at) for mark in _SENTENCE_MARKS) if end >= 0]
    return start, min(ends) if ends else len(text)


_SENTENCE_MARKS = ".!?;\n"


def _candidate_sentences(text: str, words: set[str]) -> list[tuple[int, int]]:
    """Where a concept can be read (the sentences, as spans of ``text``), found from the whole
    answer at once: each concept is tried only where one of its opening words stands (among
    the answer's ``words``), and means and places only in a sentence that has their words."""
    found: set[tuple[int, int]] = set()
    gates = frozenset(kind for kind, needed in cp.GATES.items() if not needed.isdisjoint(words))
    for kind, regex, anchors in _CONCEPTS:
        if kind in gates or (kind == "inner" and "act" in gates):
            for word in anchors.intersection(words):
                for at in _OPENER_AT[word].finditer(text):
                    if regex.match(text, at.start()):
                        found.add(_sentence_around(text, at.start()))
    for kind, check in (("means", _means_ready), ("place", _PLACE.search)):
        if kind in gates:
            for word in cp.GATES[kind].intersection(words):
                for at in _WORD_AT[word].finditer(text):
                    span = _sentence_around(text, at.start())
                    if span not in found and check(text[span[0]:span[1]]):
                        found.add(span)
    return sorted(found)


def _means_ready(sentence: str) -> bool:
    """Means made ready, or the writer fixed on their own means (read clause by clause)."""
    return (_MEANS_READY.search(sentence) is not None and _MEANS.search(sentence) is not None
            ) or _means_fixated(sentence)


def _where(word: str) -> re.Pattern[str]:
    """``word`` as a whole word; it starts with the word itself, so the engine skips to it."""
    escaped = re.escape(word)
    return re.compile(rf"{escaped}(?<![\w'-]{escaped})(?![\w'-])")


_OPENER_AT = {word: _where(word) for _, _, anchors in _CONCEPTS for word in anchors}
_WORD_AT = {word: _where(word) for word in cp.GATES["means"] | cp.GATES["place"]}


def _sentence_crisis(sentence: str, text: str, gates: frozenset[str]) -> bool:
    offset = 0
    inherited: str | None = None
    for index, piece in enumerate(_CLAUSES.split(sentence)):
        start_in_sentence = sentence.find(piece, offset)
        offset = max(offset, start_in_sentence)
        clause = _Clause(piece)
        first = index == 0 and _DROPPED_I_START.match(piece) is not None
        if _clause_verdict(clause, sentence[:start_in_sentence], first, inherited, gates,
                           text) and not _REPORTED_AFTER.match(
                               sentence, start_in_sentence + len(piece)):
            return True
        if index and _ELLIPSIS.search(piece) and not _CONDITION.search(piece) and any(
                _own_act(earlier) for earlier in _CLAUSES.split(sentence[:start_in_sentence])):
            return True  # "kms lol no but actually i want to"
        last_subject = clause.subject(len(piece))[0]
        if last_subject is not None:
            inherited = last_subject
    return "means" in gates and _means_fixated(sentence)


# "...but actually i want to": the act of an earlier clause, taken up by a bare stance.
_ELLIPSIS = re.compile(r"(?<![\w'])i(?: really| actually| honestly| just| kind of)*(?: want to"
                       r"|'m going to| am going to| will|'ll| mean it| plan to| need to)\s*$")
# Fixed on the means: "there's a bottle of pills on my nightstand and i keep staring at it".
_FIXATED = re.compile(r"(?<![\w'])i (?:\w+ )?(?:keep|can't stop|'m|am) (?:\w+ )?(?:staring at"
                      r"|looking at|holding|thinking about|think about|obsessing over"
                      r"|obsessing about) (?:it|them)\b")
_MINE = re.compile(r"(?<![\w'])(?:my|me)(?![\w'])(?! (?:client|peer|participant|patient|resident"
                   r"|mentee|sponsee)s?(?:'s|s')?\b)")


def _own_act(clause: str) -> bool:
    """An act in ``clause`` with no other subject and no "not" before it ("kill myself")."""
    act = _ACT.search(clause)
    if act is None or _ACT_AFTER.match(clause, act.end()):
        return False
    subject = _Clause(clause).subject(act.start())[0]
    return (subject is None or subject in _FIRST_PERSON) and not _NEGATED.search(
        clause, 0, act.start())


def _means_fixated(sentence: str) -> bool:
    """The writer's own means in the sentence, and the writer fixed on them."""
    return (_FIXATED.search(sentence) is not None and _MINE.search(sentence) is not None
            and _MEANS.search(sentence) is not None and _MEANS_SAFE.search(sentence) is None)


_THOUGHT_FRAME = re.compile(
    rf"(?:(?<![\w'])(?:think|thinking|thought|remember|remembering|was like|is like|were like"
    rf"|'s like|goes|went)|\b{_SPEAKER}) *[:,]? *$")


def _reported(earlier: str) -> bool:
    """Someone else's words are reported before: "she told me", "the caller says"."""
    if not earlier:
        return False
    if _THOUGHT_FRAME.search(earlier):
        return True
    before = _Clause(earlier)
    for verb in _REPORTING.finditer(earlier):
        if before.subject(verb.start())[0] not in _FIRST_PERSON:
            return True
    return False


def _own(subject: str | None, inherited: str | None, first: bool) -> bool:
    who = subject if subject is not None else inherited
    if who is None:
        return first
    return who in _FIRST_PERSON


def _clause_verdict(clause: _Clause, earlier: str, first: bool, inherited: str | None,
                    gates: frozenset[str], text: str) -> bool:
    """Whether ``clause`` says the writer's own crisis."""
    candidates = []
    for kind, regex, anchors in _CONCEPTS:
        if kind not in gates or (kind == "inner" and "act" not in gates):
            continue
        for word, start, _ in clause.tokens:
            if word in anchors or not _GATED:
                found = regex.match(clause.text, start)
                if found:
                    candidates.append((kind, found))
    means = place = None
    if "means" in gates:
        means = _MEANS.search(clause.text)
        if means and not (_MEANS_READY.search(clause.text)
                          and not _MEANS_SAFE.search(clause.text)):
            means = None
    if "place" in gates:
        place = _PLACE.search(clause.text)
    if not candidates and not means and not place:
        return False
    mine = next((start for word, start, _ in clause.tokens if word in _FIRST_PERSON), None)
    if candidates and mine is not None:
        # "My head keeps telling me to kill myself and I'm listening": the concept's own words
        # ("telling me to") are not a report of someone else's.
        mine = min(mine, min(found.start() for _, found in candidates))
    if _reported(earlier + clause.text[:mine if mine is not None else 0]):
        # "She told me I..."/"he kept saying I'm going to...": the first person is reported.
        return False
    for kind, found in candidates:
        if _reads_as_crisis(kind, found, clause, first, inherited, text):
            return True
    if means:
        subject, _, subject_end = clause.subject(means.start())
        mine = _own(subject, inherited, first) or (subject is None and clause.text.endswith(
            "my " + means.group(0), 0, means.end()))
        if mine and not _held_back(clause.text, subject_end, means.start()):
            return True
    if place:
        subject, _, _ = clause.subject(place.end())
        if subject in _FIRST_PERSON and not _CONDITION.search(clause.text, 0, place.start()):
            return True
    return False


def _held_back(clause: str, subject_end: int, start: int) -> bool:
    """A "not", a condition, a "would", or a past tense between the writer and the words."""
    between = _NOT_NEGATING.sub(" ", clause[subject_end:start])
    if _NEGATED.search(between):
        return True
    if _WOULD.search(between) and not _WOULD_OK.search(between):
        return True
    return (_PAST_VERB.search(between) is not None and not _PERFECT_PRESENT.search(between)
            and not _TODAY.search(clause, start))


# A past tense that is still now: "I wanted to die today", "I tried to cut tonight".
_TODAY = re.compile(r"(?<![\w'])(?:today|tonight|this morning|this afternoon|this evening"
                    r"|just now|an hour ago|earlier today)(?![\w'])")


def _reads_as_crisis(kind: str, found: re.Match[str], clause: _Clause, first: bool,
                     inherited: str | None, text: str) -> bool:
    start, end = found.span()
    line = clause.text
    subject, subject_start, subject_end = clause.subject(start)
    if _CONDITION.search(line, 0, subject_end if subject is not None else start):
        return False
    if kind == "inner":
        return not _ACT_AFTER.match(line, end)
    if kind == "burden":
        # "I'd never tell a peer they're better off without me"; "I thought everyone would be".
        mine = [tok for tok in clause.tokens if tok[1] < start and tok[0] in _FIRST_PERSON]
        return not _NEGATED.search(_NOT_NEGATING.sub(" ", line[:start])) and not (
            mine and _held_back(line, mine[-1][2], start))
    if kind == "goodbye":
        at = text.find(line)
        after = text[at:at + len(line) + 120] if at >= 0 else line
        own = (_own(subject, inherited, first) or subject is None
               or re.search(r"(?<![\w'])i(?:'m)? ", found.group(0)) is not None)
        return own and not _GOODBYE_ORDINARY.search(after)
    if kind == "state":
        if subject is not None and subject not in _FIRST_PERSON:
            return False
        if subject is None and inherited is not None and inherited not in _FIRST_PERSON:
            return False
        return not _held_back(line, subject_end, start) and not re.match(r" *if\b", line[end:])
    if kind == "act" and subject is None and _ALL_I_THINK.match(line, end):
        return True  # "killing myself is all i think about"
    if not _own(subject, inherited, first):
        return False
    if kind == "absence":
        at = text.find(line)
        rest = text[at + end:at + len(line) + 80] if at >= 0 else line[end:]
        return not _ABSENCE_ORDINARY.search(rest) and not _held_back(line, subject_end, start)
    # An act: wanted, planned, thought of, going on now, or done just now.
    act = found.group(0)
    after = line[end:]
    if _ACT_AFTER.match(after) and not _THAN_LIVING.match(after):
        return False
    if act.startswith(("take", "took", "swallow")) and _TAKING_AFTER.match(after):
        return False
    if act.startswith("end") and _ENDS_SOMETHING.search(line, 0, start):
        return False
    if act.startswith(("crash", "wreck")) and not _DELIBERATE.search(line, 0, start):
        return False  # "scared of crashing my car in the snow"
    if _held_back(line, subject_end, start):
        return False
    if _THOUGHT_OF.match(act) or _intends(line, start) or (
            _PAST_INTENT.search(line, subject_end, start) and _TODAY.search(line, end)):
        return True  # "I want to die", "I wanted to die today"
    if _DEATH_WORD.search(act):
        return False
    between = line[subject_end:start]
    return _PRESENT.search(between) is not None or (
        act.split(" ", 1)[0].endswith("ing") and _AM.search(line, subject_start, start)
        is not None) or (_RECENT.search(line) is not None and len(between.split()) <= 2)


# Crashing a car is a way to die only when chosen, not feared.
_DELIBERATE = _word(r"want|wanting|wanna|thinking|think|considering|planning|plan|going to|gonna"
                    r"|about to|tempted|urge|urges|ready|decided|wish|wishing|intend")
_ALL_I_THINK = re.compile(r" (?:is|'s) (?:all|the only thing|what) i (?:can |ever |keep )?"
                          r"(?:think|thinking|dream|want)")
_PAST_INTENT = _word(r"wanted|wished|planned|tried|meant|decided|almost|nearly")
_THOUGHT_OF = re.compile(r"(?:thinking|think|considering|contemplating|planning) ")
_NOUN_BEFORE = re.compile(r"(?:a|an|the|my|his|her|their|our|your|this|that) $")


def _intends(line: str, start: int) -> bool:
    """A word of intent before ``start`` that is a verb ("I want to"), not a noun ("a wish")."""
    return any(not _NOUN_BEFORE.search(line, max(0, found.start() - 7), found.start())
               for found in _INTENT.finditer(line, 0, start))
