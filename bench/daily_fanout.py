"""The daily question to 1,000 guilds at once, through a fake Discord that enforces the global
limit of 50 requests a second. Prints the achieved rate as a fraction of the limit (target
0.9 or more) and how many requests the fake had to answer with 429 (target 0).

Run: python -m bench.daily_fanout [--guilds N]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.bank import load_bank
from bot.discord_app.client import PeerPrepBot
from bot.discord_app.main import point_at
from bot.paths import CONTENT_DIR
from bot.settings import load_settings
from bot.storage import DailySchedule, Store
from tests.fakediscord import FakeDiscord

LIMIT = 50


async def _run(guilds: int, tmp: Path) -> dict[str, float]:
    fake = await FakeDiscord().start()
    admin = fake.add_user("admin")
    channels = [fake.add_guild(f"g{i}", channels=("daily",), admin=admin)["channels"][0]
                for i in range(guilds)]
    settings = load_settings({"DISCORD_TOKEN": fake.token, "DATA_DIR": str(tmp),
                              "DISCORD_API_BASE": fake.api_base,
                              "DISCORD_GATEWAY_URL": fake.gateway_url}, env_file=None)
    point_at(settings)
    now = datetime.now(UTC)
    async with Store(settings.database_path) as store:
        for c in channels:
            await store.daily.save_schedule(DailySchedule(
                int(c["guild_id"]), int(c["id"]), "09:00", "UTC", None, None, False, False,
                None, now), now)
        bot = PeerPrepBot(settings, load_bank(CONTENT_DIR), store, guild_ready_timeout=0.05,
                          daily_poll_seconds=0.2)
        fake.enforce_global_limit = LIMIT
        task = asyncio.create_task(bot.start(fake.token))
        try:
            await fake.wait_until(lambda: sum(len(v) for v in fake.messages.values()) >= guilds,
                                  timeout=guilds / 20 + 120)
        finally:
            await bot.close()
            await asyncio.gather(task, return_exceptions=True)
    posts = sorted(m["_at"] for v in fake.messages.values() for m in v)
    limited = [(r.method, r.path.split("/")[1], round(r.at - posts[0], 2)) for r in fake.requests
               if r.status == 429]
    if limited:
        print("answered 429:", limited[:5])
    await fake.close()
    elapsed = posts[-1] - posts[0]
    rate = (len(posts) - 1) / elapsed if elapsed else float("inf")
    return {"posts": len(posts), "seconds": elapsed, "rate": rate, "fraction": rate / LIMIT,
            "429s": fake.global_429s}


def run(guilds: int = 1000) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        return asyncio.run(_run(guilds, Path(tmp)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--guilds", type=int, default=1000)
    args = parser.parse_args()
    started = time.perf_counter()
    r = run(args.guilds)
    print(f"daily fan-out: {r['posts']:.0f} posts in {r['seconds']:.1f} s = {r['rate']:.1f} "
          f"req/s, {r['fraction']:.2f} of the {LIMIT}/s limit (target >= 0.9); "
          f"429 answered: {r['429s']:.0f} (target 0)  [{time.perf_counter() - started:.0f} s]")


if __name__ == "__main__":
    main()
