"""How the bot process stops on SIGINT and SIGTERM (``bot.discord_app.main.run_until_stopped``),
in-process, with stand-ins for the bot. The real process: tests/e2e/test_process.py."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterator

import discord
import pytest

from bot.discord_app.main import run_until_stopped


@pytest.fixture(autouse=True)
def own_signal_handlers() -> Iterator[None]:
    """Whatever a test leaves of SIGINT's and SIGTERM's handlers, put back as they were."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


class DeafBot:
    """A bot whose task loses the first cancellation, as Python 3.11's ``asyncio.wait_for``
    does when it comes as the awaited connection completes: it runs on until closed."""

    def __init__(self) -> None:
        self.started = asyncio.Event()
        self.closed = asyncio.Event()
        self.cancellations_lost = 0

    async def start(self, token: str) -> None:
        self.started.set()
        while not self.closed.is_set():
            try:
                await self.closed.wait()
            except asyncio.CancelledError:
                if self.cancellations_lost:
                    raise
                self.cancellations_lost += 1

    async def close(self) -> None:
        self.closed.set()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_a_signal_stops_the_bot_by_closing_it_not_by_cancelling_it(sig: signal.Signals):
    bot = DeafBot()
    stopping = asyncio.ensure_future(run_until_stopped(bot, "token"))  # type: ignore[arg-type]
    await bot.started.wait()
    signal.raise_signal(sig)
    assert await asyncio.wait_for(stopping, 5) is True
    assert bot.closed.is_set() and bot.cancellations_lost == 0
    # The handlers are Python's own again: a second signal would end the process at once.
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


async def test_a_bot_that_ends_by_itself_raises_its_error():
    class Refused(DeafBot):
        async def start(self, token: str) -> None:
            raise discord.LoginFailure("Improper token has been passed.")

    with pytest.raises(discord.LoginFailure):
        await run_until_stopped(Refused(), "token")  # type: ignore[arg-type]
