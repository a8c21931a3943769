"""The safety net: notice when the writer speaks of their *own* present crisis.

Most answers in this product talk about supporting other people in crisis, and many tell a
recovery story in the past tense; neither must trigger. What triggers is the writer, in the
first person and the present, saying they want to die, to end their life or to hurt
themselves. Words inside quotation marks, and words reported after "says", "tells me" and
the like, are someone else's and do not count.
"""

from __future__ import annotations

import re

from bot.text import normalize

_SELF_HARM = (
    r"(?:kill(?:ing)? myself|end(?:ing)? (?:my (?:own )?life|it all|everything|it)"
    r"|tak(?:e|ing) my (?:own )?life|hurt(?:ing)? myself|harm(?:ing)? myself|cut(?:ting)? myself"
    r"|die|be dead|not (?:be )?(?:here|alive|wake up)|overdose|od|disappear forever|suicide)"
)
_NOW = r"(?:right now|tonight|today|again|anymore|any more|lately|these days)"

_FIRST_PERSON_CRISIS = re.compile("|".join(f"(?:{p})" for p in (
    rf"\bi(?:'m| am)?(?: really| just| still| honestly| kind of| sort of)? ?(?:want|wanna|need"
    rf"|plan|intend|going|planning|have decided|'ve decided|decided|ready|about|wish i could"
    rf"|think i will|think i'll|will|'ll|thinking about|thinking of|keep thinking about) "
    rf"(?:to )?{_SELF_HARM}\b",
    r"\bi(?: am|'m)(?: really| so| still| kind of| feeling| getting)? (?:suicidal|thinking "
    r"about suicide|having (?:suicidal )?thoughts of (?:suicide|killing myself|ending my life))",
    r"\bi(?: really| still)? feel(?:ing)? (?:really |very |so )?suicidal",
    r"\bi(?:'ve| have) been (?:feeling |having )?(?:suicidal|thoughts of (?:suicide|killing myself"
    r"|ending my life))",
    r"\bi (?:don't|do not|no longer) want to (?:live|be alive|be here|exist|wake up|go on)",
    rf"\bi (?:can't|cannot|can not) (?:go on|keep going|do this)(?: {_NOW}| any ?more|$|[.!])",
    r"\b(?:there's|there is|i have|i've got|i see) no (?:reason|point) (?:to|in) "
    r"(?:live|living|going on|being alive)",
    r"\b(?:everyone|everybody|they|my family|people|the world)(?: would| 'd)? (?:be )?better off "
    r"without me",
    r"\bi(?:'d| would) be better off dead",
    r"\bi wish i (?:was|were) dead",
    r"\bi(?: am|'m)(?: going to| gonna) (?:kill myself|end it|end my life|overdose|hurt myself)",
    r"\bi(?: am|'m) (?:cutting|hurting|harming) myself",
    r"\bi(?: have| 've|'ve) (?:a|the) (?:plan|means|pills|gun|rope) (?:to|and) "
    r"(?:kill myself|end it|die|do it)",
    r"\bthis is my (?:goodbye|last message|final message)",
)))

# Words that show the first person that follows is someone else's, reported.
_REPORTED = re.compile(
    r"(?:\b(?:says?|said|saying|tells?|told|telling|states?|stated|writes?|wrote|texts?|"
    r"texted|messages?|messaged|hear|heard|hears|disclos\w*|express\w*|shared|shares|"
    r"admits?|admitted|mentions?|mentioned|posts?|posted|repeats?|screams?|shouts?|"
    r"whispers?|cries|cried|asks?|asked|statements?|thoughts?|words?) (?:me |us |to me |to us |"
    r"out loud |something like |things like |that )?(?:like )?|\b(?:such as|like|e\.g\.|"
    r"for example)|[:])\s*$"
)
_QUOTED = re.compile(r'"[^"\n]*"|(?<![\w])\'[^\'\n]{3,200}\'(?![\w])')


def in_crisis(text: str) -> bool:
    """True when the writer speaks of their own present wish to die or to harm themselves."""
    lowered = _QUOTED.sub(" ", normalize(text))
    for found in _FIRST_PERSON_CRISIS.finditer(lowered):
        clause_start = max(lowered.rfind(ch, 0, found.start()) for ch in ".!?;\n")
        before = lowered[clause_start + 1:found.start()]
        if _REPORTED.search(before[-60:]):
            continue
        return True
    return False
