"""The bot: owns nothing but references; the entry point opens the resources and passes them in."""

from __future__ import annotations

import gc
import logging
from collections.abc import Awaitable, Callable

import discord
from discord.ext import commands

from bot.bank import Bank
from bot.clock import Clock, utcnow
from bot.core.records import ShardSet
from bot.daily.service import DailyService
from bot.discord_app.errors import PeerPrepTree, reply_error
from bot.discord_app.extensions import EXTENSIONS
from bot.discord_app.instances import has_ended, this_instance
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


def shards_of(settings: Settings) -> ShardSet | None:
    """The shards whose servers this process schedules daily posts for (None: all, when it
    runs every shard)."""
    if settings.shard_count is None or settings.shard_ids is None:
        return None
    return ShardSet(settings.shard_count, frozenset(settings.shard_ids))


class PeerPrepBot(commands.AutoShardedBot):
    """The bot, over the shards SHARD_IDS names of SHARD_COUNT (default: every shard of
    Discord's recommended count). Several processes may share one database, each running
    its own shards: Discord sends a server's events only to its shard, and DMs to shard 0.
    Nothing a person does is kept in a process's memory, so an interview, its buttons and
    forms work whichever process receives them."""

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
            shard_count=settings.shard_count,
            # None (discord.py's own default, which its type hint leaves out): every shard.
            shard_ids=(None if settings.shard_ids is None  # type: ignore[arg-type]
                       else list(settings.shard_ids)),
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
        self.daily = DailyService(store, bank, instance=this_instance(),
                                  shards=shards_of(settings), has_ended=has_ended)
        # Form submissions are routed by custom_id prefix to the extension that owns them.
        # Forms are not kept in memory, so one opened before a restart still works after it.
        self.form_handlers: dict[str, FormHandler] = {}

    async def launch_shards(self) -> None:
        if self.shard_count is None and not self.is_closed():
            # Discord's recommended count, which discord.py would ask for too; asked here so
            # that it then connects to DISCORD_GATEWAY_URL (a proxy, if one is set) and not
            # to the address in Discord's answer.
            self.shard_count, _, _ = await self.http.get_bot_gateway()
        await super().launch_shards()

    async def setup_hook(self) -> None:
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.sync_commands and self.runs_shard_zero:
            await self.sync_tree()

    @property
    def runs_shard_zero(self) -> bool:
        """Whether this process runs shard 0 (every process does unless SHARD_IDS says not).
        Slash commands belong to the application, not to a shard: the process with shard 0
        sends them, once, rather than every process of a deployment at every start."""
        return self.settings.shard_ids is None or 0 in self.settings.shard_ids

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
        log.info("connected as %s (%s) to %d guild(s) on shard(s) %s of %s", self.user,
                 getattr(self.user, "id", "?"), len(self.guilds),
                 ",".join(map(str, sorted(self.shards))), self.shard_count)

    async def on_shard_ready(self, shard_id: int) -> None:
        log.info("shard %d of %s is ready", shard_id, self.shard_count)
