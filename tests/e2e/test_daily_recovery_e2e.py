"""The daily question when things go wrong: long rate limits, dropped connections, answers
that never arrive, a process killed mid-post, lost permissions fixed later. Each day gets
exactly one post, and a day whose post failed can still be posted."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.daily.service import PlannedPost
from bot.discord_app.extensions.daily import _post
from bot.storage import DailySchedule
from tests.conftest import FakeClock
from tests.e2e.test_daily_e2e import advance_to, posts_in, setup_daily
from tests.e2e.test_interview_e2e import text_of
from tests.fakediscord import FakeDiscord
from tests.fakediscord.payloads import MANAGE_GUILD

FRIDAY = date(2026, 3, 6)
NINE_NY = datetime(2026, 3, 6, 14, 0, 1, tzinfo=UTC)  # Friday 09:00:01 in New York


async def rows(run: Any, guild: dict[str, Any]) -> list[tuple[str, str]]:
    return [(p.post_date.isoformat(), p.status)
            for p in await run.store.daily.posts_on(int(guild["id"]))]


async def settled(run: Any, guild: dict[str, Any], day: str = "2026-03-06") -> None:
    """Wait (a few seconds at most) until ``day``'s row says posted."""
    for _ in range(50):
        if (day, "posted") in await rows(run, guild):
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{day} never settled: {await rows(run, guild)}")


async def slash(fake: FakeDiscord, world: dict[str, Any], command: str, **options: Any) -> str:
    reply = await (await fake.slash(world["admin"], command, guild=world["guild"],
                                    permissions=MANAGE_GUILD, **options)).settled()
    assert reply.ephemeral
    return text_of(reply.messages[-1])


# -- transient failures: the same day is retried, once --------------------------------------

TRANSIENT = {
    # discord.RateLimited: not an HTTPException, raised when the wait exceeds the maximum
    "long rate limit": {"status": 429, "retry_after": 600},
    # aiohttp.ClientError: the connection dropped before any answer
    "dropped connection": {"status": 0},
    # discord.DiscordServerError, answered at once for a 503
    "server error": {"status": 503},
    # the message was made, but the answer was lost: a retry must not post it twice
    "answer lost in a dropped connection": {"status": 0, "lost_response": True},
    "answer lost in a server error": {"status": 503, "lost_response": True},
}


@pytest.mark.parametrize("fault", TRANSIENT.values(), ids=list(TRANSIENT))
async def test_a_transient_failure_retries_the_same_day_once(fake: FakeDiscord, start_bot,
                                                             world, clock: FakeClock,
                                                             fault: dict[str, Any]):
    clock.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    run = await start_bot(daily_poll_seconds=0.05)
    await setup_daily(fake, world, world["training"])
    fake.inject(rf"/channels/{world['training']['id']}/messages$", method="POST", **fault)
    await advance_to(clock, [run], NINE_NY)
    await fake.wait_until(lambda: fake.faults[-1].times == 0)
    await run.daily.next_tick()
    made = 1 if fault.get("lost_response") else 0
    assert len(posts_in(fake, world["training"])) == made
    schedule = await run.store.daily.schedule(int(world["guild"]["id"]))
    assert not schedule.paused  # a passing problem is no reason to stop the guild

    await advance_to(clock, [run], NINE_NY + timedelta(minutes=5))  # the same morning
    await fake.wait_until(lambda: len(posts_in(fake, world["training"])) == 1)
    await run.daily.next_tick()
    assert len(posts_in(fake, world["training"])) == 1
    assert await rows(run, world["guild"]) == [("2026-03-06", "posted")]
    schedule = await run.store.daily.schedule(int(world["guild"]["id"]))
    assert schedule.next_due_at == datetime(2026, 3, 7, 14, 0, tzinfo=UTC)

    await advance_to(clock, [run], datetime(2026, 3, 7, 14, 0, 1, tzinfo=UTC))
    await fake.wait_until(lambda: len(posts_in(fake, world["training"])) == 2)


async def test_retries_back_off_while_the_trouble_lasts(fake: FakeDiscord, start_bot, world,
                                                        clock: FakeClock):
    clock.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    run = await start_bot(daily_poll_seconds=0.05)
    await setup_daily(fake, world, world["training"])
    fault = f"/channels/{world['training']['id']}/messages"
    fake.inject(rf"{fault}$", 503, times=100, method="POST")

    def tries() -> int:
        return sum(1 for r in fake.requests if r.method == "POST" and r.path.endswith(fault))

    async def tried(n: int) -> None:
        await fake.wait_until(lambda: tries() == n)

    await advance_to(clock, [run], NINE_NY)
    await tried(1)
    gaps = []
    for _ in range(4):  # each wait is longer than the one before
        schedule = await run.store.daily.schedule(int(world["guild"]["id"]))
        gaps.append(schedule.next_due_at - clock.now)
        await advance_to(clock, [run], clock.now + timedelta(seconds=1))
        assert tries() == len(gaps)  # nothing before its time
        await advance_to(clock, [run], schedule.next_due_at)
        await tried(len(gaps) + 1)
    assert gaps == sorted(gaps) and gaps[-1] > gaps[0]
    status = text_of((await (await fake.slash(world["admin"], "daily status",
                                              guild=world["guild"], permissions=MANAGE_GUILD)
                      ).settled()).messages[-1])
    assert "503" in status and "try again" in status
    fake.faults.clear()
    await advance_to(clock, [run], clock.now + gaps[-1] * 2)
    await fake.wait_until(lambda: len(posts_in(fake, world["training"])) == 1)
    assert await rows(run, world["guild"]) == [("2026-03-06", "posted")]


async def test_a_guild_that_keeps_failing_waits_and_the_others_post(fake: FakeDiscord,
                                                                    start_bot, world,
                                                                    clock: FakeClock, caplog):
    clock.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    second = fake.add_guild("Second", channels=("daily",), admin=world["admin"])
    run = await start_bot(daily_poll_seconds=0.05)
    await setup_daily(fake, world, fake.channel_named(second, "daily"), guild=second)
    # A schedule the service can't work with: planning its post raises every time.
    broken = int(world["guild"]["id"])
    await run.store.daily.save_schedule(DailySchedule(
        broken, int(world["training"]["id"]), "09:00", "Not/AZone", None, None, False, False,
        None, clock.now), clock.now)
    caplog.set_level(logging.ERROR, logger="bot.discord_app.extensions.daily._cog")

    def failures() -> int:
        return sum(f"guild {broken} failed" in r.getMessage() for r in caplog.records)

    await advance_to(clock, [run], NINE_NY)
    await fake.wait_until(lambda: len(posts_in(fake, fake.channel_named(second, "daily"))) == 1)
    for _ in range(3):  # the loop keeps running, the clock stands still
        await run.daily.next_tick()
    assert failures() == 1
    cog = run.bot.get_cog("DailyCog")
    cog.poll_seconds = 3600  # with nothing else to do, the loop sleeps until the retry
    assert await cog._sleep_for() >= 59
    await advance_to(clock, [run], NINE_NY + timedelta(minutes=1, seconds=1))
    await fake.wait_until(lambda: failures() == 2)
    await advance_to(clock, [run], NINE_NY + timedelta(minutes=2))
    await run.daily.next_tick()
    assert failures() == 2  # the second wait is longer


# -- a process that dies mid-post ------------------------------------------------------------

async def claim_then_die(start_bot, fake: FakeDiscord, world: dict[str, Any], clock: FakeClock,
                         *, sent: bool) -> Any:
    """A bot claims Friday's post (and, if ``sent``, Discord has the message) then is
    killed before it could record anything more."""
    clock.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    run = await start_bot(daily_poll_seconds=3600)
    await setup_daily(fake, world, world["training"])
    # The tick /daily setup woke is over before the clock moves: else it could see 09:00
    # and claim the post itself.
    await run.daily.next_tick()
    clock.now = NINE_NY
    cog = run.bot.get_cog("DailyCog")
    schedule = await run.store.daily.schedule(int(world["guild"]["id"]))
    planned = await cog.service.plan(schedule, clock.now)
    assert isinstance(planned, PlannedPost)
    if sent:
        channel = run.bot.get_partial_messageable(int(world["training"]["id"]))
        await channel.send(**_post.post_message(planned))
    cog._task.cancel()  # the process dies here: nothing after the send happens
    await run.stop()
    return planned


@pytest.mark.parametrize("sent", [False, True], ids=["before the send", "after the send"])
async def test_a_process_killed_mid_post_leaves_exactly_one_post(fake: FakeDiscord,
                                                                  start_bot, world,
                                                                  clock: FakeClock,
                                                                  sent: bool):
    planned = await claim_then_die(start_bot, fake, world, clock, sent=sent)
    clock.now = NINE_NY + timedelta(minutes=2)  # restarted at once: the claim may be alive
    run = await start_bot(daily_poll_seconds=0.05)
    await run.daily.next_tick()
    assert len(posts_in(fake, world["training"])) == int(sent)
    assert await rows(run, world["guild"]) == [("2026-03-06", "claimed")]

    await advance_to(clock, [run], NINE_NY + timedelta(minutes=20))  # the claim is stale
    await fake.wait_until(lambda: len(posts_in(fake, world["training"])) == 1)
    await settled(run, world["guild"])
    await run.daily.next_tick()
    assert len(posts_in(fake, world["training"])) == 1
    post = (await run.store.daily.posts_on(int(world["guild"]["id"])))[0]
    assert post.id == planned.post.id
    assert post.message_id == int(posts_in(fake, world["training"])[0]["id"])
    schedule = await run.store.daily.schedule(int(world["guild"]["id"]))
    assert schedule.next_due_at == datetime(2026, 3, 7, 14, 0, tzinfo=UTC)


async def test_a_live_claim_in_another_process_is_left_alone(fake: FakeDiscord, start_bot,
                                                             world, clock: FakeClock):
    clock.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    run = await start_bot(daily_poll_seconds=0.05)
    await setup_daily(fake, world, world["training"])
    # Another process claimed Friday a moment ago and is still sending.
    gid = int(world["guild"]["id"])
    other = await run.store.daily.claim(gid, FRIDAY, "q", "other-host:1", NINE_NY)
    assert other.won
    await advance_to(clock, [run], NINE_NY + timedelta(seconds=30))
    await run.daily.next_tick()
    assert posts_in(fake, world["training"]) == []
    assert await rows(run, world["guild"]) == [("2026-03-06", "claimed")]


# -- lost permissions or channel, fixed later --------------------------------------------------

async def forbidden_at_nine(fake: FakeDiscord, start_bot, world: dict[str, Any],
                            clock: FakeClock) -> Any:
    clock.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    run = await start_bot(daily_poll_seconds=0.05)
    await setup_daily(fake, world, world["training"])
    fake.forbid(int(world["training"]["id"]))
    await advance_to(clock, [run], NINE_NY)
    await fake.wait_until(lambda: any(r.status == 403 for r in fake.requests))
    await run.daily.next_tick()
    status = await slash(fake, world, "daily status")
    assert "paused" in status and "not allowed to post" in status
    return run


async def test_after_a_403_is_fixed_post_now_posts_today(fake: FakeDiscord, start_bot, world,
                                                         clock: FakeClock):
    run = await forbidden_at_nine(fake, start_bot, world, clock)
    fake.forbidden.clear()  # the admin gives the bot its permissions back
    await advance_to(clock, [run], NINE_NY + timedelta(hours=2))
    assert "Posted in" in await slash(fake, world, "daily post-now")
    assert len(posts_in(fake, world["training"])) == 1
    assert await rows(run, world["guild"]) == [("2026-03-06", "posted")]
    status = await slash(fake, world, "daily status")
    assert "paused" not in status and "not allowed" not in status  # the problem is gone
    assert "already been posted" in await slash(fake, world, "daily post-now")
    await advance_to(clock, [run], datetime(2026, 3, 7, 14, 0, 1, tzinfo=UTC))
    await fake.wait_until(lambda: len(posts_in(fake, world["training"])) == 2)


async def test_resume_after_the_slot_posts_the_failed_day_now(fake: FakeDiscord, start_bot,
                                                              world, clock: FakeClock):
    run = await forbidden_at_nine(fake, start_bot, world, clock)
    fake.forbidden.clear()
    await advance_to(clock, [run], NINE_NY + timedelta(hours=2))
    assert "now" in await slash(fake, world, "daily resume")
    await fake.wait_until(lambda: len(posts_in(fake, world["training"])) == 1)
    await run.daily.next_tick()
    assert await rows(run, world["guild"]) == [("2026-03-06", "posted")]
    await advance_to(clock, [run], datetime(2026, 3, 7, 14, 0, 1, tzinfo=UTC))
    await fake.wait_until(lambda: len(posts_in(fake, world["training"])) == 2)


async def test_resume_before_the_slot_posts_that_day(fake: FakeDiscord, start_bot, world,
                                                     clock: FakeClock):
    clock.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)  # 07:00 in New York
    run = await start_bot(daily_poll_seconds=0.05)
    await setup_daily(fake, world, world["training"])
    fake.forbid(int(world["training"]["id"]))
    assert "couldn't post" in await slash(fake, world, "daily post-now")
    fake.forbidden.clear()
    await slash(fake, world, "daily resume")
    await advance_to(clock, [run], NINE_NY)
    await fake.wait_until(lambda: len(posts_in(fake, world["training"])) == 1)
    await run.daily.next_tick()
    assert len(posts_in(fake, world["training"])) == 1
    assert await rows(run, world["guild"]) == [("2026-03-06", "posted")]


async def test_a_deleted_channel_replaced_by_setup_posts_today(fake: FakeDiscord, start_bot,
                                                               world, clock: FakeClock):
    clock.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    run = await start_bot(daily_poll_seconds=0.05)
    await setup_daily(fake, world, world["training"])
    fake.deleted.add(int(world["training"]["id"]))
    await advance_to(clock, [run], NINE_NY)
    await fake.wait_until(lambda: any(r.status == 404 for r in fake.requests))
    await run.daily.next_tick()
    assert "no longer exists" in await slash(fake, world, "daily status")
    general = fake.channel_named(world["guild"], "general")
    await advance_to(clock, [run], NINE_NY + timedelta(hours=1))
    await setup_daily(fake, world, general)
    await fake.wait_until(lambda: len(posts_in(fake, general)) == 1)
    await run.daily.next_tick()
    assert await rows(run, world["guild"]) == [("2026-03-06", "posted")]
