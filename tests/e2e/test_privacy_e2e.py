"""Privacy end to end: deleting your data, and guidance that no one else ever sees."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.e2e.test_interview_e2e import text_of
from tests.fakediscord import FakeDiscord


async def test_a_failed_deletion_says_so_and_can_be_confirmed_again(fake: FakeDiscord,
                                                                    start_bot, world,
                                                                    tmp_path: Path):
    run = await start_bot(busy_timeout_ms=300)
    trainee, guild = world["trainee"], world["guild"]
    await (await fake.slash(trainee, "privacy leaderboard", guild=guild,
                            choice="hide")).settled()
    prompt = (await (await fake.slash(trainee, "privacy delete", guild=guild)).settled())
    question = prompt.messages[0]
    assert "Are you sure?" in text_of(question)

    blocker = sqlite3.connect(tmp_path / "peerprep.sqlite3", isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        busy = await (await fake.click(trainee, question, label="Delete everything",
                                       guild=guild)).settled()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert busy.ephemeral and "try again" in text_of(busy.messages[-1])
    assert await run.store.people.find_discord(int(trainee["id"])) is not None

    await (await fake.click(trainee, question, label="Delete everything", guild=guild)).wait()
    await fake.wait_until(lambda: "Done" in (question.get("content") or ""))
    assert await run.store.people.find_discord(int(trainee["id"])) is None
