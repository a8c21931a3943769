"""Which servers a sharded process owns: Discord's rule, (guild_id >> 22) % shard count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.bank import Bank
from bot.core.records import Claim, DailySchedule, ShardSet, shard_of
from bot.daily.service import DailyService, PlannedPost
from bot.discord_app.client import shards_of
from bot.settings import load_settings
from tests.fakediscord import payloads as P
from tests.memory_store import MemoryStore

A_SERVER = 197038439483310086  # an id of Discord's form; its time part (>> 22) is 46977624770


def test_shard_of_follows_discords_rule():
    assert [shard_of(A_SERVER, n) for n in (1, 2, 3, 4, 5, 7)] == [
        46977624770 % n for n in (1, 2, 3, 4, 5, 7)] == [0, 0, 2, 2, 0, 6]
    assert shard_of(2**63 - 1, 2) == 1  # the largest id there can be
    # Ids only 4 million apart share a shard: small made-up ids are all on shard 0.
    assert {shard_of(i, 8) for i in range(1, 1000)} == {0}


def test_a_shard_set_owns_the_servers_on_its_shards():
    zero_and_two = ShardSet(3, frozenset({0, 2}))
    on = {s: [P.snowflake_on(s, 3) for _ in range(3)] for s in range(3)}
    assert all(zero_and_two.owns(g) for g in on[0] + on[2])
    assert not any(zero_and_two.owns(g) for g in on[1])
    assert ShardSet(1, frozenset({0})).owns(A_SERVER)


@pytest.mark.parametrize(("count", "ids"), [(0, {0}), (2, set()), (2, {2}), (2, {-1})])
def test_a_shard_set_that_cannot_be_is_refused(count: int, ids: set[int]):
    with pytest.raises(ValueError):
        ShardSet(count, frozenset(ids))


def test_the_fakes_servers_on_a_shard_are_there_and_distinct():
    made = [(n, s, P.snowflake_on(s, n)) for n in (1, 2, 3, 5) for s in range(n)
            for _ in range(3)]
    assert all(shard_of(g, n) == P.shard_of(g, n) == s for n, s, g in made)
    assert len({g for *_, g in made}) == len(made)
    assert all(0 < g < 2**63 for *_, g in made)


@pytest.mark.parametrize(
    ("env", "owned"),
    [
        ({}, None),  # every shard runs here: every server is this process's
        ({"SHARD_COUNT": "4"}, None),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "1,3"}, ShardSet(4, frozenset({1, 3}))),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "0-1"}, ShardSet(2, frozenset({0, 1}))),
    ],
)
def test_the_daily_service_schedules_the_servers_of_the_settings_shards(
        env: dict[str, str], owned: ShardSet | None):
    assert shards_of(load_settings(env, env_file=None)) == owned


async def test_the_daily_service_reads_only_the_schedules_of_its_own_servers(bank: Bank):
    """Nor does it wait for another's: a server of another process's, overdue, would wake it
    again and again for nothing."""
    store, now, hour = MemoryStore(), datetime(2026, 3, 10, 15, 0, tzinfo=UTC), timedelta(hours=1)
    mine, theirs = P.snowflake_on(0, 2), P.snowflake_on(1, 2)
    for guild, due in ((theirs, now - hour), (mine, now + hour)):
        await store.daily.save_schedule(DailySchedule(
            guild, 1, "09:00", "UTC", None, None, False, False, None, due), now)
    shard_0 = DailyService(store, bank, "shard-0", shards=ShardSet(2, frozenset({0})))
    assert await shard_0.next_due_at() == now + hour
    assert [s.guild_id for s in await shard_0.due(now)] == []
    assert [s.guild_id for s in await shard_0.due(now + hour)] == [mine]
    every = DailyService(store, bank, "every shard")
    assert await every.next_due_at() == now - hour
    assert [s.guild_id for s in await every.due(now + hour)] == [theirs, mine]


async def test_a_day_claimed_by_a_process_that_ended_is_taken_over_at_once(bank: Bank):
    """A process killed while posting leaves its claims; the process that comes back (or
    another on the same machine) can tell that one has ended and posts the day at once,
    looking first for a message the dead one may have sent. A process it can't tell about
    (another machine) keeps its claim until STALE_CLAIM."""
    store, now = MemoryStore(), datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    schedule = DailySchedule(P.snowflake_on(0, 1), 1, "09:00", "UTC", None, None, False, False,
                             None, now - timedelta(hours=6))
    await store.daily.save_schedule(schedule, now)
    dead = DailyService(store, bank, "host:1:1")
    assert isinstance(await dead.plan(schedule, now), PlannedPost)
    unsure = DailyService(store, bank, "host:2:2")
    assert isinstance(await unsure.plan(schedule, now), Claim)
    knows = DailyService(store, bank, "host:3:3", has_ended=lambda i: i == "host:1:1")
    planned = await knows.plan(schedule, now)
    assert isinstance(planned, PlannedPost) and planned.retake
