"""End-to-end fixtures: the fake Discord, and the real PeerPrep bot connected to it."""

from __future__ import annotations

import asyncio
import contextlib
import types
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import discord.http
import discord.webhook.async_
import pytest

from bot.bank import Bank
from bot.discord_app.client import PeerPrepBot
from bot.discord_app.main import point_at
from bot.settings import Settings, load_settings
from bot.storage import Store
from tests.conftest import FakeClock
from tests.fakediscord import FakeDiscord


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = await FakeDiscord().start()
    yield server
    await server.close()
    assert server.unknown_routes == [], f"routes the fake lacks: {server.unknown_routes}"
    # Late or second responses and oversized bodies are bugs, whatever else the test checks;
    # a test that provokes one on purpose clears what it expected.
    assert server.rejections == [], f"Discord would have refused: {server.rejections}"


def bot_settings(fake: FakeDiscord, data_dir: Path, **extra: str) -> Settings:
    return load_settings({"DISCORD_TOKEN": fake.token, "DATA_DIR": str(data_dir),
                          "DISCORD_API_BASE": fake.api_base,
                          "DISCORD_GATEWAY_URL": fake.gateway_url, **extra}, env_file=None)


class DailyTicks:
    """The daily loop of one bot, watched: a test waits for a whole tick of it instead of
    sleeping and hoping the loop has looked."""

    def __init__(self, cog: Any) -> None:
        self.cog = cog
        self.started = 0  # ticks begun
        self.newest_done = 0  # the number of the latest tick that has ended
        self.ended = asyncio.Event()
        tick = cog.tick

        async def counted() -> int:
            self.started += 1
            number = self.started
            try:
                return int(await tick())
            finally:
                self.newest_done = max(self.newest_done, number)
                self.ended.set()

        cog.tick = counted

    async def next_tick(self, timeout: float = 10.0) -> None:
        """Wake the loop and wait until a tick that began after now has ended: whatever the
        loop would do at the clock as it stands now has been done (posted, or not)."""
        after = self.started
        self.cog.wake.set()
        async with asyncio.timeout(timeout):
            while self.newest_done <= after:
                self.ended.clear()
                await self.ended.wait()


class Running:
    """A started bot and how to stop it (as a crash would, or cleanly)."""

    def __init__(self, bot: PeerPrepBot, task: asyncio.Task[None], store: Store) -> None:
        self.bot, self.task, self.store = bot, task, store
        self._daily: DailyTicks | None = None

    @property
    def daily(self) -> DailyTicks:
        if self._daily is None:
            self._daily = DailyTicks(self.bot.get_cog("DailyCog"))
        return self._daily

    async def stop(self) -> None:
        await self.bot.close()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(self.task, 5)
        await self.store.db.close()


StartBot = Callable[..., Awaitable[Running]]


async def identify_at_once(shard_id: int | None, *, initial: bool = False) -> None:
    """discord.py waits 5 s before each IDENTIFY but a process's first (Discord allows one
    every 5 s); the fake has no such limit, so a bot's second shard needn't wait."""


@pytest.fixture
async def start_bot(fake: FakeDiscord, tmp_path: Path, bank: Bank, clock: FakeClock,
                    database: Path | str) -> AsyncIterator[StartBot]:
    """Start a PeerPrep bot on the fake; several may run (a restart, two processes), on one
    database: the SQLite file in ``data_dir`` (the test's folder unless given), or the
    test's PostgreSQL schema when the run is on PostgreSQL."""
    running: list[Running] = []

    async def start(*, wait: bool = True, data_dir: Path | None = None,
                    busy_timeout_ms: int = 5000, env: dict[str, str] | None = None,
                    **kwargs: Any) -> Running:
        """``env``: more settings, such as SHARD_COUNT and SHARD_IDS."""
        extra = {"DATABASE_URL": database} if isinstance(database, str) else {}
        settings = bot_settings(fake, data_dir or tmp_path, **extra, **(env or {}))
        point_at(settings)
        store = Store(settings.database, busy_timeout_ms=busy_timeout_ms)
        await store.db.open()
        bot = PeerPrepBot(settings, bank, store, clock=kwargs.pop("clock", clock),
                          guild_ready_timeout=0.05, **kwargs)
        bot.before_identify_hook = identify_at_once  # type: ignore[method-assign]
        before = len(fake.gateways)
        task = asyncio.create_task(bot.start(fake.token))
        run = Running(bot, task, store)
        running.append(run)
        if wait:
            await fake.wait_for_gateway(before + 1)
            await asyncio.wait_for(bot.wait_until_ready(), 10)
        return run

    yield start
    for run in running:
        await run.stop()


@pytest.fixture
def quick_server_error_waits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """discord.py's own waits before it sends again a request answered 500, 502, 504 or 524,
    a tenth as long; returns the waits it asked for, in seconds.

    discord.py waits ``1 + tries * 2`` whole seconds (1, 3, 5, 7) between such tries
    (``HTTPClient.request``, and the same for interaction and webhook messages in
    discord.webhook.async_): a storm of them costs a test about 16 s of waiting and proves
    nothing more for it. Only those waits (whole seconds, in those two modules alone) are
    shortened; which requests are retried, how often, and every rate-limit wait (the
    fractional ``retry_after`` that the fake sends) stay discord.py's own.
    """
    asked: list[int] = []
    sleep = asyncio.sleep

    async def shorter(delay: float, result: Any = None) -> Any:
        if type(delay) is int:
            asked.append(delay)
            return await sleep(delay / 10, result)
        return await sleep(delay, result)

    patched = types.SimpleNamespace(**{name: getattr(asyncio, name) for name in dir(asyncio)
                                       if not name.startswith("__")})
    patched.sleep = shorter
    monkeypatch.setattr(discord.http, "asyncio", patched)
    monkeypatch.setattr(discord.webhook.async_, "asyncio", patched)
    return asked


@pytest.fixture
async def world(fake: FakeDiscord) -> dict[str, Any]:
    """A training server with a trainee, another member and an admin."""
    trainee = fake.add_user("trainee")
    other = fake.add_user("other")
    admin = fake.add_user("admin")
    guild = fake.add_guild("Peer Training", channels=("training", "general"),
                           members=(trainee, other), admin=admin)
    return {"trainee": trainee, "other": other, "admin": admin, "guild": guild,
            "training": fake.channel_named(guild, "training")}
