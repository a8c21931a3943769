"""The whole guidance for a fixed set of answers, as stored: a change to any part shows here.

The coaching's matchers take speed shortcuts (gates, candidate positions, shared passes over
the text); this pins what a user sees for answers that exercise each part and its edge cases
(quotes, negation, self-description, unicode, markdown, 4,000 characters). The questions are
made up here, so editing the bank's cues does not touch this file.

After an intended change to the guidance, rewrite the expected results and read the diff:
    python -m tests.test_feedback_snapshot --write
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.bank import KeyPoint, Kind, Question
from bot.coaching import EmptyAnswer, give_feedback

EXPECTED = Path(__file__).parent / "data" / "feedback_snapshot.json"


def _question(qid: str, kind: Kind) -> Question:
    return Question(
        id=qid, bank="peerprep", prompt="How would you support someone?", topic="crisis-safety",
        kind=kind, looking_for="", pitfalls=(), follow_ups=(), source="test",
        example_answer="I would listen.",
        key_points=(
            KeyPoint("ask", "Asks directly about suicide",
                     ("ask * directly", "asked directly", "thinking about suicide")),
            KeyPoint("listen", "Listens first", ("listen", "reflect back", "open question")),
            KeyPoint("team", "Brings in the team", ("supervisor", "crisis team", "9-1-1", "988")),
            KeyPoint("choice", "Leaves the choices to the person",
                     ("their choice", "self-determin", "what they want")),
            KeyPoint("care", "Looks after their own wellbeing", ("self-care", "debrief")),
        ),
    )


QUESTIONS = (_question("t-story", Kind.BEHAVIORAL), _question("t-plan", Kind.SITUATIONAL),
             _question("t-know", Kind.KNOWLEDGE))
STORY = (
    "A few months ago at my placement I was matched with a young man leaving jail. My goal was "
    "to help him find housing. I listened to what he wanted, asked him directly whether he was "
    "thinking about suicide, and we called 988 together with my supervisor. As a result he "
    "signed a lease, and I learned to let him lead. Afterwards I did some self-care and a "
    "debrief."
)
ANSWERS = (
    STORY,
    STORY.upper(),
    " ".join([STORY] * 8),
    "I would never ask directly. I wouldn't listen. I don't reflect back.",
    "I asked her directly, I asked J. directly, and I asked her very directly.",
    "Um, I would, like, basically listen first, you know, and um ask what kind of help they "
    "want. I mean, we could talk. She was like, oh no. I kind of wait. It's like a compass.",
    "He is an addict and a junkie; I'm a recovering alcoholic myself. I avoid words like crazy. "
    "The client was non-compliant and resistant. Alcoholics Anonymous helped. \"Junkie\" hurts.",
    "I have been clean since 2016. She tested dirty. A dirty UA is information, not a verdict.",
    "I want to end my life.",
    "If someone tells me they want to die, I stay with them and ask directly about suicide.",
    "Years ago I tried to kill myself, and a peer asked me directly. Now I listen.",
    "She said \u201cI want to die\u201d and I listened. Then I called the crisis team.",
    "My plan is to end it with a summary. I'm not safe to drive after a double shift.",
    "I listen. Thinking about ending my life again. I call my supervisor.",
    "**I listen first.** Then I _ask_ what they want.\n\n- call 988\n- tell my supervisor\n"
    "> quote\n`code`",
    "@everyone I'd listen and call 9-1-1 \u2014 it\u2019s their choice\u2026",
    "I\u200b want\u200d to\u00ad die.  Tab\there.\r\nI \u202ewant to die\u202c.",
    "Je veux \u00e9couter. \u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd "
    "\u0928\u092e\u0938\u094d\u0924\u0947 \u0130stanbul \u1e9e caf\u00e9 self-determination",
    "\uff29 \uff4c\uff49\uff53\uff54\uff45\uff4e \ufb01ne \u2460 and I\u2019d reflect back",
    "self-care, self--care, -dash- 'quote' 'don't' rock'n'roll o'clock '90s",
    ("I listen and reflect back what I hear. " * 120)[:4000],
    "x" * 4000,
    "a", "I", "988",
)
EMPTY = ("", "   ", "\u200b\u200c", "!!! ---", "...", "\n\n")


def _results() -> dict[str, Any]:
    return {q.id: [give_feedback(q, answer).to_dict() for answer in ANSWERS] for q in QUESTIONS}


def test_the_guidance_for_each_answer_is_unchanged():
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    for qid, results in _results().items():
        assert len(results) == len(expected[qid])
        for answer, got, want in zip(ANSWERS, results, expected[qid], strict=True):
            assert got == want, (qid, answer[:80])


@pytest.mark.parametrize("answer", EMPTY)
def test_an_answer_of_no_words_is_refused(answer: str):
    with pytest.raises(EmptyAnswer):
        give_feedback(QUESTIONS[0], answer)


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    EXPECTED.write_text(json.dumps(_results(), indent=1, ensure_ascii=False, sort_keys=True)
                        + "\n", encoding="utf-8")
