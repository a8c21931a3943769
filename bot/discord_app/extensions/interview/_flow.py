"""What happens on each interview action, for slash commands, buttons, modals and DM replies.

Every handler that touches the database acknowledges first (``defer``) so Discord's 3-second
deadline holds even when the database is busy; the answer goes out as a follow-up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

import discord

from bot.bank import TOPICS, Question
from bot.discord_app.embeds import (
    TEAL,
    example_embeds,
    feedback_messages,
    question_embed,
    split_text,
)
from bot.discord_app.errors import UserError
from bot.discord_app.extensions.interview._items import (
    ANSWER_MODAL,
    PLACES,
    InterviewButton,
    answer_modal_id,
    buttons,
)
from bot.interview.engine import AnswerResult
from bot.interview.model import Interview, Summary

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.discord_app.client import PeerPrepBot

log = logging.getLogger(__name__)

EPHEMERAL = "ephemeral"
IN_PLACE = ("dm", "thread")  # where an interview's messages are the trainee's alone
MODAL_TITLE = "Your answer"
INPUT_LABEL = "Answer as you would say it out loud"


# Work that finishes sooner is sent as the interaction's response itself (one request);
# slower work is acknowledged first, well inside Discord's 3-second deadline.
DEFER_AFTER = 1.5


async def respond(interaction: discord.Interaction, ephemeral: bool,
                  work: Awaitable[list[dict[str, Any]]]) -> None:
    """Send the messages ``work`` produces, deferring only if it is slow.

    ``work`` runs in this task; a timer starts the deferral beside it only once
    ``DEFER_AFTER`` has passed (no task or wait of its own for the usual, quick answer)."""
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
    for payload in payloads:
        await send(interaction, ephemeral=ephemeral, **payload)


def bot_of(interaction: discord.Interaction) -> PeerPrepBot:
    return interaction.client  # type: ignore[return-value]


def in_place(interaction: discord.Interaction, interview: Interview) -> bool:
    """Whether the reply to ``interaction`` may go where it happened, rather than as messages
    only the trainee sees. Questions and guidance are never shown to anyone else, so only
    the interview's own DM or private thread qualifies, never an ephemeral message: buttons
    on one (say from /interview resume in a server channel) answer ephemerally too."""
    message = interaction.message
    if message is not None and message.flags.ephemeral:
        return False
    return interview.place in IN_PLACE and interaction.channel_id == interview.channel_id


def form_in_place(interaction: discord.Interaction, place: str) -> bool:
    """The same for an answer form, from the place its button chose (see ``answer_modal_id``):
    a form is submitted where its button was pressed, and one that claims its DM or thread
    must be submitted from a DM or a private thread (forms opened by older versions too)."""
    if place == PLACES["dm"]:
        return interaction.guild_id is None
    if place == PLACES["thread"]:
        channel = interaction.channel
        return channel is not None and channel.type is discord.ChannelType.private_thread
    return False


async def send(interaction: discord.Interaction, *, ephemeral: bool, content: str | None = None,
               embeds: list[discord.Embed] | None = None, view: discord.ui.View | None = None,
               ) -> None:
    kwargs: dict[str, Any] = {"embeds": embeds or [], "ephemeral": ephemeral}
    if content:
        kwargs["content"] = content
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


# -- questions ----------------------------------------------------------------------------------

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
    if shown_in_place and interview.place == "dm":
        hint = "Reply here with your answer, or press Answer to write it in a form."
    return [embed], question_view(interview, owner_id), hint


# -- answers -------------------------------------------------------------------------------------

class AnswerModal(discord.ui.Modal):
    """The answer form. Submissions are handled by ``on_modal_submit`` from the raw
    interaction, so a form opened before a restart still works after it."""

    def __init__(self, interview: Interview, question: Question, owner_id: int,
                 place: str) -> None:
        super().__init__(title=MODAL_TITLE, timeout=None,
                         custom_id=answer_modal_id(interview.id, interview.position,
                                                   interview.attempt, owner_id, place,
                                                   question.id))
        self.add_item(discord.ui.TextInput(
            label=INPUT_LABEL, style=discord.TextStyle.paragraph, max_length=4000,
            required=True, placeholder=question.prompt[:100],
        ))


async def open_answer_form(interaction: discord.Interaction, interview: Interview) -> None:
    """The form must be the first response, so nothing here writes or waits: the interview
    was read on the read-only connection."""
    question = bot_of(interaction).engine.question(interview)
    if question is None:
        raise UserError("This interview has no question waiting for an answer.")
    place = interview.place if in_place(interaction, interview) else EPHEMERAL
    modal = AnswerModal(interview, question, interaction.user.id, place)
    await interaction.response.send_modal(modal)
    modal.stop()  # not kept in memory: the submission is handled by its custom_id


def modal_text(data: Any) -> str:
    """The text typed into the form, from the raw MODAL_SUBMIT payload."""
    for row in data.get("components", []):
        children = row.get("components") or ([row["component"]] if "component" in row else [])
        for child in children:
            if "value" in child:
                return str(child["value"])
    return ""


def keeps_answer(handler: Callable[[discord.Interaction], Awaitable[bool]]
                 ) -> Callable[[discord.Interaction], Awaitable[bool]]:
    """For a handler of forms whose text is an answer: an answer that cannot be saved (the
    database busy, full, read-only or damaged) is sent back to its author, with why, instead
    of being lost: a form's text is kept nowhere else."""
    from bot.storage import StorageError

    async def handle(interaction: discord.Interaction) -> bool:
        try:
            return await handler(interaction)
        except StorageError as exc:
            await give_back(interaction, modal_text(dict(interaction.data or {})), exc)
            return True

    handle.__name__, handle.__doc__ = handler.__name__, handler.__doc__
    return handle


async def give_back(interaction: discord.Interaction, text: str, error: Exception) -> None:
    """Send an unsaved answer back to its author only (ephemeral) with why (``error``, a
    StorageError: its ``user_message``) and whether trying again can help. The whole answer
    (4,000 characters at most) fits an embed's description (4,096)."""
    log.warning("an answer could not be saved (%s): %s", type(error).__name__, error)
    then = ("Copy it and send it again in a moment." if getattr(error, "retry_helps", True)
            else "Copy it somewhere safe: trying again won't work until this is fixed.")
    reason = getattr(error, "user_message", "PeerPrep couldn't save your answer.")
    notice = f"{reason} Your answer is below, so it isn't lost. {then}"
    embed = discord.Embed(title="Your answer (not saved)", description=text[:4096] or None,
                          colour=TEAL)
    if not interaction.response.is_done():
        await interaction.response.send_message(notice, embed=embed, ephemeral=True)
        return
    # After a deferral the first follow-up takes the deferral's place, and with it whether it
    # is ephemeral: say what happened there, then give the answer back in a message of its own.
    await interaction.followup.send(notice, ephemeral=True)
    await interaction.followup.send(embed=embed, ephemeral=True)


@keeps_answer
async def on_modal_submit(interaction: discord.Interaction) -> bool:
    """Handle an answer form; returns False for forms that are not PeerPrep's."""
    data: dict[str, Any] = dict(interaction.data or {})
    match = ANSWER_MODAL.fullmatch(str(data.get("custom_id", "")))
    if match is None:
        return False
    bot = bot_of(interaction)
    if int(match["owner"]) != interaction.user.id:
        await interaction.response.send_message("That form belongs to someone else.",
                                                ephemeral=True)
        return True

    async def work() -> list[dict[str, Any]]:
        result = await bot.engine.answer(int(match["interview"]), int(match["position"]),
                                         int(match["attempt"]), modal_text(data),
                                         question_id=match["question"])
        return feedback_payloads(bot, result, interaction.user.id)

    await respond(interaction, not form_in_place(interaction, match["place"]), work())
    return True


def feedback_view(interview: Interview, owner_id: int) -> discord.ui.View:
    last = interview.position + 1 >= interview.total
    return buttons(["finish" if last else "next", "retry", "example", "end"], interview.id,
                   interview.position, interview.attempt, owner_id)


def feedback_payloads(bot: PeerPrepBot, result: AnswerResult, owner_id: int
                      ) -> list[dict[str, Any]]:
    """The messages that carry the guidance; buttons go on the last one."""
    messages = feedback_messages(result.question, result.feedback, bot.settings.crisis_resources)
    notes = []
    if result.duplicate:
        notes.append("This answer was already saved; here is its guidance again.")
    if result.truncated:
        notes.append("Your answer was longer than 4000 characters; the first 4000 were coached.")
    if result.freeze_spent:
        notes.append("❄ A streak freeze covered the day you missed.")
    if result.freeze_earned:
        notes.append("❄ You earned a streak freeze.")
    notes.append(f"🔥 Streak: {result.streak} day(s).")
    if result.feedback.crisis:
        notes.append("Pause whenever you like: End keeps everything you answered.")
    payloads: list[dict[str, Any]] = [{"embeds": embeds} for embeds in messages]
    payloads[0]["content"] = " ".join(notes)
    if result.interview is not None and result.interview.is_active:
        payloads[-1]["view"] = feedback_view(result.interview, owner_id)
    return payloads


async def on_dm_message(bot: PeerPrepBot, message: discord.Message) -> None:
    """A plain DM reply answers the current question of the sender's DM interview."""
    person = await bot.store.people.find_discord(message.author.id)
    interview = await bot.engine.active(person.id) if person else None
    if interview is None or interview.place != "dm":
        await message.channel.send(
            "Hi! To practise, start an interview with /interview start "
            "(choose where: dm). /help explains everything.")
        return
    if interview.current_answered:
        await message.channel.send("You've answered this question: press Next, Retry or End "
                                   "on the guidance above.")
        return
    result = await bot.engine.answer(interview.id, interview.position, interview.attempt,
                                     message.content, question_id=interview.current_question_id)
    for payload in feedback_payloads(bot, result, message.author.id):
        await message.channel.send(**payload)


# -- buttons -------------------------------------------------------------------------------------

async def on_button(interaction: discord.Interaction, item: InterviewButton) -> None:
    bot = bot_of(interaction)
    interview = await bot.engine.get(item.interview_id)
    if interview is None or not interview.is_active:
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
    here = in_place(interaction, interview)

    async def work() -> list[dict[str, Any]]:
        if item.action == "end":
            return [summary_payload(await bot.engine.end(interview.id))]
        if item.action == "retry":
            moved = await bot.engine.retry(interview.id, item.position, item.attempt)
        else:  # next, finish, skip
            moved = await bot.engine.skip(interview.id, item.position)
        if moved.is_active:
            return [question_payload(bot, moved, interaction.user.id, shown_in_place=here)]
        return [summary_payload(await bot.engine.summary(moved.id))]

    await respond(interaction, not here, work())


async def show_example(interaction: discord.Interaction, interview: Interview,
                       position: int) -> None:
    question = bot_of(interaction).bank.get(interview.question_ids[position])
    if question is None:
        raise UserError("That question is no longer in the bank.")
    await interaction.response.send_message(embeds=example_embeds(question), ephemeral=True)


# -- summaries -----------------------------------------------------------------------------------

def summary_embed(summary: Summary) -> discord.Embed:
    lines = []
    for number, r in enumerate(summary.results, start=1):
        score = f"**{r.score}**/100" if r.score is not None else (
            "skipped" if r.outcome == "skipped" else "not reached")
        lines.append(f"{number}. `{r.question_id}` {TOPICS.get(r.topic, r.topic)} — {score}")
    embed = discord.Embed(title="Interview summary", colour=TEAL,
                          description=split_text("\n".join(lines), 4000)[0])
    if summary.average is not None:
        embed.add_field(name="Average", value=f"{summary.average}/100")
    if summary.strongest_topic:
        embed.add_field(name="Strongest", value=TOPICS[summary.strongest_topic])
    if summary.weakest_topic:
        embed.add_field(name="To work on", value=TOPICS[summary.weakest_topic])
    if summary.practise_next:
        steps = "\n".join(f"• {s}" for s in summary.practise_next)
        embed.add_field(name="Practise next", value=split_text(steps, 1024)[0], inline=False)
    return embed


def summary_payload(summary: Summary) -> dict[str, Any]:
    return {"embeds": [summary_embed(summary)]}


async def send_summary(interaction: discord.Interaction, summary: Summary,
                       ephemeral: bool) -> None:
    await send(interaction, ephemeral=ephemeral, **summary_payload(summary))
