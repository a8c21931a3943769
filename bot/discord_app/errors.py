"""One error path: the project's own errors become clear ephemeral replies; anything else is
logged with its traceback and the person gets a short apology."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from bot.coaching import EmptyAnswer
from bot.interview.engine import InterviewError
from bot.storage import StorageError

log = logging.getLogger(__name__)

APOLOGY = "Sorry, something went wrong on PeerPrep's side. It has been logged; please try again."
CONTENT_MAX = 2000  # Discord refuses a message whose content is longer
ECHO_MAX = 100  # the most of a person's input a reply quotes back


def echo(value: str, limit: int = ECHO_MAX) -> str:
    """Input quoted back in a reply: on one line, at most ``limit`` characters (then "…"),
    markdown escaped. However long the input, the reply stays one Discord can send."""
    flat = " ".join(str(value).split())
    if len(flat) > limit:
        flat = flat[:limit - 1].rstrip() + "…"
    return discord.utils.escape_markdown(flat)


def fit(message: str, limit: int = CONTENT_MAX) -> str:
    """A message cut to Discord's limit, keeping its start and its end (where the advice
    usually is): the last line of defence for an echo that was not clipped where it was
    made."""
    if len(message) <= limit:
        return message
    keep = (limit - 3) // 2
    return f"{message[:keep]} … {message[-(limit - 3 - keep):]}"


def rate_limit_message(retry_after: float) -> str:
    minutes = max(1, round(retry_after / 60))
    return ("Discord is limiting how fast PeerPrep may send just now, for longer than this "
            f"can wait (about {minutes} min). Please try again in {minutes} min.")


class UserError(Exception):
    """A problem the person can fix; the message is shown to them as it is."""


class InteractionExpired(app_commands.CheckFailure):
    """Discord no longer knows the interaction (10062): it came too late to be acknowledged;
    or another session acknowledged it first (40060). Already logged; nothing can be said
    to the person through it, so nothing is tried."""


def user_message(error: BaseException) -> str | None:
    """The text to show for a known error, or None for an unexpected one."""
    if isinstance(error, StorageError):
        return error.user_message
    if isinstance(error, UserError | InterviewError | EmptyAnswer):
        return str(error)
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command works in a server, not in DMs."
    if isinstance(error, app_commands.MissingPermissions):
        return "You need the Manage Server permission for that."
    if isinstance(error, app_commands.CheckFailure):
        return str(error) or "You can't use that command here."
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} s."
    if isinstance(error, discord.RateLimited):  # a wait past max_ratelimit_timeout
        return rate_limit_message(error.retry_after)
    return None


async def reply_error(interaction: discord.Interaction, error: BaseException) -> None:
    if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        error = error.__cause__ or error
    if isinstance(error, InteractionExpired):
        return
    message = user_message(error)
    if message is None:
        command = interaction.command.qualified_name if interaction.command else "component"
        log.error("unexpected error in %s", command, exc_info=error)
        message = APOLOGY
    elif isinstance(error, StorageError):
        log.warning("storage problem: %s", error)
    elif isinstance(error, discord.RateLimited):
        log.warning("rate limited for %.0f s, longer than an interaction may wait",
                    error.retry_after)
    message = fit(message)
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True)
        else:
            await interaction.response.send_message(message, ephemeral=True)
    except (discord.HTTPException, discord.RateLimited) as exc:
        # the token may have expired, or Discord still holds us back: nothing more to say
        log.warning("could not tell the user about an error: %s", exc)


class PeerPrepTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction,
                       error: app_commands.AppCommandError) -> None:
        await reply_error(interaction, error)
