"""/privacy export and /privacy delete: a person's data is theirs."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.cogs import PeerPrepCog, acknowledge
from bot.discord_app.views import OwnedView
from bot.retention import SWEEP_EVERY, forget_expired_text

if TYPE_CHECKING:
    from bot.discord_app.client import PeerPrepBot

log = logging.getLogger(__name__)
CONFIRM_SECONDS = 60
DELETED = ("Done: your answers, scores, streaks, interviews and cohort memberships are "
           "deleted.")


class ConfirmDelete(OwnedView):
    """Owner-only confirmation; the buttons disable themselves when it times out."""

    refusal = "This isn't your confirmation."
    expired = "Deletion not confirmed; nothing was deleted."

    def __init__(self, bot: PeerPrepBot, owner_id: int) -> None:
        super().__init__(owner_id, timeout=CONFIRM_SECONDS)
        self.bot = bot

    @discord.ui.button(label="Delete everything", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction,
                      button: discord.ui.Button[Any]) -> None:
        await acknowledge(interaction)  # deleting writes: it may wait for the database
        person = await self.bot.store.people.find_discord(interaction.user.id)
        if person is not None:
            await self.bot.store.people.delete(person.id)
        self.stop()  # only once it is done: after an error the person can press again
        await interaction.edit_original_response(content=DELETED, view=None)

    @discord.ui.button(label="Keep my data", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction,
                     button: discord.ui.Button[Any]) -> None:
        self.stop()
        await interaction.response.edit_message(content="Nothing was deleted.", view=None)


class Privacy(PeerPrepCog, commands.GroupCog, group_name="privacy",
              group_description="Your data: export it or delete it"):
    """The /privacy commands, and the sweep that blanks answer text past the retention
    period (ANSWER_RETENTION_DAYS) once the bot is ready and every few hours after."""

    _sweeper: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        self._sweeper = asyncio.create_task(self._sweep_forever(), name="peerprep-retention")

    async def cog_unload(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()

    async def sweep(self) -> int:
        return await forget_expired_text(self.bot.store, self.bot.clock(),
                                         self.bot.settings.answer_retention_days)

    async def _sweep_forever(self) -> None:
        await self.bot.wait_until_ready()
        while not self.bot.is_closed():
            try:
                await self.sweep()
            except Exception:  # a busy database, say: the next sweep catches up
                log.exception("the retention sweep failed; it runs again later")
            await asyncio.sleep(SWEEP_EVERY.total_seconds())

    @app_commands.command(name="export")
    async def export(self, interaction: discord.Interaction) -> None:
        """Everything PeerPrep stores about you, as a JSON file only you can see."""
        person = await self.bot.store.people.find_discord(interaction.user.id)
        data = await self.bot.store.people.export(person.id) if person else {}
        payload = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
        file = discord.File(io.BytesIO(payload), filename="peerprep-my-data.json")
        await interaction.followup.send("Here is everything PeerPrep stores about you.",
                                        file=file, ephemeral=True)

    @app_commands.command(name="leaderboard")
    @app_commands.describe(choice="hide: take me off every leaderboard; show: put me back")
    async def leaderboard(self, interaction: discord.Interaction,
                          choice: Literal["hide", "show"]) -> None:
        """Take yourself off every leaderboard, or back on."""
        person = await self.bot.store.people.for_discord(interaction.user.id)
        await self.bot.store.people.set_hidden(person.id, choice == "hide")
        await interaction.followup.send(
            "You are hidden from every leaderboard." if choice == "hide" else
            "You appear on leaderboards again.", ephemeral=True)

    @app_commands.command(name="delete")
    async def delete(self, interaction: discord.Interaction) -> None:
        """Delete everything PeerPrep stores about you (asks to confirm)."""
        view = ConfirmDelete(self.bot, interaction.user.id)
        view.message = await interaction.followup.send(
            "This deletes your answers, scores, streaks, interviews and cohort memberships, "
            "for good. Are you sure?", view=view, ephemeral=True, wait=True)


async def setup(bot: PeerPrepBot) -> None:
    await bot.add_cog(Privacy(bot))
