"""The base of PeerPrep's in-memory views: owner only, timed, and on the one error path."""

from __future__ import annotations

import contextlib
from typing import Any

import discord

from bot.discord_app.errors import reply_error


class OwnedView(discord.ui.View):
    """Buttons for one person: others get an ephemeral refusal; when the view times out its
    buttons are disabled and its message says ``expired``; errors in a button get the same
    replies as errors in commands."""

    refusal = "These buttons belong to someone else."
    expired: str | None = None

    def __init__(self, owner_id: int, *, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.message: discord.Message | discord.InteractionMessage | None = None

    async def interaction_check(self, interaction: discord.Interaction, /) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(self.refusal, ephemeral=True)
            return False
        return True

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.message is not None:
            changes: dict[str, Any] = {"view": self}
            if self.expired is not None:
                changes["content"] = self.expired
            with contextlib.suppress(discord.HTTPException):  # the message may be gone
                await self.message.edit(**changes)

    async def on_error(self, interaction: discord.Interaction, error: Exception,
                       item: discord.ui.Item[Any], /) -> None:
        await reply_error(interaction, error)
