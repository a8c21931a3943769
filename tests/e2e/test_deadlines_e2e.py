"""Discord's 3-second deadline holds for every command whatever the database does: with
another process holding the write lock for longer than that, each command is acknowledged
in time (the fake refuses a later first response, as Discord does) and still answers."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.e2e.test_interview_e2e import text_of
from tests.fakediscord import FakeDiscord, Interaction
from tests.fakediscord.payloads import MANAGE_GUILD
from tests.stored import WriteLock

LOCK_SECONDS = 3.5  # longer than Discord waits


async def test_every_command_is_acknowledged_while_the_database_is_locked(
        fake: FakeDiscord, start_bot, world, database: Path | str):
    guild, admin, trainee, other = world["guild"], world["admin"], world["trainee"], world["other"]
    third, newcomer, leaver = (fake.add_user(n) for n in ("third", "newcomer", "leaver"))
    facilitators = fake.add_role(guild, "Facilitators")
    await start_bot(busy_timeout_ms=15_000)

    async def run(user, command: str, **options) -> Interaction:
        perms = MANAGE_GUILD if user is admin else None
        return await fake.slash(user, command, guild=guild, permissions=perms, options=options)

    for name in ("Spring", "Summer"):
        await (await run(admin, "cohort create", name=name)).settled()
    for user in (other, third):
        await (await run(user, "cohort join", name="Spring")).settled()
    await (await fake.slash(trainee, "interview start", guild=guild, where="dm",
                            questions=2)).settled()
    question = (await fake.wait_for_message(fake.dms[int(trainee["id"])], 1))[0]
    prompt = await (await run(leaver, "privacy delete")).settled()

    async with WriteLock(database):
        expected = [
            (await run(trainee, "settings timezone", name="Europe/London"), "Europe/London"),
            (await run(trainee, "privacy leaderboard", choice="hide"), "hidden"),
            (await run(admin, "config training-channel", channel=world["training"]),
             "private threads"),
            (await run(admin, "config facilitator-role", role=facilitators),
             "can now run cohorts"),
            (await run(admin, "cohort create", name="Autumn"), "created"),
            (await run(admin, "cohort add", name="Spring", member=trainee), "is invited to"),
            (await run(admin, "cohort remove", name="Spring", member=third), "removed from"),
            (await run(trainee, "cohort join", name="Summer"), "Welcome"),
            (await run(other, "cohort leave", name="Spring"), "You left"),
            (await run(newcomer, "interview resume"), "no interview in progress"),
            (await fake.click(leaver, prompt.messages[0], label="Delete everything",
                              guild=guild), ""),
        ]
        form = await fake.click(trainee, question, label="Answer")
        await asyncio.sleep(LOCK_SECONDS)

    assert form.callbacks and form.callbacks[0]["type"] == 9  # the form opened in time
    for record, _ in expected:
        await record.wait(timeout=20)
        assert record.ack_seconds is not None and record.ack_seconds < 3.0
    for record, text in expected:
        if text:
            await record.settled(timeout=20)
            assert text in text_of(record.messages[-1]), record.payload["data"]
            assert record.ephemeral
    await fake.wait_until(lambda: "Done" in (prompt.messages[0].get("content") or ""),
                          timeout=20)
    assert fake.rejections == []
