"""Mock interviews on Discord: /interview commands, persistent buttons, answer forms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.discord_app.extensions.interview import _flow
from bot.discord_app.extensions.interview._cog import InterviewCog
from bot.discord_app.extensions.interview._items import InterviewButton, ShareButton

if TYPE_CHECKING:
    from bot.discord_app.client import PeerPrepBot


async def setup(bot: PeerPrepBot) -> None:
    bot.add_dynamic_items(InterviewButton, ShareButton)
    bot.form_handlers["answer"] = _flow.on_modal_submit
    bot.form_handlers["followup"] = _flow.on_follow_up_submit
    await bot.add_cog(InterviewCog(bot))


async def teardown(bot: PeerPrepBot) -> None:
    bot.remove_dynamic_items(InterviewButton, ShareButton)
    bot.form_handlers.pop("answer", None)
    bot.form_handlers.pop("followup", None)
