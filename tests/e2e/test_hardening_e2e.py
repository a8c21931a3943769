"""Issue 14 points 6-8 through the fake Discord: echoes of input are clipped so every reply
is one Discord accepts, a daily role ping follows Discord's own mention rule, and a rate
limit longer than an interaction may wait ends in a clear message."""

from __future__ import annotations

import asyncio
import base64
import logging
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.discord_app.errors import APOLOGY
from bot.storage import Store
from tests.conftest import FakeClock
from tests.e2e.test_daily_e2e import NY, advance_to, posts_in
from tests.e2e.test_interview_e2e import STRONG, text_of
from tests.e2e.test_process import ROOT
from tests.fakediscord import FakeDiscord
from tests.fakediscord.payloads import MANAGE_GUILD
from tests.stored import on_sqlite, stored_text, unsealed

LONG = "Europe/" + "x" * 2093  # 2,100 characters
MENTION_EVERYONE = 1 << 17
CONTENT_MAX = 2000


def reply_text(reply: Any) -> str:
    assert reply.ephemeral
    text = text_of(reply.messages[-1])
    assert 0 < len(text) <= CONTENT_MAX
    return text


async def test_a_2100_character_timezone_gets_a_clear_short_reply(fake: FakeDiscord, start_bot,
                                                                  world):
    run = await start_bot()
    reply = await (await fake.slash(world["trainee"], "settings timezone", name=LONG)
                   ).settled()
    text = reply_text(reply)
    assert "I don't know the time zone" in text and "America/New_York" in text
    assert len(text) < 300
    person = await run.store.people.for_discord(int(world["trainee"]["id"]))
    assert person.timezone is None  # nothing saved


@pytest.mark.parametrize(("option", "expected"), [("time", "is not a time like 09:30"),
                                                  ("timezone", "I don't know the time zone")])
async def test_a_2100_character_daily_setup_option_gets_a_clear_reply(
        fake: FakeDiscord, start_bot, world, option: str, expected: str):
    run = await start_bot()
    options = {"time": "09:00", "timezone": NY, option: LONG if option == "timezone"
               else "9" * 2100}
    reply = await (await fake.slash(world["admin"], "daily setup", guild=world["guild"],
                                    permissions=MANAGE_GUILD,
                                    options={"channel": world["training"]}, **options)
                   ).settled()
    text = reply_text(reply)
    assert expected in text and len(text) < 400
    assert await run.store.daily.schedule(int(world["guild"]["id"])) is None


async def test_a_forged_long_choice_still_gets_a_reply_discord_accepts(fake: FakeDiscord,
                                                                        start_bot, world):
    """A client may send any value for a choice option; the engine's message quotes it. The
    error path keeps every reply within Discord's 2,000 characters, start and end kept."""
    await start_bot()
    reply = await (await fake.slash(world["trainee"], "interview start", topic="t" * 2100,
                                    where="dm")).settled()
    text = reply_text(reply)
    assert text.startswith("There is no topic") and "Topics:" in text
    assert len(text) < 400  # the quote is clipped where it is made


async def test_every_error_reply_fits_discord():
    """The error path's last line of defence: whatever a known error says, the reply is one
    Discord accepts, its start and end kept."""
    from bot.discord_app.errors import UserError, reply_error

    sent: list[str] = []

    class Response:
        def is_done(self) -> bool:
            return False

        async def send_message(self, message: str, *, ephemeral: bool) -> None:
            assert ephemeral
            sent.append(message)

    class Interaction:
        response = Response()
        command = None

    await reply_error(Interaction(), UserError("Start. " + "x" * 3000 + " End."))  # type: ignore[arg-type]
    assert len(sent[0]) == CONTENT_MAX
    assert sent[0].startswith("Start. xx") and sent[0].endswith("xx End.")
    await reply_error(Interaction(), UserError("short"))  # type: ignore[arg-type]
    assert sent[1] == "short"


async def test_a_long_rate_limit_ends_in_a_clear_message(fake: FakeDiscord, start_bot, world,
                                                         caplog):
    caplog.set_level(logging.WARNING)
    await start_bot()
    # Opening the DM is rate-limited for 10 minutes: past max_ratelimit_timeout, so
    # discord.py raises RateLimited instead of waiting.
    fake.inject(r"/users/@me/channels$", method="POST", status=429, retry_after=600)
    reply = await (await fake.slash(world["trainee"], "interview start", where="dm",
                                    guild=world["guild"])).settled()
    text = reply_text(reply)
    assert "Discord is limiting how fast PeerPrep may send" in text and "10 min" in text
    assert text != APOLOGY
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], \
        [r.getMessage() for r in caplog.records]


# -- role pings -------------------------------------------------------------------------------

def _role(fake: FakeDiscord, world: dict[str, Any], name: str, *, mentionable: bool
          ) -> dict[str, Any]:
    role = fake.add_role(world["guild"], name)
    role["mentionable"] = mentionable
    return role


async def _setup_with_ping(fake: FakeDiscord, world: dict[str, Any], role: dict[str, Any], *,
                           permissions: int, roles: list[int] | None = None) -> str:
    reply = await (await fake.slash(world["other"], "daily setup", guild=world["guild"],
                                    permissions=permissions, roles=roles,
                                    options={"channel": world["training"], "ping_role": role},
                                    time="09:00", timezone=NY)).settled()
    return reply_text(reply)


async def test_a_facilitator_cannot_make_the_post_ping_a_role_they_could_not_ping(
        fake: FakeDiscord, start_bot, world):
    facilitators = _role(fake, world, "Facilitators", mentionable=False)
    staff = _role(fake, world, "Staff", mentionable=False)
    run = await start_bot()
    guild_id = int(world["guild"]["id"])
    await run.store.guilds.update(guild_id, facilitator_role_id=int(facilitators["id"]))
    text = await _setup_with_ping(fake, world, staff, permissions=0,
                                  roles=[int(facilitators["id"])])
    assert "can't mention the role “Staff” yourself" in text
    assert await run.store.daily.schedule(guild_id) is None  # nothing saved


@pytest.mark.parametrize(("mentionable", "permissions"),
                         [(True, 0), (False, MENTION_EVERYONE)],
                         ids=["mentionable role", "Mention Everyone"])
async def test_a_role_the_member_could_mention_may_be_pinged_and_only_it(
        fake: FakeDiscord, start_bot, world, clock: FakeClock, mentionable: bool,
        permissions: int):
    clock.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    facilitators = _role(fake, world, "Facilitators", mentionable=False)
    cohort = _role(fake, world, "Spring cohort", mentionable=mentionable)
    run = await start_bot(daily_poll_seconds=0.05)
    guild_id = int(world["guild"]["id"])
    await run.store.guilds.update(guild_id, facilitator_role_id=int(facilitators["id"]))
    text = await _setup_with_ping(fake, world, cohort, permissions=permissions,
                                  roles=[int(facilitators["id"])])
    assert "Daily questions will go to" in text
    await advance_to(clock, [run], datetime(2026, 3, 6, 14, 0, 1, tzinfo=UTC))
    await fake.wait_until(lambda: len(posts_in(fake, world["training"])) == 1)
    post = posts_in(fake, world["training"])[0]
    assert post["content"] == f"<@&{cohort['id']}>"
    allowed = post["_allowed_mentions"]
    assert allowed["roles"] == [cohort["id"]] or allowed["roles"] == [int(cohort["id"])]
    assert "everyone" not in allowed.get("parse", []) and "roles" not in allowed.get("parse", [])
    assert "users" not in allowed.get("parse", [])


def test_mention_everyone_must_hold_in_the_channel_of_the_post_too():
    """Discord resolves the member's permissions in the chosen channel; an override there
    that takes Mention Everyone away means they couldn't ping the role in that channel."""
    from types import SimpleNamespace

    import discord

    from bot.discord_app.errors import UserError
    from bot.discord_app.extensions.daily._cog import check_ping_role

    role = SimpleNamespace(id=5, name="Staff", mentionable=False, is_default=lambda: False)

    def interaction(here: discord.Permissions, there: discord.Permissions | None):
        return SimpleNamespace(guild_id=1, permissions=here, namespace=SimpleNamespace(
            channel=SimpleNamespace(permissions=there) if there is not None else None))

    everyone = discord.Permissions(mention_everyone=True)
    check_ping_role(interaction(everyone, everyone), role)  # type: ignore[arg-type]
    check_ping_role(interaction(everyone, None), role)  # type: ignore[arg-type]
    for here, there in ((everyone, discord.Permissions.none()),
                        (discord.Permissions.none(), everyone)):
        with pytest.raises(UserError, match="can't mention the role"):
            check_ping_role(interaction(here, there), role)  # type: ignore[arg-type]
    role.mentionable = True
    check_ping_role(interaction(discord.Permissions.none(), discord.Permissions.none()),
                    role)  # type: ignore[arg-type]


async def test_everyone_is_never_pinged_even_by_an_admin(fake: FakeDiscord, start_bot, world):
    run = await start_bot()
    everyone = next(r for r in world["guild"]["roles"] if r["id"] == world["guild"]["id"])
    reply = await (await fake.slash(world["admin"], "daily setup", guild=world["guild"],
                                    permissions=MANAGE_GUILD | MENTION_EVERYONE | (1 << 3),
                                    options={"channel": world["training"],
                                             "ping_role": everyone},
                                    time="09:00", timezone=NY)).settled()
    assert "can't ping @everyone or @here" in reply_text(reply)
    assert await run.store.daily.schedule(int(world["guild"]["id"])) is None


# -- encryption at rest, through the bot --------------------------------------------------------

async def test_an_encrypted_interview_through_discord_leaves_no_answer_in_the_file(
        fake: FakeDiscord, start_bot, world, tmp_path, database: Path | str):
    """With DATA_ENCRYPTION_KEY the bot works as before (guidance, then the summary, which
    reads the stored feedback back), and the database file and its WAL hold no answer; on
    PostgreSQL, no value of any table as the server hands it out."""
    run = await start_bot()
    await run.store.unlock(bytes(range(32)))  # as python -m bot does at start-up
    trainee = world["trainee"]
    secret = "wombatlantern"
    await (await fake.slash(trainee, "interview start", guild=world["guild"], questions=1,
                            where="dm")).settled()
    dm = fake.dms[int(trainee["id"])]
    await fake.wait_for_message(dm, 1)
    await fake.send_dm(trainee, f"{STRONG} It taught me about {secret}.")
    guidance = (await fake.wait_for_message(dm, 2))[-1]
    assert "Score" in text_of(guidance)
    done = await (await fake.click(trainee, guidance, label="Finish")).settled()
    summary = text_of(done.messages[-1])
    assert "Interview summary" in summary and "/100" in summary
    if on_sqlite(database):
        raw = b"".join(p.read_bytes() for p in tmp_path.glob("peerprep.sqlite3*"))
        assert b"pp1:" in raw
        assert secret.encode() not in raw and b"taught me about" not in raw
    stored = await stored_text(run.store)
    assert "pp1:" in stored and await unsealed(run.store) == []
    assert secret not in stored and "taught me about" not in stored


async def test_the_bot_process_encrypts_with_the_key_it_is_given(fake: FakeDiscord, world,
                                                                tmp_path, database: Path | str):
    """The real ``python -m bot``: the store the bot serves from is the one unlocked with
    DATA_ENCRYPTION_KEY (not only the one start-up checks), so an answer given through
    Discord is sealed in the file and its WAL, or in PostgreSQL's tables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEV_GUILD"))}
    env |= {"DISCORD_TOKEN": fake.token, "DATA_DIR": str(tmp_path), "LOG_LEVEL": "INFO",
            "DISCORD_API_BASE": fake.api_base, "DISCORD_GATEWAY_URL": fake.gateway_url,
            "GUILD_READY_TIMEOUT": "0.1", "DATA_ENCRYPTION_KEY": base64.b64encode(bytes(range(32))).decode()}
    if not on_sqlite(database):
        env["DATABASE_URL"] = str(database)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    secret = "pangolinharbour"
    try:
        await fake.wait_for_gateway(1, timeout=30)
        await fake.wait_until(lambda: None in fake.commands, timeout=15)
        trainee = world["trainee"]
        await (await fake.slash(trainee, "interview start", guild=world["guild"], questions=1,
                                where="dm")).settled(timeout=15)
        dm = fake.dms[int(trainee["id"])]
        await fake.wait_for_message(dm, 1, timeout=15)
        await fake.send_dm(trainee, f"{STRONG} I think of {secret} when I do.")
        guidance = (await fake.wait_for_message(dm, 2, timeout=15))[-1]
        assert "Score" in text_of(guidance)
        if on_sqlite(database):
            raw = b"".join(p.read_bytes() for p in tmp_path.glob("peerprep.sqlite3*"))
            assert b"pp1:" in raw and secret.encode() not in raw
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = await asyncio.wait_for(proc.communicate(), 20)
    assert proc.returncode == 0, err.decode()
    if on_sqlite(database):
        raw = b"".join(p.read_bytes() for p in tmp_path.glob("peerprep.sqlite3*"))
        assert secret.encode() not in raw
    async with Store(database) as store:  # the tables as stored, on either database
        stored = await stored_text(store)
        assert "pp1:" in stored and await unsealed(store) == []
        assert secret not in stored and "when I do" not in stored
