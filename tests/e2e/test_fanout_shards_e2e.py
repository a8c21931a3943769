"""Two bot processes, each on one shard of two, post their servers' daily questions at the
same moment, through a fake Discord that enforces Discord's global limit (50 requests a
second) for the bot as a whole, as Discord does: none is answered 429, and each server gets
its question once. Each process paces itself at its shards' share of the limit
(bot.daily.pacing.share_of_limit); at the whole limit each, together they would send twice
as fast as Discord allows. (bench.pg_fanout: three processes, 1,000 servers.)"""

from __future__ import annotations

import asyncio

from bot.storage import DailySchedule
from tests.conftest import FakeClock
from tests.e2e.conftest import StartBot
from tests.fakediscord import FakeDiscord
from tests.postgres import sqlite_only

PER_SHARD = 50


# Pacing does not depend on the database, and this test runs both bots and the fake on one
# event loop: on PostgreSQL (a network round trip per statement, on that loop) requests paced
# apart reach the fake bunched, and it counted one 429 in 2 of 3 runs. bench.pg_fanout
# measures real processes on PostgreSQL (docs/PERFORMANCE.md).
@sqlite_only
async def test_two_processes_posting_together_stay_under_the_global_limit(
        fake: FakeDiscord, start_bot: StartBot, clock: FakeClock):
    admin = fake.add_user("admin")
    guilds = [fake.add_guild(f"Server {i}", channels=("daily",), admin=admin,
                             shard=(i % 2, 2)) for i in range(2 * PER_SHARD)]
    daily = {int(g["id"]): int(fake.channel_named(g, "daily")["id"]) for g in guilds}
    runs = [await start_bot(env={"SHARD_COUNT": "2", "SHARD_IDS": str(shard)},
                            daily_poll_seconds=3600) for shard in (0, 1)]
    for guild_id, channel_id in daily.items():  # due now: both post at the next tick
        await runs[0].store.daily.save_schedule(DailySchedule(
            guild_id, channel_id, "00:00", "UTC", None, None, False, False, None, clock.now),
            clock.now)
    fake.enforce_global_limit = 50
    await asyncio.gather(*(run.daily.next_tick(timeout=30) for run in runs))
    await fake.wait_until(lambda: all(fake.messages.get(c) for c in daily.values()),
                          timeout=10)
    assert fake.global_429s == 0
    assert sorted({len(fake.messages[c]) for c in daily.values()}) == [1]
