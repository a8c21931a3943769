"""/daily commands and the scheduler that posts each guild's question at its local time.

The loop never dies: each guild's post is tried on its own, failures are logged, and a
guild whose channel is gone or forbidden is paused with the reason for /daily status.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from datetime import timedelta
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.bank import TOPICS
from bot.daily.pacing import Pacer
from bot.daily.schedule import parse_time
from bot.daily.service import DailyService, PlannedPost
from bot.discord_app.checks import require_facilitator
from bot.discord_app.errors import UserError
from bot.discord_app.extensions.daily import _post
from bot.discord_app.extensions.general import timezone_autocomplete, valid_timezone
from bot.storage import DailySchedule

if TYPE_CHECKING:
    from bot.discord_app.client import PeerPrepBot

log = logging.getLogger(__name__)

TOPIC_CHOICES = [app_commands.Choice(name=label, value=key) for key, label in TOPICS.items()]
# Discord allows 50 requests a second in all; the fan-out keeps a margin for interactions.
FANOUT_RATE = 47.5
FANOUT_CAP = 48
CONCURRENCY = 8
RETRY_AFTER = timedelta(minutes=1)


class DailyCog(commands.GroupCog, group_name="daily",
               group_description="The daily practice question for this server"):
    def __init__(self, bot: PeerPrepBot, *, poll_seconds: float = 30.0) -> None:
        self.bot = bot
        self.poll_seconds = poll_seconds
        self.service = DailyService(bot.store, bot.bank,
                                    instance=f"{socket.gethostname()}:{os.getpid()}")
        self.pacer = Pacer(FANOUT_RATE, cap=FANOUT_CAP)
        self.wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        super().__init__()

    async def cog_load(self) -> None:
        self._task = asyncio.create_task(self._loop(), name="peerprep-daily")

    async def cog_unload(self) -> None:
        if self._task is not None:
            self._task.cancel()

    # -- the scheduler -----------------------------------------------------------------------

    async def _loop(self) -> None:
        await self.bot.wait_until_ready()
        while not self.bot.is_closed():
            try:
                await self.tick()
            except Exception:  # the loop must outlive any single failure
                log.exception("daily scheduler tick failed; trying again shortly")
            pause = await self._sleep_for()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=pause)
            self.wake.clear()

    async def _sleep_for(self) -> float:
        try:
            due = await self.bot.store.daily.next_due_at()
        except Exception:
            log.exception("could not read the next due time")
            return self.poll_seconds
        if due is None:
            return self.poll_seconds
        seconds = (due - self.bot.clock()).total_seconds()
        return max(0.05, min(self.poll_seconds, seconds))

    async def tick(self) -> int:
        """Post every due guild's question; returns how many posts went out."""
        due = await self.bot.store.daily.due(self.bot.clock())
        if not due:
            return 0
        limit = asyncio.Semaphore(CONCURRENCY)

        async def one(schedule: DailySchedule) -> bool:
            async with limit:
                try:
                    return await self.post_due(schedule)
                except Exception:
                    log.exception("daily post for guild %s failed", schedule.guild_id)
                    return False

        results = await asyncio.gather(*(one(s) for s in due))
        return sum(results)

    async def post_due(self, schedule: DailySchedule, *, make_up: bool = False
                       ) -> bool:
        planned = await self.service.plan(schedule, self.bot.clock(), make_up=make_up)
        if planned is None:
            return False  # another process posted (or is posting) this day
        return await self.send(planned)

    async def send(self, planned: PlannedPost) -> bool:
        schedule, post = planned.schedule, planned.post
        channel = self.bot.get_partial_messageable(schedule.channel_id,
                                                   guild_id=schedule.guild_id)
        await self.pacer.acquire()
        try:
            message = await channel.send(**_post.post_message(planned))
        except (discord.Forbidden, discord.NotFound) as exc:
            problem = _problem(exc, schedule.channel_id)
            log.warning("daily posts paused in guild %s: %s", schedule.guild_id, problem)
            await self.bot.store.daily.mark_failed(post.id, problem)
            await self.bot.store.daily.set_paused(schedule.guild_id, True, problem)
            return False
        except discord.HTTPException as exc:
            # Discord trouble that may pass: give the day back so the next tick retries.
            log.warning("daily post for guild %s failed (%s); will retry", schedule.guild_id,
                        exc.status)
            await self.bot.store.daily.release(post.id)
            await self.bot.store.daily.set_paused(
                schedule.guild_id, False, None,
                next_due_at=self.bot.clock() + RETRY_AFTER)
            return False
        await self.bot.store.daily.mark_posted(post.id, message.channel.id, message.id)
        if schedule.discussion_thread:
            try:
                await self.pacer.acquire()
                await message.create_thread(name=f"Discuss: {planned.question.id}",
                                            auto_archive_duration=1440)
            except discord.HTTPException as exc:
                log.info("no discussion thread in guild %s (%s)", schedule.guild_id, exc.status)
        return True

    # -- commands ------------------------------------------------------------------------------

    @app_commands.command(name="setup")
    @app_commands.describe(
        channel="Where the question is posted", time="Local time, 24-hour, like 09:00",
        timezone="The server's time zone, like America/Chicago",
        topic="Only questions on this topic", ping_role="A role to mention with each post",
        discussion_thread="Open a thread under each post for discussion",
    )
    @app_commands.choices(topic=TOPIC_CHOICES)
    @app_commands.autocomplete(timezone=timezone_autocomplete)
    @app_commands.rename(ping_role="ping-role", discussion_thread="discussion-thread")
    @app_commands.guild_only()
    async def setup(self, interaction: discord.Interaction, channel: discord.TextChannel,
                    time: str, timezone: str, topic: str | None = None,
                    ping_role: discord.Role | None = None,
                    discussion_thread: bool = False) -> None:
        """Post a practice question every day at a set local time."""
        await require_facilitator(interaction, self.bot.store)
        try:
            at = parse_time(time)
        except ValueError as exc:
            raise UserError(f"{exc}.") from None
        if not valid_timezone(timezone):
            raise UserError("Pick a time zone from the list, e.g. America/New_York.")
        assert interaction.guild_id is not None
        saved = await self.service.setup(DailySchedule(
            interaction.guild_id, channel.id, at.strftime("%H:%M"), timezone, topic,
            ping_role.id if ping_role else None, discussion_thread, False, None,
            self.bot.clock()), self.bot.clock())
        self.wake.set()
        await interaction.response.send_message(
            f"Daily questions will go to {channel.mention} at {saved.local_time} "
            f"({timezone}); the first one {discord.utils.format_dt(saved.next_due_at, 'R')}.",
            ephemeral=True)

    @app_commands.command(name="status")
    @app_commands.guild_only()
    async def status(self, interaction: discord.Interaction) -> None:
        """When the next question goes out, the last one, and any problem."""
        assert interaction.guild_id is not None
        schedule = await self.bot.store.daily.schedule(interaction.guild_id)
        if schedule is None:
            await interaction.response.send_message(
                "No daily question is set up here. A facilitator can start one with "
                "/daily setup.", ephemeral=True)
            return
        last = await self.bot.store.daily.last_post(interaction.guild_id)
        embed = discord.Embed(title="Daily question", colour=_post.TEAL)
        embed.add_field(name="Channel", value=f"<#{schedule.channel_id}>")
        embed.add_field(name="Time", value=f"{schedule.local_time} ({schedule.timezone})")
        embed.add_field(name="Topic", value=TOPICS.get(schedule.topic or "", "All topics"))
        state = "paused" if schedule.paused else (
            f"next {discord.utils.format_dt(schedule.next_due_at, 'F')}")
        embed.add_field(name="Status", value=state, inline=False)
        if last is not None:
            embed.add_field(name="Last post",
                            value=f"{last.post_date.isoformat()} · `{last.question_id}` · "
                                  f"{last.status}", inline=False)
        if schedule.problem:
            embed.add_field(name="Problem", value=schedule.problem[:1024], inline=False)
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="pause")
    @app_commands.guild_only()
    async def pause(self, interaction: discord.Interaction) -> None:
        """Stop posting until /daily resume."""
        schedule = await self._schedule(interaction)
        await self.bot.store.daily.set_paused(schedule.guild_id, True, None)
        await interaction.response.send_message("Daily questions are paused.", ephemeral=True)

    @app_commands.command(name="resume")
    @app_commands.guild_only()
    async def resume(self, interaction: discord.Interaction) -> None:
        """Start posting again (also after fixing a problem /daily status shows)."""
        schedule = await self._schedule(interaction)
        saved = await self.service.setup(schedule, self.bot.clock())
        self.wake.set()
        await interaction.response.send_message(
            f"Daily questions resume {discord.utils.format_dt(saved.next_due_at, 'R')}.",
            ephemeral=True)

    @app_commands.command(name="post-now")
    @app_commands.guild_only()
    async def post_now(self, interaction: discord.Interaction) -> None:
        """Post today's question now, if it hasn't gone out yet."""
        schedule = await self._schedule(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        planned = await self.service.plan(schedule, self.bot.clock(), make_up=True)
        if planned is None:
            await interaction.followup.send("Today's question has already been posted.",
                                            ephemeral=True)
            return
        sent = await self.send(planned)
        await interaction.followup.send(
            f"Posted in <#{schedule.channel_id}>." if sent else
            "I couldn't post it: /daily status says why.", ephemeral=True)

    async def _schedule(self, interaction: discord.Interaction) -> DailySchedule:
        await require_facilitator(interaction, self.bot.store)
        assert interaction.guild_id is not None
        schedule = await self.bot.store.daily.schedule(interaction.guild_id)
        if schedule is None:
            raise UserError("No daily question is set up here yet: use /daily setup.")
        return schedule


def _problem(exc: discord.HTTPException, channel_id: int) -> str:
    if isinstance(exc, discord.NotFound):
        return (f"The channel <#{channel_id}> no longer exists. Choose another with "
                "/daily setup.")
    return (f"I'm not allowed to post in <#{channel_id}>. Give me View Channel, Send Messages "
            "and Embed Links there, then /daily resume.")
