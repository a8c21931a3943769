"""STAR structure for behavioural answers: Situation, Task, Action, Result.

How a story is read, as an interviewer hears it:
- **Situation**: the scene is set, by a phrase that opens a story ("a few months ago", "at my
  placement", "I was working at"), by a time anchor ("back in 2022", "in March", "two
  winters ago", "during my first year"), or by an opening sentence that tells what was going
  on, in the past, about someone other than the speaker ("At the recovery café, the evening
  group had dwindled to two people").
- **Task**: what the speaker set out to do ("my goal was", "I needed to", "I wanted him to").
- **Action**: what the speaker did, said as "I ..." or "we ..." with a verb in the past
  ("I asked", "we called"), or "I'd ..." with any verb.
- **Result**: how it turned out: an outcome phrase ("as a result", "I learned"), an outcome
  state reached by a time ("by spring we had fourteen regulars", "within a month", "after
  that"), or a closing sentence that tells what someone other than the speaker did or has
  now ("She's been housed for a year now").

Speed notes for these patterns are in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from bot.coaching.answer import Answer

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


@dataclass(frozen=True, slots=True)
class _Part:
    phrases: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...] = ()
    # Each phrase with the starts of the words after its first (docs/PERFORMANCE.md).
    _starts: tuple[tuple[frozenset[str], str], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", tuple(
            (frozenset(w[:3] for w in p.split()[1:] if len(w) >= 3), p) for p in self.phrases))

    def found(self, text: str, starts: set[str]) -> bool:
        """Whether ``text`` says this part; ``starts``: the ``text.word_starts`` of ``text``
        or of an answer that holds it."""
        if any(needed <= starts and p in text for needed, p in self._starts):
            return True
        return any(pattern.search(text) is not None for pattern in self.patterns)


def _after(words: str, anchor: str, rest: str = "") -> re.Pattern[str]:
    """One of ``words`` ("a|b"), then ``anchor``, then ``rest`` (docs/PERFORMANCE.md says
    why it is written this way)."""
    behind = "|".join(f"(?<={word}{anchor})" for word in words.split("|"))
    return re.compile(f"{anchor}(?:{behind}){rest}")


def _each(starts: tuple[str, ...], rest: str) -> tuple[re.Pattern[str], ...]:
    """One of ``starts``, then ``rest``."""
    return tuple(re.compile(start + rest) for start in starts)


_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november"
           "|december")
_SEASONS = "spring|summer|autumn|fall|winter"
_SEASONS_PLURAL = "springs|summers|autumns|falls|winters|nights|weekends"
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
        _after("at|in|during|on", " my ", rf"(?:\w+ )?(?:{_ROLES})"),
        _after("months|month|years|year|weeks|week|days|day", " ago"),
        *_each(("i (?:had|met|was matched with|was working with)", "we had", "there was"),
               rf" (?:a|an) (?:\w+ )?(?:{_PEOPLE})"),
        *_each(("a", "one"), rf" (?:{_PEOPLE}) (?:i|who|that|named|on)\b"),
        re.compile(r"i was (?:a|an|the) (?:[a-z]+ ){0,3}(?:specialist|mentor|volunteer|coach"
                   r"|worker|facilitator|navigator|advocate|intern)"),
        # Time anchors: "back in 2022", "in 2019", "in march", "two winters ago".
        re.compile(r"back in (?:(?:19|20)\d\d|the day|\w+)"),
        _after("in|during|since", " ", r"(?:19|20)\d\d\b"),
        _after("in|during|early in|late in|last", " ", rf"(?:{_MONTHS}|{_SEASONS})\b"),
        _after(_SEASONS_PLURAL, " ago"),
        _after("during|early in|in", " my ",
               r"(?:first|second|third|last|early|\w+ (?:year|month|week))"),
    ),
)
TASK = _Part(
    phrases=("my role was", "my job was", "my task was", "my goal was", "my aim was",
             "my responsibility was", "my part was", "my challenge was", "my focus was",
             "my priority was", "my role there", "my role here", "i needed to", "i had to",
             "i wanted to", "i was asked to", "i was tasked", "i was responsible",
             "i set out to", "i hoped to", "i aimed to", "the goal was", "our goal was",
             "the task was", "the aim was", "the challenge was", "the plan was",
             "our plan was", "it was my", "it was up to me", "the goal became",
             "i tried to", "i was determined to", "i wanted to"),
    patterns=(re.compile(r"i wanted (?:it|them|him|her|everyone|people|the \w+) (?:\w+ )?to\b"),),
)
# What the speaker did: "I asked", "we called"; "I'd ask" (not "I ask": a habit, not a story).
# One pattern per subject (see ``_each``).
_ACTIONS = _each(("i", "we", "i'd"), (
    r" (?:asked|listened|suggested|called|met|offered|shared|explained|helped|made|"
    r"talked|reached|connected|set|checked|sat|walked|went|drove|brought|started|invited|"
    r"worked|practiced|practised|introduced|spoke|contacted|wrote|found|arranged|encouraged|"
    r"validated|reflected|stayed|kept|gave|showed|told|let|took|followed|scheduled|role|"
    r"acknowledged|agreed|focused|used|tried|noticed|named|slowed|paused|respected|advocated|"
    r"researched|looked|linked|joined|modeled|modelled|waited|changed|adjusted|planned|"
    r"proposed|accompanied|debriefed|documented|consulted|reminded|celebrated|decided|broke|"
    r"mapped|visited|texted|emailed|printed|lowered|moved|created|came|built|reviewed|"
    r"phoned|rang|sorted|pointed|gathered|organised|organized|supported|welcomed|invited)\b"
)) + _each(("i'd", "we'd"), r" (?:ask|listen|suggest|offer)\b")
RESULT = _Part(
    phrases=("as a result", "in the end", "by the end", "eventually", "ended up",
             "the result was", "the outcome was", "i learned", "i learnt", "i realized",
             "i realised", "i took away", "today", "since then", "afterward",
             "over the next", "by the time", "was able to", "were able to", "succeeded",
             "success", "it worked", "that worked", "a week later", "a month later",
             "weeks later", "months later", "years later", "days later"),
    patterns=(
        *_each(("which", "that", "this"), " (?:led|meant|helped|allowed|gave)"),
        # "he" also finds "she".
        *_each(("he", "they"), " (?:got|found|moved|started|now|completed|finished|reached|achieved"
                          "|told me|said|came back|kept|returned|signed|made it|called)"),
        # An outcome state reached by a time: "by spring we had", "within a month".
        re.compile(rf"by (?:the )?(?:{_MONTHS}|{_SEASONS}|end|time|next|following|second|third"
                   r"|fourth|last|then|now|\w+day)\b"),
        re.compile(r"within (?:a|an|one|two|three|four|six|a few|\d+) (?:day|week|month|year)"),
        re.compile(r"(?:after that|from then on|ever since|to this day|these days)"),
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


def _acting(lowered: str, starts: list[int]) -> int:
    """How many of the sentences starting at ``starts`` tell an action of the speaker's
    (an action never crosses a sentence's end)."""
    sentences = set()
    for pattern in _ACTIONS:
        for found in pattern.finditer(lowered):
            start = found.start()
            if start == 0 or not lowered[start - 1].isalnum():  # "I asked", not "hi asked"
                sentences.add(bisect_right(starts, start))
    return len(sentences)


def analyse(answer: Answer) -> Star:
    """The STAR parts of ``answer``."""
    lowered, word_starts = answer.lowered, answer.starts
    sentences = [s for s in _SENTENCE.finditer(lowered) if s.group().strip()]
    starts = [s.start() for s in sentences]
    actions = _acting(lowered, starts)
    task = TASK.found(lowered, word_starts)
    situation = SITUATION.found(lowered, word_starts)
    if not situation and sentences:
        situation = _sets_the_scene(sentences[0].group().strip(), word_starts)
    result = RESULT.found(lowered, word_starts)
    if not result and len(sentences) >= 2:
        result = _tells_the_outcome(sentences[-1].group().strip())
    return Star(
        situation=situation,
        task=task,
        action=actions > 0,
        result=result,
        action_share=round(actions / len(starts), 3) if starts else 0.0,
    )


_SPEAKER = ("i ", "i'd ", "i'm ", "i'll ", "i've ", "we ", "we'd ", "we're ", "my ", "our ")
_PAST_WORDS = """
was were had kept felt came went got took gave left lost made met ran sat saw
told thought knew found began became seemed wanted refused paid said held
brought bought won grew built spent sent wrote drove rode stood chose
"""
_PAST = frozenset(_PAST_WORDS.split())


def _past(words: list[str]) -> bool:
    return any(w in _PAST or (len(w) > 4 and w.endswith("ed")) for w in words)


def _sets_the_scene(first: str, starts: set[str]) -> bool:
    """Whether the story's opening sentence tells, in the past, what was going on with
    someone other than the speaker ("A client I supported wanted to go back to college").
    ``starts``: the word starts of the answer."""
    words = first.replace(",", " ").split()
    return (len(words) >= 5 and not first.startswith(_SPEAKER)
            and not TASK.found(first, starts) and _past(words))


def _tells_the_outcome(last: str) -> bool:
    """Whether the story's closing sentence tells what someone other than the speaker did, or
    how things stand now ("The team changed the date, and he thanked us")."""
    words = last.replace(",", " ").split()
    if len(words) < 4 or last.startswith(_SPEAKER):
        return False
    return _past(words) or "now" in words or "still" in words
