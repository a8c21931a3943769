"""/streak and /progress: your own practice, as numbers and pictures (ephemeral)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.discord_app.cogs import PeerPrepCog
from bot.discord_app.embeds import TEAL
from bot.progress.images import heatmap, score_chart

if TYPE_CHECKING:
    from bot.discord_app.client import PeerPrepBot


class Progress(PeerPrepCog):
    async def _report(self, interaction: discord.Interaction):  # type: ignore[no-untyped-def]
        person = await self.bot.engine.people.for_discord(interaction.user.id)
        _, report = await self.bot.standings.progress(person.id, interaction.guild_id)
        return person, report

    @app_commands.command(name="streak")
    async def streak(self, interaction: discord.Interaction) -> None:
        """Your streak, freezes and a calendar of the last 12 weeks."""
        _, report = await self._report(interaction)
        embed = discord.Embed(title="Your practice streak", colour=TEAL)
        embed.add_field(name="Current", value=f"🔥 {report.current_streak} day(s)")
        embed.add_field(name="Best", value=f"{report.best_streak} day(s)")
        embed.add_field(name="Freezes", value=f"❄ {report.freezes} of 2",
                        inline=True)
        embed.set_footer(text="A freeze is earned every 7 days in a row and covers one missed "
                              "day.")
        embed.set_image(url="attachment://streak.png")
        image = heatmap(report.days, report.today)
        await interaction.followup.send(
            embed=embed, file=discord.File(io.BytesIO(image), filename="streak.png"),
            ephemeral=True)

    @app_commands.command(name="progress")
    async def progress(self, interaction: discord.Interaction) -> None:
        """Answers and average score per topic, and your scores over time."""
        person, report = await self._report(interaction)
        lines = [f"{t.label}: {t.answers} answer(s), average {t.average}/100"
                 for t in report.topics if t.answers]
        description = "\n".join(lines) or "No answers yet: /interview start begins one."
        embed = discord.Embed(title="Your progress", description=description, colour=TEAL)
        if report.average is not None:
            embed.add_field(name="All answers", value=f"{report.answers}, average "
                                                      f"{report.average}/100")
        history = await self.bot.standings.score_history(person.id)
        embed.set_image(url="attachment://progress.png")
        await interaction.followup.send(
            embed=embed, ephemeral=True,
            file=discord.File(io.BytesIO(score_chart(history)), filename="progress.png"))


async def setup(bot: PeerPrepBot) -> None:
    await bot.add_cog(Progress(bot))
