"""Interview buttons that keep working after a restart: their state is in the custom_id.

``peerprep:iv:<action>:<interview>:<position>:<attempt>:<owner>``: the owner's Discord id
lets a stranger's click be refused without a database read. It is only a courtesy: a client
can send any id back, so every action also checks the interview's owner in the database,
where it reads or changes the interview.

``peerprep:share:<answer>``: post one guidance in the interview's thread; only the answer's
author can (checked in the query that reads it).
"""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.discord_app.errors import reply_error

ACTIONS = {
    "answer": ("Answer", discord.ButtonStyle.primary, "✍️"),
    "followup": ("Answer follow-up", discord.ButtonStyle.primary, "💬"),
    "next": ("Next question", discord.ButtonStyle.primary, "➡️"),
    "finish": ("Finish", discord.ButtonStyle.primary, "🏁"),
    "retry": ("Retry", discord.ButtonStyle.secondary, "🔁"),
    "skip": ("Skip", discord.ButtonStyle.secondary, "⏭️"),
    "example": ("Show example", discord.ButtonStyle.secondary, "💡"),
    "end": ("End", discord.ButtonStyle.danger, None),
}
TEMPLATE = re.compile(
    r"peerprep:iv:(?P<action>[a-z]+):(?P<interview>\d+):(?P<position>\d+):(?P<attempt>\d+)"
    r":(?P<owner>\d+)"
)


class InterviewButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=TEMPLATE):
    def __init__(self, action: str, interview_id: int, position: int, attempt: int,
                 owner_id: int) -> None:
        label, style, emoji = ACTIONS[action]
        super().__init__(discord.ui.Button(
            label=label, style=style, emoji=emoji,
            custom_id=f"peerprep:iv:{action}:{interview_id}:{position}:{attempt}:{owner_id}",
        ))
        self.action = action
        self.interview_id = interview_id
        self.position = position
        self.attempt = attempt
        self.owner_id = owner_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction,
                             item: discord.ui.Item[Any], match: re.Match[str]
                             ) -> InterviewButton:
        action = match["action"] if match["action"] in ACTIONS else "end"
        return cls(action, int(match["interview"]), int(match["position"]),
                   int(match["attempt"]), int(match["owner"]))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.owner_id:
            await interaction.response.send_message(
                "These buttons belong to someone else's practice interview. "
                "Start your own with /interview start.", ephemeral=True)
            return False
        return True

    async def callback(self, interaction: discord.Interaction) -> None:
        from bot.discord_app.extensions.interview import _flow

        try:
            await _flow.on_button(interaction, self)
        except Exception as exc:  # one error path for components too
            await reply_error(interaction, exc)


class ShareButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                  template=r"peerprep:share:(?P<answer>\d+)"):
    """**Share with facilitator**, on guidance shown only to its author in a server thread."""

    def __init__(self, answer_id: int) -> None:
        super().__init__(discord.ui.Button(
            label="Share with facilitator", style=discord.ButtonStyle.secondary, emoji="📤",
            custom_id=f"peerprep:share:{answer_id}"))
        self.answer_id = answer_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction,
                             item: discord.ui.Item[Any], match: re.Match[str]) -> ShareButton:
        return cls(int(match["answer"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        from bot.discord_app.extensions.interview import _flow

        try:
            await _flow.on_share(interaction, self.answer_id)
        except Exception as exc:
            await reply_error(interaction, exc)


def buttons(actions: list[str], interview_id: int, position: int, attempt: int,
            owner_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for action in actions:
        view.add_item(InterviewButton(action, interview_id, position, attempt, owner_id))
    # The buttons are dynamic items, registered once at start-up and dispatched by their
    # custom_id: a stopped view is sent all the same, and discord.py keeps no view per message.
    view.stop()
    return view


PLACES = {"dm": "d", "thread": "t", "ephemeral": "e"}


def answer_modal_id(interview_id: int, position: int, attempt: int, owner_id: int,
                    place: str, question_id: str) -> str:
    """The answer form's id: everything its submission needs, so it needs no lookup. ``place``
    is where its guidance goes: the interview's DM or thread, or ``ephemeral`` when the
    button was pressed anywhere else; ``question_id`` is the question the form was opened
    for, so the answer is coached before the database is asked anything."""
    base = (f"peerprep:answer:{interview_id}:{position}:{attempt}:{owner_id}:"
            f"{PLACES.get(place, 'e')}")
    with_question = f"{base}:{question_id}"
    return with_question if len(with_question) <= 100 else base  # Discord's custom_id limit


# Forms opened before question ids were added end at the place.
ANSWER_MODAL = re.compile(r"peerprep:answer:(?P<interview>\d+):(?P<position>\d+):"
                          r"(?P<attempt>\d+):(?P<owner>\d+):(?P<place>[dte])"
                          r"(?::(?P<question>[a-z0-9-]+))?")


def follow_up_modal_id(interview_id: int, position: int, owner_id: int, place: str) -> str:
    """The follow-up answer form's id: like the answer form's, for the follow-up waiting at
    ``position`` (one per question, so no attempt is needed)."""
    return f"peerprep:followup:{interview_id}:{position}:{owner_id}:{PLACES.get(place, 'e')}"


FOLLOW_UP_MODAL = re.compile(r"peerprep:followup:(?P<interview>\d+):(?P<position>\d+):"
                             r"(?P<owner>\d+):(?P<place>[dte])")
