"""The base of PeerPrep's cogs, which holds Discord's 3-second deadline for every command.

Discord forgets an interaction that gets no first response within 3 seconds: the person sees
"The application did not respond" and the reply is lost. A command that touches the database
can't promise that (another writer may hold the lock), so every slash command of these cogs
is acknowledged before its checks and body run, with a "thinking…" reply only its user sees,
and answers with follow-ups. The one response that can't wait like this is a form, which must
be the first response: components that open one read only, on the read-only connection.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.discord_app.errors import InteractionExpired

if TYPE_CHECKING:
    from bot.discord_app.client import PeerPrepBot

log = logging.getLogger(__name__)
UNKNOWN_INTERACTION = 10062
ALREADY_ACKNOWLEDGED = 40060


async def acknowledge(interaction: discord.Interaction) -> None:
    """Acknowledge now, answer later: "thinking…" for a command, a silent acknowledgement for
    a component (its message is then edited or followed up). Both only the user sees."""
    if interaction.response.is_done():
        return
    try:
        await interaction.response.defer(ephemeral=True, thinking=(
            interaction.type is discord.InteractionType.application_command))
    except discord.HTTPException as exc:
        if exc.code == ALREADY_ACKNOWLEDGED:
            # Another session of this shard answered it first (two processes running one
            # shard while a restart overlaps): that process runs the command; this one
            # must not run it again nor apologise for it.
            log.info("an interaction was acknowledged by another session; left to it")
            raise InteractionExpired("the interaction was acknowledged elsewhere") from None
        if not isinstance(exc, discord.NotFound) or exc.code != UNKNOWN_INTERACTION:
            raise
        # Delivered too late (a slow gateway, or a bot too busy to read it in 3 s): the
        # person sees "did not respond" and tries again; nothing more can reach them here.
        log.warning("an interaction expired before it could be acknowledged (%s); "
                    "its command was not run", exc.text or "unknown interaction")
        raise InteractionExpired("the interaction expired") from None


class PeerPrepCog(commands.Cog):
    """Every slash command of the cog is acknowledged first and answers with follow-ups."""

    def __init__(self, bot: PeerPrepBot) -> None:
        self.bot = bot
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        await acknowledge(interaction)
        return True
