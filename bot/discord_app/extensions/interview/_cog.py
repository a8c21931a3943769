"""/interview commands, DM replies and answer forms."""

from __future__ import annotations

import logging
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.bank import BANKS, TOPICS
from bot.discord_app.cogs import PeerPrepCog
from bot.discord_app.errors import UserError, user_message
from bot.discord_app.extensions.interview import _flow
from bot.discord_app.forms import share_button
from bot.discord_app.posted import remember
from bot.interview.engine import MAX_QUESTIONS
from bot.interview.model import Interview
from bot.interview.place import Place

log = logging.getLogger(__name__)

BANK_CHOICES = [app_commands.Choice(name="All questions", value="all")] + [
    app_commands.Choice(name=label, value=key) for key, label in BANKS.items()
]
TOPIC_CHOICES = [app_commands.Choice(name=label, value=key) for key, label in TOPICS.items()]
THREAD_NAME = "Interview practice · {name}"
CANNOT_DM = 50007  # Discord's "Cannot send messages to this user"
DMS_CLOSED = ("I couldn't send you a DM: your privacy settings for this server don't allow "
              "direct messages (you can allow them in the server's Privacy Settings).")
Destination = discord.DMChannel | discord.Thread


class InterviewCog(PeerPrepCog, commands.GroupCog, group_name="interview",
                   group_description="Mock interviews with guidance after every answer"):
    @app_commands.command(name="start")
    @app_commands.describe(
        bank="Which question bank (default: all)",
        topic="Only questions on this topic",
        questions=f"How many questions (1-{MAX_QUESTIONS}, default 5)",
        where="In your DMs, or here (a private thread in a server)",
        follow_ups="Follow-up questions on points an answer missed (default: on)",
    )
    @app_commands.choices(bank=BANK_CHOICES, topic=TOPIC_CHOICES)
    async def start(
        self, interaction: discord.Interaction, bank: str = "all", topic: str | None = None,
        questions: app_commands.Range[int, 1, MAX_QUESTIONS] = 5,
        where: Literal["dm", "here"] = "here", follow_ups: bool = True,
    ) -> None:
        """Start a mock interview."""
        person = await self.bot.engine.people.for_discord(interaction.user.id)
        if interaction.guild is None or where == "dm":
            place, channel = await self._open_dm(interaction)
        else:
            place, channel = await self._open_thread(interaction)
        started = await self.bot.engine.start(
            person.id, bank=bank, topic=topic, count=questions, place=place,
            guild_id=interaction.guild_id,
            channel_id=channel.id if channel is not None else interaction.channel_id,
            follow_ups=follow_ups,
        )
        interview = started.interview
        note = "Your previous interview was saved and closed. " if started.stopped else ""
        try:
            await self._show_first_question(interaction, interview, channel, note)
        except discord.Forbidden as exc:
            if place is not Place.DM or exc.code != CANNOT_DM:
                raise
            # Their DMs are closed to this server. The interview moves here rather than
            # staying open in a DM nobody can reach.
            place, channel = await self._open_thread(interaction)
            moved = await self.bot.engine.relocate(
                interview.id, place, channel.id if channel is not None else interaction.channel_id)
            if moved is None:
                raise UserError(DMS_CLOSED + " /interview start where:here runs it here.") from None
            await self._show_first_question(interaction, moved, channel,
                                            f"{note}{DMS_CLOSED} So I started it here instead. ")

    async def _show_first_question(self, interaction: discord.Interaction, interview: Interview,
                                   channel: Destination | None, note: str) -> None:
        """The first question where the interview runs, and to the person, where that is."""
        embeds, view, hint = _flow.question_message(
            self.bot, interview, interaction.user.id, shown_in_place=True)
        if channel is None:
            await interaction.followup.send(
                note + "I couldn't open a private thread here, so this interview runs in "
                "messages only you can see.", ephemeral=True)
            await interaction.followup.send(embeds=embeds, view=view, ephemeral=True)
            return
        await remember(self.bot, interaction.user.id,
                       await channel.send(content=hint, embeds=embeds, view=view))
        if interaction.guild is None:
            text = f"{note}Here we go: {interview.total} question(s)."
        else:
            where = "in your DMs" if isinstance(channel, discord.DMChannel) else (
                f"in {channel.mention}")
            text = f"{note}Your interview ({interview.total} question(s)) is {where}."
        await interaction.followup.send(text, ephemeral=True)

    async def _open_dm(self, interaction: discord.Interaction
                       ) -> tuple[Place, Destination | None]:
        if isinstance(interaction.channel, discord.DMChannel):
            return Place.DM, interaction.channel
        try:
            return Place.DM, await interaction.user.create_dm()
        except discord.HTTPException:
            return await self._open_thread(interaction)

    async def _open_thread(self, interaction: discord.Interaction
                           ) -> tuple[Place, Destination | None]:
        guild = interaction.guild
        if guild is None:  # e.g. a group DM: no thread to open, no DM of our own
            return Place.EPHEMERAL, None
        settings = await self.bot.store.guilds.get(guild.id)
        parent = guild.get_channel(settings.training_channel_id or 0) or interaction.channel
        if not isinstance(parent, discord.TextChannel):
            return Place.EPHEMERAL, None
        try:
            thread = await parent.create_thread(
                name=THREAD_NAME.format(name=interaction.user.display_name)[:100],
                # Invitable: guidance here is only ever seen by the trainee unless they share
                # it, so they may @mention their facilitator in to read what they share.
                type=discord.ChannelType.private_thread, invitable=True,
                auto_archive_duration=1440,
            )
            await thread.add_user(interaction.user)
        except discord.HTTPException as exc:
            log.info("no private thread in guild %s (%s); using ephemeral messages",
                     guild.id, exc.status)
            return Place.EPHEMERAL, None
        return Place.THREAD, thread

    @app_commands.command(name="stop")
    async def stop(self, interaction: discord.Interaction) -> None:
        """End your current interview and see its summary."""
        interview = await self._active(interaction)
        summary = await self.bot.engine.end(interview.id, person_id=interview.person_id)
        await _flow.send_summary(interaction, summary, ephemeral=True)

    @app_commands.command(name="resume")
    async def resume(self, interaction: discord.Interaction) -> None:
        """Show the question your interview is waiting on."""
        interview = await self._active(interaction)
        if interview.current_answered:
            view = _flow.feedback_view(interview, interaction.user.id)
            answer_id = await self.bot.engine.current_answer_id(interview)
            if answer_id is not None and _flow.shareable(interaction, interview):
                # In its thread, the guidance can still be shared after the message that
                # carried it is gone (messages only you can see vanish on a reload).
                view.add_item(share_button(answer_id))
            follow_up = _flow.follow_up_embed(interview)
            await interaction.followup.send(
                "You've answered the current question: choose what's next.",
                embeds=[follow_up] if follow_up else [], view=view, ephemeral=True)
            return
        embeds, view, _ = _flow.question_message(self.bot, interview, interaction.user.id)
        await interaction.followup.send(embeds=embeds, view=view, ephemeral=True)

    @app_commands.command(name="history")
    async def history(self, interaction: discord.Interaction) -> None:
        """Your recent interviews and their scores."""
        person = await self.bot.engine.people.for_discord(interaction.user.id)
        recent = await self.bot.engine.recent(person.id, limit=10)
        if not recent:
            await interaction.followup.send("No interviews yet: /interview start begins one.",
                                            ephemeral=True)
            return
        lines = []
        for interview, average in recent:
            when = discord.utils.format_dt(interview.started_at, "R")
            done = sum(o != "pending" for o in interview.outcomes)
            score = f"average **{average}**/100" if average is not None else "no answers"
            lines.append(f"{when}: {done}/{interview.total} questions, {score} "
                         f"({interview.status})")
        embed = discord.Embed(title="Your recent interviews", description="\n".join(lines),
                              colour=_flow.TEAL)
        await interaction.followup.send(embed=embed, ephemeral=True)

    async def _active(self, interaction: discord.Interaction) -> Interview:
        person = await self.bot.engine.people.for_discord(interaction.user.id)
        interview = await self.bot.engine.active(person.id)
        if interview is None:
            raise UserError("You have no interview in progress. /interview start begins one.")
        return interview

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.guild is not None or message.author.bot or not message.content:
            return
        if message.author.id == getattr(self.bot.user, "id", None):
            return
        try:
            await _flow.on_dm_message(self.bot, message)
        except Exception as exc:
            text = user_message(exc)
            if text is None:
                log.exception("DM answer failed")
                text = "Sorry, something went wrong on PeerPrep's side; please try again."
            await remember(self.bot, message.author.id, await message.channel.send(text))

