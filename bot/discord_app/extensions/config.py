"""/config: server settings, checked in code. Facilitators (the facilitator role or Manage
Server) choose where interview threads open, as they run the training; only Manage Server
chooses who is a facilitator, so a facilitator can't make others facilitators."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.checks import manage_server, require_facilitator
from bot.discord_app.cogs import PeerPrepCog

if TYPE_CHECKING:
    from bot.discord_app.client import PeerPrepBot


# No default_permissions: Discord applies them to the whole group, and would hide
# training-channel from facilitators by role. Each command checks in code instead.
@app_commands.guild_only()
class Config(PeerPrepCog, commands.GroupCog, group_name="config",
             group_description="PeerPrep settings for this server"):
    @app_commands.command(name="training-channel")
    @app_commands.describe(channel="Where practice interviews open their private threads")
    async def training_channel(self, interaction: discord.Interaction,
                               channel: discord.TextChannel) -> None:
        """Choose the channel for practice-interview threads (facilitators)."""
        await require_facilitator(interaction, self.bot.store)
        assert interaction.guild_id is not None
        await self.bot.store.guilds.update(interaction.guild_id, training_channel_id=channel.id)
        await interaction.followup.send(
            f"Practice interviews will open private threads in {channel.mention}. Make sure "
            "I can create private threads and send messages there.", ephemeral=True)


    @app_commands.command(name="facilitator-role")
    @app_commands.describe(role="Members with this role run cohorts and the daily question")
    @manage_server()
    async def facilitator_role(self, interaction: discord.Interaction,
                               role: discord.Role) -> None:
        """Choose the role that can run cohorts and the daily question (Manage Server)."""
        assert interaction.guild_id is not None
        await self.bot.store.guilds.update(interaction.guild_id, facilitator_role_id=role.id)
        await interaction.followup.send(
            f"{role.mention} can now run cohorts and the daily question.", ephemeral=True)


async def setup(bot: PeerPrepBot) -> None:
    await bot.add_cog(Config(bot))
