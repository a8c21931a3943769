"""One place builds what a person reads after an answer and at the end: every front end
(the Discord interview, the daily question, the terminal) shows every note and every line
of the summary that ``bot.interview.render`` builds, none dropped."""

from __future__ import annotations

import asyncio
import io
import re
from dataclasses import replace
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from bot.bank import Bank
from bot.coaching import give_feedback
from bot.discord_app.extensions.daily._post import answer_payloads
from bot.discord_app.extensions.interview._flow import (
    feedback_payloads,
    follow_up_payloads,
    summary_embed,
)
from bot.interview.model import (
    AnswerResult,
    FollowUpAnswer,
    FollowUpResult,
    FollowUpStatus,
    Interview,
    Outcome,
    QuestionResult,
    Status,
    Summary,
)
from bot.interview.place import Place
from bot.interview.render import answer_notes, follow_up_notes, summary_text
from bot.practice.terminal import TerminalPractice

RESOURCES = ("Call or text 988 (US)",)
ANSWER = ("In my last role as a peer mentor, a member was anxious about housing. I listened, "
          "shared a little of my own recovery, and we made a plan together with the team.")
CRISIS = "Honestly I want to end my life. I can't do this anymore."
NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def interview(place: Place, question_id: str) -> Interview:
    return Interview(id=1, person_id=1, bank="all", topic=None, status=Status.ACTIVE,
                     position=0, attempt=1, place=place, guild_id=None, channel_id=None,
                     question_ids=(question_id, "cps-02"),
                     outcomes=(Outcome.ANSWERED, Outcome.PENDING),
                     started_at=NOW, updated_at=NOW)


def result(bank: Bank, place: Place | None, *, crisis: bool = False) -> AnswerResult:
    """An answer with every note on: a duplicate, cut, a freeze spent and one earned."""
    question = bank.questions[0]
    return AnswerResult(
        interview=interview(place, question.id) if place is not None else None,
        question=question, feedback=give_feedback(question, CRISIS if crisis else ANSWER),
        duplicate=True, truncated=True, streak=7, freeze_earned=True, freeze_spent=True,
        answer_id=5)


def terminal(out: io.StringIO) -> TerminalPractice:
    return TerminalPractice(None, None, RESOURCES, io.StringIO(), out)  # type: ignore[arg-type]


def discord_text(payloads: list[dict[str, Any]]) -> str:
    return flat(" ".join(str(p.get("content") or "") for p in payloads))


BOT = SimpleNamespace(settings=SimpleNamespace(crisis_resources=RESOURCES))


def shown_after_answer(front_end: str, r: AnswerResult) -> str:
    if front_end == "discord interview":
        return discord_text(feedback_payloads(BOT, r, 1))  # type: ignore[arg-type]
    if front_end == "daily question":
        return discord_text(answer_payloads(r, RESOURCES))
    out = io.StringIO()
    terminal(out)._show(r.question, r)
    return flat(out.getvalue())


FRONT_ENDS = [("discord interview", Place.THREAD), ("daily question", None),
              ("terminal", Place.TERMINAL)]


@pytest.mark.parametrize(("front_end", "place"), FRONT_ENDS)
@pytest.mark.parametrize("crisis", [False, True])
def test_every_front_end_shows_every_note_after_an_answer(bank: Bank, front_end: str,
                                                          place: Place | None, crisis: bool):
    r = result(bank, place, crisis=crisis)
    notes = answer_notes(r, place or Place.EPHEMERAL)
    assert any("streak freeze covered" in n for n in notes)
    assert any("earned a streak freeze" in n for n in notes)
    assert any("already saved" in n for n in notes) and any("4000" in n for n in notes)
    if crisis and place is not None:
        assert any("pause" in n.lower() for n in notes)
    shown = shown_after_answer(front_end, r)
    for note in notes:
        assert flat(note) in shown, (front_end, note)


def test_the_pause_offer_names_the_front_ends_way_to_end(bank: Bank):
    assert "type e" in answer_notes(result(bank, Place.TERMINAL, crisis=True), Place.TERMINAL)[-1]
    assert "End keeps" in answer_notes(result(bank, Place.DM, crisis=True), Place.DM)[-1]


def test_every_front_end_shows_every_note_after_a_follow_up(bank: Bank):
    question = bank.questions[0]
    for place in (Place.DM, Place.TERMINAL):
        r = FollowUpAnswer(interview=interview(place, question.id), question=question,
                           feedback=give_feedback(question, CRISIS), duplicate=True,
                           truncated=True)
        notes = follow_up_notes(r, place)
        assert len(notes) == 4
        if place is Place.DM:
            shown = discord_text(follow_up_payloads(BOT, r, 1))  # type: ignore[arg-type]
        else:
            out = io.StringIO()
            t = terminal(out)
            t.engine = SimpleNamespace()  # type: ignore[assignment]

            async def answered(*_: object, r: FollowUpAnswer = r, **__: object) -> FollowUpAnswer:
                return r
            t.engine.answer_follow_up = answered  # type: ignore[attr-defined]
            t.stdin = io.StringIO("an answer\n\n")
            with asyncio.Runner() as runner:
                t.runner = runner
                t._follow_up(r.interview, question)
            shown = flat(out.getvalue())
        for note in notes:
            assert flat(note) in shown, (place, note)


def a_summary() -> Summary:
    follow_up = FollowUpResult(prompt="And then?", point="Naming the limits of the role",
                               status=FollowUpStatus.ANSWERED, score=60, covered=False)
    return Summary(
        interview_id=1, status=Status.FINISHED,
        results=(QuestionResult("cps-01", "ethics-boundaries", Outcome.ANSWERED, 81, 1, (),
                                follow_up),
                 QuestionResult("cps-02", "lived-experience", Outcome.ANSWERED, 55, 2, ()),
                 QuestionResult("cps-03", "ethics-boundaries", Outcome.SKIPPED, None, 0, ())),
        average=68, strongest_topic="ethics-boundaries", weakest_topic="lived-experience",
        practise_next=("Practise more questions.", "Work on: naming a next step."))


@pytest.mark.parametrize("front_end", ["discord", "terminal"])
def test_every_front_end_shows_the_whole_summary(front_end: str):
    summary = a_summary()
    text = summary_text(summary)
    if front_end == "discord":
        embed = summary_embed(summary)
        shown = flat(" ".join([embed.description or ""]
                              + [f"{f.name} {f.value}" for f in embed.fields]))
    else:
        out = io.StringIO()
        terminal(out)._finish(summary)
        shown = flat(out.getvalue())
    expected = [text.average, text.strongest, text.to_work_on, *text.practise_next]
    for row in text.rows:
        expected += [row.question_id, row.topic, str(row.score or row.outcome)]
        expected += [row.follow_up] if row.follow_up is not None else []
    assert sum(row.follow_up is not None for row in text.rows) == 1
    for line in expected:
        assert line is not None
        assert flat(line) in shown, (front_end, line)
    assert "follow-ups not counted" in shown and "skipped" in shown


def test_a_summary_row_without_a_score_says_how_it_went():
    rows = summary_text(replace(a_summary(), average=None)).rows
    assert [r.result for r in rows] == ["81/100", "55/100", "skipped"]


def test_a_question_is_headed_the_same_on_discord_and_in_the_terminal(bank: Bank):
    from bot.discord_app.embeds import question_embed
    from bot.interview.render import question_details, question_title

    question = bank.questions[0]
    embed = question_embed(question, 2, 5, attempt=3)
    assert embed.title == question_title(2, 5) == "Question 2 of 5"
    assert embed.footer.text == question_details(question, 3)
    assert question_details(question, 3).endswith("· attempt 3")
    assert question.id not in question_details(question, 1, with_id=False)


def test_a_kept_answer_in_the_terminal_still_offers_the_pause(bank: Bank):
    kept = result(bank, None, crisis=True)
    assert answer_notes(kept, Place.TERMINAL)[-1] == answer_notes(
        result(bank, Place.TERMINAL, crisis=True), Place.TERMINAL)[-1]
    assert "pause" not in " ".join(answer_notes(kept, Place.EPHEMERAL)).lower()
