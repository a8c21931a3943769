"""/daily commands: only facilitators may use them (checked in code), and each answers Discord
within its 3 seconds even while another process holds the database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.discord_app.errors import APOLOGY
from tests.conftest import FakeClock
from tests.e2e.test_daily_e2e import NY, advance_to, posts_in, setup_daily
from tests.e2e.test_interview_e2e import text_of
from tests.fakediscord import FakeDiscord
from tests.fakediscord.payloads import MANAGE_GUILD
from tests.stored import WriteLock


@pytest.mark.parametrize("command", ["daily status", "daily pause", "daily resume"])
async def test_trainees_are_refused_and_nothing_changes(fake: FakeDiscord, start_bot, world,
                                                        clock: FakeClock, command: str):
    run = await start_bot()
    await setup_daily(fake, world, world["training"])
    reply = await (await fake.slash(world["trainee"], command, guild=world["guild"])
                   ).settled()
    assert reply.ephemeral
    text = text_of(reply.messages[-1])
    assert "Only facilitators" in text
    assert "Daily question" not in text and "Channel" not in text  # no status embed
    schedule = await run.store.daily.schedule(int(world["guild"]["id"]))
    assert not schedule.paused


async def test_the_facilitator_role_may_see_the_status(fake: FakeDiscord, start_bot, world):
    role = fake.add_role(world["guild"], "Facilitators")  # before the bot learns the guild
    run = await start_bot()
    await setup_daily(fake, world, world["training"])
    await run.store.guilds.update(int(world["guild"]["id"]), facilitator_role_id=int(role["id"]))
    reply = await (await fake.slash(world["other"], "daily status", guild=world["guild"],
                                    roles=[int(role["id"])])).settled()
    assert reply.ephemeral
    text = text_of(reply.messages[-1])
    assert "Daily question" in text and "09:00 (America/New_York)" in text


async def test_daily_commands_answer_in_time_while_the_database_is_locked(
        fake: FakeDiscord, start_bot, world, clock: FakeClock, database: Path | str):
    clock.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    run = await start_bot(daily_poll_seconds=3600, busy_timeout_ms=5000)
    await setup_daily(fake, world, world["training"])
    await advance_to(clock, [run], datetime(2026, 3, 6, 14, 0, 1, tzinfo=UTC))
    await fake.wait_until(lambda: len(posts_in(fake, world["training"])) == 1)
    post = posts_in(fake, world["training"])[0]

    def command(name: str, **options: Any):
        return fake.slash(world["admin"], name, guild=world["guild"], permissions=MANAGE_GUILD,
                          **options)

    async with WriteLock(database):  # another process writing, for longer than 3 s
        general = fake.channel_named(world["guild"], "general")
        records = {"Daily question": await command("daily status"),
                   "paused": await command("daily pause"),
                   "resume": await command("daily resume"),
                   "already been posted": await command("daily post-now"),
                   "will go to": await command("daily setup", options={"channel": general},
                                               time="10:00", timezone=NY)}
        # The answer button must open its form as the first response: it can't defer.
        form = await fake.click(world["trainee"], post, label="Answer privately")
        await asyncio.sleep(3.5)
    for expected, record in records.items():
        await record.settled(timeout=15)
        assert record.ack_seconds is not None and record.ack_seconds < 3.0, expected
        assert record.ephemeral
        text = text_of(record.messages[-1])
        assert expected in text and APOLOGY not in text  # done once the lock was free
    await form.wait()
    assert form.callbacks[0]["type"] == 9  # the modal
    assert form.ack_seconds is not None and form.ack_seconds < 3.0
