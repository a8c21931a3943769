"""/daily commands and the scheduler that posts each guild's question at its local time.

The loop never dies: each guild's post is tried on its own, failures are logged, and a
guild whose channel is gone or forbidden is paused with the reason for /daily status. A
trouble that may pass (a long rate limit, a dropped connection, a Discord error) makes the
same day due again later, each wait longer than the one before; so does any other failure
of one guild, so it can't spin the loop. bot/daily/service.py says in which order a day is
claimed, sent and settled so that it is posted exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
from datetime import timedelta
from typing import TYPE_CHECKING

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot.bank import TOPICS
from bot.core.records import Claim
from bot.daily.pacing import share_of_limit
from bot.daily.retry import Backoff
from bot.daily.schedule import parse_time
from bot.daily.service import PlannedPost
from bot.discord_app.checks import require_facilitator
from bot.discord_app.cogs import PeerPrepCog
from bot.discord_app.errors import UserError, echo
from bot.discord_app.extensions.daily import _post
from bot.discord_app.options import timezone_autocomplete, timezone_option
from bot.storage import DailySchedule, StorageError
from bot.storage.errors import for_operator

if TYPE_CHECKING:
    from bot.discord_app.client import PeerPrepBot

log = logging.getLogger(__name__)

TOPIC_CHOICES = [app_commands.Choice(name=label, value=key) for key, label in TOPICS.items()]
# Discord allows 50 requests a second in all, to all the bot's processes together; the
# fan-out keeps a margin for interactions, and each process takes its shards' share.
FANOUT_RATE = 47.5
FANOUT_CAP = 48
CONCURRENCY = 8
# Waits before the same guild is tried again: 1, 2, 4 ... minutes, at most half an hour.
RETRY_FIRST = timedelta(minutes=1)
RETRY_CAP = timedelta(minutes=30)
# The most one request of a post may take (seconds); well inside STALE_CLAIM, so a live
# process never holds a claim long enough for another to take it over.
SEND_TIMEOUT = 90.0
# How far back to look for the message of an earlier try that may be out unrecorded.
HISTORY = 50
# Troubles that may pass. RateLimited (a wait over max_ratelimit_timeout) and network
# errors are not HTTPExceptions; Forbidden and NotFound are caught before these.
TRANSIENT = (discord.HTTPException, discord.RateLimited, aiohttp.ClientError, OSError,
             asyncio.TimeoutError)


class Sent(enum.Enum):
    POSTED = "posted"
    PAUSED = "paused"  # needs a person: the reason is in /daily status
    LATER = "later"  # a trouble that may pass: tried again after a wait


class DailyCog(PeerPrepCog, commands.GroupCog, group_name="daily",
               group_description="The daily practice question for this server"):
    """The schedule loop, and /daily commands (acknowledged first, as in every PeerPrep cog:
    they read or write the database before they can answer)."""

    def __init__(self, bot: PeerPrepBot, *, poll_seconds: float = 30.0) -> None:
        self.poll_seconds = poll_seconds
        self.service = bot.daily
        self.pacer = share_of_limit(FANOUT_RATE, FANOUT_CAP, self.service.shards)
        self.backoff = Backoff(RETRY_FIRST, RETRY_CAP)
        self.wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._tick_failures = 0
        super().__init__(bot)

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
                self._tick_failures = 0
            except StorageError as exc:  # one line: what is wrong and what to do
                self._tick_failures += 1
                log.warning("daily scheduler tick failed; trying again shortly: %s",
                            for_operator(exc))
            except Exception:  # the loop must outlive any single failure
                self._tick_failures += 1
                log.exception("daily scheduler tick failed; trying again shortly")
            pause = await self._sleep_for()
            if self._tick_failures:  # e.g. the database is unreadable: don't hammer it
                pause = max(pause, min(self.poll_seconds,
                                       0.5 * 2 ** min(self._tick_failures, 10)))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=pause)
            self.wake.clear()

    async def _sleep_for(self) -> float:
        """Until the next schedule is due or a held guild may be tried again."""
        now = self.bot.clock()
        holds = self.backoff.holds(now)
        try:
            due = await self.service.next_due_at(excluding=holds.keys())
        except Exception:
            log.exception("could not read the next due time")
            return self.poll_seconds
        waits = [self.poll_seconds, *((t - now).total_seconds() for t in holds.values())]
        if due is not None:
            waits.append((due - now).total_seconds())
        return max(0.05, min(waits))

    async def tick(self) -> int:
        """Post every due guild's question; returns how many posts went out."""
        now = self.bot.clock()
        # Held guilds are left out in SQL, so however many there are, the rest get a turn.
        due = await self.service.due(now, excluding=self.backoff.holds(now).keys())
        if not due:
            return 0
        limit = asyncio.Semaphore(CONCURRENCY)

        async def one(schedule: DailySchedule) -> bool:
            async with limit:
                try:
                    return await self.post_due(schedule)
                except Exception as exc:
                    retry_at = self.backoff.failed(schedule.guild_id, self.bot.clock())
                    if isinstance(exc, StorageError):  # one line, no traceback
                        log.warning("daily post for guild %s failed; next try after %s: %s",
                                    schedule.guild_id, retry_at, for_operator(exc))
                    else:
                        log.exception("daily post for guild %s failed; next try after %s",
                                      schedule.guild_id, retry_at)
                    return False

        results = await asyncio.gather(*(one(s) for s in due))
        return sum(results)

    async def post_due(self, schedule: DailySchedule) -> bool:
        planned = await self.service.plan(schedule, self.bot.clock())
        if isinstance(planned, Claim):
            if planned.post.status == "posted":
                self.backoff.clear(schedule.guild_id)
            else:  # another process is posting it: look again once its claim could be stale
                self.backoff.hold(schedule.guild_id, planned.stale_at + timedelta(seconds=1))
            return False
        return await self.send(planned) is Sent.POSTED

    async def send(self, planned: PlannedPost) -> Sent:
        schedule = planned.schedule
        guild_id = schedule.guild_id
        channel = self.bot.get_partial_messageable(schedule.channel_id, guild_id=guild_id)
        try:
            message = await self._earlier_message(channel, planned) if planned.retake else None
            if message is None:
                await self.pacer.acquire()
                async with asyncio.timeout(SEND_TIMEOUT):
                    message = await channel.send(**_post.post_message(planned),
                                                 nonce=planned.nonce)
        except (discord.Forbidden, discord.NotFound) as exc:
            problem = _problem(exc, schedule.channel_id)
            log.warning("daily posts paused in guild %s: %s", guild_id, problem)
            await self.service.failed_for_good(planned, problem)
            self.backoff.clear(guild_id)
            return Sent.PAUSED
        except TRANSIENT as exc:
            now = self.bot.clock()
            retry_at = self.backoff.failed(guild_id, now)
            trouble = _trouble(exc)
            log.warning("daily post for guild %s failed (%s); trying again after %s",
                        guild_id, trouble, retry_at)
            await self.service.failed_for_now(planned, trouble, now, retry_at)
            return Sent.LATER
        await self.service.posted(planned, message.channel.id, message.id, self.bot.clock())
        self.backoff.clear(guild_id)
        if schedule.discussion_thread:
            try:
                await self.pacer.acquire()
                await message.create_thread(name=f"Discuss: {planned.question.id}",
                                            auto_archive_duration=1440)
            except TRANSIENT as exc:
                log.info("no discussion thread in guild %s (%s)", guild_id, _trouble(exc))
        return Sent.POSTED

    async def _earlier_message(self, channel: discord.PartialMessageable,
                               planned: PlannedPost) -> discord.Message | None:
        """The message of an earlier try at this day, if it is out although never recorded
        (its process died after the send, or Discord's answer was lost)."""
        me = self.bot.user
        try:
            await self.pacer.acquire()
            async with asyncio.timeout(SEND_TIMEOUT):
                async for message in channel.history(limit=HISTORY):
                    if me is not None and message.author.id == me.id and _post.is_post_of(
                            message, planned.post.id):
                        return message
        except discord.Forbidden:  # no Read Message History: the nonce is the only guard
            log.info("can't read channel %s to look for an earlier post", channel.id)
        return None

    # -- commands ------------------------------------------------------------------------------
    # Every /daily command acknowledges first (ephemeral "thinking"), then checks and touches
    # the database: another writer may hold the database longer than Discord's 3 seconds.

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
        except ValueError:  # its message quotes the whole input: say it with a clipped echo
            raise UserError(f"“{echo(time)}” is not a time like 09:30 (24-hour clock)."
                            ) from None
        timezone = timezone_option(timezone)
        if ping_role is not None:
            check_ping_role(interaction, ping_role)
        assert interaction.guild_id is not None
        now = self.bot.clock()
        saved = await self.service.setup(DailySchedule(
            interaction.guild_id, channel.id, at.strftime("%H:%M"), timezone, topic,
            ping_role.id if ping_role else None, discussion_thread, False, None, now), now)
        self.wake.set()
        first = ("today's, which is still owed, goes out now" if saved.next_due_at <= now
                 else f"the first one {discord.utils.format_dt(saved.next_due_at, 'R')}")
        await interaction.followup.send(
            f"Daily questions will go to {channel.mention} at {saved.local_time} "
            f"({timezone}); {first}.", ephemeral=True)

    @app_commands.command(name="status")
    @app_commands.guild_only()
    async def status(self, interaction: discord.Interaction) -> None:
        """When the next question goes out, the last one, and any problem."""
        await require_facilitator(interaction, self.bot.store)
        assert interaction.guild_id is not None
        schedule = await self.service.schedule(interaction.guild_id)
        if schedule is None:
            await interaction.followup.send(
                "No daily question is set up here. Start one with /daily setup.",
                ephemeral=True)
            return
        last = await self.service.last_post(interaction.guild_id)
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
            if last.status == "failed" and not schedule.paused and last.error:
                embed.add_field(
                    name="Last try",
                    value=f"{last.error[:900]}. I'll try again "
                          f"{discord.utils.format_dt(schedule.next_due_at, 'R')}.",
                    inline=False)
        if schedule.problem:
            embed.add_field(name="Problem", value=schedule.problem[:1024], inline=False)
        await interaction.followup.send(embed=embed, ephemeral=True)

    @app_commands.command(name="pause")
    @app_commands.guild_only()
    async def pause(self, interaction: discord.Interaction) -> None:
        """Stop posting until /daily resume."""
        schedule = await self._schedule(interaction)
        await self.service.pause(schedule.guild_id)
        await interaction.followup.send("Daily questions are paused.", ephemeral=True)

    @app_commands.command(name="resume")
    @app_commands.guild_only()
    async def resume(self, interaction: discord.Interaction) -> None:
        """Start posting again (also after fixing a problem /daily status shows)."""
        schedule = await self._schedule(interaction)
        now = self.bot.clock()
        saved = await self.service.setup(schedule, now)
        self.wake.set()
        await interaction.followup.send(
            "Daily questions resume: today's, which could not go out, goes out now."
            if saved.next_due_at <= now else
            f"Daily questions resume {discord.utils.format_dt(saved.next_due_at, 'R')}.",
            ephemeral=True)

    @app_commands.command(name="post-now")
    @app_commands.guild_only()
    async def post_now(self, interaction: discord.Interaction) -> None:
        """Post today's question now, if it hasn't gone out yet."""
        schedule = await self._schedule(interaction)
        planned = await self.service.plan(schedule, self.bot.clock(), make_up=True)
        if isinstance(planned, Claim):
            await interaction.followup.send(
                "Today's question has already been posted." if planned.post.status == "posted"
                else "Today's question is being posted right now.", ephemeral=True)
            return
        sent = await self.send(planned)
        if sent is Sent.POSTED:
            text = f"Posted in <#{schedule.channel_id}>."
            if schedule.paused and not schedule.problem:
                text += " Daily questions stay paused until /daily resume."
        elif sent is Sent.PAUSED:
            text = "I couldn't post it: /daily status says why."
        else:
            text = ("Discord had trouble just then; /daily status says what. Try /daily "
                    "post-now again in a few minutes.")
        await interaction.followup.send(text, ephemeral=True)

    async def _schedule(self, interaction: discord.Interaction) -> DailySchedule:
        await require_facilitator(interaction, self.bot.store)
        assert interaction.guild_id is not None
        schedule = await self.service.schedule(interaction.guild_id)
        if schedule is None:
            raise UserError("No daily question is set up here yet: use /daily setup.")
        return schedule


def check_ping_role(interaction: discord.Interaction, role: discord.Role) -> None:
    """Discord's own rule for who may mention a role, applied to the member who sets the
    daily ping: a role marked mentionable, or any role with Mention Everyone (Administrator
    includes it) both where the command is used and in the post's channel. ``@everyone``
    never (nor ``@here``, which is not a role): a daily post is no reason to notify a whole
    server. Raises UserError."""
    if role.is_default() or role.id == interaction.guild_id:
        raise UserError("The daily question can't ping @everyone or @here; choose a role "
                        "members opt into, or no ping-role.")
    if role.mentionable:
        return
    # Mention Everyone where the command is used and, as Discord resolved it for this member,
    # in the channel the post goes to (a channel override may take it away there).
    target = getattr(getattr(interaction.namespace, "channel", None), "permissions", None)
    if _may_mention_all(interaction.permissions) and (
            not isinstance(target, discord.Permissions) or _may_mention_all(target)):
        return
    raise UserError(f"You can't mention the role “{echo(role.name)}” yourself (it is not "
                    "mentionable and you don't have Mention Everyone), so the daily question "
                    "can't ping it for you either. Ask an admin to make it mentionable, or "
                    "choose another role.")


def _may_mention_all(perms: discord.Permissions) -> bool:
    return perms.mention_everyone or perms.administrator


def _trouble(exc: BaseException) -> str:
    """What went wrong, in a line for /daily status."""
    if isinstance(exc, discord.RateLimited):
        return f"Discord asked me to wait {exc.retry_after:.0f} s before posting (a rate limit)"
    if isinstance(exc, discord.HTTPException):
        return f"Discord answered {exc.status} {exc.response.reason or ''}".strip()
    if isinstance(exc, TimeoutError):
        return "Discord did not answer in time"
    return f"the connection to Discord failed ({type(exc).__name__})"


def _problem(exc: discord.HTTPException, channel_id: int) -> str:
    if isinstance(exc, discord.NotFound):
        return (f"The channel <#{channel_id}> no longer exists. Choose another with "
                "/daily setup.")
    return (f"I'm not allowed to post in <#{channel_id}>. Give me View Channel, Send Messages "
            "and Embed Links there, then /daily resume.")
