"""The interviewer follows up: after an answer that misses a key point, ask the bank's
follow-up that probes it, and coach the reply against that point alone.

A question's follow-ups are listed most important first, so the first one whose point the
answer missed is the one asked. An answer that speaks of the writer's own crisis gets no
follow-up: the resources and the offer to pause are the whole of what comes next.
"""

from __future__ import annotations

from dataclasses import replace

from bot.bank import FollowUp, Kind, Question
from bot.coaching import Feedback, give_feedback


def choose(question: Question, feedback: Feedback) -> FollowUp | None:
    """The follow-up to ask after ``feedback`` on an answer to ``question``, if any."""
    if feedback.crisis:
        return None
    missed = {point.id for point in feedback.key_points if not point.covered}
    return next((f for f in question.follow_ups if f.key_point in missed), None)


def probe(question: Question, follow_up: FollowUp) -> Question | None:
    """``question`` as the follow-up asks it: its prompt, and the one key point it probes.

    A follow-up is a direct question, so a story question's follow-up is not judged as a
    story (STAR). None when the point is no longer in the question (the bank changed)."""
    point = question.key_point(follow_up.key_point)
    if point is None:
        return None
    kind = Kind.SITUATIONAL if question.kind is Kind.BEHAVIORAL else question.kind
    looking_for = (f"This follow-up probes one point your first answer missed: {point.label}. "
                   f"Interviewers listen for it said plainly, in a few sentences of your own.")
    return replace(question, prompt=follow_up.prompt, kind=kind, key_points=(point,),
                   looking_for=looking_for, follow_ups=())


def coach(question: Question, follow_up: FollowUp, answer: str) -> tuple[Question, Feedback]:
    """The guidance on ``answer`` to ``follow_up``, judged against its key point only, with
    the view of the question it was judged against. Raises ``EmptyAnswer`` for no words and
    ``LookupError`` when the point is no longer in the question."""
    view = probe(question, follow_up)
    if view is None:
        raise LookupError(follow_up.key_point)
    return view, give_feedback(view, answer)
