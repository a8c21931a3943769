"""Command options shared by several extensions (not an extension itself): time zones."""

from __future__ import annotations

import discord
from discord import app_commands

from bot import timezones
from bot.discord_app.errors import UserError, echo


async def timezone_autocomplete(interaction: discord.Interaction, current: str
                                ) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=z, value=z) for z in timezones.matching(current)]


def timezone_option(name: str) -> str:
    """The time zone a person typed or picked, in its canonical spelling, or a UserError that
    says what they may have meant."""
    zone = timezones.canonical(name)
    if zone is None:
        close = timezones.suggestions(name)
        hint = (" Did you mean " + " or ".join(close) + "?") if close else ""
        raise UserError(f"I don't know the time zone “{echo(name.strip())}”.{hint} Pick one "
                        "from the list, e.g. America/New_York.")
    return zone
