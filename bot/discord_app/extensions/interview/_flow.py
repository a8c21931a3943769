"""What happens on each interview action, for slash commands, buttons, modals and DM replies.

Every handler that touches the database acknowledges first (``defer``) so Discord's 3-second
deadline holds even when the database is busy; the answer goes out as a follow-up.

Who sees what: an interview's questions go where it runs (its DM or its private thread).
Anything that reveals an answer (guidance, score, crisis resources, summaries) is an
ordinary message only in the interview's own DM; everywhere else, a private thread
included (members with Manage Threads can read those), it is a message only the trainee
sees, until they press **Share with facilitator** on one guidance. Every id that comes back
from a button or form is a claim: the person acting is checked against the interview's
owner in the transaction that reads or changes it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import discord

from bot.coaching import Feedback
from bot.discord_app.embeds import (
    TEAL,
    example_embeds,
    feedback_messages,
    group_for_messages,
    question_embed,
    split_text,
)
from bot.discord_app.errors import UserError
from bot.discord_app.forms import (
    BUTTON_ACTIONS,
    AnswerForm,
    FollowUpForm,
    interview_button,
    keeps_answer,
    send_form,
    share_button,
    submitted_id,
    submitted_text,
    view_of,
)
from bot.discord_app.posted import remember
from bot.interview.engine import AnswerResult, NotYourInterview
from bot.interview.model import FollowUpAnswer, Interview, Summary
from bot.interview.place import Place
from bot.interview.render import FOLLOW_UP_TITLE, answer_notes, follow_up_notes, summary_text

if TYPE_CHECKING:
    from bot.discord_app.client import PeerPrepBot

log = logging.getLogger(__name__)

IN_PLACE = (Place.DM, Place.THREAD)  # where an interview's messages are the trainee's alone


# Work that finishes sooner is sent as the interaction's response itself (one request);
# slower work is acknowledged first, well inside Discord's 3-second deadline.
DEFER_AFTER = 1.5


PRIVATE = "private"  # a payload key: this message reveals an answer (see ``respond``)
PRIVATE_BELOW = "Sent to you privately, below."


async def respond(interaction: discord.Interaction, ephemeral: bool,
                  work: Awaitable[list[dict[str, Any]]]) -> None:
    """Send the messages ``work`` produces, deferring only if it is slow.

    ``work`` runs in this task; a timer starts the deferral beside it only once
    ``DEFER_AFTER`` has passed (no task or wait of its own for the usual, quick answer).
    A payload with ``PRIVATE`` true is always sent as a message only the person sees, even
    when the others are not: after a deferral that everyone sees, a short line that
    reveals nothing takes the deferral's place first (its first follow-up replaces the
    "thinking" message and keeps its visibility)."""
    deferral: asyncio.Task[Any] | None = None

    def start_deferring() -> None:
        nonlocal deferral
        deferral = asyncio.ensure_future(
            interaction.response.defer(ephemeral=ephemeral, thinking=True))

    timer = asyncio.get_running_loop().call_later(DEFER_AFTER, start_deferring)
    try:
        payloads = await work
    finally:
        timer.cancel()
        if deferral is not None:
            await deferral  # acknowledged before anything else is sent, error replies too
    public_deferral = deferral is not None and not ephemeral
    for payload in payloads:
        private = bool(payload.pop(PRIVATE, False))
        if private and public_deferral:
            await send(interaction, ephemeral=False, content=PRIVATE_BELOW)
        public_deferral = False
        await send(interaction, ephemeral=ephemeral or private, **payload)


def bot_of(interaction: discord.Interaction) -> PeerPrepBot:
    return interaction.client  # type: ignore[return-value]


async def acting_person(interaction: discord.Interaction) -> int:
    """The presser's person id, for the owner checks where an interview or answer is read
    or written. Someone PeerPrep has never seen owns nothing: refused, and no person row is
    made for them."""
    person = await bot_of(interaction).engine.people.find_discord(interaction.user.id)
    if person is None:
        raise NotYourInterview
    return person.id


def in_bot_dm(interaction: discord.Interaction) -> bool:
    """Whether ``interaction`` happened in the person's own DM with PeerPrep, where an
    ordinary message is seen by nobody else (not a group DM, nor a DM between two people
    where the app is used)."""
    return interaction.guild_id is None and interaction.context.dm_channel


def in_place(interaction: discord.Interaction, interview: Interview) -> bool:
    """Whether a question for ``interaction`` may go where it happened, as an ordinary
    message: only in the interview's own DM or private thread. Anywhere else (say after
    /interview resume in a server channel) it comes as a message only the trainee sees."""
    if interview.place not in IN_PLACE or interaction.channel_id != interview.channel_id:
        return False
    return interview.place == Place.THREAD or in_bot_dm(interaction)


def guidance_in_place(interaction: discord.Interaction, interview: Interview | None) -> bool:
    """Whether what reveals an answer (guidance, a summary) may be an ordinary message: only
    in the interview's own DM. A private thread is readable by members with Manage Threads,
    so there it is a message only the trainee sees."""
    return (interview is not None and interview.place == Place.DM
            and interaction.channel_id == interview.channel_id and in_bot_dm(interaction))


def form_in_place(interaction: discord.Interaction, place: Place) -> bool:
    """The same for an answer form, from the place its button chose (see ``AnswerForm``),
    before the interview is read: only a form for a DM interview, submitted in the person's
    own DM with PeerPrep. (Guidance in a thread is never an ordinary message.)"""
    return place is Place.DM and in_bot_dm(interaction)


def shareable(interaction: discord.Interaction, interview: Interview | None) -> bool:
    """Whether guidance shown for ``interaction`` gets a Share button: in the interview's own
    private thread, the one place where sharing reaches a facilitator and no one else."""
    return (interview is not None and interview.place == Place.THREAD
            and interaction.channel_id == interview.channel_id)


async def send(interaction: discord.Interaction, *, ephemeral: bool, content: str | None = None,
               embeds: list[discord.Embed] | None = None, view: discord.ui.View | None = None,
               ) -> None:
    kwargs: dict[str, Any] = {"embeds": embeds or [], "ephemeral": ephemeral}
    if content:
        kwargs["content"] = content
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        sent: object = await interaction.followup.send(wait=True, **kwargs)
    else:
        sent = await interaction.response.send_message(**kwargs)
    await remember(bot_of(interaction), interaction.user.id, sent)  # for /privacy delete


# -- questions ----------------------------------------------------------------------------------

def buttons(actions: list[str], interview_id: int, position: int, attempt: int,
            owner_id: int) -> discord.ui.View:
    return view_of(*(interview_button(action, interview_id, position, attempt, owner_id)
                     for action in actions))


def question_view(interview: Interview, owner_id: int) -> discord.ui.View:
    return buttons(["answer", "skip", "end"], interview.id, interview.position,
                   interview.attempt, owner_id)


def question_payload(bot: PeerPrepBot, interview: Interview, owner_id: int, *,
                     shown_in_place: bool = False) -> dict[str, Any]:
    embeds, view, hint = question_message(bot, interview, owner_id,
                                          shown_in_place=shown_in_place)
    return {"embeds": embeds, "view": view, "content": hint}


def question_message(bot: PeerPrepBot, interview: Interview, owner_id: int, *,
                     shown_in_place: bool = False
                     ) -> tuple[list[discord.Embed], discord.ui.View, str | None]:
    """The question, its buttons, and for a question shown in a DM interview's own DM the
    hint that a plain reply answers it (anywhere else a reply would not be private)."""
    question = bot.engine.question(interview)
    if question is None:
        raise UserError("This interview has no question left. /interview start begins a new one.")
    embed = question_embed(question, interview.position + 1, interview.total, interview.attempt)
    hint = None
    if shown_in_place and interview.place == Place.DM:
        hint = "Reply here with your answer, or press Answer to write it in a form."
    return [embed], question_view(interview, owner_id), hint


# -- answers -------------------------------------------------------------------------------------

async def open_answer_form(interaction: discord.Interaction, interview: Interview) -> None:
    """The form must be the first response, so nothing here writes or waits: the interview
    was read on the read-only connection."""
    question = bot_of(interaction).engine.question(interview)
    if question is None:
        raise UserError("This interview has no question waiting for an answer.")
    place = Place.of(interview.place) if in_place(interaction, interview) else Place.EPHEMERAL
    form = AnswerForm(interview.id, interview.position, interview.attempt, interaction.user.id,
                      place, question.id)
    await send_form(interaction, form, question.prompt)


@keeps_answer
async def on_modal_submit(interaction: discord.Interaction) -> bool:
    """Handle an answer form; returns False for forms that are not PeerPrep's."""
    form = AnswerForm.parse(submitted_id(interaction))
    if form is None:
        return False
    bot = bot_of(interaction)
    # The owner in the id only spares a stranger the coaching; what decides is the
    # interview's owner in the database, checked where the answer would be stored.
    if form.owner_id != interaction.user.id:
        await interaction.response.send_message(FORM_REFUSED, ephemeral=True)
        return True
    here = form_in_place(interaction, form.place)

    async def work() -> list[dict[str, Any]]:
        result = await bot.engine.answer(form.interview_id, form.position, form.attempt,
                                         submitted_text(interaction),
                                         question_id=form.question_id,
                                         person_id=await acting_person(interaction))
        private = not guidance_in_place(interaction, result.interview)
        return feedback_payloads(bot, result, interaction.user.id, private=private,
                                 share=shareable(interaction, result.interview))

    await respond(interaction, not here, work())
    return True


FORM_REFUSED = "That form belongs to someone else, so nothing was shown or saved."


def feedback_view(interview: Interview, owner_id: int) -> discord.ui.View:
    last = interview.position + 1 >= interview.total
    follow_up = ["followup"] if interview.awaiting_follow_up else []
    return buttons(["finish" if last else "next", *follow_up, "retry", "example", "end"],
                   interview.id, interview.position, interview.attempt, owner_id)


def follow_up_embed(interview: Interview) -> discord.Embed | None:
    """The interviewer's follow-up waiting at the current question, if any."""
    if not interview.awaiting_follow_up or interview.follow_up is None:
        return None
    how = ("Reply here or press Answer follow-up" if interview.place == Place.DM
           else "Press Answer follow-up")
    embed = discord.Embed(title=FOLLOW_UP_TITLE,
                          description=interview.follow_up.prompt[:4000], colour=TEAL)
    embed.set_footer(text=f"{how}, or go on without it: your answer above stands either way.")
    return embed


def feedback_payloads(bot: PeerPrepBot, result: AnswerResult, owner_id: int, *,
                      private: bool = True, share: bool = False) -> list[dict[str, Any]]:
    """The messages that carry the guidance; buttons go on the last one. ``private``: they
    reveal an answer, so they go only to its author (see ``respond``); ``share``: offer
    to post this guidance in the interview's thread."""
    messages = feedback_messages(result.question, result.feedback, bot.settings.crisis_resources)
    notes = answer_notes(result, Place.of(result.interview.place if result.interview else None))
    # A crisis answer offers no Share: even without the support lines, a shared guidance
    # with no score would tell the thread's readers that the safety net fired. Whether and
    # how to tell anyone is the trainee's own choice, in person.
    share = share and result.answer_id is not None and not result.feedback.crisis
    if share:
        notes.append(SHARE_NOTE)
    follow_up = follow_up_embed(result.interview) if result.interview is not None else None
    if follow_up is not None:  # after the guidance, in the message that carries the buttons
        messages = group_for_messages([e for embeds in messages for e in embeds] + [follow_up])
    payloads: list[dict[str, Any]] = [{"embeds": embeds, PRIVATE: private}
                                      for embeds in messages]
    payloads[0]["content"] = " ".join(notes)
    view = None
    if result.interview is not None and result.interview.is_active:
        view = feedback_view(result.interview, owner_id)
    if share and result.answer_id is not None:
        view = view or view_of()
        view.add_item(share_button(result.answer_id))  # dispatched by custom_id, like the rest
    if view is not None:
        payloads[-1]["view"] = view
    return payloads


SHARE_NOTE = ("Only you can see this. **Share with facilitator** posts this guidance (not "
              "your answer) in your thread, where moderators and whoever you @mention in "
              "(your facilitator) can read it.")


def follow_up_payloads(bot: PeerPrepBot, result: FollowUpAnswer, owner_id: int, *,
                       private: bool = True) -> list[dict[str, Any]]:
    """The guidance on a follow-up answer, judged on the one point it probes. ``private``:
    it reveals an answer, so it goes only to its author (see ``respond``)."""
    messages = feedback_messages(result.question, result.feedback, bot.settings.crisis_resources)
    notes = follow_up_notes(result, Place.of(result.interview.place))
    payloads: list[dict[str, Any]] = [{"embeds": embeds, PRIVATE: private}
                                      for embeds in messages]
    payloads[0]["content"] = " ".join(notes)
    if result.interview.is_active:
        payloads[-1]["view"] = feedback_view(result.interview, owner_id)
    return payloads


@keeps_answer
async def on_follow_up_submit(interaction: discord.Interaction) -> bool:
    """Handle a follow-up answer form; returns False for forms that are not PeerPrep's."""
    form = FollowUpForm.parse(submitted_id(interaction))
    if form is None:
        return False
    bot = bot_of(interaction)
    # As with the answer form: the owner in the id is only a courtesy check; the
    # interview's owner in the database decides, where the answer would be stored.
    if form.owner_id != interaction.user.id:
        await interaction.response.send_message(FORM_REFUSED, ephemeral=True)
        return True

    async def work() -> list[dict[str, Any]]:
        result = await bot.engine.answer_follow_up(form.interview_id, form.position,
                                                   submitted_text(interaction),
                                                   person_id=await acting_person(interaction))
        return follow_up_payloads(bot, result, interaction.user.id,
                                  private=not guidance_in_place(interaction, result.interview))

    await respond(interaction, not form_in_place(interaction, form.place), work())
    return True


async def on_dm_message(bot: PeerPrepBot, message: discord.Message) -> None:
    """A plain DM reply answers the current question of the sender's DM interview."""
    person = await bot.engine.people.find_discord(message.author.id)
    interview = await bot.engine.active(person.id) if person else None
    if interview is None or interview.place != Place.DM:
        await remember(bot, message.author.id, await message.channel.send(
            "Hi! To practise, start an interview with /interview start "
            "(choose where: dm). /help explains everything."))
        return
    if interview.awaiting_follow_up:  # a reply answers the interviewer's follow-up
        reply = await bot.engine.answer_follow_up(interview.id, interview.position,
                                                  message.content, person_id=interview.person_id)
        for payload in follow_up_payloads(bot, reply, message.author.id, private=False):
            payload.pop(PRIVATE, None)  # the sender's own DM with PeerPrep
            await remember(bot, message.author.id, await message.channel.send(**payload))
        return
    if interview.current_answered:
        await remember(bot, message.author.id, await message.channel.send(
            "You've answered this question: press Next, Retry or End on the guidance above."))
        return
    result = await bot.engine.answer(interview.id, interview.position, interview.attempt,
                                     message.content, question_id=interview.current_question_id,
                                     person_id=interview.person_id)
    for payload in feedback_payloads(bot, result, message.author.id, private=False):
        payload.pop(PRIVATE, None)  # the sender's own DM with PeerPrep
        await remember(bot, message.author.id, await message.channel.send(**payload))


# -- buttons -------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Pressed:
    """An interview button that was pressed: what its custom_id says."""

    action: str
    interview_id: int
    position: int
    attempt: int


async def on_button(interaction: discord.Interaction, item: Pressed) -> None:
    if item.action not in BUTTON_ACTIONS:  # not a button PeerPrep drew: a tampered id
        raise UserError("That button isn't one PeerPrep made, so nothing was done.")
    bot = bot_of(interaction)
    # Read on the read-only connection (the Answer button's form must be the first
    # response), with the presser as the owner in the query: another's interview reads as
    # none. Every change below checks the owner again in its own transaction.
    interview = await bot.engine.get(item.interview_id, await acting_person(interaction))
    if interview is None:
        raise NotYourInterview
    if not interview.is_active:
        if item.action == "example" and interview is not None:
            await show_example(interaction, interview, item.position)
            return
        await interaction.response.send_message(
            "This interview has ended. /interview start begins a new one; "
            "/interview history shows how it went.", ephemeral=True)
        return
    if item.action == "answer":
        if (interview.position, interview.attempt) != (item.position, item.attempt) or (
                interview.current_answered):
            await interaction.response.send_message(
                "That question has moved on. /interview resume shows the current one.",
                ephemeral=True)
            return
        await open_answer_form(interaction, interview)
        return
    if item.action == "example":
        await show_example(interaction, interview, item.position)
        return
    if item.action == "followup":
        if (interview.position, interview.attempt) != (item.position, item.attempt) or (
                not interview.awaiting_follow_up) or interview.follow_up is None:
            await interaction.response.send_message(
                "That follow-up has moved on. /interview resume shows where you are.",
                ephemeral=True)
            return
        place = (Place.of(interview.place) if in_place(interaction, interview)
                 else Place.EPHEMERAL)
        await send_form(interaction, FollowUpForm(interview.id, interview.position,
                                                  interaction.user.id, place),
                        interview.follow_up.prompt)
        return
    here = in_place(interaction, interview)
    private = not guidance_in_place(interaction, interview)
    owner = interview.person_id

    async def work() -> list[dict[str, Any]]:
        if item.action == "end":
            return [summary_payload(await bot.engine.end(interview.id, person_id=owner),
                                    private)]
        if item.action == "retry":
            moved = await bot.engine.retry(interview.id, item.position, item.attempt,
                                           person_id=owner)
        else:  # next, finish, skip
            moved = await bot.engine.skip(interview.id, item.position, person_id=owner)
        if moved.is_active:
            return [question_payload(bot, moved, interaction.user.id, shown_in_place=here)]
        return [summary_payload(await bot.engine.summary(moved.id, person_id=owner), private)]

    await respond(interaction, not here, work())


async def show_example(interaction: discord.Interaction, interview: Interview,
                       position: int) -> None:
    question = bot_of(interaction).bank.get(interview.question_ids[position])
    if question is None:
        raise UserError("That question is no longer in the bank.")
    await interaction.response.send_message(embeds=example_embeds(question), ephemeral=True)


# -- summaries -----------------------------------------------------------------------------------

def summary_embed(summary: Summary) -> discord.Embed:
    text = summary_text(summary)
    lines = []
    for row in text.rows:
        result = f"**{row.score}**/100" if row.score is not None else row.outcome
        lines.append(f"{row.number}. `{row.question_id}` {row.topic} — {result}")
        if row.follow_up is not None:
            lines.append(f"  {row.follow_up}")
    embed = discord.Embed(title="Interview summary", colour=TEAL,
                          description=split_text("\n".join(lines), 4000)[0])
    if text.average is not None:
        embed.add_field(name="Average", value=text.average)
    if text.strongest:
        embed.add_field(name="Strongest", value=text.strongest)
    if text.to_work_on:
        embed.add_field(name="To work on", value=text.to_work_on)
    if text.practise_next:
        steps = "\n".join(f"• {s}" for s in text.practise_next)
        embed.add_field(name="Practise next", value=split_text(steps, 1024)[0], inline=False)
    return embed


def summary_payload(summary: Summary, private: bool = True) -> dict[str, Any]:
    return {"embeds": [summary_embed(summary)], PRIVATE: private}


async def send_summary(interaction: discord.Interaction, summary: Summary,
                       ephemeral: bool) -> None:
    payload = summary_payload(summary)
    payload.pop(PRIVATE)
    await send(interaction, ephemeral=ephemeral, **payload)


# -- sharing -------------------------------------------------------------------------------------

SHARED_TITLE = "Shared by {name}: guidance on question {number}"


def shared_feedback(feedback: Feedback) -> Feedback:
    """What sharing posts: the guidance a facilitator coaches from, and nothing the trainee
    said about themselves. Never the crisis resources (the safety net may have read the
    answer rightly or not; either way, whether and how to tell anyone is the trainee's to
    decide, face to face, not a bot's post that moderators also read) and never the
    language notes on words the trainee used of themselves (they are their story, and they
    cost no points)."""
    return replace(feedback, crisis=False,
                   language=tuple(n for n in feedback.language if not n.self_described))


async def on_share(interaction: discord.Interaction, answer_id: int) -> None:
    """Post one guidance in the interview's thread, if the presser wrote that answer."""
    bot = bot_of(interaction)

    async def work() -> list[dict[str, Any]]:
        # The owner is part of the read itself.
        own = await bot.engine.own_answer(answer_id, await acting_person(interaction))
        if not shareable(interaction, own.interview):
            raise UserError("Guidance can be shared only in the interview's own thread.")
        question = bot.bank.get(own.question_id)
        if question is None or own.interview is None:
            raise UserError("That question is no longer in the bank, so there is nothing to "
                            "share.")
        number = own.interview.question_ids.index(own.question_id) + 1 if (
            own.question_id in own.interview.question_ids) else 0
        stored = Feedback.from_dict(own.feedback)
        if stored.crisis:  # never offered; refused here too, whatever the client sends
            raise UserError("That guidance can't be shared. If you'd like your facilitator "
                            "to know how you are doing, that is yours to tell them.")
        feedback = shared_feedback(stored)
        messages = feedback_messages(question, feedback, ())
        title = SHARED_TITLE.format(name=interaction.user.display_name, number=number)
        payloads: list[dict[str, Any]] = [{"embeds": embeds} for embeds in messages]
        payloads[0]["content"] = discord.utils.escape_markdown(title)[:2000]
        return payloads

    await respond(interaction, False, work())
