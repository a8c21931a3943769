"""The real ``python -m bot`` process as a black box against the fake Discord."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

from tests.fakediscord import FakeDiscord

ROOT = Path(__file__).resolve().parents[2]


async def launch(fake: FakeDiscord, data_dir: Path, token: str) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEV_GUILD"))}
    env |= {"DISCORD_TOKEN": token, "DATA_DIR": str(data_dir), "LOG_LEVEL": "INFO",
            "DISCORD_API_BASE": fake.api_base, "DISCORD_GATEWAY_URL": fake.gateway_url,
            "GUILD_READY_TIMEOUT": "0.1"}
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


async def test_the_bot_process_serves_an_interview(fake: FakeDiscord, world, tmp_path: Path):
    proc = await launch(fake, tmp_path, fake.token)
    try:
        await fake.wait_for_gateway(1, timeout=30)
        await fake.wait_until(lambda: None in fake.commands, timeout=15)
        trainee = world["trainee"]
        start = await fake.slash(trainee, "interview start", guild=world["guild"],
                                 questions=1, where="dm")
        await start.settled(timeout=15)
        dm = fake.dms[int(trainee["id"])]
        await fake.wait_for_message(dm, 1, timeout=15)
        await fake.send_dm(trainee, "I would listen first, reflect back and ask what they "
                                    "need, and respect their choices about next steps.")
        await fake.wait_for_message(dm, 2, timeout=15)
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = await asyncio.wait_for(proc.communicate(), 20)
    log = err.decode()
    assert proc.returncode == 0, log
    assert fake.token not in log
    assert "respect their choices" not in log  # no answer text in the logs
    assert (tmp_path / "peerprep.sqlite3").exists()


async def test_a_rejected_token_is_one_clear_line(fake: FakeDiscord, tmp_path: Path):
    proc = await launch(fake, tmp_path, "not-the-token")
    _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 2
    text = err.decode()
    assert "Discord rejected DISCORD_TOKEN" in text
    assert "Traceback" not in text


async def test_too_few_shards_for_discord_is_one_clear_line(fake: FakeDiscord, world,
                                                             tmp_path: Path):
    """Discord closes a shard that would hold too many servers (4011, sharding required):
    the bot says which setting to change and stops, no traceback, and does not retry (each
    try would spend one of the bot's daily identifies)."""
    fake.max_guilds_per_shard = 0  # any server is one too many
    proc = await launch(fake, tmp_path, fake.token)
    _, err = await asyncio.wait_for(proc.communicate(), 30)
    text = err.decode()
    assert proc.returncode == 2, text
    assert "needs more shards" in text and "SHARD_COUNT" in text
    assert "Traceback" not in text
    identifies = [g for g in fake.requests if g.path.startswith("/gateway")]
    assert identifies  # it did ask Discord before it tried


async def test_an_unreachable_discord_is_one_clear_line(tmp_path: Path):
    """Nothing listens at the REST address: the bot says so and stops, no traceback."""
    with socket.socket() as probe:  # a free local port, closed again: connections refused
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEV_GUILD"))}
    env |= {"DISCORD_TOKEN": "some-token", "DATA_DIR": str(tmp_path),
            "DISCORD_API_BASE": f"http://127.0.0.1:{port}/api/v10",
            "DISCORD_GATEWAY_URL": f"ws://127.0.0.1:{port}/"}
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _, err = await asyncio.wait_for(proc.communicate(), 60)
    text = err.decode()
    assert proc.returncode == 1, text
    assert "cannot reach Discord" in text and f"127.0.0.1:{port}" in text
    assert "Traceback" not in text


async def test_sigterm_stops_the_bot_as_ctrl_c_does(fake: FakeDiscord, world, tmp_path: Path):
    """A host stopping or restarting the worker sends SIGTERM: the bot closes the way Ctrl-C
    closes it (exit 0, "stopped", the database closed: SQLite folds its write-ahead log
    back into the file and removes it), not killed on the spot."""
    proc = await launch(fake, tmp_path, fake.token)
    try:
        await fake.wait_for_gateway(1, timeout=30)
        await fake.wait_until(lambda: None in fake.commands, timeout=15)
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 20)
    log = err.decode()
    assert proc.returncode == 0, log
    assert "stopped" in log and "Traceback" not in log
    assert (tmp_path / "peerprep.sqlite3").exists()
    assert not (tmp_path / "peerprep.sqlite3-wal").exists()
