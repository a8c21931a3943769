"""Memory per active interview in the running bot (target under 8 KiB).

Interviews live in the database and their buttons in their custom_ids, so the bot should
hold next to nothing per interview. N trainees each start a DM interview and answer once;
tracemalloc measures what the bot process gained, per interview. The fake Discord runs in
the same process, so its share (its records of every request) is measured apart and taken
off.

Run: python -m bench.memory [--trainees N]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import tempfile
import tracemalloc
from pathlib import Path

from bot.bank import load_bank
from bot.discord_app.client import PeerPrepBot
from bot.discord_app.main import point_at
from bot.paths import CONTENT_DIR
from bot.settings import load_settings
from bot.storage import Store
from tests.fakediscord import FakeDiscord

ANSWER = "I would listen, reflect back what I hear and ask what the person wants next."
FAKE_FILES = ("tests/fakediscord", "aiohttp/web")


def _traced(snapshot: tracemalloc.Snapshot, *, fake: bool) -> int:
    """Bytes allocated by the fake (any frame of the allocation in its files) or the rest."""
    total = 0
    for stat in snapshot.statistics("traceback"):
        in_fake = any(part in frame.filename for frame in stat.traceback
                      for part in FAKE_FILES)
        if in_fake == fake:
            total += stat.size
    return total


async def _run(trainees: int, tmp: Path) -> dict[str, float]:
    fake = await FakeDiscord().start()
    users = [fake.add_user(f"t{i}") for i in range(trainees * 2)]
    guild = fake.add_guild("Memory", members=tuple(users))
    settings = load_settings({"DISCORD_TOKEN": fake.token, "DATA_DIR": str(tmp),
                              "DISCORD_API_BASE": fake.api_base,
                              "DISCORD_GATEWAY_URL": fake.gateway_url}, env_file=None)
    point_at(settings)

    async def interviews(group: list) -> None:
        for u in group:
            await (await fake.slash(u, "interview start", guild=guild, questions=3,
                                    where="dm")).settled(timeout=30)
            dm = fake.dms[int(u["id"])]
            await fake.wait_for_message(dm, 1, timeout=30)
            await fake.send_dm(u, ANSWER)
            await fake.wait_for_message(dm, 2, timeout=30)

    async with Store(settings.database_path) as store:
        bot = PeerPrepBot(settings, load_bank(CONTENT_DIR), store, guild_ready_timeout=0.05)
        task = asyncio.create_task(bot.start(fake.token))
        try:
            await fake.wait_for_gateway(1, timeout=30)
            await interviews(users[:trainees])  # warm every cache and code path first
            gc.collect()
            tracemalloc.start(40)
            before = tracemalloc.take_snapshot()
            await interviews(users[trainees:])
            gc.collect()
            after = tracemalloc.take_snapshot()
            tracemalloc.stop()
            active = (await store.db.fetch_one(
                "SELECT COUNT(*) FROM interviews WHERE status = 'active'"))[0]
        finally:
            await bot.close()
            await asyncio.gather(task, return_exceptions=True)
    await fake.close()
    bot_bytes = _traced(after, fake=False) - _traced(before, fake=False)
    if __import__("os").environ.get("BENCH_MEMORY_TOP"):
        for stat in after.compare_to(before, "traceback")[:8]:
            if not any(p in f.filename for f in stat.traceback for p in FAKE_FILES):
                print(stat, *stat.traceback.format()[-6:], sep="\n  ")
    return {"interviews": trainees, "active": active, "bytes": bot_bytes,
            "per_interview": bot_bytes / trainees}


def run(trainees: int = 200) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        return asyncio.run(_run(trainees, Path(tmp)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trainees", type=int, default=200)
    r = run(parser.parse_args().trainees)
    print(f"memory: {r['per_interview'] / 1024:.2f} KiB per active interview "
          f"({r['bytes'] / 1024:.0f} KiB for {r['interviews']:.0f} more; "
          f"{r['active']:.0f} active in all) (target < 8 KiB)")


if __name__ == "__main__":
    main()
