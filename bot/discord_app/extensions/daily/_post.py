"""Sending the daily question, and answering it privately."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.daily.service import PostElsewhere, PostGone
from bot.discord_app.embeds import TEAL, feedback_messages
from bot.discord_app.errors import UserError, reply_error
from bot.discord_app.forms import (
    DAILY_BUTTON,
    DailyForm,
    daily_button,
    keeps_answer,
    send_form,
    submitted_id,
    submitted_text,
    view_of,
)
from bot.interview.place import Place
from bot.interview.render import DAILY_TITLE, answer_notes, daily_details

if TYPE_CHECKING:
    from bot.bank import Question
    from bot.daily.service import PlannedPost
    from bot.discord_app.client import PeerPrepBot
    from bot.interview.model import AnswerResult
    from bot.storage import DailyPost

log = logging.getLogger(__name__)

ELSEWHERE = "That daily question was posted in another server: answer it where it was posted."


class DailyAnswerButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=DAILY_BUTTON):
    """"Answer privately" on a daily post; works for every member, across restarts."""

    def __init__(self, post_id: int) -> None:
        super().__init__(daily_button(post_id))
        self.post_id = post_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Item[Any],
                             match: re.Match[str]) -> DailyAnswerButton:
        return cls(int(match["post"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await open_form(interaction, self.post_id)
        except Exception as exc:
            await reply_error(interaction, exc)


def post_message(planned: PlannedPost) -> dict[str, Any]:
    question = planned.question
    embed = discord.Embed(title=DAILY_TITLE, description=question.prompt, colour=TEAL)
    embed.set_footer(text=daily_details(question))
    view = view_of(daily_button(planned.post.id))
    role = planned.schedule.ping_role_id
    if role == planned.schedule.guild_id:  # the @everyone role: never, whoever stored it
        role = None
    return {
        "content": f"<@&{role}>" if role else None,
        "embed": embed,
        "view": view,
        "allowed_mentions": discord.AllowedMentions(
            everyone=False, users=False, roles=[discord.Object(role)] if role else False),
    }


async def open_form(interaction: discord.Interaction, post_id: int) -> None:
    bot: PeerPrepBot = interaction.client  # type: ignore[assignment]
    _, question = await answerable(bot, post_id, interaction.guild_id)
    await send_form(interaction, DailyForm(post_id), question.prompt)


@keeps_answer  # an answer that can't be saved goes back to its author
async def on_modal_submit(interaction: discord.Interaction) -> bool:
    form = DailyForm.parse(submitted_id(interaction))
    if form is None:
        return False
    bot: PeerPrepBot = interaction.client  # type: ignore[assignment]
    await interaction.response.defer(ephemeral=True, thinking=True)
    # A post of another server is refused before anyone is created (a forged id).
    post, question = await answerable(bot, form.post_id, interaction.guild_id)
    person = await bot.engine.people.for_discord(interaction.user.id)
    # The answer is the submitter's own (its key and person come from who submitted it,
    # never from the form's id); the post must be this server's, which the engine checks in
    # the transaction that stores the answer.
    result = await bot.engine.answer_daily(
        person.id, question, submitted_text(interaction),
        key=f"daily:{post.id}:{interaction.user.id}", daily_post_id=post.id,
        guild_id=interaction.guild_id)
    for payload in answer_payloads(result, bot.settings.crisis_resources):
        await interaction.followup.send(ephemeral=True, **payload)
    return True


def answer_payloads(result: AnswerResult, crisis_resources: tuple[str, ...]
                    ) -> list[dict[str, Any]]:
    """The guidance on a daily answer, with the same notes as any answer (the streak, a
    freeze earned or spent, a duplicate, a cut answer): sent only to its author."""
    messages = feedback_messages(result.question, result.feedback, crisis_resources)
    note = " ".join(answer_notes(result, Place.EPHEMERAL))
    return [{"content": note if i == 0 else "", "embeds": embeds}
            for i, embeds in enumerate(messages)]


async def answerable(bot: PeerPrepBot, post_id: int, guild_id: int | None
                     ) -> tuple[DailyPost, Question]:
    """The post and its question, answered from ``guild_id``; a UserError if it can't be."""
    try:
        return await bot.daily.to_answer(post_id, guild_id)
    except PostGone:
        raise UserError("That daily question is no longer available.") from None
    except PostElsewhere:
        raise UserError(ELSEWHERE) from None


def is_post_of(message: discord.Message, post_id: int) -> bool:
    """Whether ``message`` is the daily post of row ``post_id`` (its answer button says so)."""
    wanted = daily_button(post_id).custom_id
    for row in message.components:
        for item in getattr(row, "children", [row]):
            if getattr(item, "custom_id", None) == wanted:
                return True
    return False
