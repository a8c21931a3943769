"""STAR structure for behavioural answers: Situation, Task, Action, Result.

Each part is a list of plain phrases (found with ``in``, which is fast C code) and a few
patterns, each run only when one of its trigger words is present. Regexes that begin with
a word boundary or a common letter make the engine try every position of a 300-word
answer; this layout keeps the whole analysis to a few dozen microseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


@dataclass(frozen=True, slots=True)
class _Part:
    phrases: tuple[str, ...]
    patterns: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = ()

    def found(self, text: str) -> bool:
        if any(p in text for p in self.phrases):
            return True
        return any(
            any(t in text for t in triggers) and pattern.search(text) is not None
            for triggers, pattern in self.patterns
        )


def _p(triggers: tuple[str, ...], pattern: str) -> tuple[tuple[str, ...], re.Pattern[str]]:
    return triggers, re.compile(pattern)


_ROLES = "job|role|placement|agency|internship|position|program|programme|practicum|shelter|clinic"
_PEOPLE = ("client|person|participant|man|woman|member|resident|guest|peer|veteran|mother|"
           "father|young|teenager|student|gentleman|lady")

SITUATION = _Part(
    phrases=("the situation", "there was a time", "one time", "a few months ago",
             "a few years ago", "last year", "last month", "this past", "when i was",
             "when i started", "when i first", "i was working", "i was volunteering",
             "i was supporting", "i was employed", "i was placed", "i was interning",
             "i worked with", "i worked at", "i worked in", "i worked on", "i worked as",
             "i volunteered", "i supported a", "i supported an"),
    patterns=(
        _p(tuple(_ROLES.split("|")), rf"(?:at|in|during|on) my (?:\w+ )?(?:{_ROLES})"),
        _p(("ago",), r"(?:months?|years?|weeks?|days?) ago"),
        _p(tuple(_PEOPLE.split("|")),
           rf"(?:i had|i met|we had|i was matched with|i was working with|there was) "
           rf"(?:a|an) (?:\w+ )?(?:{_PEOPLE})"),
        _p(tuple(_PEOPLE.split("|")), rf"(?:a|one) (?:{_PEOPLE}) (?:i|who|that|named|on)\b"),
        _p(("specialist", "mentor", "volunteer", "coach", "worker", "facilitator", "navigator",
            "advocate", "intern"),
           r"i was (?:a|an|the) (?:[a-z]+ ){0,3}(?:specialist|mentor|volunteer|coach|worker|"
           r"facilitator|navigator|advocate|intern)"),
    ),
)
TASK = _Part(
    phrases=("my role was", "my job was", "my task was", "my goal was", "my aim was",
             "my responsibility was", "my part was", "my challenge was", "my focus was",
             "my priority was", "my role there", "my role here", "i needed to", "i had to",
             "i wanted to", "i was asked to", "i was tasked", "i was responsible",
             "i set out to", "i hoped to", "i aimed to", "the goal was", "our goal was",
             "the task was", "the aim was", "the challenge was", "the plan was",
             "our plan was", "it was my", "it was up to me", "the goal became"),
)
_ACTION = re.compile(
    r"(?:i|we|i'd) (?:asked|listened|suggested|called|met|offered|shared|explained|helped|made|"
    r"talked|reached|connected|set|checked|sat|walked|went|drove|brought|started|invited|"
    r"worked|practiced|practised|introduced|spoke|contacted|wrote|found|arranged|encouraged|"
    r"validated|reflected|stayed|kept|gave|showed|told|let|took|followed|scheduled|role|"
    r"acknowledged|agreed|focused|used|tried|noticed|named|slowed|paused|respected|advocated|"
    r"researched|looked|linked|joined|modeled|modelled|waited|changed|adjusted|planned|"
    r"proposed|accompanied|debriefed|documented|consulted|reminded|celebrated|decided|broke|"
    r"mapped|visited|texted|emailed|printed|lowered|moved|created|came|built|reviewed|ask|"
    r"listen|suggest|offer)\b"
)
RESULT = _Part(
    phrases=("as a result", "in the end", "by the end", "eventually", "ended up",
             "the result was", "the outcome was", "i learned", "i learnt", "i realized",
             "i realised", "i took away", "today", "since then", "afterward",
             "over the next", "by the time", "was able to", "were able to", "succeeded",
             "success", "it worked", "that worked", "a week later", "a month later",
             "weeks later", "months later", "years later", "days later"),
    patterns=(
        _p((" led", " meant", " helped", " allowed", " gave"),
           r"(?:which|that|this) (?:led|meant|helped|allowed|gave)"),
        _p(("he ", "she ", "they "),
           r"(?:he|she|they) (?:got|found|moved|started|now|completed|finished|reached|"
           r"achieved|told me|said|came back|kept|returned|signed|made it|called)"),
    ),
)


@dataclass(frozen=True, slots=True)
class Star:
    situation: bool
    task: bool
    action: bool
    result: bool
    action_share: float  # share of sentences that tell what the speaker did

    def as_dict(self) -> dict[str, bool]:
        return {"situation": self.situation, "task": self.task,
                "action": self.action, "result": self.result}

    @property
    def parts(self) -> int:
        return sum(self.as_dict().values())

    def missing(self) -> list[str]:
        return [name for name, present in self.as_dict().items() if not present]


def full_sentences(lowered: str, enough: int) -> int:
    """How many sentences of four words or more ``lowered`` has, counting up to ``enough``."""
    found = 0
    for sentence in _SENTENCE.finditer(lowered):
        if len(sentence.group().split(None, 4)) >= 4:
            found += 1
            if found == enough:
                break
    return found


def _is_action(sentence: str) -> bool:
    for found in _ACTION.finditer(sentence):
        start = found.start()
        if start == 0 or not sentence[start - 1].isalnum():
            return True
    return False


def analyse(lowered: str) -> Star:
    sentences = [s for s in _SENTENCE.findall(lowered) if s.strip()]
    actions = sum(1 for s in sentences if _is_action(s))
    return Star(
        situation=SITUATION.found(lowered),
        task=TASK.found(lowered),
        action=actions > 0,
        result=RESULT.found(lowered),
        action_share=round(actions / len(sentences), 3) if sentences else 0.0,
    )
