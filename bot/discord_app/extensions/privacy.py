"""/privacy export and /privacy delete: a person's data is theirs."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import zipfile
from typing import TYPE_CHECKING, Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.cogs import PeerPrepCog, acknowledge
from bot.discord_app.errors import UserError
from bot.discord_app.views import OwnedView
from bot.retention import SWEEP_EVERY, forget_expired_text

if TYPE_CHECKING:
    from bot.discord_app.client import PeerPrepBot

log = logging.getLogger(__name__)
CONFIRM_SECONDS = 60
EXPORT_NAME = "peerprep-my-data"
ASK = ("This deletes, for good, your answers and the guidance on them, scores, streaks, "
       "interviews, cohort memberships and invitations, and the messages PeerPrep posted for "
       "you in your DMs and interview threads. Cohorts you created stay for their members, "
       "without your name. Are you sure?")
DELETED = ("Done: your answers, scores, streaks, interviews, cohort memberships and "
           "invitations are deleted")
CANNOT_REACH = (
    "What this can't reach: copies in backups of PeerPrep's database made before now (they "
    "keep your data until the people who run this bot replace them; see docs/PRIVACY.md); "
    "messages you or others wrote yourselves (delete those in Discord); and messages only "
    "you could see, which Discord removes by itself.")


async def delete_posted(bot: PeerPrepBot, posted: list[tuple[int, int]]) -> tuple[int, int]:
    """Delete on Discord the messages (channel id, message id) posted for a person:
    (deleted, out of reach). A message already gone counts as deleted; one in a channel
    PeerPrep can no longer see or use (a server it left, a thread closed to it) is out of
    reach."""
    deleted = unreachable = 0
    for at, (channel_id, message_id) in enumerate(posted):
        message = bot.get_partial_messageable(channel_id).get_partial_message(message_id)
        try:
            await message.delete()
        except discord.NotFound:
            deleted += 1  # already gone, or its channel is
        except discord.RateLimited:  # a very long wait: the rest stay, and the reply says so
            unreachable += len(posted) - at
            break
        except discord.HTTPException as exc:
            log.info("could not delete message %s in channel %s: %s", message_id, channel_id,
                     exc.status)
            unreachable += 1
        else:
            deleted += 1
    return deleted, unreachable


def deleted_reply(deleted: int, unreachable: int, wal_clean: bool) -> str:
    parts = [DELETED + (f", and {deleted} message(s) PeerPrep had posted for you." if deleted
                        else ".")]
    if unreachable:
        parts.append(f"{unreachable} message(s) PeerPrep posted for you are in channels it can "
                     "no longer reach or delete; a server's moderators can remove them.")
    if not wal_clean:
        parts.append("A copy may stay in the database's write-ahead log for a few minutes, "
                     "until its next checkpoint.")
    parts.append(CANNOT_REACH)
    return " ".join(parts)[:2000]


def export_file(payload: bytes, limit: int) -> discord.File:
    """The export as JSON, or zipped when it is larger than Discord lets a bot attach here
    (years of answers); a clear message when even the zip is too large."""
    if len(payload) <= limit:
        return discord.File(io.BytesIO(payload), filename=EXPORT_NAME + ".json")
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(EXPORT_NAME + ".json", payload)
    if packed.tell() > limit:
        raise UserError(
            f"Your data is {packed.tell() / 1e6:.1f} MB even zipped, more than Discord lets "
            f"PeerPrep send here ({limit / 1e6:.0f} MB). Nothing was lost: the people who run "
            "this bot can give you a copy.")
    packed.seek(0)
    return discord.File(packed, filename=EXPORT_NAME + ".zip")


class ConfirmDelete(OwnedView):
    """Owner-only confirmation; the buttons disable themselves when it times out."""

    refusal = "This isn't your confirmation."
    expired = "Deletion not confirmed; nothing was deleted."

    def __init__(self, bot: PeerPrepBot, owner_id: int) -> None:
        super().__init__(owner_id, timeout=CONFIRM_SECONDS)
        self.bot = bot
        self.working = False

    async def on_timeout(self) -> None:
        if not self.working:
            await super().on_timeout()

    @discord.ui.button(label="Delete everything", style=discord.ButtonStyle.danger)
    async def confirm(self, interaction: discord.Interaction,
                      button: discord.ui.Button[Any]) -> None:
        await acknowledge(interaction)  # deleting writes: it may wait for the database
        self.working = True  # deleting many messages may outlast the timeout: no "expired"
        try:
            person = await self.bot.engine.people.find_discord(interaction.user.id)
            posted = ([] if person is None
                      else await self.bot.store.people.posted_messages(person.id))
            # Discord first: the ids go with the person's rows, and a failed database delete
            # can be confirmed again (messages already gone count as deleted).
            deleted, unreachable = await delete_posted(self.bot, posted)
            # Then the rows, and the messages noted meanwhile (posted by another process,
            # or by this one for an answer under way), which would otherwise stay.
            noted, wal_clean = await self.bot.store.people.delete_discord(interaction.user.id)
            already = set(posted)
            more = await delete_posted(self.bot, [m for m in noted if m not in already])
            deleted, unreachable = deleted + more[0], unreachable + more[1]
        finally:
            self.working = False
        self.stop()  # only once it is done: after an error the person can press again
        await interaction.edit_original_response(
            content=deleted_reply(deleted, unreachable, wal_clean), view=None)

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
        data = await self.bot.store.people.export_discord(interaction.user.id)
        payload = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
        file = export_file(payload, interaction.filesize_limit)
        await interaction.followup.send("Here is everything PeerPrep stores about you.",
                                        file=file, ephemeral=True)

    @app_commands.command(name="leaderboard")
    @app_commands.describe(choice="hide: take me off every leaderboard; show: put me back")
    async def leaderboard(self, interaction: discord.Interaction,
                          choice: Literal["hide", "show"]) -> None:
        """Take yourself off every leaderboard, or back on."""
        person = await self.bot.engine.people.for_discord(interaction.user.id)
        await self.bot.store.people.set_hidden(person.id, choice == "hide")
        await interaction.followup.send(
            "You are hidden from every leaderboard." if choice == "hide" else
            "You appear on leaderboards again.", ephemeral=True)

    @app_commands.command(name="delete")
    async def delete(self, interaction: discord.Interaction) -> None:
        """Delete everything PeerPrep stores about you (asks to confirm)."""
        view = ConfirmDelete(self.bot, interaction.user.id)
        view.message = await interaction.followup.send(ASK, view=view, ephemeral=True,
                                                       wait=True)


async def setup(bot: PeerPrepBot) -> None:
    await bot.add_cog(Privacy(bot))
