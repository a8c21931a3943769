"""The safety net: notice when the writer speaks of their *own* present crisis.

Most answers in this product talk about supporting other people in crisis, and many tell a
recovery story in the past tense; neither must trigger. What triggers is the writer, in the
first person and the present, saying they want to die, to end their life or to hurt
themselves. Not counted: words inside quotation marks; words reported after "says",
"tells me", "was like", "I thought" and the like, or before "she told me"; and what follows
"if I..." / "when I..." (the writer's own plan for a hard day). A missed crisis is worse
than a false alarm, so informal spellings ("im", "dont", "kms") count, and idioms ("die on
this hill", "cut myself some slack") and professional nouns ("suicide prevention",
"overdose kits") are excluded narrowly.

Speed: each pattern starts with a plain letter and only then checks, with a look-behind, that
the letter begins a word. A leading \\b or look-behind would make every search try every
position of the text, several times slower.
"""

from __future__ import annotations

import re

from bot.text import normalize

# Where a short phrase ("end it", "be here") ends a thought rather than starts another.
_END = (r"(?= *(?:$|[.!?,;:)\n]|any ?more\b|any longer\b|tonight\b|today\b|now\b|right now\b"
        r"|for good\b|forever\b|soon\b|once and for all\b|this week|lol\b|tbh\b))")
# "suicide" used professionally: prevention, risk, screening...
_NOT_PROFESSIONAL = (
    r"(?![- ](?:prevention|risk|screening|assessment|safety|hotline|lifeline|and crisis"
    r"|awareness|training|protocol|polic|rate|statistic|loss|survivor|postvention|care|line"
    r"|response|first aid|intervention|as\b|in terms|from\b|differently|attempt))"
)
# Nouns after "overdose"/"self-harm" that make them professional: "I keep overdose kits".
_NOT_A_NOUN = (
    r"(?![- ](?:prevention|reversal|response|kits?|training|risk|deaths?|education|awareness"
    r"|crisis|rates?|data|free|resources?|groups?|support|recovery|history|behaviou?rs?|scars?"
    r"|injur|urges?|thoughts?|on (?:coffee|caffeine|sugar|chocolate|information)"
    r"|(?:them|him|her|you|people)\b))"
)
_SELF_HARM = (
    r"(?:kill myself|killing myself(?! (?:to|at|with|trying|laughing|over)\b)|hang(?:ing)? myself"
    r"|shoot(?:ing)? myself(?! in the foot)"
    r"|cut(?:ting)? myself(?! (?:some|a little|a bit of|more) slack| off| short)"
    r"|hurt(?:ing)? myself|harm(?:ing)? myself|starv(?:e|ing) myself"
    rf"|self[- ]?harm(?:ing)?{_NOT_A_NOUN}|kms|unalive (?:myself|me)|commit(?:ting)? suicide"
    rf"|end(?:ing)? (?:my (?:own )?life|it all|everything|it{_END})"
    r"|tak(?:e|ing) my (?:own )?life"
    r"|tak(?:e|ing) (?:all (?:of )?my (?:pills|meds|medications?|tablets) (?:at once|tonight"
    r"|together|right now|and (?:die|end it|never wake up))|a (?:whole )?bottle of (?:pills"
    r"|tablets|sleeping pills)|the whole bottle)"
    r"|die(?! (?:on (?:this|that|the) hill|of (?:embarrassment|laughter|boredom|shame)"
    r"|laughing|trying|a little|inside))"
    rf"|be dead|not (?:be )?(?:alive|here{_END}|exist)|(?:not|never) wake up"
    rf"|stop (?:existing|being alive|living{_END})|cease to exist"
    r"|(?:go to sleep|fall asleep|sleep) and (?:not|never) wake up|(?:go to )?sleep forever"
    rf"|overdos(?:e|ing){_NOT_A_NOUN}|od{_NOT_A_NOUN}"
    r"|disappear forever|jump (?:off|from) (?:a|the) (?:bridge|building|roof|cliff)"
    r"|jump in front of (?:a|the) (?:train|bus|car|truck))"
)
_ADV = (r"(?: really| just| still| honestly| kind of| sort of| seriously| actually| literally"
        r"| definitely| probably| finally| already| sometimes| often| always| constantly)")
_STATE_ADV = (r"(?: really| so| still| kind of| feeling| getting| actually| honestly| very"
              r"| seriously| pretty| quite| always| actively| passively| constantly)")
_TO_LIVE = (r"(?: for me)? (?:to|in|of) (?:live(?! (?:in|with)\b)|living|going on|being alive"
            r"|staying alive|carrying on)")
_DYING = (r"dying\b(?! (?:peers?|people|patients?|clients?|persons?|family|relatives?|loved"
          r" ones?|parents?|process|with dignity)\b)")
# Contractions, with or without the apostrophe ("im", "ive", "dont").
_AM, _HAVE, _WOULD = r"(?:'?m| am)", r"(?:'?ve| have)", r"(?:'?d| would)"
_WILL = (r"(?:'ll| will|ll(?= (?:just |probably )?(?:kill|kms|end it|end my|hurt|cut|hang"
         r"|take my|jump)))")
_DONT, _CANT = r"(?:don'?t|do not)", r"(?:can'?t|cannot|can not)"

# After the word "i" (each pattern below starts right after it).
_AFTER_I = (
    # I want to die / I'm going to kill myself / I've been cutting myself / I feel like ending it
    rf"{_AM}?{_ADV}? ?(?:want|wanna|need|plan|intend|going|gonna|planning|{_HAVE} decided"
    rf"|decided|ready|about|wish i could|think i will|think i'll|{_WILL}"
    r"|thinking about|thinking of|keep thinking about|keep thinking of|think about|think of"
    rf"|{_CANT} stop thinking about|feel like|feeling like|keep|keep wanting|{_HAVE} been"
    rf"|{_HAVE} started|started|{_HAVE} been thinking about"
    rf"|{_HAVE} been planning(?: to| on)?"
    rf") (?:to )?{_SELF_HARM}\b",
    # I'm suicidal / I've been having suicidal thoughts / I'm thinking about suicide
    rf"(?:{_AM}|{_HAVE} been){_STATE_ADV}? (?:suicidal|feeling suicidal"
    rf"|(?:thinking (?:about|of)|considering|contemplating) suicide{_NOT_PROFESSIONAL}"
    r"|having (?:suicidal (?:thoughts|urges|feelings)|thoughts of (?:suicide|killing myself"
    r"|ending my life|dying)))",
    r"(?: really| still| honestly)? feel(?:ing)? (?:really |very |so |quite |pretty )?suicidal",
    rf" (?:keep |{_CANT} stop |still |often |sometimes |always |constantly )?(?:think|thinking)"
    rf" (?:about|of) (?:suicide{_NOT_PROFESSIONAL}|{_DYING})",
    rf" (?:really |just |honestly |even |truly )?(?:feel like|keep thinking about) {_DYING}",
    # I don't want to be alive anymore
    rf" (?:really |just |honestly |truly )?(?:{_DONT}|no longer) (?:really |even |honestly"
    r" )?(?:want|wanna) to (?:live(?! (?:in|with|on|near|by|off|up|out|there|alone|through|a"
    rf"|my|our|their|like that|and)\b)|be alive|be here{_END}|exist|be in this world|be on this"
    r" earth|wake up(?! (?:a|an|the|my|his|her|their|them|him|anyone|someone|people|everyone"
    rf"|early|late)\b)|go on{_END}|go on living|keep (?:going|living){_END})",
    # I can't go on anymore
    rf" {_CANT} (?:go on|keep going|do this|go on living|keep living"
    r"|live like this)(?= *(?:right now|tonight|today|again|any ?more|any longer|lately"
    r"|these days|like this|$|[.!,\n]))",
    # I see no reason to live
    rf"(?:(?: have|'?ve got| see) no|(?: {_CANT}| {_DONT}) see (?:the|any)) (?:reason|point)"
    rf"{_TO_LIVE}",
    rf"{_WOULD} (?:be better off dead|rather (?:be dead|die\b(?! than)|not (?:be alive"
    r"|exist|wake up)))",
    rf" wish i (?:was|were|'d been) (?:dead|never born|gone{_END})"
    rf"| wish i (?:wasn't|weren't|was not|were not) (?:alive|here{_END}|born)",
    # I hate my life and want to die / I just want it all to end
    rf" (?:hate|{_CANT} stand) (?:my life|being alive|living)(?:,| and| so)? (?:i )?"
    rf"(?:just |really )?(?:want|wanna|need) to {_SELF_HARM}\b",
    rf" (?:just |really |honestly )?(?:want|wanna|need) (?:(?:it all|everything|my life) to"
    rf" (?:end|stop)|the pain to end){_END}",
    # I'm tired of living / I'm done with life
    rf"{_AM}{_STATE_ADV}? (?:tired of|done with|sick of|done) (?:living|life|being alive"
    rf"|existing){_END}",
    rf"{_AM}(?: still| really| just)? (?:cutting|hurting|harming|starving) myself"
    r"(?! (?:some|a little|a bit of|more) slack| off| short)",
    # The means, and the plan.
    rf"(?:{_HAVE}|'?ve got| have got|'?ve already|'?ve just| just| got) (?:a|the|my) (?:plan"
    r"|means|pills|gun|rope)(?: ready)? (?:to|and|for) (?:kill myself|end it|end my life|die"
    r"|do it)",
    rf"(?:'?ve got| have got|{_HAVE}|'?ve bought| bought| got) (?:(?:a|the|my|some) )?(?:gun"
    rf"|rope|pills|knife|razor)(?: ready| here| with me| saved| saved up)? and i{_AM}?"
    r" (?:going to|gonna|will|'ll|want to|plan to) (?:use|take) (?:it|them)\b"
    r"(?! as prescribed| every| daily| each| in the morning| at night| with food)",
    rf"{_HAVE}(?: been)? (?:saving|stockpiling|hoarding|collecting) (?:up )?(?:my |some "
    r"|all my |all of my )?(?:pills|meds|medications?|tablets|sleeping pills)",
    rf"(?: just|'?ve just| have just|{_HAVE}) (?:took|taken|swallowed) (?:all (?:of )?my|a "
    r"(?:whole )?bottle of|the whole bottle of|too many|a bunch of|a handful of|all the) (?:pills"
    r"|meds|medications?|tablets|sleeping pills|painkillers)",
    rf"{_HAVE} (?:written|wrote) (?:a|my) (?:suicide note|goodbye (?:letter|note))",
    # "...easier if I was dead": counts only after "better off", "easier"... (see _BETTER_IF).
    rf"(?P<if>f i (?:(?:was|were|{_AM}) (?:dead|gone)|died|killed myself))",
)
# A quick look at the word after "i" before trying every pattern: it must be one that can
# follow "i" in _AFTER_I (keep the two in step).
_I_GATE = (
    r"i(?=[ 'mvdlf])(?<![\w']i)(?=(?:'|m\b|ve\b|d\b|ll\b|f i | (?:am|have|would|will|want|wanna"
    r"|need|plan|intend|going|gonna|planning|decided|ready|about|wish|think|thinking|keep|can"
    r"|cant|cannot|feel|feeling|started|really|just|still|honestly|kind|sort|seriously|actually"
    r"|literally|definitely|probably|finally|already|sometimes|often|always|constantly|don|dont"
    r"|do|no|truly|even|see|hate|got|bought)\b))"
)
_CRISIS = (
    re.compile(_I_GATE + "(?:" + "|".join(f"(?:{p})" for p in _AFTER_I) + ")"),
    # There's no reason to live
    re.compile(rf"t(?<![\w']t)here(?:'?s| is)(?: just)? no (?:reason|point){_TO_LIVE}"),
    # Everyone would be better off without me
    re.compile(r"(?P<off>b(?<![\w']b)etter off without me)"),
    # Nobody would miss me if I died
    re.compile(
        r"n(?<![\w']n)o(?: ?one|-one|body)(?: would| will|'d)?(?: even| really| ever)? (?:miss"
        r"(?:es)? me|notices?|cares?|be sad) (?:if|whether) i (?:died|die|live or die|was gone"
        r"|were gone|killed myself|disappeared|wasn't here|weren't here|was dead)"
    ),
    # Part of me wants to die
    re.compile(rf"p(?<![\w']p)art of me (?:still |just |really |sometimes )?wants to"
               rf" {_SELF_HARM}\b"),
    re.compile(r"t(?<![\w']t)his is my (?:goodbye|last message|final message)(?= *(?:$|[.!,\n]"
               r"| to (?:everyone|you all|the world)| everyone| forever))"),
    # No subject, chat style, at the start of a sentence: "Thinking about ending my life again."
    re.compile(
        r"[.!?\n] ?(?=honestly|tbh|been|just|still|keep|thinking|wan|going|gonna|planning|feel)"
        r"(?P<bare>(?:honestly,? |tbh,? )?(?:been |just |still |keep )?(?:thinking"
        r" (?:about|of)|want to|wanna|going to|gonna|planning to|planning on|feel like)"
        rf" (?:{_SELF_HARM}\b|suicide{_NOT_PROFESSIONAL}))"
    ),
)
# Who would be better off: the start of the statement, for the checks on what comes before.
_SUBJECT = re.compile(r"(?:my |the |you )?[\w']+(?: all)?(?: would| will| is| are| were| was)?"
                      r"(?: all)?(?: be)? $")
_BETTER_IF = re.compile(r"(?:better off|easier|better|fine)(?: for (?:everyone|everybody|them))?"
                        r" $")

_QUOTED = re.compile(
    r'"[^"\n]*"'
    # Single quotes; an apostrophe between letters ("don't") does not close them.
    r"|'(?<!\w')(?=\S)(?:[^'\n]|(?<=\w)'(?=\w)){2,200}(?<=\S)'(?!\w)"
)
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
_REPORTED = re.compile(
    # Right before: "she told me", "a peer says to me that", "was like,".
    rf"\b{_REPORT}(?: (?:to )?(?:me|us|him|her|them|you))?(?: (?:out loud|once|again|quietly"
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


def in_crisis(text: str) -> bool:
    """True when the writer speaks of their own present wish to die or to harm themselves."""
    # A leading newline lets the sentence-start pattern match at the very start.
    lowered = "\n" + normalize(text)
    if "  " in lowered or "\t" in lowered or "\r" in lowered:
        lowered = _SPACES.sub(" ", lowered)
    lowered = _QUOTED.sub(" ", lowered)
    matches = [found for regex in _CRISIS for found in regex.finditer(lowered)]
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
