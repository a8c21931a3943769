"""Permission checks done in code: ``default_permissions`` is only a hint to Discord clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import discord
from discord import app_commands

from bot.storage import Store

T = TypeVar("T")


def can_manage(interaction: discord.Interaction) -> bool:
    perms = interaction.permissions
    return bool(perms.manage_guild or perms.administrator)


def manage_server() -> Callable[[T], T]:
    async def predicate(interaction: discord.Interaction) -> bool:
        if interaction.guild is None:
            raise app_commands.NoPrivateMessage
        if not can_manage(interaction):
            raise app_commands.CheckFailure("You need the Manage Server permission for that.")
        return True

    return app_commands.check(predicate)


async def require_facilitator(interaction: discord.Interaction, store: Store) -> None:
    """Facilitators: the guild's facilitator role, or Manage Server. Raises CheckFailure."""
    if interaction.guild is None:
        raise app_commands.NoPrivateMessage
    if can_manage(interaction):
        return
    settings = await store.guilds.get(interaction.guild.id)
    role_id = settings.facilitator_role_id
    user = interaction.user
    if role_id and isinstance(user, discord.Member) and any(r.id == role_id for r in user.roles):
        return
    raise app_commands.CheckFailure(
        "Only facilitators can do that: the server's facilitator role (see /config "
        "facilitator-role) or the Manage Server permission.")
