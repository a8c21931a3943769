"""The bot: owns nothing but references; the entry point opens the resources and passes them in."""

from __future__ import annotations

import gc
import logging
import os
import socket
from collections.abc import Awaitable, Callable

import discord
from discord.ext import commands

from bot.bank import Bank
from bot.clock import Clock, utcnow
from bot.daily.service import DailyService
from bot.discord_app.errors import PeerPrepTree, reply_error
from bot.discord_app.extensions import EXTENSIONS
from bot.interview.engine import InterviewService
from bot.progress.standings import Standings
from bot.settings import Settings
from bot.storage import Store

log = logging.getLogger(__name__)
FormHandler = Callable[[discord.Interaction], Awaitable[object]]

# A scheduled job must never hang on a long rate limit; this is the most it may wait.
MAX_RATELIMIT_WAIT = 60.0


def intents() -> discord.Intents:
    """Guilds and DM messages only: no privileged intent. DM text reaches bots without the
    Message Content intent."""
    wanted = discord.Intents.none()
    wanted.guilds = True
    wanted.dm_messages = True
    return wanted


class PeerPrepBot(commands.Bot):
    def __init__(self, settings: Settings, bank: Bank, store: Store, *,
                 clock: Clock = utcnow, guild_ready_timeout: float = 2.0,
                 sync_commands: bool = True, daily_poll_seconds: float = 30.0) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,  # no text commands; slash commands only
            help_command=None,
            intents=intents(),
            tree_cls=PeerPrepTree,
            allowed_mentions=discord.AllowedMentions.none(),
            max_ratelimit_timeout=MAX_RATELIMIT_WAIT,
            guild_ready_timeout=guild_ready_timeout,
            member_cache_flags=discord.MemberCacheFlags.none(),
            max_messages=None,  # no message cache: every interaction carries what it needs
            chunk_guilds_at_startup=False,
        )
        self.settings = settings
        self.bank = bank
        self.store = store
        self.clock = clock
        self.sync_commands = sync_commands
        self.daily_poll_seconds = daily_poll_seconds
        self.engine = InterviewService(store, bank, default_timezone=settings.default_timezone,
                                       follow_ups=settings.follow_ups, clock=clock)
        self.standings = Standings(self.engine, store)
        self.daily = DailyService(store, bank, instance=f"{socket.gethostname()}:{os.getpid()}")
        # Form submissions are routed by custom_id prefix to the extension that owns them.
        # Forms are not kept in memory, so one opened before a restart still works after it.
        self.form_handlers: dict[str, FormHandler] = {}

    async def setup_hook(self) -> None:
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.sync_commands:
            await self.sync_tree()

    async def sync_tree(self) -> None:
        guild_id = self.settings.dev_guild_id
        if guild_id:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to the development guild %s", len(synced), guild_id)
        else:
            synced = await self.tree.sync()
            log.info("synced %d global commands", len(synced))

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type is not discord.InteractionType.modal_submit:
            return
        data: dict[str, object] = dict(interaction.data or {})
        prefix, _, rest = str(data.get("custom_id", "")).partition(":")
        handler = self.form_handlers.get(rest.partition(":")[0])
        if prefix != "peerprep" or handler is None:
            return
        try:
            await handler(interaction)
        except Exception as exc:
            await reply_error(interaction, exc)

    async def on_ready(self) -> None:
        # What exists once connected (the bank, compiled cues, discord.py's caches) lives as
        # long as the process: leave it out of the garbage collector's full passes, which
        # otherwise walk all of it again and again while a cohort answers at once.
        gc.freeze()
        log.info("connected as %s (%s) to %d guild(s)", self.user, getattr(self.user, "id", "?"),
                 len(self.guilds))
