"""The daily question to 1,000 servers from three bot processes on one PostgreSQL database,
through a fake Discord that enforces the global limit of 50 requests a second for the bot
as a whole (all its processes and shards together, as Discord does).

Three real ``python -m bot`` processes run two shards each of six (SHARD_COUNT,
SHARD_IDS), as tests/e2e/test_scale_out_e2e.py starts them; every server has its daily
question due as they start. Prints the posts per second as a fraction of the limit (target
0.9 or more, from the first post to the last), how many requests the fake answered 429
(target 0) and how many servers got the day's question more than once (target 0). Posts
still missing after guilds / 10 + 60 seconds are reported as missing.

Run: PEERPREP_BENCH_DATABASE_URL=postgresql://... python -m bench.pg_fanout [--guilds N]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import pg
from bot.storage import DailySchedule, Store
from tests.fakediscord import FakeDiscord

LIMIT = 50
SHARDS = 6
PROCESSES = {1: (0, 1), 2: (2, 3), 3: (4, 5)}  # process -> its shards
ROOT = Path(__file__).resolve().parent.parent


async def _launch(fake: FakeDiscord, url: str, data_dir: Path, shards: tuple[int, int]
                  ) -> asyncio.subprocess.Process:
    """``python -m bot`` running ``shards`` of SHARDS, its log in ``data_dir``/log (made
    beforehand)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DISCORD_", "DEV_GUILD", "DATABASE_", "SHARD_"))}
    env |= {"DISCORD_TOKEN": fake.token, "DATA_DIR": str(data_dir), "LOG_LEVEL": "WARNING",
            "DISCORD_API_BASE": fake.api_base, "DISCORD_GATEWAY_URL": fake.gateway_url,
            "GUILD_READY_TIMEOUT": "0.1", "DATABASE_URL": url, "DATABASE_POOL_SIZE": "5",
            "SHARD_COUNT": str(SHARDS), "SHARD_IDS": f"{shards[0]}-{shards[1]}"}
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=(data_dir / "log").open("wb"))


async def _stop(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        proc.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(proc.wait(), 20)
        except TimeoutError:
            proc.kill()
            await proc.wait()


async def _run(url: str, guilds: int, tmp: Path) -> dict[str, float]:
    fake = await FakeDiscord().start()
    try:
        admin = fake.add_user("admin")
        servers = [fake.add_guild(f"g{i}", channels=("daily",), admin=admin,
                                  shard=(i % SHARDS, SHARDS)) for i in range(guilds)]
        channels = {int(g["id"]): int(fake.channel_named(g, "daily")["id"]) for g in servers}
        async with pg.own_schema(url, "fanout") as schema_url:
            async with Store(schema_url) as store:
                now = datetime.now(UTC)  # the processes run on the real clock: due at once
                for guild_id, channel_id in channels.items():
                    await store.daily.save_schedule(DailySchedule(
                        guild_id, channel_id, "00:00", "UTC", None, None, False, False, None,
                        now), now)
            fake.enforce_global_limit = LIMIT
            for p in PROCESSES:
                (tmp / f"p{p}").mkdir()
            procs = await asyncio.gather(*(
                _launch(fake, schema_url, tmp / f"p{p}", shards)
                for p, shards in PROCESSES.items()))
            try:
                try:
                    await fake.wait_until(
                        lambda: all(fake.messages.get(c) for c in channels.values()),
                        timeout=guilds / 10 + 60)
                except TimeoutError:  # reported: fewer posts than servers
                    for p in PROCESSES:
                        log = (tmp / f"p{p}" / "log").read_text(errors="replace")
                        print(f"process {p}'s log, the end:\n{log[-1500:]}", file=sys.stderr)
                await asyncio.sleep(1)  # a second send of one day would come about now
            finally:
                await asyncio.gather(*(_stop(p) for p in procs))
        posts = sorted(m["_at"] for c in channels.values() for m in fake.messages.get(c, []))
        sends: dict[int, int] = {}
        for r in fake.requests:
            if r.method == "POST" and r.path.endswith("/messages") and r.status == 200:
                channel = int(r.path.split("/")[2])
                sends[channel] = sends.get(channel, 0) + 1
        doubled = sum(1 for c in channels.values()
                      if len(fake.messages.get(c, [])) > 1 or sends.get(c, 0) > 1)
        elapsed = posts[-1] - posts[0]
        rate = (len(posts) - 1) / elapsed if elapsed else float("inf")
        return {"posts": len(posts), "seconds": elapsed, "rate": rate,
                "fraction": rate / LIMIT, "429s": fake.global_429s, "doubled": doubled,
                "requests": len(fake.requests)}
    finally:
        await fake.close()


def run(url: str, guilds: int = 1000) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        return asyncio.run(_run(url, guilds, Path(tmp)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--guilds", type=int, default=1000)
    args = parser.parse_args()
    url = pg.server_url()
    if url is None:
        raise SystemExit(f"set {pg.URL_ENV} to a PostgreSQL URL to run this benchmark")
    started = time.perf_counter()
    r = run(url, args.guilds)
    print(f"daily fan-out, {len(PROCESSES)} processes x 2 of {SHARDS} shards on PostgreSQL: "
          f"{r['posts']:.0f} posts in {r['seconds']:.1f} s = {r['rate']:.1f} req/s, "
          f"{r['fraction']:.2f} of the {LIMIT}/s limit (target >= 0.9); missing: "
          f"{args.guilds - r['posts']:.0f}; 429 answered: "
          f"{r['429s']:.0f} (target 0); servers posted twice: {r['doubled']:.0f} (target 0)  "
          f"[{time.perf_counter() - started:.0f} s]")


if __name__ == "__main__":
    main()
