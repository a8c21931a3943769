"""Messages PeerPrep posts for a person, noted so that /privacy delete can remove them.

Not an extension: every extension that posts for a person (interviews, cohorts) notes what
it sent here, and the privacy extension reads the notes back.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

if TYPE_CHECKING:
    from bot.discord_app.client import PeerPrepBot

log = logging.getLogger(__name__)


async def remember(bot: PeerPrepBot, user_id: int, sent: object) -> None:
    """Note the id of a message PeerPrep posted for ``user_id`` (in their DM or interview
    thread), so that /privacy delete can find it. ``sent`` is what a send returned: a
    message, an interaction's callback response, or None. Ephemeral messages are skipped
    (only their reader sees them, and Discord removes them). Never raises: a note that
    can't be written costs the interview nothing."""
    message = getattr(sent, "resource", sent)
    if not isinstance(message, discord.Message) or message.flags.ephemeral:
        return
    try:
        await bot.store.people.remember_message(user_id, message.channel.id, message.id,
                                                bot.clock())
    except Exception:  # the database is busy, say: the message is simply not deletable later
        log.warning("could not note message %s for /privacy delete", message.id, exc_info=True)
