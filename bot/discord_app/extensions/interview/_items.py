"""Interview buttons that keep working after a restart: their state is in the custom_id
(its format, and the buttons' looks, are in ``bot.discord_app.forms``).

The owner's Discord id in an interview button's id lets a stranger's click be refused
without a database read. It is only a courtesy: a client can send any id back, so every
action also checks the interview's owner in the database, where it reads or changes it.
Share with facilitator: only the answer's author can (checked in the query that reads it).
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.discord_app.errors import reply_error
from bot.discord_app.extensions.interview import _flow
from bot.discord_app.forms import (
    BUTTON_ACTIONS,
    INTERVIEW_BUTTON,
    SHARE_BUTTON,
    interview_button,
    share_button,
)


class InterviewButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                      template=INTERVIEW_BUTTON):
    def __init__(self, action: str, interview_id: int, position: int, attempt: int,
                 owner_id: int) -> None:
        super().__init__(interview_button(action, interview_id, position, attempt, owner_id))
        self.action = action
        self.interview_id = interview_id
        self.position = position
        self.attempt = attempt
        self.owner_id = owner_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction,
                             item: discord.ui.Item[Any], match: re.Match[str]
                             ) -> InterviewButton:
        # A tampered action keeps its name (drawn as "end" only because it must be drawn as
        # something), so that on_button refuses it rather than ending the interview.
        action = match["action"]
        item = cls(action if action in BUTTON_ACTIONS else "end", int(match["interview"]),
                   int(match["position"]), int(match["attempt"]), int(match["owner"]))
        item.action = action
        return item

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(
                "These buttons belong to someone else's practice interview. "
                "Start your own with /interview start.", ephemeral=True)
            return False
        return True

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await _flow.on_button(interaction, _flow.Pressed(
                self.action, self.interview_id, self.position, self.attempt))
        except Exception as exc:  # one error path for components too
            await reply_error(interaction, exc)


class ShareButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=SHARE_BUTTON):
    """**Share with facilitator**, on guidance shown only to its author in a server thread."""

    def __init__(self, answer_id: int) -> None:
        super().__init__(share_button(answer_id))
        self.answer_id = answer_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction,
                             item: discord.ui.Item[Any], match: re.Match[str]) -> ShareButton:
        return cls(int(match["answer"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        try:
            await _flow.on_share(interaction, self.answer_id)
        except Exception as exc:
            await reply_error(interaction, exc)
