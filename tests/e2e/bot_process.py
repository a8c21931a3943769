"""``python -m bot`` as a real process against the fake Discord, for the tests that kill,
restart or run several of them; its log is read line by line as it comes."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from tests.fakediscord import FakeDiscord

ROOT = Path(__file__).resolve().parents[2]


class BotProcess:
    name = "the bot process"

    def __init__(self, fake: FakeDiscord, data_dir: Path, database: Path | str | None = None,
                 **settings: str) -> None:
        """On the SQLite file in ``data_dir``, or on ``database`` when it is a PostgreSQL
        URL (the ``database`` fixture's value, in that pass); ``settings``: more of them
        (SHARD_COUNT...). Nothing of the kind is taken from the test's own environment."""
        data_dir.mkdir(parents=True, exist_ok=True)
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("DISCORD_", "DEV_GUILD", "DATABASE_", "SHARD_"))}
        self.env |= {"DISCORD_TOKEN": fake.token, "DATA_DIR": str(data_dir), "LOG_LEVEL": "INFO",
                     "DISCORD_API_BASE": fake.api_base, "DISCORD_GATEWAY_URL": fake.gateway_url,
                     "GUILD_READY_TIMEOUT": "0.1"}
        if isinstance(database, str):
            self.env["DATABASE_URL"] = database
        self.env |= settings
        self.log: list[str] = []
        self.ready = asyncio.Event()
        self.proc: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    async def start(self) -> BotProcess:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=ROOT, env=self.env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        assert self.proc is not None and self.proc.stderr is not None
        async for raw in self.proc.stderr:
            line = raw.decode(errors="replace")
            self.log.append(line)
            if "connected as" in line:  # on_ready, every shard of it: the daily loop starts
                self.ready.set()

    async def wait_ready(self, timeout: float = 30) -> None:
        try:
            await asyncio.wait_for(self.ready.wait(), timeout)
        except TimeoutError:
            raise AssertionError(f"{self.name} never ready:\n{''.join(self.log)}") from None

    async def kill(self) -> None:
        """SIGKILL, and wait until it is gone."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        await self.proc.wait()
        assert self.proc.returncode == -signal.SIGKILL
        if self._reader is not None:
            await self._reader

    async def stop(self) -> int | None:
        """SIGINT, as Ctrl-C; its exit code (None if never started). One that is still
        running 20 s later is killed, and the test fails."""
        if self.proc is None:
            return None
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(self.proc.wait(), 20)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
                raise AssertionError(f"{self.name} did not stop within 20 s of SIGINT") from None
        if self._reader is not None:
            await self._reader
        return self.proc.returncode
