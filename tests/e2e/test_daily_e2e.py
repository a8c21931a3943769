"""The daily question, streaks, cohorts and leaderboards through the fake Discord, with a
clock the test moves."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import FakeClock
from tests.e2e.test_interview_e2e import STRONG, text_of
from tests.fakediscord import FakeDiscord
from tests.fakediscord.payloads import MANAGE_GUILD

NY = "America/New_York"


async def setup_daily(fake: FakeDiscord, world: dict[str, Any], channel: dict[str, Any],
                      at: str = "09:00", zone: str = NY, guild: dict[str, Any] | None = None,
                      **extra: Any) -> None:
    reply = await (await fake.slash(world["admin"], "daily setup", guild=guild or world["guild"],
                                    permissions=MANAGE_GUILD, options={"channel": channel},
                                    time=at, timezone=zone, **extra)).settled()
    assert "Daily questions will go to" in text_of(reply.messages[0]), reply.messages


def posts_in(fake: FakeDiscord, channel: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in fake.messages.get(int(channel["id"]), [])
            if any(e.get("title") == "Today's practice question" for e in m.get("embeds", []))]


async def advance_to(clock: FakeClock, runs: list, moment: datetime) -> None:
    """Move the clock and wait until each bot's daily loop has looked at it."""
    clock.now = moment
    await asyncio.gather(*(run.daily.next_tick() for run in runs))


async def test_posts_at_local_time_once_across_restart_and_dst(fake: FakeDiscord, start_bot,
                                                                world, clock: FakeClock):
    clock.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)  # Friday 07:00 in New York
    run = await start_bot(daily_poll_seconds=0.05)
    await setup_daily(fake, world, world["training"])
    await advance_to(clock, [run], datetime(2026, 3, 6, 13, 59, tzinfo=UTC))
    assert posts_in(fake, world["training"]) == []  # 08:59 local: not yet
    await advance_to(clock, [run], datetime(2026, 3, 6, 14, 0, 1, tzinfo=UTC))
    await fake.wait_until(lambda: len(posts_in(fake, world["training"])) == 1)

    await run.stop()  # a restart the same morning posts nothing more
    run = await start_bot(daily_poll_seconds=0.05)
    await advance_to(clock, [run], datetime(2026, 3, 6, 18, 0, tzinfo=UTC))
    assert len(posts_in(fake, world["training"])) == 1

    # Sunday 8 March: clocks go forward; 09:00 is now 13:00 UTC, not 14:00.
    await advance_to(clock, [run], datetime(2026, 3, 7, 14, 0, 1, tzinfo=UTC))
    await fake.wait_until(lambda: len(posts_in(fake, world["training"])) == 2)
    await advance_to(clock, [run], datetime(2026, 3, 8, 13, 0, 1, tzinfo=UTC))
    await fake.wait_until(lambda: len(posts_in(fake, world["training"])) == 3)
    ids = [p["embeds"][0]["footer"]["text"].split(" · ")[1] for p in posts_in(
        fake, world["training"])]
    assert len(set(ids)) == 3  # no repeats


async def test_two_bot_processes_post_once(fake: FakeDiscord, start_bot, world,
                                           clock: FakeClock):
    clock.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    one = await start_bot(daily_poll_seconds=0.05)
    await setup_daily(fake, world, world["training"])
    two = await start_bot(daily_poll_seconds=0.05)
    await advance_to(clock, [one, two], datetime(2026, 3, 6, 14, 0, 1, tzinfo=UTC))
    await fake.wait_until(lambda: len(posts_in(fake, world["training"])) >= 1)
    await asyncio.gather(one.daily.next_tick(), two.daily.next_tick())  # both looked again
    assert len(posts_in(fake, world["training"])) == 1


async def test_after_downtime_the_overdue_post_goes_out_once(fake: FakeDiscord, start_bot,
                                                             world, clock: FakeClock):
    clock.now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    run = await start_bot(daily_poll_seconds=0.05)
    await setup_daily(fake, world, world["training"])
    await run.stop()
    clock.now = datetime(2026, 3, 5, 18, 0, tzinfo=UTC)  # down for three days
    run = await start_bot(daily_poll_seconds=0.05)
    await fake.wait_until(lambda: len(posts_in(fake, world["training"])) == 1)
    await run.daily.next_tick()
    assert len(posts_in(fake, world["training"])) == 1


@pytest.mark.parametrize(("back", "owed_day", "next_due"), [
    # back on Thursday afternoon: Thursday's post, then Friday 09:00
    (datetime(2026, 3, 5, 18, 0, tzinfo=UTC), "2026-03-05", datetime(2026, 3, 6, 14, 0, tzinfo=UTC)),
    # back on Thursday at 07:00: Wednesday's post, then Thursday 09:00
    (datetime(2026, 3, 5, 12, 0, tzinfo=UTC), "2026-03-04", datetime(2026, 3, 5, 14, 0, tzinfo=UTC)),
], ids=["after the local slot", "before the local slot"])
async def test_after_days_of_downtime_one_post_then_the_next_local_slot(
        fake: FakeDiscord, start_bot, world, clock: FakeClock, back: datetime, owed_day: str,
        next_due: datetime):
    clock.now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # Monday 07:00 in New York
    run = await start_bot(daily_poll_seconds=0.05)
    await setup_daily(fake, world, world["training"])
    await run.stop()
    clock.now = back  # down through three or four slots
    run = await start_bot(daily_poll_seconds=0.05)
    await fake.wait_until(lambda: len(posts_in(fake, world["training"])) == 1)
    gid = int(world["guild"]["id"])
    for _ in range(50):
        if [p.status for p in await run.store.daily.posts_on(gid)] == ["posted"]:
            break
        await asyncio.sleep(0.1)
    await run.daily.next_tick()
    assert len(posts_in(fake, world["training"])) == 1
    assert [(p.post_date.isoformat(), p.status) for p in await run.store.daily.posts_on(gid)
            ] == [(owed_day, "posted")]
    assert (await run.store.daily.schedule(gid)).next_due_at == next_due
    await advance_to(clock, [run], next_due - timedelta(seconds=1))
    assert len(posts_in(fake, world["training"])) == 1
    await advance_to(clock, [run], next_due + timedelta(seconds=1))
    await fake.wait_until(lambda: len(posts_in(fake, world["training"])) == 2)


async def test_fall_back_posts_once_at_the_local_time(fake: FakeDiscord, start_bot, world,
                                                      clock: FakeClock):
    """Sunday 1 November 2026: New York's clocks go back from 02:00 EDT to 01:00 EST. 09:00
    moves from 13:00 to 14:00 UTC; 01:30 happens twice and is posted at the first."""
    clock.now = datetime(2026, 10, 31, 12, 0, tzinfo=UTC)  # Saturday 08:00 EDT
    night = fake.add_guild("Night owls", channels=("daily",), admin=world["admin"])
    night_channel = fake.channel_named(night, "daily")
    run = await start_bot(daily_poll_seconds=0.05)
    await setup_daily(fake, world, world["training"], at="09:00")
    await setup_daily(fake, world, night_channel, at="01:30", guild=night)

    async def at(moment: datetime, mornings: int, nights: int) -> None:
        await advance_to(clock, [run], moment)
        await fake.wait_until(lambda: (len(posts_in(fake, world["training"])),
                                       len(posts_in(fake, night_channel))) >= (mornings, nights))
        await run.daily.next_tick()  # and once more: nothing else goes out
        assert (len(posts_in(fake, world["training"])), len(posts_in(fake, night_channel))
                ) == (mornings, nights), moment

    assert posts_in(fake, world["training"]) == []
    await at(datetime(2026, 10, 31, 13, 0, 1, tzinfo=UTC), 1, 0)  # Saturday 09:00 EDT
    await at(datetime(2026, 11, 1, 5, 29, tzinfo=UTC), 1, 0)
    await at(datetime(2026, 11, 1, 5, 30, 1, tzinfo=UTC), 1, 1)  # the first 01:30 (EDT)
    await at(datetime(2026, 11, 1, 6, 30, 1, tzinfo=UTC), 1, 1)  # the second 01:30 (EST)
    await run.stop()  # a restart in between changes nothing
    run = await start_bot(daily_poll_seconds=0.05)
    await at(datetime(2026, 11, 1, 6, 45, tzinfo=UTC), 1, 1)
    await at(datetime(2026, 11, 1, 13, 0, 1, tzinfo=UTC), 1, 1)  # 08:00 EST: not yet
    await at(datetime(2026, 11, 1, 14, 0, 1, tzinfo=UTC), 2, 1)  # Sunday 09:00 EST
    await at(datetime(2026, 11, 2, 6, 30, 1, tzinfo=UTC), 2, 2)  # Monday 01:30 EST
    await at(datetime(2026, 11, 2, 14, 0, 1, tzinfo=UTC), 3, 2)
    days = [p.post_date.isoformat() for p in await run.store.daily.posts_on(int(night["id"]))]
    assert days == ["2026-11-01", "2026-11-02"]


async def test_a_forbidden_channel_pauses_that_guild_only(fake: FakeDiscord, start_bot, world,
                                                           clock: FakeClock):
    clock.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    other_guild = fake.add_guild("Second", channels=("daily",), admin=world["admin"])
    run = await start_bot(daily_poll_seconds=0.05)
    await setup_daily(fake, world, world["training"])
    await setup_daily(fake, world, fake.channel_named(other_guild, "daily"), guild=other_guild)
    fake.forbid(int(world["training"]["id"]))
    await advance_to(clock, [run], datetime(2026, 3, 6, 14, 0, 1, tzinfo=UTC))
    await fake.wait_until(lambda: len(posts_in(fake, fake.channel_named(other_guild,
                                                                         "daily"))) == 1)
    status = await (await fake.slash(world["admin"], "daily status", guild=world["guild"],
                                     permissions=MANAGE_GUILD)).settled()
    text = text_of(status.messages[0])
    assert "paused" in text and "not allowed to post" in text


async def test_answering_the_daily_question_counts_toward_the_streak(fake: FakeDiscord,
                                                                     start_bot, world,
                                                                     clock: FakeClock):
    clock.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    run = await start_bot(daily_poll_seconds=0.05)
    await setup_daily(fake, world, world["training"])
    await advance_to(clock, [run], datetime(2026, 3, 6, 14, 0, 1, tzinfo=UTC))
    await fake.wait_until(lambda: len(posts_in(fake, world["training"])) == 1)
    post = posts_in(fake, world["training"])[0]
    opened = await (await fake.click(world["trainee"], post, label="Answer privately")).wait()
    reply = await (await fake.submit(world["trainee"], opened.callbacks[0]["data"], STRONG,
                                     guild=world["guild"], channel=world["training"])).settled()
    assert reply.ephemeral
    assert "Streak: 1 day" in text_of(reply.messages[0])
    streak = await (await fake.slash(world["trainee"], "streak", guild=world["guild"])).settled()
    message = streak.messages[0]
    assert message["flags"] & 64
    assert message["attachments"][0]["filename"] == "streak.png"
    assert message["attachments"][0]["_bytes"].startswith(b"\x89PNG")
    assert "1 day" in text_of(message)


async def test_cohorts_leaderboards_and_privacy(fake: FakeDiscord, start_bot, world,
                                                clock: FakeClock):
    clock.now = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    run = await start_bot()
    admin, trainee, other = world["admin"], world["trainee"], world["other"]
    guild = world["guild"]
    refused = await (await fake.slash(trainee, "cohort create", guild=guild,
                                      name="Spring")).settled()
    assert "Only facilitators" in text_of(refused.messages[0])
    await (await fake.slash(admin, "cohort create", guild=guild, permissions=MANAGE_GUILD,
                            name="Spring")).settled()
    long = await (await fake.slash(admin, "cohort create", guild=guild,
                                   permissions=MANAGE_GUILD, name="x" * 200)).settled()
    assert "at most 50 characters" in text_of(long.messages[0])
    for person in (trainee, other):
        await (await fake.slash(person, "cohort join", guild=guild, name="spring")).settled()

    engine, bank = run.bot.engine, run.bot.bank
    ids = {}
    for person in (trainee, other):
        ids[person["id"]] = (await run.store.people.for_discord(int(person["id"]))).id
    q = bank.questions[0]
    for i in range(3):
        await engine.answer_daily(ids[trainee["id"]], q, "I would be kind.", key=f"t{i}")
    for i in range(3):  # an average shows from three answers
        await engine.answer_daily(ids[other["id"]], q, q.example_answer, key=f"o{i}")

    async def board(metric: str, period: str = "week") -> list[str]:
        reply = await (await fake.slash(trainee, "leaderboard", guild=guild, metric=metric,
                                        period=period)).settled()
        return list(reply.messages[0]["embeds"][0]["description"].split("\n"))

    answers = await board("answers")
    assert answers[0].startswith(f"1. <@{trainee['id']}>")
    assert (await board("score", "month"))[0].startswith(f"1. <@{other['id']}>")
    await (await fake.slash(other, "privacy leaderboard", guild=guild, choice="hide")).settled()
    assert all(other["id"] not in line for line in await board("answers", "all"))

    report = await (await fake.slash(admin, "cohort report", guild=guild,
                                     permissions=MANAGE_GUILD, name="Spring")).settled()
    attachment = report.messages[0]["attachments"][0]
    rows = list(csv.DictReader(io.StringIO(attachment["_bytes"].decode())))
    assert {r["user_id"] for r in rows} == {trainee["id"], other["id"]}
    assert all(set(r) >= {"answers", "average_score", "current_streak"} for r in rows)
    assert "kind" not in attachment["_bytes"].decode()  # never answer text


@pytest.mark.parametrize("command", ["daily setup", "daily post-now", "cohort add",
                                     "config training-channel"])
async def test_non_facilitators_are_refused(fake: FakeDiscord, start_bot, world, command: str):
    await start_bot()
    options: dict[str, Any] = {}
    if command == "daily setup":
        options = {"channel": world["training"], "time": "09:00", "timezone": NY}
    elif command == "cohort add":
        options = {"name": "x", "member": world["other"]}
    elif command == "config training-channel":
        options = {"channel": world["training"]}
    reply = await (await fake.slash(world["trainee"], command, guild=world["guild"],
                                    options=options)).settled()
    assert reply.ephemeral
    assert any(word in text_of(reply.messages[0]) for word in ("facilitator", "Manage Server"))


async def test_bad_time_and_zone_are_explained(fake: FakeDiscord, start_bot, world):
    await start_bot()
    for kwargs, expected in (({"time": "25:00", "timezone": NY}, "24-hour"),
                             ({"time": "09:00", "timezone": "Mars/Base"}, "time zone")):
        reply = await (await fake.slash(world["admin"], "daily setup", guild=world["guild"],
                                        permissions=MANAGE_GUILD,
                                        options={"channel": world["training"]},
                                        **kwargs)).settled()
        assert expected in text_of(reply.messages[0])
