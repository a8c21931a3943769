"""STAR structure for behavioural answers: Situation, Task, Action, Result."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")


def _any(*patterns: str) -> re.Pattern[str]:
    # No leading \\b: a pattern that starts with letters lets the regex engine skip ahead
    # to candidate positions, which is many times faster on a 300-word answer.
    return re.compile("|".join(f"(?:{p.removeprefix(chr(92) + 'b')})" for p in patterns))


SITUATION = _any(
    r"\b(?:at|in|during) my (?:last|previous|first|current|old)? ?(?:job|role|placement|agency|"
    r"internship|position|program|practicum|program)\b",
    r"\bi (?:was|am) (?:working|volunteering|supporting|employed|placed|interning)\b",
    r"\bi (?:worked|volunteered|supported) (?:with|at|in|on|for|as)\b",
    r"\bi was (?:a|an|the) [a-z ]{0,30}(?:specialist|mentor|volunteer|coach|worker|facilitator|"
    r"navigator|advocate|intern|member)\b",
    r"\b(?:there was|one time|once|a few|several|some) (?:a |an )?(?:time|months?|years?|weeks?) "
    r"(?:ago|when|back)\b",
    r"\b(?:last|this past) (?:year|spring|summer|fall|autumn|winter|month)\b",
    r"\bwhen i (?:was|started|first)\b",
    r"\b(?:i had|i met|we had) (?:a|an) (?:client|person|participant|member|peer|man|woman|"
    r"young|older|guest|resident)\b",
    r"\b(?:a|one) (?:client|person|participant|man|woman|member|resident|guest|peer) "
    r"(?:i|who|that|named|on my)\b",
    r"\bthe situation\b",
)
TASK = _any(
    r"\bmy (?:role|job|task|goal|aim|responsibility|part|challenge|focus|priority) (?:was|there|"
    r"here|became)\b",
    r"\bi (?:needed|had|wanted|was asked|was tasked|was responsible|set out|hoped|aimed) to\b",
    r"\b(?:the|our) (?:goal|task|aim|challenge|plan) was\b",
    r"\bit was (?:my|up to me)\b",
    r"\bthe (?:goal|task|aim|challenge) (?:for me )?(?:was|became)\b",
)
ACTION = _any(
    r"\bi (?:asked|listened|suggested|called|met|offered|shared|explained|helped|made|talked|"
    r"reached|connected|set|checked|sat|walked|went|drove|brought|started|invited|worked|"
    r"practiced|practised|introduced|spoke|contacted|wrote|found|arranged|encouraged|validated|"
    r"reflected|stayed|kept|gave|showed|told|let|took|followed|scheduled|role-played|"
    r"role played|acknowledged|agreed|focused|used|tried|noticed|named|slowed|paused|"
    r"respected|advocated|researched|looked|linked|joined|modeled|modelled|waited|changed|"
    r"adjusted|planned|proposed|accompanied|debriefed|documented|consulted|reminded|"
    r"celebrated|decided|broke|mapped|visited|texted|emailed|printed|lowered|moved)\b",
    r"\bwe (?:agreed|made|created|worked|practiced|practised|met|decided|talked|broke|"
    r"wrote|mapped|went|set|planned|looked|role-played|role played|found|called|started|"
    r"came up|tried|used|built|reviewed|walked|visited)\b",
    r"\bi'd (?:ask|listen|suggest|offer)\b",
)
RESULT = _any(
    r"\bas a result\b",
    r"\bin the end\b",
    r"\bby the end\b",
    r"\beventually\b",
    r"\bended up\b",
    r"\bthe (?:result|outcome) was\b",
    r"\b(?:which|that|this) (?:led|meant|helped|allowed|gave)\b",
    r"\bi (?:learned|learnt|realized|realised|took away)\b",
    r"\bwhat i learned\b",
    r"\b(?:today|since then|afterwards?|over the next|by the time)\b",
    r"\b(?:a|one|two|three|a few|several) (?:days?|weeks?|months?|years?) later\b",
    r"\b(?:he|she|they) (?:got|found|moved|started|was able|were able|now|completed|"
    r"finished|reached|achieved|told me|said|came back|kept|returned|signed|made it)\b",
    r"\b(?:was|were) able to\b",
    r"\bsucceeded\b|\bsuccess\b",
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


def analyse(lowered: str) -> Star:
    sentences = [s for s in _SENTENCE.findall(lowered) if s.strip()]
    actions = sum(1 for s in sentences if ACTION.search(s))
    return Star(
        situation=bool(SITUATION.search(lowered)),
        task=bool(TASK.search(lowered)),
        action=actions > 0,
        result=bool(RESULT.search(lowered)),
        action_share=actions / len(sentences) if sentences else 0.0,
    )
