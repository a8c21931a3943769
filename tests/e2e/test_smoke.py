"""The bot logs in to the fake Discord, syncs its commands and answers /help."""

from __future__ import annotations

from tests.fakediscord import FakeDiscord


async def test_login_sync_and_help(fake: FakeDiscord, start_bot, world):
    run = await start_bot()
    assert run.bot.user is not None
    assert any(r.method == "PUT" and r.path.endswith("/commands") for r in fake.requests)
    names = {c["name"] for c in fake.commands[None]}
    assert {"interview", "help", "privacy", "daily", "leaderboard"} <= names
    assert fake.gateways[0].intents == (1 << 0) | (1 << 12)  # guilds, DM messages
    reply = await (await fake.slash(world["trainee"], "help", guild=world["guild"])).settled()
    assert reply.ephemeral
    embed = reply.messages[0]["embeds"][0]
    assert "practice, not therapy" in embed["description"]
    assert any("988" in f["value"] for f in embed["fields"])
