"""Copying a whole database between backends (``python -m bot db copy``,
bot/storage/transfer.py): a realistic database made through the engine goes SQLite ->
PostgreSQL -> SQLite with every table equal, the bot's store then works on the copy (fresh
ids), a target holding data is refused, and a copy that fails part-way leaves nothing.

SQLite -> SQLite always runs; the rest needs PEERPREP_TEST_DATABASE_URL (tests/postgres.py).
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import AsyncIterator
from contextlib import closing
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.bank import Bank
from bot.core.records import DailySchedule
from bot.interview.engine import InterviewService
from bot.storage import Store
from bot.storage.codec import PREFIX
from bot.storage.connection import Database
from bot.storage.postgres import PostgresDatabase
from bot.storage.sql import POSTGRESQL, SQLITE
from bot.storage.transfer import (
    TABLES,
    CopyFailed,
    CopyRefused,
    TargetNotEmpty,
    column_names,
    copy_rows,
    table_names,
)
from tests import postgres
from tests.conftest import FakeClock
from tests.terminal_harness import run

KEY = bytes(range(32))
GUILD, CHANNEL = 900_000_000_000_000_001, 900_000_000_000_000_077  # 64-bit, as Discord's
ANA, CY = 800_000_000_000_001_001, 800_000_000_000_001_002
FOLLOWED = "cps-05"  # its first follow-up probes asking directly about suicide
MISSES_ASKING = ("I would stay calm and stay with them, listen, and let them know I'm here. "
                 "Then I would follow our crisis protocol and bring in my supervisor.")
ASKS = ("I'd ask them directly: are you thinking about suicide? I would ask it plainly and "
        "calmly, and then listen to whatever they tell me.")
CRISIS = "Honestly I want to end my life. I can't do this anymore."
STRONG = ("I would start by listening and reflecting back what I hear, so the person knows I "
          "understand. I would ask what they want from our time together and respect their "
          "choice. When I was in early recovery someone did the same for me.")

needs_postgres = pytest.mark.skipif(postgres.server_url() is None,
                                    reason=f"needs {postgres.URL_ENV}")
pytestmark = pytest.mark.database  # in the PostgreSQL pass of .ci/run


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL schema (dropped after)."""
    url = postgres.server_url()
    if url is None:
        pytest.skip(f"needs {postgres.URL_ENV}")
    async with postgres.fresh_schema(url) as schema_url:
        yield schema_url


@pytest.fixture
async def pg_url2() -> AsyncIterator[str]:
    url = postgres.server_url()
    if url is None:
        pytest.skip(f"needs {postgres.URL_ENV}")
    async with postgres.fresh_schema(url) as schema_url:
        yield schema_url


async def fill(store: Store, bank: Bank, clock: FakeClock, key: bytes | None) -> None:
    """A database as a few weeks of use leave it: people on Discord and in the terminal,
    interviews with a follow-up, a crisis answer, practice on several days (cards, practice
    days, period totals, streaks), a server's settings, daily schedule and posts answered,
    a cohort with a member and an invitation, posted messages; encrypted with ``key``."""
    if key is not None:
        assert await store.unlock(key) == 0  # the key check row; every answer sealed
    engine = InterviewService(store, bank, clock=clock, rng=random.Random(5))
    ana = await store.people.for_discord(ANA)
    cy = await store.people.for_discord(CY)
    bo = await store.people.for_local("bo")
    await store.people.set_timezone(ana.id, "America/New_York")
    await store.people.set_hidden(cy.id, True)
    await store.guilds.update(GUILD, training_channel_id=CHANNEL, timezone="Europe/London")

    interview, _ = await store.interviews.create(
        ana.id, "all", None, [FOLLOWED, "pss-03", "pss-01"], "thread", GUILD, CHANNEL,
        follow_ups=True)
    first = await engine.answer(interview.id, 0, 1, MISSES_ASKING)
    assert first.interview is not None and first.interview.awaiting_follow_up
    await engine.answer_follow_up(interview.id, 0, ASKS)
    await engine.skip(interview.id, 0)  # Next
    crisis = await engine.answer(interview.id, 1, 1, CRISIS)
    assert crisis.feedback.crisis
    await engine.skip(interview.id, 1)
    await engine.skip(interview.id, 2)
    await store.people.remember_message(ANA, CHANNEL, 700_000_000_000_000_001, clock())
    await store.people.remember_message(ANA, CHANNEL, 700_000_000_000_000_002, clock())

    schedule = DailySchedule(GUILD, CHANNEL, "09:00", "Europe/London", None, None, True,
                             False, None, clock())
    await store.daily.save_schedule(schedule, clock())
    for day in range(4):  # bo practises four days running; ana answers the daily question
        clock.advance(days=1)
        started = await engine.start(bo.id, count=2, follow_ups=False)
        await engine.answer(started.interview.id, 0, 1, STRONG)
        await engine.retry(started.interview.id, 0)
        await engine.answer(started.interview.id, 0, 2, STRONG + " Again.")
        await engine.end(started.interview.id)
        claim = await store.daily.claim(GUILD, clock().date(), "pss-02", "process-1",
                                        clock())
        await store.daily.settle(claim.post.id, CHANNEL, 600_000_000_000_000_000 + day,
                                 schedule, clock() + timedelta(days=1))
        await engine.answer_daily(ana.id, bank["pss-02"], STRONG, f"daily:{day}",
                                  daily_post_id=claim.post.id, guild_id=GUILD)
    failed = await store.daily.claim(GUILD, (clock() + timedelta(days=1)).date(), "pss-04",
                                     "process-2", clock())
    await store.daily.give_up(failed.post.id, GUILD, "missing permission: Send Messages",
                              claimed_by="process-2")
    await engine.start(cy.id, count=3)  # left open

    cohort = await store.cohorts.create(GUILD, "Spring Cohort", 555, ANA, clock())
    await store.cohorts.create(GUILD, "Évening group", None, CY, clock())
    await store.cohorts.add(cohort.id, ana.id, clock())
    await store.cohorts.add(cohort.id, bo.id, clock())
    await store.cohorts.invite(cohort.id, cy.id, clock())


async def made(where: Path | str, bank: Bank, key: bytes | None) -> None:
    async with Store(where) as store:
        await fill(store, bank, FakeClock(), key)


Rows = dict[str, list[dict[str, Any]]]


async def dump(db: Database | PostgresDatabase) -> Rows:
    """Every row of every table, by column name, rows sorted: equal for equal data."""
    out = {}
    for table in TABLES:
        columns = sorted(await column_names(db, db.dialect, table))
        rows = await db.fetch_all(f"SELECT {', '.join(columns)} FROM {table}")
        out[table] = sorted((dict(zip(columns, row, strict=True)) for row in rows),
                            key=lambda row: repr(list(row.values())))
    return out


async def opened(where: Path | str) -> Database | PostgresDatabase:
    db: Database | PostgresDatabase = (PostgresDatabase(where) if isinstance(where, str)
                                       else Database(where))
    await db.open()
    return db


async def copy(source: Path | str, target: Path | str, batch_rows: int = 1000
               ) -> dict[str, int]:
    src, dst = await opened(source), await opened(target)
    try:
        return (await copy_rows(src, dst, batch_rows=batch_rows)).rows
    finally:
        await src.close()
        await dst.close()


async def dumped(where: Path | str) -> Rows:
    db = await opened(where)
    try:
        return await dump(db)
    finally:
        await db.close()


# -- the table list ------------------------------------------------------------------------

async def test_every_table_of_the_schema_is_copied_parents_first(tmp_path: Path):
    """A migration that adds a table fails here until transfer.TABLES has it; each table
    comes after the tables its foreign keys name (the target checks them row by row)."""
    path = tmp_path / "schema.sqlite3"
    async with Store(path) as store:
        assert await table_names(store.db, SQLITE) == set(TABLES)
    with closing(sqlite3.connect(path)) as conn:
        for table in TABLES:
            for fk in conn.execute(f"PRAGMA foreign_key_list({table})"):
                assert TABLES.index(fk[2]) < TABLES.index(table), (table, fk[2])


@needs_postgres
async def test_every_table_of_the_postgres_schema_is_copied(pg_url: str):
    async with Store(pg_url) as store:
        assert await table_names(store.db, POSTGRESQL) == set(TABLES)


async def test_a_table_the_copy_does_not_know_is_refused(tmp_path: Path, bank: Bank):
    source, target = tmp_path / "source.sqlite3", tmp_path / "target.sqlite3"
    await made(source, bank, None)
    with closing(sqlite3.connect(source)) as conn, conn:
        conn.execute("CREATE TABLE badges (person_id INTEGER, badge TEXT)")
    with pytest.raises(CopyRefused, match="badges"):
        await copy(source, target)
    assert (await dumped(target))["people"] == []


# -- SQLite to SQLite (always) -------------------------------------------------------------

@pytest.mark.parametrize("key", [None, KEY], ids=["plain", "encrypted"])
async def test_sqlite_to_sqlite_copies_every_row(tmp_path: Path, bank: Bank,
                                                 key: bytes | None):
    source, target = tmp_path / "source.sqlite3", tmp_path / "target.sqlite3"
    await made(source, bank, key)
    rows = await copy(source, target, batch_rows=3)  # several batches per table
    original = await dumped(source)
    assert await dumped(target) == original
    assert rows == {table: len(original[table]) for table in TABLES}
    empty = [table for table in TABLES if not original[table]]
    assert empty == ([] if key else ["encryption"]), "the database should fill every table"
    async with Store(target) as store:  # the bot's store works on it, with the same key
        await store.unlock(key)
        bo = await store.people.find_local("bo")
        assert bo is not None
        engine = InterviewService(store, bank, clock=FakeClock(), rng=random.Random(1))
        started = await engine.start(bo.id, count=1)
        result = await engine.answer(started.interview.id, 0, 1, STRONG)
        assert result.answer_id == max(r["id"] for r in original["answers"]) + 1


async def test_a_target_holding_data_is_refused_and_left_as_it_was(tmp_path: Path,
                                                                   bank: Bank):
    source, target = tmp_path / "source.sqlite3", tmp_path / "target.sqlite3"
    await made(source, bank, None)
    async with Store(target) as store:
        await store.people.for_local("someone else")
    before = await dumped(target)
    with pytest.raises(TargetNotEmpty, match="people"):
        await copy(source, target)
    assert await dumped(target) == before


async def test_a_copy_that_fails_part_way_writes_nothing(tmp_path: Path, bank: Bank):
    """All or nothing: a refusal at the last tables rolls back the rows already copied."""
    source, target = tmp_path / "source.sqlite3", tmp_path / "target.sqlite3"
    await made(source, bank, None)
    async with Store(target):
        pass
    with closing(sqlite3.connect(target)) as conn, conn:
        conn.execute("CREATE TRIGGER refuse BEFORE INSERT ON posted_messages "
                     "BEGIN SELECT RAISE(ABORT, 'the disk said no'); END")
    with pytest.raises(Exception, match="the disk said no"):
        await copy(source, target)
    assert all(rows == [] for rows in (await dumped(target)).values())


async def test_the_source_is_read_as_of_one_moment(tmp_path: Path, bank: Bank):
    """Rows written to the source while the copy runs are not half in it: the copy reads one
    snapshot (a write between two tables' reads would break the row counts' agreement or
    leave an answer without its person)."""
    source, target = tmp_path / "source.sqlite3", tmp_path / "target.sqlite3"
    await made(source, bank, None)
    original = await dumped(source)
    src, dst = await opened(source), await opened(target)
    writer = sqlite3.connect(source, isolation_level=None)
    real = dst.write

    async def write_then_meddle(work: Any, **options: Any) -> Any:
        # Once the target's transaction is open (the source's snapshot already taken),
        # another process adds a person and an answer to the source.
        writer.execute("INSERT INTO people (discord_user_id, created_at) VALUES (5, 'now')")
        writer.execute("INSERT INTO answers (person_id, question_id, submission_key, score, "
                       "feedback, answered_at, local_day) SELECT MAX(id), 'pss-01', 'late', "
                       "50, '{}', 'now', '2026-03-09' FROM people")
        return await real(work, **options)

    dst.write = write_then_meddle  # type: ignore[method-assign]
    try:
        await copy_rows(src, dst, batch_rows=2)
    finally:
        writer.close()
        await src.close()
        await dst.close()
    assert await dumped(target) == original
    assert len((await dumped(source))["people"]) == len(original["people"]) + 1


# -- through PostgreSQL ----------------------------------------------------------------------

@needs_postgres
@pytest.mark.parametrize("key", [None, KEY], ids=["plain", "encrypted"])
async def test_sqlite_to_postgres_to_sqlite_keeps_every_table(tmp_path: Path, bank: Bank,
                                                              pg_url: str, key: bytes | None):
    source, back = tmp_path / "source.sqlite3", tmp_path / "back.sqlite3"
    await made(source, bank, key)
    original = await dumped(source)
    assert await copy(source, pg_url, batch_rows=3) == {t: len(original[t]) for t in TABLES}
    assert await dumped(pg_url) == original
    await copy(pg_url, back, batch_rows=3)
    assert await dumped(back) == original
    if key is not None:  # sealed text travelled as it was stored, not opened on the way
        texts = [row[0] for row in await (await_rows(back, "SELECT text FROM answers "
                                                           "WHERE text IS NOT NULL"))]
        assert texts and all(text.startswith(PREFIX) for text in texts)


async def await_rows(where: Path | str, sql: str) -> list[Any]:
    db = await opened(where)
    try:
        return await db.fetch_all(sql)
    finally:
        await db.close()


@needs_postgres
@pytest.mark.parametrize("key", [None, KEY], ids=["plain", "encrypted"])
async def test_after_a_copy_into_postgres_the_bot_stores_new_rows_there(
        tmp_path: Path, bank: Bank, pg_url: str, key: bytes | None):
    """PostgreSQL's identity sequences were moved past the copied ids: a new answer, person,
    interview, daily post and cohort each get a fresh id, and no write collides."""
    source = tmp_path / "source.sqlite3"
    await made(source, bank, key)
    original = await dumped(source)
    await copy(source, pg_url)
    clock = FakeClock()
    clock.advance(days=30)
    async with Store(pg_url) as store:
        await store.unlock(key)  # the key check travelled: the same key opens it
        engine = InterviewService(store, bank, clock=clock, rng=random.Random(2))
        newcomer = await store.people.for_discord(123)
        assert newcomer.id == max(row["id"] for row in original["people"]) + 1
        started = await engine.start(newcomer.id, count=1)
        result = await engine.answer(started.interview.id, 0, 1, STRONG)
        assert result.answer_id is not None
        assert result.answer_id > max(row["id"] for row in original["answers"])
        claim = await store.daily.claim(GUILD, clock().date(), "pss-05", "process-3", clock())
        assert claim.won
        await store.cohorts.create(GUILD, "Summer", None, 123, clock())
        ana = await store.people.find_discord(ANA)
        assert ana is not None
        exported = await store.people.export(ana.id)  # opened with the key on the copy
        assert MISSES_ASKING in [answer["text"] for answer in exported["answers"]]
        assert [f["text"] for f in exported["interview_follow_ups"]] == [ASKS]


@needs_postgres
async def test_a_postgres_target_holding_data_is_refused(tmp_path: Path, bank: Bank,
                                                         pg_url: str):
    source = tmp_path / "source.sqlite3"
    await made(source, bank, None)
    await copy(source, pg_url)
    before = await dumped(pg_url)
    with pytest.raises(TargetNotEmpty):
        await copy(source, pg_url)
    assert await dumped(pg_url) == before


@needs_postgres
async def test_a_failed_copy_into_postgres_writes_nothing(tmp_path: Path, bank: Bank,
                                                          pg_url: str):
    """A value PostgreSQL's column can't take (SQLite keeps text in an INTEGER column) stops
    the copy at that table, and the tables before it are rolled back too; the value itself
    (it might be someone's words) is not repeated."""
    source = tmp_path / "source.sqlite3"
    await made(source, bank, None)
    with closing(sqlite3.connect(source)) as conn, conn:
        conn.execute("UPDATE cohorts SET role_id = 'private words' WHERE role_id IS NOT NULL")
    with pytest.raises(CopyFailed, match="cohorts") as failed:
        await copy(source, pg_url)
    assert "private words" not in str(failed.value)
    assert all(rows == [] for rows in (await dumped(pg_url)).values())


@needs_postgres
async def test_nul_characters_sqlite_kept_are_copied_as_replacement_characters(
        tmp_path: Path, bank: Bank, pg_url: str):
    """An answer saved with a NUL before PeerPrep replaced them on the way in: PostgreSQL's
    text can't hold one, so the copy writes U+FFFD in its place and says how many."""
    source = tmp_path / "source.sqlite3"
    await made(source, bank, None)
    with closing(sqlite3.connect(source)) as conn, conn:
        first = conn.execute("SELECT MIN(id) FROM answers").fetchone()[0]
        conn.execute("UPDATE answers SET text = 'I listen' || char(0) || char(0) || ' first.' "
                     "WHERE id = ?", (first,))
    src, dst = await opened(source), await opened(pg_url)
    try:
        report = await copy_rows(src, dst)
    finally:
        await src.close()
        await dst.close()
    assert report.nuls_replaced == 2
    copied = {row["id"]: row["text"] for row in (await dumped(pg_url))["answers"]}
    assert copied[first] == "I listen\ufffd\ufffd first."
    original = {row["id"]: row["text"] for row in (await dumped(source))["answers"]}
    assert {k: v for k, v in copied.items() if k != first} == \
        {k: v for k, v in original.items() if k != first}


@needs_postgres
async def test_postgres_to_postgres(bank: Bank, pg_url: str, pg_url2: str):
    await made(pg_url, bank, KEY)
    await copy(pg_url, pg_url2, batch_rows=4)
    assert await dumped(pg_url2) == await dumped(pg_url)


# -- the command ---------------------------------------------------------------------------

def practised(data_dir: Path) -> None:
    stdin = STRONG + "\n\nn\n/end\n"
    result = run(["practice", "--questions", "1", "--user", "sam", "--new"], data_dir, stdin)
    assert result.returncode == 0, result.stderr


def test_db_copy_between_sqlite_files(tmp_path: Path):
    practised(tmp_path)
    target = tmp_path / "moved" / "copy.sqlite3"
    copied = run(["db", "copy", "--to", str(target)], tmp_path)
    assert copied.returncode == 0, copied.stderr
    lines = copied.stdout.splitlines()
    assert lines[0].startswith(f"Copied {tmp_path / 'peerprep.sqlite3'} to {target}")
    assert "  answers  " in copied.stdout and "the counts in the source and the target match" \
        in copied.stdout
    assert lines[-1] == (f"To use it: unset DATABASE_URL and set DATABASE_PATH={target}, then "
                         "start the bot.")
    assert oct(target.stat().st_mode & 0o777) == oct(0o600)  # it holds people's answers
    progress = run(["progress", "--user", "sam"], tmp_path, DATABASE_PATH=str(target))
    assert "Answers: 1" in progress.stdout

    again = run(["db", "copy", "--to", str(target)], tmp_path)
    assert again.returncode == 2 and "already holds PeerPrep data" in again.stderr
    itself = run(["db", "copy", "--to", str(tmp_path / "peerprep.sqlite3")], tmp_path)
    assert itself.returncode == 2 and "the configured database itself" in itself.stderr
    wrong = run(["db", "copy", "--to", "mysql://db/x"], tmp_path)
    assert wrong.returncode == 2 and "postgresql:// URL" in wrong.stderr


def test_db_copy_refuses_a_source_in_use_and_one_not_upgraded(tmp_path: Path):
    practised(tmp_path)
    holder = sqlite3.connect(tmp_path / "peerprep.sqlite3")
    try:
        holder.execute("SELECT COUNT(*) FROM answers").fetchone()  # open, as the bot keeps it
        busy = run(["db", "copy", "--to", str(tmp_path / "copy.sqlite3")], tmp_path)
    finally:
        holder.close()
    assert busy.returncode == 1 and "stop it first" in busy.stderr
    assert "db backup" in busy.stderr  # how to rehearse while it runs
    assert not (tmp_path / "copy.sqlite3").exists()

    with closing(sqlite3.connect(tmp_path / "peerprep.sqlite3")) as conn:
        conn.execute("PRAGMA user_version = 5")
    old = run(["db", "copy", "--to", str(tmp_path / "copy.sqlite3")], tmp_path)
    assert old.returncode == 2 and "db upgrade first" in old.stderr
    assert not (tmp_path / "copy.sqlite3").exists()


def test_a_failed_copy_into_a_new_file_leaves_no_file(tmp_path: Path):
    practised(tmp_path)
    with closing(sqlite3.connect(tmp_path / "peerprep.sqlite3")) as conn, conn:
        conn.execute("CREATE TABLE notes (words TEXT)")  # not PeerPrep's: refused
    target = tmp_path / "copy.sqlite3"
    result = run(["db", "copy", "--to", str(target)], tmp_path)
    assert result.returncode == 2 and "notes" in result.stderr, result.stderr
    assert not target.exists() and not Path(f"{target}-wal").exists()
