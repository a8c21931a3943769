"""The daily question on Discord: the scheduler, /daily commands, private answers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.discord_app.extensions.daily import _post
from bot.discord_app.extensions.daily._cog import DailyCog
from bot.discord_app.extensions.daily._post import DailyAnswerButton

if TYPE_CHECKING:
    from bot.discord_app.client import PeerPrepBot


async def setup(bot: PeerPrepBot) -> None:
    bot.add_dynamic_items(DailyAnswerButton)
    bot.form_handlers["daily-answer"] = _post.on_modal_submit
    await bot.add_cog(DailyCog(bot, poll_seconds=bot.daily_poll_seconds))


async def teardown(bot: PeerPrepBot) -> None:
    bot.remove_dynamic_items(DailyAnswerButton)
    bot.form_handlers.pop("daily-answer", None)
