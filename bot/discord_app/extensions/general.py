"""/help and /settings: what PeerPrep is, and the person's own settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.coaching.render import Section
from bot.discord_app.cogs import PeerPrepCog
from bot.discord_app.embeds import group_for_messages, sections_to_embeds
from bot.discord_app.options import timezone_autocomplete, timezone_option

if TYPE_CHECKING:
    from bot.discord_app.client import PeerPrepBot

HELP = (
    "PeerPrep helps you practise for **peer support specialist** and **certified peer "
    "specialist** job interviews. It asks real interview questions and, after each answer, "
    "shows which key points you covered, the shape of your stories (STAR), length and "
    "speaking time, recovery-oriented language and filler words, with an example answer.\n\n"
    "**PeerPrep is practice, not therapy or clinical advice.** Your answers are yours: "
    "nobody else sees them or their guidance unless you share it (see below)."
)
WHO_SEES_WHAT = (
    "**In your DMs**: only you.\n"
    "**In a server**: your interview's private thread holds only its questions, and "
    "moderators (Manage Threads) can read it. Your guidance, scores and summaries come as "
    "messages only you can see; **Share with facilitator** posts one guidance in the thread "
    "(never your answer's text or notes on words you used of yourself; an answer about "
    "your own crisis is never shared). "
    "@mention your facilitator in the thread so they can read it.\n"
    "**Daily question**: your guidance is only for you.\n"
    "**Facilitators** see counts, scores and streaks in `/cohort report`, never answer text; "
    "`/leaderboard` shows ranks unless you hide (`/privacy leaderboard`)."
)
COMMANDS = (
    "`/help` this list\n"
    "`/interview start` begin a mock interview (in DMs or a private thread)\n"
    "`/interview resume` · `/interview stop` · `/interview history`\n"
    "`/streak` your streak and the last weeks · `/progress` scores by topic\n"
    "`/leaderboard` · `/cohort join` · `/cohort leave` · `/cohort list`\n"
    "`/settings timezone` your time zone, for streaks\n"
    "`/privacy export` your data as a file · `/privacy delete` remove everything about you · "
    "`/privacy leaderboard` hide or show yourself on leaderboards · who sees what and for "
    "how long: docs/PRIVACY.md in PeerPrep's source\n"
    "Facilitators (the facilitator role or Manage Server): `/daily setup|status|pause|resume|"
    "post-now`, `/cohort create|add|remove|report`, `/config training-channel`\n"
    "Admins (Manage Server): `/config facilitator-role` chooses who facilitates"
)


class General(PeerPrepCog):
    @app_commands.command(name="help")
    async def help(self, interaction: discord.Interaction) -> None:
        """What PeerPrep is and how to use it."""
        resources = "\n".join(f"• {r}" for r in self.bot.settings.crisis_resources)
        embeds = sections_to_embeds([Section("Commands", COMMANDS),
                                     Section("Who sees what", WHO_SEES_WHAT),
                                     Section("If you are struggling right now", resources)],
                                    title="PeerPrep")
        embeds[0].description = HELP
        for message in group_for_messages(embeds):  # however long the list of lines is
            await interaction.followup.send(embeds=message, ephemeral=True)

    settings = app_commands.Group(name="settings", description="Your PeerPrep settings")

    @settings.command(name="timezone")
    @app_commands.describe(name="An IANA time zone such as America/Chicago or Europe/London")
    @app_commands.autocomplete(name=timezone_autocomplete)
    async def timezone(self, interaction: discord.Interaction, name: str) -> None:
        """Set your time zone, so your streak counts your own days."""
        name = timezone_option(name)
        person = await self.bot.engine.people.for_discord(interaction.user.id)
        await self.bot.engine.people.set_timezone(person, name)
        await interaction.followup.send(f"Your time zone is now **{name}**.", ephemeral=True)


async def setup(bot: PeerPrepBot) -> None:
    await bot.add_cog(General(bot))
