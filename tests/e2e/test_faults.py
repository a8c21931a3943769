"""Faults injected into a running bot: a killed process, a dropped gateway, REST storms, a
locked or full database, slow paths and expired tokens, and hostile input. Each test says
what it injects and what must hold afterwards (see docs/RELIABILITY.md)."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
import time
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from bot.bank import Bank
from bot.discord_app.forms import AnswerForm
from bot.discord_app.main import configure_logging
from bot.interview.engine import InterviewService
from bot.interview.model import Interview
from bot.interview.place import Place
from bot.storage import DailySchedule, Store
from tests.e2e.bot_process import BotProcess
from tests.e2e.conftest import Running
from tests.e2e.test_interview_e2e import STRONG, text_of
from tests.fakediscord import FakeDiscord, Interaction
from tests.postgres import postgres_only, sqlite_only
from tests.stored import WriteLock, on_sqlite, rows


async def open_interview(fake: FakeDiscord, user: dict[str, Any], guild: dict[str, Any],
                         questions: int = 2) -> dict[str, Any]:
    """Start a DM interview and open its answer form; returns the form."""
    await (await fake.slash(user, "interview start", guild=guild, questions=questions,
                            where="dm")).settled(timeout=30)
    question = (await fake.wait_for_message(fake.dms[int(user["id"])], 1, timeout=30))[0]
    opened = await (await fake.click(user, question, label="Answer")).wait(timeout=30)
    return opened.callbacks[0]["data"]


def guided(record: Interaction) -> bool:
    return any(m.get("embeds") and "Score" in text_of(m) for m in record.messages)


def answer_form(interview: Interview, owner_id: int) -> dict[str, Any]:
    """The answer form the Answer button of a DM interview's current question opens."""
    assert interview.current_question_id is not None
    custom_id = AnswerForm(interview.id, interview.position, interview.attempt, owner_id,
                           Place.DM, interview.current_question_id).custom_id
    return {"custom_id": custom_id,
            "components": [{"type": 1, "components": [{"type": 4, "custom_id": "answer"}]}]}


async def count(database: Path | str, sql: str) -> int:
    """One number read from ``database`` by a store of the test's own (its SQLite file is
    checked whole first)."""
    if on_sqlite(database):
        with closing(sqlite3.connect(database)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    async with Store(database) as store:
        return int((await rows(store, sql))[0][0])


async def test_sigkill_before_the_daily_claim_and_while_100_trainees_answer(
        fake: FakeDiscord, tmp_path: Path, bank: Bank, database: Path | str):
    """Injects: SIGKILL of the real bot process twice. First while its due daily post is
    waiting to record its claim and 100 answers are on their way to the database (another
    process holds the write lock); then mid-burst, once 30 of 100 answers have their
    guidance. Holds: nothing of the first run is stored or posted (no claim row, no daily
    message, no answer), so each answer is coached afresh after the restart; every answer
    whose guidance was delivered is stored; the database is intact; interviews resume; the
    day is posted exactly once over the three runs."""
    users = [fake.add_user(f"t{i}") for i in range(100)]
    guild = fake.add_guild("Kill", channels=("daily",), members=tuple(users))
    daily = int(guild["channels"][0]["id"])
    forms = []
    async with Store(database) as store:  # a due daily post, and an interview for each one
        now = datetime.now(UTC)
        await store.daily.save_schedule(DailySchedule(
            int(guild["id"]), daily, "00:00", "UTC", None, None, False, False, None, now), now)
        engine = InterviewService(store, bank)
        for u in users:
            person = await store.people.for_discord(int(u["id"]))
            started = await engine.start(person.id, count=2, place="dm",
                                         channel_id=fake.dm_channel_of(u))
            forms.append(answer_form(started.interview, int(u["id"])))

    def posts() -> int:
        return len(fake.messages.get(daily, []))

    # 1. Another process holds the write lock: the daily claim and every answer wait for it.
    blocker = await WriteLock(database).hold()
    first = await BotProcess(fake, tmp_path, database).start()
    try:
        await first.wait_ready()  # the daily loop now finds the post due and tries to claim
        waiting = await asyncio.gather(*(fake.submit(u, f, STRONG)
                                         for u, f in zip(users, forms, strict=True)))
        for record in waiting:  # acknowledged (deferred) but not yet answered: mid-answer
            await record.wait(timeout=30)
        await first.kill()
    finally:
        await blocker.release()
    assert not any(guided(r) for r in waiting)
    assert await count(database, "SELECT COUNT(*) FROM daily_posts") == 0
    assert await count(database, "SELECT COUNT(*) FROM answers") == 0
    assert posts() == 0, "the daily question went out before its claim was recorded"

    # 2. Restarted: the day is posted once; the answers come again, and the bot dies mid-burst.
    second = await BotProcess(fake, tmp_path, database).start()
    try:
        await fake.wait_until(lambda: posts() == 1, timeout=30)
        records = await asyncio.gather(*(fake.submit(u, f, STRONG)
                                         for u, f in zip(users, forms, strict=True)))
        await fake.wait_until(lambda: sum(guided(r) for r in records) >= 30, timeout=30)
    finally:
        await second.kill()
    delivered = [r for r in records if guided(r)]
    # Nothing of the first run was half-stored: each answer was coached afresh.
    assert not any("already saved" in text_of(m) for r in delivered for m in r.messages)
    await count(database, "SELECT 1")  # the SQLite file is whole
    async with Store(database) as store:
        stored = {row[0] for row in await rows(store, "SELECT submission_key FROM answers")}
    for record in delivered:
        interview, position, attempt = record.payload["data"]["custom_id"].split(":")[2:5]
        assert f"interview:{interview}:{position}:{attempt}" in stored

    # 3. Restarted again: a trainee whose answer was stored moves on; one whose answer was
    # lost answers again; the day's post is not made a second time.
    third = await BotProcess(fake, tmp_path, database).start()
    try:
        await third.wait_ready()
        done = delivered[0]
        nxt = await (await fake.click(users[records.index(done)], done.messages[-1],
                                      label="Next question")).settled(timeout=30)
        assert "Question 2 of 2" in text_of(nxt.messages[-1])
        lost = [i for i, r in enumerate(records) if not guided(r)]
        if lost:
            again = await (await fake.submit(users[lost[0]], forms[lost[0]], STRONG)
                           ).settled(timeout=30)
            assert "Score" in text_of(again.messages[0]) or "already saved" in text_of(
                again.messages[0])
        assert posts() == 1
    finally:
        await third.stop()
    assert "Traceback" not in "".join(third.log)


async def test_two_bot_processes_post_a_due_daily_question_once(fake: FakeDiscord,
                                                                tmp_path: Path,
                                                                database: Path | str):
    """Injects: two real ``python -m bot`` processes on one database, both ready and both
    waiting to claim the same due daily post (another process holds the write lock until
    both are connected, then lets go). Holds: exactly one post, one claim row."""
    guild = fake.add_guild("Two", channels=("daily",))
    daily = int(guild["channels"][0]["id"])
    async with Store(database) as store:
        now = datetime.now(UTC)
        await store.daily.save_schedule(DailySchedule(
            int(guild["id"]), daily, "00:00", "UTC", None, None, False, False, None, now), now)
    blocker = await WriteLock(database).hold()
    bots = [BotProcess(fake, tmp_path, database), BotProcess(fake, tmp_path, database)]
    try:
        for bot in bots:
            await bot.start()
        await asyncio.gather(*(bot.wait_ready() for bot in bots))
        await blocker.release()  # both daily loops now race for the claim
        await fake.wait_until(lambda: len(fake.messages.get(daily, [])) >= 1, timeout=30)
        posted = "SELECT COUNT(*) FROM daily_posts WHERE status = 'posted'"
        async with Store(database) as store:  # the loser has had its answer too
            for _ in range(300):
                if await rows(store, posted) == [(1,)]:
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.5)
            assert await rows(store, posted) == [(1,)]
            assert await rows(store, "SELECT COUNT(*) FROM daily_posts") == [(1,)]
        assert len(fake.messages[daily]) == 1
        assert {bot.proc.pid for bot in bots if bot.proc} == {
            b.proc.pid for b in bots if b.proc and b.proc.returncode is None}  # both alive
    finally:
        await blocker.release()
        for bot in bots:
            await bot.stop()
    for bot in bots:
        assert "Traceback" not in "".join(bot.log)


async def test_gateway_drop_mid_interview_resumes(fake: FakeDiscord, start_bot, world):
    """Injects: the gateway connection closed mid-interview. Holds: the bot resumes and the
    interview goes on."""
    await start_bot()
    trainee = world["trainee"]
    await (await fake.slash(trainee, "interview start", guild=world["guild"], questions=2,
                            where="dm")).settled()
    dm = fake.dms[int(trainee["id"])]
    await fake.wait_for_message(dm, 1)
    await fake.drop_gateway()
    await fake.wait_until(lambda: getattr(fake, "resumes", 0) >= 1 and fake.gateways,
                          timeout=20)
    await fake.send_dm(trainee, STRONG)
    await fake.wait_for_message(dm, 2, timeout=20)


async def test_rest_storms_deliver_every_message_once(fake: FakeDiscord, start_bot, world,
                                                      clock, quick_server_error_waits):
    """Injects: 429 (route and global), 500 and 502 on every kind of send. Holds: each
    message arrives exactly once; the daily loop survives and posts the next day.

    discord.py tries a request 5 times; the daily post and the interview's first DM share
    the message route's failures in whatever order they arrive, so the route gets 4 in all:
    even one request that meets every one of them gets through on its fifth try. (With 9,
    the DM took 5 in a row now and then under load, and was never sent.)"""
    clock.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    run = await start_bot(daily_poll_seconds=0.05)
    trainee, guild = world["trainee"], world["guild"]
    await run.store.daily.save_schedule(DailySchedule(
        int(guild["id"]), int(world["training"]["id"]), "09:00", "UTC", None, None, False,
        False, None, datetime(2026, 3, 6, 9, 0, tzinfo=UTC)), clock.now)
    for status in (429, 500, 502):
        fake.inject(r"/channels/\d+/messages$", status, times=1, retry_after=0.05,
                    method="POST")
    fake.inject(r"/channels/\d+/messages$", 429, times=1, retry_after=0.05, global_=True,
                method="POST")
    fake.inject(r"/interactions/", 500, times=1)
    fake.inject(r"/webhooks/", 502, times=2)
    run.bot.get_cog("DailyCog").wake.set()
    start = await fake.slash(trainee, "interview start", guild=guild, questions=2, where="dm")
    await start.settled(timeout=30)
    dm = fake.dms[int(trainee["id"])]
    await fake.wait_for_message(dm, 1, timeout=30)
    await fake.send_dm(trainee, STRONG)
    await fake.wait_for_message(dm, 2, timeout=30)
    training = int(world["training"]["id"])
    cog = run.bot.get_cog("DailyCog")
    guild_id = int(guild["id"])

    def settled() -> bool:  # posted, or failed again and held until its next try
        return bool(fake.messages.get(training)) or guild_id in cog.backoff.holds(clock.now)

    for _ in range(5):  # a post that failed for good is retried a minute later
        await fake.wait_until(settled, timeout=30)
        if fake.messages.get(training):
            break
        clock.advance(minutes=2)
        cog.wake.set()
    await fake.wait_until(lambda: len(fake.messages.get(training, [])) >= 1, timeout=10)
    await asyncio.sleep(0.5)
    assert len(fake.messages[dm]) == 2
    assert len(fake.messages[training]) == 1
    clock.now = datetime(2026, 3, 7, 9, 0, 1, tzinfo=UTC)
    run.bot.get_cog("DailyCog").wake.set()
    await fake.wait_until(lambda: len(fake.messages.get(training, [])) == 2, timeout=30)
    # discord.py sent again after each 500 and 502, waiting longer each time (1, 3, 5... s).
    assert {1, 3} <= set(quick_server_error_waits)


async def test_a_long_rate_limit_never_hangs_the_daily_job(fake: FakeDiscord, start_bot, world,
                                                           clock):
    """Injects: a 429 asking to wait 10 minutes. Holds: the job gives up at once
    (max_ratelimit_timeout), retries later, and other guilds still post."""
    clock.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    run = await start_bot(daily_poll_seconds=0.05)
    cog = run.bot.get_cog("DailyCog")
    await cog.cog_unload()  # the test ticks by itself: the loop must not race it to the post
    await run.store.daily.save_schedule(DailySchedule(
        int(world["guild"]["id"]), int(world["training"]["id"]), "09:00", "UTC", None, None,
        False, False, None, clock.now), clock.now)
    fake.inject(rf"/channels/{world['training']['id']}/messages$", 429, retry_after=600,
                method="POST")
    started = time.monotonic()
    posted = await asyncio.wait_for(cog.tick(), 10)
    assert posted == 0 and time.monotonic() - started < 10
    schedule = await run.store.daily.schedule(int(world["guild"]["id"]))
    assert not schedule.paused  # a rate limit is not a reason to give up on the guild
    clock.now = schedule.next_due_at
    assert await asyncio.wait_for(cog.tick(), 10) == 1


LONG_ANSWER = (STRONG + " ") * (4000 // (len(STRONG) + 1)) + "x" * (4000 % (len(STRONG) + 1))


def given_back(record: Interaction, answer: str) -> dict[str, Any]:
    """The message that hands an unsaved answer back to its author: it must hold the whole
    answer and be ephemeral (only its author sees it)."""
    for msg in record.messages:
        if any(e.get("description") == answer for e in msg.get("embeds") or []):
            assert msg.get("flags", 0) & 64, "the unsaved answer was not sent ephemerally"
            return msg
    raise AssertionError(f"the answer was not given back: {[text_of(m) for m in record.messages]}")


async def test_an_interaction_another_session_acknowledged_is_left_to_it(
        fake: FakeDiscord, start_bot, world, caplog):
    """Two processes running one shard while a restart overlaps both receive a command; the
    other acknowledged it first (Discord answers this one's acknowledgement with 40060).
    This one neither runs the command nor logs an error nor apologises through it."""
    run = await start_bot()
    caplog.set_level(logging.INFO)
    fake.inject(r"/interactions/\d+/[^/]+/callback$", 400, code=40060)
    start = await fake.slash(world["trainee"], "interview start", guild=world["guild"],
                             questions=1, where="dm")
    await fake.wait_until(lambda: "acknowledged by another session" in caplog.text, timeout=10)
    assert not start.callbacks and not start.followups
    assert await run.store.db.fetch_one("SELECT id FROM interviews") is None
    no_traceback(caplog)


def no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    logged = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not logged, [r.getMessage() for r in logged]


async def test_locked_database_gets_a_clear_try_again(fake: FakeDiscord, start_bot, world,
                                                      database: Path | str, caplog):
    """Injects: another process holding the write lock past busy_timeout. Holds: the trainee
    is told the database is busy and to try again (retrying helps), gets the whole
    4,000-character answer back privately, nothing is half-written, the bot then serves
    everyone."""
    assert len(LONG_ANSWER) == 4000
    run = await start_bot(busy_timeout_ms=300)
    trainee, other = world["trainee"], world["other"]
    form = await open_interview(fake, trainee, world["guild"])
    other_form = await open_interview(fake, other, world["guild"])
    async with WriteLock(database):
        told_busy(await (await fake.submit(trainee, form, LONG_ANSWER)).settled(timeout=20))
    await nothing_written_then_both_served(fake, run, (trainee, form), (other, other_form))
    no_traceback(caplog)


def told_busy(busy: Interaction) -> None:
    """The trainee is told the database is busy and to send it again (retrying helps), and
    gets the whole answer back privately."""
    notice = text_of(busy.messages[0])
    assert "busy right now" in notice and "try again in a moment" in notice
    assert "send it again in a moment" in notice
    given_back(busy, LONG_ANSWER)


async def nothing_written_then_both_served(fake: FakeDiscord, run: Running,
                                           refused: tuple[dict[str, Any], dict[str, Any]],
                                           other: tuple[dict[str, Any], dict[str, Any]]
                                           ) -> None:
    """Nothing of the refused answer is half-written; then another trainee's answer and the
    refused one sent again (user, form) are both coached."""
    assert (await run.store.db.fetch_one("SELECT COUNT(*) FROM answers"))[0] == 0
    assert (await run.store.db.fetch_one("SELECT COUNT(*) FROM practice_days"))[0] == 0
    ok = await (await fake.submit(*other, STRONG)).settled(timeout=20)
    assert "Score" in text_of(ok.messages[0])
    again = await (await fake.submit(*refused, STRONG)).settled(timeout=20)
    assert "Score" in text_of(again.messages[0])


@postgres_only
@pytest.mark.parametrize("held", ["every pooled connection", "a lock on the answers table"])
async def test_a_busy_postgres_gets_a_clear_try_again(fake: FakeDiscord, start_bot, world,
                                                      database: str, caplog, held: str):
    """Injects, on PostgreSQL, what a locked SQLite file is above: every connection of the
    bot's pool taken by others past the wait, or another client holding a lock on the
    answers table past it. Holds: the same as there: the trainee is told the database is
    busy and to try again, gets the whole answer back privately, nothing is half-written,
    and then the bot serves everyone."""
    run = await start_bot(busy_timeout_ms=300)
    trainee, other = world["trainee"], world["other"]
    form = await open_interview(fake, trainee, world["guild"])
    other_form = await open_interview(fake, other, world["guild"])
    pool = run.store.db.pool
    taken = ([await pool.acquire() for _ in range(run.store.db.pool_size)]
             if held == "every pooled connection" else [])
    blocker = await asyncpg.connect(database)
    locked = blocker.transaction()
    await locked.start()
    if not taken:
        await blocker.execute("LOCK TABLE answers IN EXCLUSIVE MODE")
    try:
        told_busy(await (await fake.submit(trainee, form, LONG_ANSWER)).settled(timeout=20))
    finally:
        for conn in taken:
            await pool.release(conn)
        await locked.rollback()
        await blocker.close()
    await nothing_written_then_both_served(fake, run, (trainee, form), (other, other_form))
    no_traceback(caplog)


@sqlite_only
async def test_full_database_gets_a_clear_message(fake: FakeDiscord, start_bot, world, caplog):
    """Injects: a database that cannot grow (max_page_count). Holds: a message that says the
    storage is full and that retrying won't help, the answer back privately, nothing
    half-written, and answers work again once there is room."""
    run = await start_bot()
    form = await open_interview(fake, world["trainee"], world["guild"])
    writer = run.store.db.conn  # max_page_count is per connection: cap the writer's
    await writer.execute("VACUUM")  # no free pages left over from migrations to write into
    pages = (await run.store.db.fetch_one("PRAGMA page_count"))[0]
    await writer.execute(f"PRAGMA max_page_count = {pages}")
    full = await (await fake.submit(world["trainee"], form, LONG_ANSWER)).settled(timeout=20)
    notice = text_of(full.messages[0])
    assert "storage is full" in notice and "won't help" in notice
    assert "try again in a moment" not in notice
    given_back(full, LONG_ANSWER)
    assert (await run.store.db.fetch_one("SELECT COUNT(*) FROM answers"))[0] == 0
    await writer.execute(f"PRAGMA max_page_count = {pages + 10_000}")
    ok = await (await fake.submit(world["trainee"], form, STRONG)).settled(timeout=20)
    assert "Score" in text_of(ok.messages[0])
    no_traceback(caplog)


@sqlite_only
async def test_read_only_database_says_so(fake: FakeDiscord, start_bot, world, caplog):
    """Injects: a database that can be read but not written (``query_only`` on the writer:
    SQLite answers SQLITE_READONLY, as for a file or disk made read-only). Holds: a message
    that says read-only and that retrying won't help (not "try again"), the answer back
    privately, nothing stored; once writable, answers work again."""
    run = await start_bot()
    form = await open_interview(fake, world["trainee"], world["guild"])
    await run.store.db.conn.execute("PRAGMA query_only = ON")
    refused = await (await fake.submit(world["trainee"], form, STRONG)).settled(timeout=20)
    notice = text_of(refused.messages[0])
    assert "read-only" in notice and "won't help" in notice
    assert "try again in a moment" not in notice
    given_back(refused, STRONG)
    assert (await run.store.db.fetch_one("SELECT COUNT(*) FROM answers"))[0] == 0
    await run.store.db.conn.execute("PRAGMA query_only = OFF")
    ok = await (await fake.submit(world["trainee"], form, STRONG)).settled(timeout=20)
    assert "Score" in text_of(ok.messages[0])
    no_traceback(caplog)


def damage_table(db: Path, table: str) -> None:
    """Overwrite the root page of ``table`` with bytes that are no b-tree page, then commit
    something elsewhere so that every open connection drops its cached pages."""
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page is in the main file
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                            (table,)).fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        with open(db, "r+b") as file:
            file.seek((root - 1) * size)
            file.write(b"\xa5" * size)
            file.flush()
            os.fsync(file.fileno())
        conn.execute("CREATE TABLE damage_marker (x)")  # a commit elsewhere


@sqlite_only
async def test_damaged_database_says_so(fake: FakeDiscord, start_bot, world, tmp_path: Path,
                                        caplog):
    """Injects: the answers table's root page overwritten while the bot runs (SQLITE_CORRUPT
    on the next write). Holds: a message that says the database is damaged and that
    retrying won't help, the answer back privately, no traceback, and the bot keeps
    serving what does not touch the damage."""
    await start_bot()
    form = await open_interview(fake, world["trainee"], world["guild"])
    damage_table(tmp_path / "peerprep.sqlite3", "answers")
    hurt = await (await fake.submit(world["trainee"], form, STRONG)).settled(timeout=20)
    notice = text_of(hurt.messages[0])
    assert "damaged" in notice and "won't help" in notice
    assert "try again in a moment" not in notice
    given_back(hurt, STRONG)
    no_traceback(caplog)
    reply = await (await fake.slash(world["trainee"], "help", guild=world["guild"])).settled()
    assert reply.messages


@sqlite_only
async def test_daily_answer_that_cannot_be_saved_is_given_back(fake: FakeDiscord, start_bot,
                                                               world, clock, caplog):
    """Injects: a read-only database when a daily answer arrives. Holds: the answer goes
    back to its author privately with the reason."""
    clock.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    run = await start_bot(daily_poll_seconds=0.05)
    training = int(world["training"]["id"])
    await run.store.daily.save_schedule(DailySchedule(
        int(world["guild"]["id"]), training, "09:00", "UTC", None, None, False, False, None,
        clock.now), clock.now)
    run.bot.get_cog("DailyCog").wake.set()
    post = (await fake.wait_for_message(training, 1, timeout=30))[0]
    opened = await (await fake.click(world["trainee"], post, label="Answer privately")).wait()
    form = opened.callbacks[0]["data"]
    await run.store.db.conn.execute("PRAGMA query_only = ON")
    # Deferred at once: the reason replaces the deferral, the answer comes in a second message.
    refused = await (await fake.submit(world["trainee"], form, LONG_ANSWER,
                                       guild=world["guild"], channel=world["training"])
                     ).settled(messages=2, timeout=20)
    assert "read-only" in text_of(refused.messages[0])
    given_back(refused, LONG_ANSWER)
    no_traceback(caplog)


@sqlite_only
async def test_a_daily_post_on_a_read_only_database_is_one_logged_line(
        fake: FakeDiscord, start_bot, world, clock, caplog):
    """Injects: a read-only database when the daily post is due. Holds: no post, one
    warning that says read-only and what to do, no traceback; once writable, it posts."""
    clock.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    run = await start_bot()
    cog = run.bot.get_cog("DailyCog")
    await cog.cog_unload()  # the test ticks by itself: the loop must not race it to the post
    await run.store.daily.save_schedule(DailySchedule(
        int(world["guild"]["id"]), int(world["training"]["id"]), "09:00", "UTC", None, None,
        False, False, None, clock.now), clock.now)
    await run.store.db.conn.execute("PRAGMA query_only = ON")
    assert await cog.tick() == 0
    warned = [r.getMessage() for r in caplog.records if r.name.startswith("bot.")
              and r.levelno == logging.WARNING and "daily post" in r.getMessage()]
    assert len(warned) == 1 and "read-only" in warned[0] and "writable" in warned[0], warned
    no_traceback(caplog)
    await run.store.db.conn.execute("PRAGMA query_only = OFF")
    cog.backoff.clear(int(world["guild"]["id"]))
    assert await cog.tick() == 1


async def test_a_slow_answer_is_acknowledged_within_3_seconds(fake: FakeDiscord, start_bot,
                                                              world, database: Path | str):
    """Injects: a database held by another process for 2.5 s. Holds: the bot acknowledges
    in time (deferring) and still delivers the guidance."""
    await start_bot(busy_timeout_ms=5000)
    form = await open_interview(fake, world["trainee"], world["guild"])
    blocker = await WriteLock(database).hold()
    record = await fake.submit(world["trainee"], form, STRONG)
    await asyncio.sleep(2.5)
    await blocker.release()
    await record.settled(timeout=20)
    assert record.ack_seconds is not None and record.ack_seconds < 3.0
    assert record.callbacks[0]["type"] == 5  # deferred: the work was slow
    assert "Score" in text_of(record.messages[0])


async def test_an_expired_interaction_causes_no_error_storm(fake: FakeDiscord, start_bot, world,
                                                            caplog):
    """Injects: an interaction whose token has expired before the bot answers. Holds: a
    couple of requests at most, one logged warning (no traceback), and the bot keeps
    serving."""
    await start_bot()
    fake.inject(r"/interactions/", 404, times=1, code=10062)
    before = len(fake.requests)
    await fake.slash(world["trainee"], "help", guild=world["guild"])

    def warned() -> list[logging.LogRecord]:
        return [r for r in caplog.records if r.levelno == logging.WARNING
                and r.name.startswith("bot.") and "expired" in r.getMessage()]
    await fake.wait_until(lambda: bool(warned()), timeout=10)
    await asyncio.sleep(0.2)  # anything more the bot would send goes out now
    assert len(fake.requests) - before <= 3
    reply = await (await fake.slash(world["trainee"], "help", guild=world["guild"])).settled()
    assert reply.messages
    assert len(warned()) == 1, [r.getMessage() for r in caplog.records]
    no_traceback(caplog)  # no "Task exception was never retrieved", no error storm in the log


@pytest.mark.parametrize("answer", [
    "   \n\t  ", "\u200b\u200b\u200f", "x" * 4000, "🙂🙏🏽 " * 300,
    "@everyone **bold** __under__ `code` ```block``` <@&123> " * 20,
    "'); DROP TABLE answers; -- I listen and reflect",
    "\u202eI listen\u202c and reflect with \u200bzero width\u200d joiners",
])
async def test_hostile_answers_get_guidance_or_a_clear_message(fake: FakeDiscord, start_bot,
                                                               world, answer: str):
    """Injects: odd and hostile answer text. Holds: guidance or a clear message; no mention
    goes out; whatever was coached is stored exactly."""
    run = await start_bot()
    form = await open_interview(fake, world["trainee"], world["guild"])
    reply = await (await fake.submit(world["trainee"], form, answer)).settled(timeout=20)
    text = text_of(reply.messages[0])
    assert "Score" in text or "empty" in text
    for msg in reply.messages:
        assert msg["_allowed_mentions"] in ({"parse": []}, {"parse": [], "replied_user": False})
    row = await run.store.db.fetch_one("SELECT text FROM answers")
    if "Score" in text:
        assert row[0] == answer[:4000]
    else:
        assert row is None


async def test_unknown_timezone_is_explained(fake: FakeDiscord, start_bot, world):
    await start_bot()
    reply = await (await fake.slash(world["trainee"], "settings timezone", guild=world["guild"],
                                    name="Mars/Olympus_Mons")).settled()
    assert "don't know the time zone" in text_of(reply.messages[0])


async def test_logs_hold_no_token_and_no_answer_text(fake: FakeDiscord, start_bot, world,
                                                     caplog):
    caplog.set_level(logging.DEBUG)
    configure_logging("DEBUG")  # what LOG_LEVEL=DEBUG does in production
    await start_bot()
    form = await open_interview(fake, world["trainee"], world["guild"])
    secret = "my private story about the hardest year of my life"
    await (await fake.submit(world["trainee"], form, STRONG + " " + secret)).settled()
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert fake.token not in logged
    assert secret not in logged


@sqlite_only
async def test_a_follow_up_answer_that_cannot_be_saved_is_given_back(fake: FakeDiscord,
                                                                     start_bot, world, caplog):
    """Injects: a read-only database when a follow-up answer arrives. Holds: the answer goes
    back to its author privately with the reason, as for any other answer."""
    run = await start_bot()
    trainee = world["trainee"]
    await (await fake.slash(trainee, "interview start", guild=world["guild"], questions=1,
                            where="dm")).settled()
    dm = fake.dms[int(trainee["id"])]
    await fake.wait_for_message(dm, 1)
    await fake.send_dm(trainee, "I would be kind to them and do my best for them every day.")
    await fake.wait_until(lambda: any(FakeDiscord.buttons(m) for m in fake.messages[dm][1:]))
    guidance = fake.messages[dm][-1]
    opened = await (await fake.click(trainee, guidance, label="Answer follow-up")).wait()
    form = opened.callbacks[0]["data"]
    await run.store.db.conn.execute("PRAGMA query_only = ON")
    refused = await (await fake.submit(trainee, form, LONG_ANSWER)).settled(timeout=20)
    assert any("read-only" in text_of(m) for m in refused.messages)
    given_back(refused, LONG_ANSWER)
    no_traceback(caplog)
