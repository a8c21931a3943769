"""The answer forms and every PeerPrep custom_id: built and read here, once.

Not an extension: the interview and daily extensions both use it, and neither imports the
other. A custom_id carries all a button or form needs, so nothing is kept in memory and one
sent before a restart still works after it (Discord keeps ids up to 100 characters):

- ``peerprep:answer:<interview>:<position>:<attempt>:<owner>:<place>[:<question>]``: the
  answer form. ``place`` is one letter (``PLACE_LETTERS``): where its guidance goes. The
  question id is left off only when the id would pass 100 characters (a question id of
  about 50 characters or more); the interview is then read to find it. (Forms opened before
  question ids were added, on 2026-12-01, had that shape too: the same decoder reads them.
  The older ``peerprep:answer:<interview>:<position>:<attempt>``, without owner and place,
  has not been read since that day either.)
- ``peerprep:followup:<interview>:<position>:<owner>:<place>``: the follow-up answer form.
- ``peerprep:daily-answer:<post>``: the daily question's answer form.
- ``peerprep:iv:<action>:<interview>:<position>:<attempt>:<owner>``: an interview button.
- ``peerprep:share:<answer>``: Share with facilitator.
- ``peerprep:daily:answer:<post>``: Answer privately, on a daily post.
- ``peerprep:cohort:<accept|decline>:<cohort>``: an answer to a cohort invitation (only the
  presser's own invitation is ever checked and taken).

An owner in an id is only a courtesy (a stranger's click is refused without a database
read): a client can send any id back, so the owner is checked again in the database.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import discord

from bot.discord_app.embeds import TEAL
from bot.interview.engine import MAX_ANSWER_CHARS
from bot.interview.place import Place

log = logging.getLogger(__name__)

ID_LIMIT = 100  # Discord's longest custom_id
ANSWER_LIMIT = min(MAX_ANSWER_CHARS, 4000)  # 4000: Discord's longest text input
PLACE_LETTERS = {Place.DM: "d", Place.THREAD: "t", Place.EPHEMERAL: "e"}
LETTER_PLACES = {letter: place for place, letter in PLACE_LETTERS.items()}
_PLACE = "(?P<place>[" + "".join(LETTER_PLACES) + "])"


def place_letter(place: str) -> str:
    """A place as one letter of an id; anything but a DM or thread is a reply only the
    presser sees."""
    return PLACE_LETTERS.get(Place.of(place), PLACE_LETTERS[Place.EPHEMERAL])


# -- form ids ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class AnswerForm:
    """What an answer form's id says: the question it was opened for (at ``position`` and
    ``attempt`` of ``interview_id``), by whom, and where its guidance goes."""

    interview_id: int
    position: int
    attempt: int
    owner_id: int
    place: Place
    question_id: str | None = None

    PATTERN = re.compile(r"peerprep:answer:(?P<interview>\d+):(?P<position>\d+):"
                         r"(?P<attempt>\d+):(?P<owner>\d+):" + _PLACE
                         + r"(?::(?P<question>[a-z0-9-]+))?")

    @property
    def custom_id(self) -> str:
        base = (f"peerprep:answer:{self.interview_id}:{self.position}:{self.attempt}:"
                f"{self.owner_id}:{place_letter(self.place)}")
        with_question = f"{base}:{self.question_id}" if self.question_id else base
        return with_question if len(with_question) <= ID_LIMIT else base

    @classmethod
    def parse(cls, custom_id: str) -> AnswerForm | None:
        match = cls.PATTERN.fullmatch(custom_id)
        if match is None:
            return None
        return cls(int(match["interview"]), int(match["position"]), int(match["attempt"]),
                   int(match["owner"]), LETTER_PLACES[match["place"]], match["question"])


@dataclass(frozen=True, slots=True)
class FollowUpForm:
    """What a follow-up answer form's id says: the follow-up waiting at ``position`` (one per
    question, so no attempt is needed)."""

    interview_id: int
    position: int
    owner_id: int
    place: Place

    PATTERN = re.compile(r"peerprep:followup:(?P<interview>\d+):(?P<position>\d+):"
                         r"(?P<owner>\d+):" + _PLACE)

    @property
    def custom_id(self) -> str:
        return (f"peerprep:followup:{self.interview_id}:{self.position}:{self.owner_id}:"
                f"{place_letter(self.place)}")

    @classmethod
    def parse(cls, custom_id: str) -> FollowUpForm | None:
        match = cls.PATTERN.fullmatch(custom_id)
        if match is None:
            return None
        return cls(int(match["interview"]), int(match["position"]), int(match["owner"]),
                   LETTER_PLACES[match["place"]])


@dataclass(frozen=True, slots=True)
class DailyForm:
    """The daily question's answer form: only the post. Who answers is whoever submits."""

    post_id: int

    PATTERN = re.compile(r"peerprep:daily-answer:(?P<post>\d+)")

    @property
    def custom_id(self) -> str:
        return f"peerprep:daily-answer:{self.post_id}"

    @classmethod
    def parse(cls, custom_id: str) -> DailyForm | None:
        match = cls.PATTERN.fullmatch(custom_id)
        return cls(int(match["post"])) if match is not None else None


# -- the form ------------------------------------------------------------------------------------

FORM_TITLE = "Your answer"
FOLLOW_UP_TITLE = "Your follow-up answer"
INPUT_LABEL = "Answer as you would say it out loud"


def answer_form(form: AnswerForm | FollowUpForm | DailyForm, prompt: str) -> discord.ui.Modal:
    """The one answer form: a paragraph of up to 4,000 characters, the question's start as
    its placeholder. Its submission is handled from the raw interaction by its custom_id
    (the modal is stopped once sent), so a form opened before a restart still works."""
    title = FOLLOW_UP_TITLE if isinstance(form, FollowUpForm) else FORM_TITLE
    modal = discord.ui.Modal(title=title, timeout=None, custom_id=form.custom_id)
    modal.add_item(discord.ui.TextInput(
        label=INPUT_LABEL, style=discord.TextStyle.paragraph, max_length=ANSWER_LIMIT,
        required=True, placeholder=prompt[:100]))
    return modal


async def send_form(interaction: discord.Interaction,
                    form: AnswerForm | FollowUpForm | DailyForm, prompt: str) -> None:
    """Open the form as the interaction's first response (nothing may be written or awaited
    before it)."""
    modal = answer_form(form, prompt)
    await interaction.response.send_modal(modal)
    modal.stop()  # not kept in memory: the submission is handled by its custom_id


def submitted_id(interaction: discord.Interaction) -> str:
    return str(dict(interaction.data or {}).get("custom_id", ""))


def modal_text(data: Any) -> str:
    """The text typed into the form, from the raw MODAL_SUBMIT payload."""
    for row in data.get("components", []):
        children = row.get("components") or ([row["component"]] if "component" in row else [])
        for child in children:
            if "value" in child:
                return str(child["value"])
    return ""


def submitted_text(interaction: discord.Interaction) -> str:
    return modal_text(dict(interaction.data or {}))


def keeps_answer(handler: Callable[[discord.Interaction], Awaitable[bool]]
                 ) -> Callable[[discord.Interaction], Awaitable[bool]]:
    """For a handler of forms whose text is an answer: an answer that cannot be saved (the
    database busy, full, read-only or damaged) is sent back to its author, with why, instead
    of being lost: a form's text is kept nowhere else."""
    from bot.storage import StorageError

    async def handle(interaction: discord.Interaction) -> bool:
        try:
            return await handler(interaction)
        except StorageError as exc:
            await give_back(interaction, submitted_text(interaction), exc)
            return True

    handle.__name__, handle.__doc__ = handler.__name__, handler.__doc__
    return handle


async def give_back(interaction: discord.Interaction, text: str, error: Exception) -> None:
    """Send an unsaved answer back to its author only (ephemeral) with why (``error``, a
    StorageError: its ``user_message``) and whether trying again can help. The whole answer
    (4,000 characters at most) fits an embed's description (4,096)."""
    log.warning("an answer could not be saved (%s): %s", type(error).__name__, error)
    then = ("Copy it and send it again in a moment." if getattr(error, "retry_helps", True)
            else "Copy it somewhere safe: trying again won't work until this is fixed.")
    reason = getattr(error, "user_message", "PeerPrep couldn't save your answer.")
    notice = f"{reason} Your answer is below, so it isn't lost. {then}"
    embed = discord.Embed(title="Your answer (not saved)", description=text[:4096] or None,
                          colour=TEAL)
    if not interaction.response.is_done():
        await interaction.response.send_message(notice, embed=embed, ephemeral=True)
        return
    # After a deferral the first follow-up takes the deferral's place, and with it whether it
    # is ephemeral: say what happened there, then give the answer back in a message of its own.
    await interaction.followup.send(notice, ephemeral=True)
    await interaction.followup.send(embed=embed, ephemeral=True)


# -- button ids ----------------------------------------------------------------------------------

BUTTON_ACTIONS = {
    "answer": ("Answer", discord.ButtonStyle.primary, "✍️"),
    "followup": ("Answer follow-up", discord.ButtonStyle.primary, "💬"),
    "next": ("Next question", discord.ButtonStyle.primary, "➡️"),
    "finish": ("Finish", discord.ButtonStyle.primary, "🏁"),
    "retry": ("Retry", discord.ButtonStyle.secondary, "🔁"),
    "skip": ("Skip", discord.ButtonStyle.secondary, "⏭️"),
    "example": ("Show example", discord.ButtonStyle.secondary, "💡"),
    "end": ("End", discord.ButtonStyle.danger, None),
}
INTERVIEW_BUTTON = re.compile(
    r"peerprep:iv:(?P<action>[a-z]+):(?P<interview>\d+):(?P<position>\d+):(?P<attempt>\d+)"
    r":(?P<owner>\d+)")
SHARE_BUTTON = re.compile(r"peerprep:share:(?P<answer>\d+)")
DAILY_BUTTON = re.compile(r"peerprep:daily:answer:(?P<post>\d+)")
INVITATION_BUTTON = re.compile(r"peerprep:cohort:(?P<action>accept|decline):(?P<cohort>\d+)")


def interview_button(action: str, interview_id: int, position: int, attempt: int,
                     owner_id: int) -> discord.ui.Button[Any]:
    label, style, emoji = BUTTON_ACTIONS[action]
    return discord.ui.Button(
        label=label, style=style, emoji=emoji,
        custom_id=f"peerprep:iv:{action}:{interview_id}:{position}:{attempt}:{owner_id}")


def share_button(answer_id: int) -> discord.ui.Button[Any]:
    """**Share with facilitator**, on guidance shown only to its author in a server thread."""
    return discord.ui.Button(label="Share with facilitator", emoji="📤",
                             style=discord.ButtonStyle.secondary,
                             custom_id=f"peerprep:share:{answer_id}")


def daily_button(post_id: int) -> discord.ui.Button[Any]:
    """"Answer privately" on a daily post; works for every member, across restarts."""
    return discord.ui.Button(label="Answer privately", style=discord.ButtonStyle.primary,
                             emoji="✍️", custom_id=f"peerprep:daily:answer:{post_id}")


def invitation_button(action: str, cohort_id: int) -> discord.ui.Button[Any]:
    """Accept or Decline, on a cohort invitation."""
    style = discord.ButtonStyle.success if action == "accept" else discord.ButtonStyle.secondary
    return discord.ui.Button(label=action.capitalize(), style=style,
                             custom_id=f"peerprep:cohort:{action}:{cohort_id}")


def view_of(*items: discord.ui.Item[Any]) -> discord.ui.View:
    """A view to send with buttons dispatched by their custom_id (the dynamic items are
    registered once at start-up): stopped, so discord.py keeps no view per message."""
    view = discord.ui.View(timeout=None)
    for item in items:
        view.add_item(item)
    view.stop()
    return view
