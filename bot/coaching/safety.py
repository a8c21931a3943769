"""The safety net: notice when the writer speaks of their *own* present crisis.

Most answers in this product talk about supporting other people in crisis, and many tell a
recovery story in the past tense; neither must trigger. What triggers is the writer, in the
first person and the present, saying they want to die, to end their life or to hurt
themselves, or that they just tried (the statements are in bot/coaching/crisis_phrases.py).

Ruled out here, by the words around a statement:
- words inside quotation marks; words reported after "says", "tells me", "was like",
  "I thought" and the like, or before "she told me";
- what follows "if I..." / "when I..." (the writer's own plan for a hard day);
- a statement that can be a story, "I have been suicidal" or "I tried to kill myself", when
  its sentence dates it to the past ("before", "in 2015", "years ago", "when I was 19", "so
  I know how it feels") and nothing in the sentence says "recently" ("last night", "this
  week", "again", "lately"). With no time at all it counts: a missed crisis is worse than a
  false alarm, and the crisis message itself says "if you were describing someone else,
  carry on".
"""

from __future__ import annotations

import re

from bot.coaching.crisis_phrases import CRISIS
from bot.text import normalize

# Who would be better off: the start of the statement, for the checks on what comes before.
_SUBJECT = re.compile(r"(?:my |the |you )?[\w']+(?: all)?(?: would| will| is| are| were| was)?"
                      r"(?: all)?(?: be)? $")
_BETTER_IF = re.compile(r"(?:better off|easier|better|fine)(?: for (?:everyone|everybody|them))?"
                        r" $")

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
    r"|would (?:think|say|tell myself)|told myself|convinced myself|was convinced|was sure)"
)
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
)
# Reported after the words: "I want to die, she told me".
_REPORTED_AFTER = re.compile(
    r"[\s\"']*[,:\-–—] *(?!i\b)(?:[\w']+ ){0,4}?(?:said|says|told|tells|wrote|writes|texted"
    r"|texts|whispered|screamed|shouted|cried|admitted|messaged|posted)\b"
)
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
    r"(?: of)?|several|\d+) (?:minutes?|hours?|days?|weeks?) ago|just now|right now"
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


def _without_quotes(lowered: str) -> str:
    """``lowered`` with every quotation replaced by a space."""
    double = '"' in lowered
    single = _OPENING_QUOTE.search(lowered) is not None
    if double and single:
        return _QUOTED.sub(" ", lowered)
    if double:
        return _DOUBLE_QUOTED_RE.sub(" ", lowered)
    return _SINGLE_QUOTED_RE.sub(" ", lowered) if single else lowered


def in_crisis(text: str, *, normalized: bool = False) -> bool:
    """True when the writer speaks of their own present wish to die or to harm themselves.

    ``normalized``: ``text`` is already ``normalize``d (the coaching has done it once).
    """
    # A leading newline lets the sentence-start pattern match at the very start.
    lowered = "\n" + (text if normalized else normalize(text))
    if "  " in lowered or "\t" in lowered or "\r" in lowered:
        lowered = _SPACES.sub(" ", lowered)
    lowered = _without_quotes(lowered)
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
            or _CONDITIONAL.search(before)
            or (found.group(0).endswith(" it") and _ENDS_ANSWER.search(before))
        ):
            last_skipped = end
            continue
        return True
    return False
