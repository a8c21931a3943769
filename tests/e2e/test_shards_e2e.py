"""Sharded bot processes on the fake Discord (issue 17): one process running two shards, and
two processes on one database, each on its own shards or disagreeing about them.

Discord sends a server's events only to a connection of that server's shard and DMs only to
shard 0, so a test here checks which connection (and so which process) heard each event as
well as what the person saw: a bot answers an event wherever it arrives, so what the person
sees alone can't tell a wrong route from a right one.
"""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from datetime import UTC, datetime
from typing import Any

import aiohttp
import discord
import pytest

from tests.conftest import FakeClock
from tests.e2e.conftest import Running, StartBot
from tests.e2e.test_daily_e2e import advance_to, posts_in, setup_daily
from tests.e2e.test_interview_e2e import STRONG, answers_stored, labels, text_of
from tests.fakediscord import FakeDiscord, Interaction
from tests.fakediscord.payloads import shard_of

TWO_SHARDS = {"SHARD_COUNT": "2"}
SHARD_0 = {"SHARD_COUNT": "2", "SHARD_IDS": "0"}
SHARD_1 = {"SHARD_COUNT": "2", "SHARD_IDS": "1"}
BOTH_SHARDS = {"SHARD_COUNT": "2", "SHARD_IDS": "0-1"}
DAY = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)  # 07:00 in New York; posts go at 09:00
POST_TIME = datetime(2026, 3, 6, 14, 0, 1, tzinfo=UTC)


@pytest.fixture
def sharded(fake: FakeDiscord) -> dict[str, Any]:
    """A trainee and an admin in four servers: two on shard 0 of 2, two on shard 1."""
    trainee = fake.add_user("trainee")
    admin = fake.add_user("admin")
    guilds = [fake.add_guild(f"Server {i}", channels=("training", "general"),
                             members=(trainee,), admin=admin, shard=(i % 2, 2))
              for i in range(4)]
    return {"trainee": trainee, "admin": admin, "guilds": guilds,
            "on": {shard: [g for g in guilds if shard_of(int(g["id"]), 2) == shard]
                   for shard in (0, 1)}}


class Heard:
    """The interactions and DMs one bot process received from its gateway connections."""

    def __init__(self, run: Running) -> None:
        self.interactions: list[int] = []
        self.dms: list[int] = []

        async def interaction(i: discord.Interaction) -> None:
            self.interactions.append(i.id)

        async def message(m: discord.Message) -> None:
            if m.guild is None and m.author != run.bot.user:
                self.dms.append(m.id)

        run.bot.add_listener(interaction, "on_interaction")
        run.bot.add_listener(message, "on_message")


class Tries:
    """The servers one process's daily loop tried to post for. With ``gate``, each try
    waits for it to open first, so two processes can be made to race for the same day."""

    def __init__(self, run: Running, gate: asyncio.Event | None = None) -> None:
        self.guilds: list[int] = []
        cog: Any = run.bot.get_cog("DailyCog")
        post_due = cog.post_due

        async def trying(schedule: Any) -> bool:
            self.guilds.append(schedule.guild_id)
            if gate is not None:
                await gate.wait()
            return bool(await post_due(schedule))

        cog.post_due = trying


def sent_on(fake: FakeDiscord, kind: str) -> dict[tuple[int, int] | None, list[dict[str, Any]]]:
    """The events of ``kind`` each live connection was sent, by its shard."""
    return {gw.shard: [f["d"] for f in gw.sent if f["t"] == kind] for gw in fake.gateways}


def ids(items: list[dict[str, Any]]) -> set[int]:
    return {int(i["id"]) for i in items}


async def dm_interview(fake: FakeDiscord, trainee: dict[str, Any], guild: dict[str, Any],
                       *, start_on: int = 0) -> list[Interaction]:
    """A 2-question interview started in ``guild`` and taken in DMs: typed answers and
    buttons there, to its summary. The interactions, in order."""
    start = await (await fake.slash(trainee, "interview start", guild=guild, questions=2,
                                    where="dm", gateway=start_on)).settled()
    dm = fake.dms[int(trainee["id"])]
    assert "Question 1 of 2" in text_of((await fake.wait_for_message(dm, 1))[0])
    await fake.send_dm(trainee, STRONG)
    guidance = (await fake.wait_for_message(dm, 2))[-1]
    nxt = await (await fake.click(trainee, guidance, label="Next question")).settled()
    assert "Question 2 of 2" in text_of(nxt.messages[-1])
    await fake.send_dm(trainee, STRONG)
    await fake.wait_until(lambda: len(fake.messages[dm]) >= 3)
    last = fake.messages[dm][-1]
    assert labels(last)[0] == "Finish"
    done = await (await fake.click(trainee, last, label="Finish")).settled()
    assert "Interview summary" in text_of(done.messages[-1])
    return [start, nxt, done]


async def thread_interview(fake: FakeDiscord, trainee: dict[str, Any], guild: dict[str, Any],
                           via: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
                           ) -> list[Interaction]:
    """A 2-question interview in a private thread of ``guild``: start, Answer (a form),
    the form, Next question, End. ``via``: the connection, among those of the server's
    shard, each of the five is sent to. The interactions, in order."""
    training = fake.channel_named(guild, "training")
    start = await (await fake.slash(trainee, "interview start", guild=guild, channel=training,
                                    questions=2, gateway=via[0])).settled()
    thread_id = next(int(c) for c, ch in fake.channels.items()
                     if ch.get("type") == 12 and ch["guild_id"] == guild["id"])
    question = (await fake.wait_for_message(thread_id, 1))[0]
    opened = await (await fake.click(trainee, question, label="Answer", gateway=via[1])).wait()
    modal = opened.callbacks[0]
    assert modal["type"] == 9
    submitted = await (await fake.submit(trainee, modal["data"], STRONG, guild=guild,
                                         channel=fake.channels[thread_id],
                                         gateway=via[2])).settled()
    assert "Next question" in labels(submitted.messages[-1])
    nxt = await (await fake.click(trainee, submitted.messages[-1], label="Next question",
                                  guild=guild, gateway=via[3])).settled()
    assert "Question 2 of 2" in text_of(nxt.messages[-1])
    end = await (await fake.click(trainee, nxt.messages[-1], label="End", guild=guild,
                                  gateway=via[4])).settled()
    assert "Interview summary" in text_of(end.messages[-1])
    return [start, opened, submitted, nxt, end]


# -- one process, two shards ---------------------------------------------------------------------

async def test_one_bot_runs_two_shards_each_with_its_own_servers(
        fake: FakeDiscord, start_bot: StartBot, sharded: dict[str, Any],
        caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.INFO, logger="bot.discord_app.client")
    run = await start_bot(env=TWO_SHARDS)
    assert sorted(gw.shard for gw in fake.gateways if gw.shard) == [(0, 2), (1, 2)]
    for shard in (0, 1):
        (ready,) = sent_on(fake, "READY")[(shard, 2)]
        assert ready["shard"] == [shard, 2]
        assert ids(ready["guilds"]) == ids(sharded["on"][shard])
        assert ids(sent_on(fake, "GUILD_CREATE")[(shard, 2)]) == ids(sharded["on"][shard])
    # Ready once, when both shards are: every server known, each on its own shard.
    assert run.bot.is_ready() and sorted(run.bot.shards) == [0, 1]
    assert {g.id: g.shard_id for g in run.bot.guilds} == {
        int(g["id"]): shard for shard, gs in sharded["on"].items() for g in gs}
    await fake.wait_until(lambda: None in fake.commands)  # slash commands synced
    ready_lines = [r.getMessage() for r in caplog.records if "connected as" in r.getMessage()]
    assert len(ready_lines) == 1 and "shard(s) 0,1 of 2" in ready_lines[0]


async def test_without_shard_count_the_bot_takes_discords_recommendation(
        fake: FakeDiscord, start_bot: StartBot, sharded: dict[str, Any]):
    with socket.socket() as probe:  # a local port nothing listens on
        probe.bind(("127.0.0.1", 0))
        nowhere = f"ws://127.0.0.1:{probe.getsockname()[1]}/"
    fake.recommended_shards = 2
    fake.gateway_bot_url = nowhere  # the bot must keep to DISCORD_GATEWAY_URL (a proxy)
    run = await start_bot()
    assert any(r.path == "/gateway/bot" for r in fake.requests)
    assert sorted(gw.shard for gw in fake.gateways if gw.shard) == [(0, 2), (1, 2)]
    assert len(run.bot.guilds) == 4
    assert run.bot.daily.shards is None  # it runs every shard: every server is its own


async def test_a_dm_interview_on_two_shards_reaches_its_summary(
        fake: FakeDiscord, start_bot: StartBot, sharded: dict[str, Any]):
    run = await start_bot(env=TWO_SHARDS)
    trainee = sharded["trainee"]
    guild = sharded["on"][1][0]
    start, *in_dms = await dm_interview(fake, trainee, guild)
    assert await answers_stored(run) == 2
    interactions = {s: ids(found) for s, found in sent_on(fake, "INTERACTION_CREATE").items()}
    assert interactions == {(0, 2): {i.id for i in in_dms}, (1, 2): {start.id}}
    dms = sent_on(fake, "MESSAGE_CREATE")
    assert len(dms[(0, 2)]) == 2 and dms[(1, 2)] == []  # the typed answers: shard 0's


async def test_a_server_interview_on_shard_1_with_buttons_and_forms(
        fake: FakeDiscord, start_bot: StartBot, sharded: dict[str, Any]):
    run = await start_bot(env=TWO_SHARDS)
    steps = await thread_interview(fake, sharded["trainee"], sharded["on"][1][0])
    assert await answers_stored(run) == 1
    interactions = {s: ids(found) for s, found in sent_on(fake, "INTERACTION_CREATE").items()}
    assert interactions == {(0, 2): set(), (1, 2): {i.id for i in steps}}


async def test_dropped_shards_resume_each_on_its_own_shard(
        fake: FakeDiscord, start_bot: StartBot, sharded: dict[str, Any]):
    run = await start_bot(env=TWO_SHARDS)
    await fake.drop_gateway()
    await fake.wait_until(lambda: getattr(fake, "resumes", 0) >= 2 and len(fake.gateways) == 2,
                          timeout=20)
    assert sorted(gw.shard for gw in fake.gateways if gw.shard) == [(0, 2), (1, 2)]
    steps = await thread_interview(fake, sharded["trainee"], sharded["on"][1][0])
    interactions = {s: ids(found) for s, found in sent_on(fake, "INTERACTION_CREATE").items()}
    assert interactions == {(0, 2): set(), (1, 2): {i.id for i in steps}}
    assert await answers_stored(run) == 1


# -- two processes, one database -----------------------------------------------------------------

async def test_two_processes_each_post_the_daily_question_for_their_own_servers(
        fake: FakeDiscord, start_bot: StartBot, sharded: dict[str, Any], clock: FakeClock):
    clock.now = DAY
    zero = await start_bot(env=SHARD_0, daily_poll_seconds=0.05)
    one = await start_bot(env=SHARD_1, daily_poll_seconds=0.05)
    tries = {0: Tries(zero), 1: Tries(one)}
    for guild in sharded["guilds"]:
        await setup_daily(fake, sharded, fake.channel_named(guild, "training"), guild=guild)
    await advance_to(clock, [zero, one], POST_TIME)
    channels = [fake.channel_named(g, "training") for g in sharded["guilds"]]
    await fake.wait_until(lambda: all(posts_in(fake, c) for c in channels))
    await advance_to(clock, [zero, one], POST_TIME.replace(minute=30))  # both look again
    assert [len(posts_in(fake, c)) for c in channels] == [1, 1, 1, 1]
    for shard, tried in tries.items():
        assert set(tried.guilds) == ids(sharded["on"][shard]), f"shard {shard}'s process"


async def test_two_processes_that_disagree_still_post_each_day_once(
        fake: FakeDiscord, start_bot: StartBot, sharded: dict[str, Any], clock: FakeClock):
    """Both run shards 0 and 1 (a restart's overlap, or a wrong setting): both find every
    server due, and are held until both have, so that they race for every claim."""
    clock.now = DAY
    first = await start_bot(env=BOTH_SHARDS, daily_poll_seconds=0.05)
    second = await start_bot(env=BOTH_SHARDS, daily_poll_seconds=0.05)
    gate = asyncio.Event()
    tries = [Tries(first, gate), Tries(second, gate)]
    for guild in sharded["guilds"]:
        await setup_daily(fake, sharded, fake.channel_named(guild, "training"), guild=guild)
    clock.now = POST_TIME
    for run in (first, second):
        run.daily.cog.wake.set()
    everyone = ids(sharded["guilds"])
    await fake.wait_until(lambda: all(set(t.guilds) == everyone for t in tries))
    gate.set()
    channels = [fake.channel_named(g, "training") for g in sharded["guilds"]]
    await fake.wait_until(lambda: all(posts_in(fake, c) for c in channels))
    await advance_to(clock, [first, second], POST_TIME.replace(minute=30))
    assert [len(posts_in(fake, c)) for c in channels] == [1, 1, 1, 1]
    sends = [r for r in fake.requests if r.method == "POST" and r.path.endswith("/messages")
             and int(r.path.split("/")[2]) in ids(channels)]
    assert len(sends) == 4  # one process sent each: the other lost the claim, not a nonce


async def test_an_interview_moves_between_processes(fake: FakeDiscord, start_bot: StartBot,
                                                    sharded: dict[str, Any]):
    """Started from a server on shard 1 (its process), taken in DMs (shard 0's process)."""
    zero = await start_bot(env=SHARD_0)
    one = await start_bot(env=SHARD_1)
    heard = {0: Heard(zero), 1: Heard(one)}
    start, *in_dms = await dm_interview(fake, sharded["trainee"], sharded["on"][1][0])
    assert heard[1].interactions == [start.id] and heard[1].dms == []
    assert heard[0].interactions == [i.id for i in in_dms] and len(heard[0].dms) == 2
    assert await answers_stored(zero) == 2


async def test_buttons_and_forms_work_through_either_of_two_processes(
        fake: FakeDiscord, start_bot: StartBot, sharded: dict[str, Any]):
    """Two processes that both run shard 1: each step of a server interview goes to the
    other process than the step before."""
    first = await start_bot(env=BOTH_SHARDS)
    second = await start_bot(env=BOTH_SHARDS)
    heard = [Heard(first), Heard(second)]
    steps = await thread_interview(fake, sharded["trainee"], sharded["on"][1][0],
                                   via=(0, 1, 0, 1, 0))
    assert heard[0].interactions == [steps[0].id, steps[2].id, steps[4].id]
    assert heard[1].interactions == [steps[1].id, steps[3].id]
    assert await answers_stored(first) == 1


# -- the fake itself -----------------------------------------------------------------------------

@pytest.mark.parametrize("shard", [[2, 2], [0, 0], [-1, 2]])
async def test_the_fake_refuses_a_shard_that_cannot_be(fake: FakeDiscord, shard: list[int]):
    async with aiohttp.ClientSession() as session, session.ws_connect(fake.gateway_url) as ws:
        await ws.receive_json()  # HELLO
        await ws.send_str(json.dumps({"op": 2, "d": {"token": fake.token, "intents": 1,
                                                     "shard": shard, "properties": {}}}))
        closed = await ws.receive()
        assert closed.type is aiohttp.WSMsgType.CLOSE and closed.data == 4010


async def test_only_the_process_with_shard_0_sends_the_slash_commands(
        fake: FakeDiscord, start_bot: StartBot, sharded: dict[str, Any]):
    """Commands belong to the application: of a deployment's processes, the one running
    shard 0 sends them at its start; the others send nothing (each would replace the same
    list, using up Discord's daily allowance for command updates across restarts)."""
    def syncs() -> int:
        return sum(r.method == "PUT" and r.path.rstrip("/").endswith("/commands")
                   for r in fake.requests)

    one = await start_bot(env=SHARD_1)
    await one.bot.wait_until_ready()
    assert syncs() == 0 and None not in fake.commands
    zero = await start_bot(env=SHARD_0)
    await zero.bot.wait_until_ready()
    assert syncs() == 1
    assert {c["name"] for c in fake.commands[None]} >= {"interview", "daily"}
