"""Faults on PostgreSQL (issue 17): a connection dropped in the middle of an answer, the
server restarting, a pool kept busy, a lock held elsewhere, serialization failures, and a
connection lost during COMMIT. Each test says what it injects, what the trainee or operator
is told, and what the database holds afterwards.

Run in the PostgreSQL pass only (``PEERPREP_TEST_DATABASE_URL``): each test works in a schema
of its own, and its store's connections carry an ``application_name`` of their own, so that
the test can find and end exactly those. The server itself is shared and never restarted:
a restart, as PeerPrep sees it, is played by a TCP proxy between the store and the server
(tests/pg_proxy.py)."""

from __future__ import annotations

import asyncio
import dataclasses
import random
import shutil
import time
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import asyncpg
import pytest

from bot.bank import Bank, Question
from bot.interview import engine as engine_module
from bot.interview import review
from bot.interview.engine import InterviewService
from bot.paths import MIGRATIONS_DIR
from bot.storage import CannotOpen, StorageBusy, StorageError, Store
from bot.storage.errors import SchemaTooNew, StorageUnreachable, for_operator
from bot.storage.migrations import migrations
from bot.storage.sql import Tx
from tests import postgres
from tests.conftest import FakeClock
from tests.pg_proxy import Proxy

pytestmark = postgres.postgres_only


# -- fixtures and helpers ---------------------------------------------------------------------

@pytest.fixture
async def database() -> AsyncIterator[str]:
    """The test's schema, its store's connections named after it (``application_name``)."""
    url = postgres.server_url()
    assert url is not None
    async with postgres.fresh_schema(url) as schema_url:
        yield postgres.with_setting(schema_url, "application_name", app_name(schema_url))


def app_name(url: str) -> str:
    return "pp_" + parse_qs(urlsplit(url).query)["search_path"][0]


@pytest.fixture
async def admin(database: str) -> AsyncIterator[asyncpg.Connection]:
    """A connection of the test's own, straight to the server (never through a proxy, never
    ended by the test): it ends the store's connections and reads what was stored."""
    url = database.replace(f"application_name={app_name(database)}", "application_name=admin")
    conn = await asyncpg.connect(url)
    yield conn
    await conn.close()


def engine_on(store: Store, bank: Bank, clock: FakeClock) -> InterviewService:
    return InterviewService(store, bank, clock=clock, rng=random.Random(1))


async def holdings(admin: asyncpg.Connection, person_id: int) -> dict[str, Any]:
    """What the database holds for a person: answers, answers per practice day, per period,
    and the streak."""
    async def pairs(sql: str) -> dict[Any, Any]:
        return {r[0]: r[1] for r in await admin.fetch(sql, person_id)}

    return {
        "answers": await admin.fetchval("SELECT COUNT(*) FROM answers WHERE person_id = $1",
                                        person_id),
        "days": await pairs("SELECT day, answers FROM practice_days WHERE person_id = $1"),
        "periods": await pairs("SELECT period, answers FROM period_totals WHERE person_id = $1"),
        "streak": await admin.fetchval("SELECT current FROM streaks WHERE person_id = $1",
                                       person_id),
    }


def answered_once(day: date, answers: int = 1) -> dict[str, Any]:
    """``holdings`` after ``answers`` answers on ``day``, the first practice day."""
    year, week, _ = day.isocalendar()
    return {"answers": answers, "days": {day.isoformat(): answers},
            "periods": {f"{year}-W{week:02d}": answers, f"{day:%Y-%m}": answers,
                        "all": answers},
            "streak": 1}


NOTHING = {"answers": 0, "days": {}, "periods": {}, "streak": None}


async def end_backends(admin: asyncpg.Connection, application_name: str) -> int:
    """End every server process of ``application_name``'s connections (as a server shutting
    down does), waiting until each is gone; how many."""
    ended = await admin.fetch(
        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
        "WHERE application_name = $1", application_name)
    assert all(r[0] for r in ended)
    return len(ended)


async def answer_fails(engine: InterviewService, person_id: int, question: Question, key: str,
                       kind: type[StorageError], *, give_up: float = 10) -> StorageError:
    """A daily answer fails with ``kind`` in under 5 s (the stores' waits are 1 s here:
    bounded, never a hang); the error."""
    started = time.monotonic()
    with pytest.raises(kind) as caught:
        await asyncio.wait_for(engine.answer_daily(
            person_id, question, question.example_answer, key=key), give_up)
    assert time.monotonic() - started < 5
    return caught.value


def one_line(error: StorageError) -> str:
    line = for_operator(error)
    assert "\n" not in line
    return line


class _EndAfterFirstStatement:
    """A write's ``Tx`` whose connection's server process is ended (from another
    connection) as soon as the write's first statement has run: the write is cut in the
    middle of its transaction."""

    def __init__(self, tx: Any, admin: asyncpg.Connection) -> None:
        self.tx, self.admin, self.done = tx, admin, False

    async def _after(self, value: Any) -> Any:
        if not self.done:
            self.done = True
            pid = self.tx.conn.get_server_pid()
            assert await self.admin.fetchval("SELECT pg_terminate_backend($1, 5000)", pid)
        return value

    async def execute(self, sql: str, params: Any = ()) -> int:
        return await self._after(await self.tx.execute(sql, params))

    async def execute_many(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self._after(await self.tx.execute_many(sql, rows))

    async def fetch_all(self, sql: str, params: Any = ()) -> list[Any]:
        return await self._after(await self.tx.fetch_all(sql, params))

    async def fetch_one(self, sql: str, params: Any = ()) -> Any:
        return await self._after(await self.tx.fetch_one(sql, params))


def watch_writes(store: Store, monkeypatch: pytest.MonkeyPatch,
                 cut_first: asyncpg.Connection | None = None) -> list[int]:
    """Every run of a write on ``store`` from now on, as its connection's server pid; with
    ``cut_first`` (an admin connection), the first run is cut after its first statement."""
    runs: list[int] = []
    write = store.db.write

    async def watched(work: Callable[[Tx], Awaitable[Any]], **options: Any) -> Any:
        async def run(tx: Any) -> Any:
            runs.append(tx.conn.get_server_pid())
            if cut_first is not None and len(runs) == 1:
                return await work(_EndAfterFirstStatement(tx, cut_first))
            return await work(tx)
        return await write(run, **options)

    monkeypatch.setattr(store.db, "write", watched)
    return runs


# -- 1. a connection dropped in the middle of an answer ---------------------------------------

async def test_an_answer_cut_mid_transaction_is_stored_once_on_a_new_connection(
        database: str, admin: asyncpg.Connection, bank: Bank, clock: FakeClock,
        monkeypatch: pytest.MonkeyPatch):
    """Injects: the server process of the connection writing an interview answer ended after
    the write's first statement. Holds: the trainee gets the guidance as usual; the write
    ran again on another connection and everything the answer changes is stored once."""
    async with Store(database) as store:
        engine = engine_on(store, bank, clock)
        sam = await store.people.for_local("sam")
        interview = (await engine.start(sam.id, count=2)).interview
        runs = watch_writes(store, monkeypatch, cut_first=admin)
        result = await engine.answer(interview.id, 0, 1, engine.question(interview)
                                     .example_answer, person_id=sam.id)
        assert not result.duplicate and result.feedback.score >= 80 and result.streak == 1
        assert len(runs) == 2 and runs[0] != runs[1]  # cut, then run whole on a new one
        assert await holdings(admin, sam.id) == answered_once(clock.now.date())
        assert await admin.fetchval(
            "SELECT outcome FROM interview_questions WHERE interview_id = $1 AND position = 0",
            interview.id) == "answered"
        assert await admin.fetchval("SELECT COUNT(*) FROM review_cards") == 1


async def test_a_write_cut_while_its_statement_is_on_the_server_runs_again(
        database: str, admin: asyncpg.Connection):
    """Injects: the connection's server process ended while the write's statement waits on
    the server (for a lock another session holds), so the client sees the connection lost
    in the middle of a statement, not at the next one. Holds: the write runs again whole on
    a new connection and only its second run is stored."""
    async with Store(database) as store:
        runs: list[int] = []

        async def work(tx: Tx) -> int:
            runs.append(tx.conn.get_server_pid())  # type: ignore[attr-defined]
            await tx.execute("INSERT INTO guild_settings (guild_id, updated_at) VALUES (?, ?)",
                             (7, f"run {len(runs)}"))
            if len(runs) == 1:  # waits on the server until its process is ended
                await tx.fetch_one("SELECT pg_advisory_xact_lock_shared(42)")
            return len(runs)

        async with admin.transaction():
            await admin.execute("SELECT pg_advisory_xact_lock(42)")
            write = asyncio.ensure_future(store.db.write(work))
            await wait_until(lambda: admin.fetchval(
                "SELECT COUNT(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE NOT l.granted AND a.application_name = $1", app_name(database)))
            assert await admin.fetchval("SELECT pg_terminate_backend($1, 5000)", runs[0])
        assert await write == 2 and runs[0] != runs[1]
        assert [tuple(r) for r in await admin.fetch(
            "SELECT guild_id, updated_at FROM guild_settings")] == [(7, "run 2")]


# -- 2. the server restarting, as the client sees it ------------------------------------------

@pytest.mark.parametrize("how", ["server ends every connection", "network cut"])
async def test_a_server_restart_fails_clearly_then_the_next_write_works(
        database: str, admin: asyncpg.Connection, bank: Bank, clock: FakeClock, how: str):
    """Injects: every connection of the pool dies at once (ended by the server, or cut on the
    way) and, for a while, new connections are refused. Holds: an answer sent meanwhile fails
    within the bounded wait with StorageUnreachable (one line for the operator, the friendly
    message for the trainee) and stores nothing; once connections are accepted again, the
    same answer is stored once, without restarting anything."""
    async with Proxy(database) as proxy, Store(proxy.url, busy_timeout_ms=1000) as store:
        engine = engine_on(store, bank, clock)
        sam = await store.people.for_local("sam")
        question = bank.questions[0]
        pooled = [await store.db.pool.acquire() for _ in range(3)]  # three open connections
        for conn in pooled:
            await store.db.pool.release(conn)

        proxy.refuse()
        if how == "network cut":
            assert proxy.cut() == 3
        else:
            assert await end_backends(admin, app_name(database)) == 3
        error = await answer_fails(engine, sam.id, question, "outage", StorageUnreachable)
        assert "can't be reached" in one_line(error)
        assert "can't reach its database" in error.user_message
        assert await holdings(admin, sam.id) == NOTHING

        await proxy.accept()
        result = await engine.answer_daily(sam.id, question, question.example_answer,
                                           key="outage")
        assert not result.duplicate
        assert await holdings(admin, sam.id) == answered_once(clock.now.date())


async def test_a_server_back_within_the_wait_serves_the_write_that_waited(
        database: str, admin: asyncpg.Connection):
    """Injects: every connection cut and new ones refused, then accepted again while a write
    still has time left (3 s). Holds: the write keeps trying to connect meanwhile, and is
    stored once the server is back, without an error."""
    async with Proxy(database) as proxy, Store(proxy.url, busy_timeout_ms=3000) as store:
        proxy.refuse()
        proxy.cut()
        write = asyncio.ensure_future(store.db.write(lambda tx: tx.execute(
            "INSERT INTO guild_settings (guild_id, updated_at) VALUES (1, 'x')")))
        await asyncio.sleep(0.5)  # a while of refusals: the write is still trying
        assert not write.done()
        await proxy.accept()
        await asyncio.wait_for(write, 5)
        assert await admin.fetchval("SELECT COUNT(*) FROM guild_settings") == 1


async def test_a_connection_whose_server_said_it_is_ending_is_not_used_again(
        database: str, admin: asyncpg.Connection, bank: Bank, clock: FakeClock):
    """Injects: the server ends every pooled connection, and its last words ("terminating
    connection due to administrator command") reach PeerPrep while the connections still
    look open (their closing has not arrived: asyncpg then fails the next statement with
    an InternalClientError). Holds: the answer is stored once on a new connection, as the
    trainee would expect after any dropped connection."""
    async with Proxy(database) as proxy, Store(proxy.url, busy_timeout_ms=1000) as store:
        engine = engine_on(store, bank, clock)
        sam = await store.people.for_local("sam")
        question = bank.questions[0]
        proxy.linger = True
        assert await end_backends(admin, app_name(database)) == 1
        await proxy.server_left.wait()
        result = await asyncio.wait_for(engine.answer_daily(
            sam.id, question, question.example_answer, key="k"), 10)
        assert not result.duplicate
        assert await holdings(admin, sam.id) == answered_once(clock.now.date())


class _FreezeAfterFirstStatement(_EndAfterFirstStatement):
    """A write's ``Tx`` after whose first statement the network goes silent: nothing more
    passes the proxy either way, and nothing is closed."""

    def __init__(self, tx: Any, proxy: Proxy) -> None:
        self.tx, self.proxy, self.done = tx, proxy, False

    async def _after(self, value: Any) -> Any:
        if not self.done:
            self.done = True
            self.proxy.freeze()
        return value


@pytest.mark.parametrize("when", ["in the middle of an answer's write", "during a read"])
async def test_a_server_gone_silent_mid_statement_is_given_up_then_serves_again(
        database: str, admin: asyncpg.Connection, bank: Bank, clock: FakeClock,
        monkeypatch: pytest.MonkeyPatch, when: str):
    """Injects: the network to the server goes silent (nothing arrives, nothing is closed:
    a partition) after the first statement of an answer's transaction, or before a read.
    Holds: PeerPrep gives the connection up after its statement bound (1 s here, 30 s by
    default) and says in one line that PostgreSQL did not answer: no hang, nothing
    half-written; once the network is back the answer is stored once."""
    async with Proxy(database) as proxy, Store(proxy.url, busy_timeout_ms=1000) as store:
        store.db.statement_seconds = 1.0
        engine = engine_on(store, bank, clock)
        sam = await store.people.for_local("sam")
        question = bank.questions[0]
        write = store.db.write
        if when.startswith("in the middle"):
            async def freezing(work: Callable[[Tx], Awaitable[Any]], **options: Any) -> Any:
                return await write(lambda tx: work(_FreezeAfterFirstStatement(tx, proxy)),
                                   **options)
            monkeypatch.setattr(store.db, "write", freezing)
        else:
            proxy.freeze()
        error = await answer_fails(engine, sam.id, question, "silent", StorageUnreachable,
                                   give_up=20)
        assert "did not answer within 1 s" in one_line(error)
        assert await holdings(admin, sam.id) == NOTHING

        monkeypatch.setattr(store.db, "write", write)
        proxy.thaw()
        await asyncio.wait_for(engine.answer_daily(
            sam.id, question, question.example_answer, key="silent"), 10)
        assert await holdings(admin, sam.id) == answered_once(clock.now.date())


@pytest.mark.parametrize(("sqlstate", "refusal", "kind", "line"), [
    ("53300", "sorry, too many clients already", StorageBusy, "no connection to spare"),
    ("57P03", "the database system is starting up", StorageUnreachable, "can't be reached")])
async def test_a_server_refusing_new_connections_fails_within_the_wait_then_serves(
        database: str, admin: asyncpg.Connection, bank: Bank, clock: FakeClock,
        sqlstate: str, refusal: str, kind: type[StorageError], line: str):
    """Injects: every pooled connection cut, and every new login refused by the server:
    it has no connection to spare (its max_connections, shared by every bot process), or it
    is starting up (a restart). Holds: an answer fails within the wait with StorageBusy or
    StorageUnreachable, in one line that says why (not asyncpg's own exception, which
    reached the trainee as "something went wrong"); nothing stored; then it is stored once."""
    async with Proxy(database) as proxy, Store(proxy.url, busy_timeout_ms=1000) as store:
        engine = engine_on(store, bank, clock)
        sam = await store.people.for_local("sam")
        question = bank.questions[0]
        proxy.refuse_with(sqlstate, refusal)
        proxy.cut()
        error = await answer_fails(engine, sam.id, question, "refused", kind)
        assert type(error) is kind
        assert refusal in one_line(error) and line in one_line(error)
        assert await holdings(admin, sam.id) == NOTHING

        await proxy.accept()
        await engine.answer_daily(sam.id, question, question.example_answer, key="refused")
        assert await holdings(admin, sam.id) == answered_once(clock.now.date())


async def test_a_server_that_does_not_answer_is_unreachable_not_busy(
        database: str, admin: asyncpg.Connection, bank: Bank, clock: FakeClock):
    """Injects: every pooled connection cut, and new connections accepted but never answered
    (a server machine or network that stops answering). Holds: an answer fails within the
    wait with StorageUnreachable that says PostgreSQL did not accept a connection (not that
    the pool's connections were busy: none was in use); nothing stored."""
    async with Proxy(database) as proxy, Store(proxy.url, busy_timeout_ms=1000) as store:
        engine = engine_on(store, bank, clock)
        sam = await store.people.for_local("sam")
        question = bank.questions[0]
        proxy.silence()
        proxy.cut()
        tried = proxy.accepted
        error = await answer_fails(engine, sam.id, question, "silent", StorageUnreachable)
        assert "did not accept a connection within 1 s" in one_line(error)
        assert proxy.accepted > tried  # it did try to connect, and was left waiting
        proxy.cut()
    assert await holdings(admin, sam.id) == NOTHING


# -- 3. a pool kept busy, and a lock held elsewhere -------------------------------------------

async def test_a_pool_kept_busy_fails_a_write_clearly_and_then_serves(
        database: str, admin: asyncpg.Connection, bank: Bank, clock: FakeClock):
    """Injects: both connections of a pool of 2 held by long writes. Holds: a third write,
    and an answer, fail within the wait with StorageBusy naming the pool (and the trainee's
    "busy, try again" message); nothing is half-written; once the holders finish, writes
    work."""
    async with Store(database, pool_size=2, busy_timeout_ms=500) as store:
        engine = engine_on(store, bank, clock)
        sam = await store.people.for_local("sam")
        question = bank.questions[0]
        go, holding = asyncio.Event(), [asyncio.Event(), asyncio.Event()]

        async def hold(tx: Tx, started: asyncio.Event) -> None:
            await tx.fetch_one("SELECT 1")
            started.set()
            await go.wait()

        holders = [asyncio.create_task(store.db.write(lambda tx, e=e: hold(tx, e)))
                   for e in holding]
        await asyncio.gather(*(e.wait() for e in holding))
        try:
            started = time.monotonic()
            with pytest.raises(StorageBusy) as caught:
                await asyncio.wait_for(store.db.write(lambda tx: tx.execute("SELECT 1")), 10)
            assert 0.5 <= time.monotonic() - started < 2
            assert "all 2 connections" in one_line(caught.value)
            with pytest.raises(StorageBusy) as answered:
                await asyncio.wait_for(engine.answer_daily(
                    sam.id, question, question.example_answer, key="busy"), 10)
            assert "busy right now" in answered.value.user_message
            assert await holdings(admin, sam.id) == NOTHING
        finally:
            go.set()
        await asyncio.gather(*holders)
        await engine.answer_daily(sam.id, question, question.example_answer, key="busy")
        assert await holdings(admin, sam.id) == answered_once(clock.now.date())


async def test_a_lock_held_elsewhere_fails_a_write_within_the_wait_not_never(
        database: str, admin: asyncpg.Connection, bank: Bank, clock: FakeClock):
    """Injects: another client holding a lock on the answers table (as a stuck session or a
    long job would) past the wait. Holds: an answer fails with StorageBusy within the wait
    (PostgreSQL's own lock wait is unbounded) and stores nothing; then answers work."""
    async with Store(database, busy_timeout_ms=500) as store:
        engine = engine_on(store, bank, clock)
        sam = await store.people.for_local("sam")
        question = bank.questions[0]
        async with admin.transaction():
            await admin.execute("LOCK TABLE answers IN EXCLUSIVE MODE")
            started = time.monotonic()
            with pytest.raises(StorageBusy) as caught:
                await asyncio.wait_for(engine.answer_daily(
                    sam.id, question, question.example_answer, key="locked"), 10)
            assert time.monotonic() - started < 2
            assert "held what this needed for longer than 0.5 s" in one_line(caught.value)
            assert "try again" in one_line(caught.value)
            assert type(caught.value) is StorageBusy  # not "unreachable": it is busy
        assert await holdings(admin, sam.id) == NOTHING
        await engine.answer_daily(sam.id, question, question.example_answer, key="locked")
        assert await holdings(admin, sam.id) == answered_once(clock.now.date())


# -- 4. serialization failures ----------------------------------------------------------------

async def test_two_processes_answering_for_one_person_lose_nothing(
        database: str, admin: asyncpg.Connection, bank: Bank, clock: FakeClock,
        caplog: pytest.LogCaptureFixture):
    """Injects: two stores (two pools, as two bot processes) storing 24 answers for one
    person at once, each under its own key, on the same day: their transactions read and
    update the same day, period and streak rows. Holds: every answer is stored, and the
    day's and periods' counts and score sums are exactly the 24 answers' (no update lost to
    a race); the streak is one day. PostgreSQL refused some commits, which ran again."""
    caplog.set_level("DEBUG", logger="bot.storage.postgres")
    # A long wait: this is about what is stored, not how fast (24 at once on one person's
    # rows take 1-3 s of retries here, closer to the usual 5 s wait on a loaded machine).
    async with (Store(database, busy_timeout_ms=20_000) as one,
                Store(database, busy_timeout_ms=20_000) as two):
        sam = await one.people.for_local("sam")
        engines = [engine_on(one, bank, clock), engine_on(two, bank, clock)]
        questions = bank.questions[:24]  # one card each: only the day, periods, streak shared
        results = await asyncio.gather(*(
            engines[i % 2].answer_daily(sam.id, q, q.example_answer, key=f"k{i}")
            for i, q in enumerate(questions)))
    assert not any(r.duplicate for r in results)
    assert await holdings(admin, sam.id) == answered_once(clock.now.date(), answers=24)
    scores = sum(r.feedback.score for r in results)
    assert await admin.fetchval("SELECT score_sum FROM practice_days") == scores
    assert {r[0] for r in await admin.fetch("SELECT score_sum FROM period_totals")} == {scores}
    assert any("trying again" in r.getMessage() for r in caplog.records)  # there was a race


async def test_one_persons_answers_to_one_question_at_once_review_the_card_in_turn(
        database: str, admin: asyncpg.Connection, bank: Bank, clock: FakeClock,
        monkeypatch: pytest.MonkeyPatch):
    """Injects: two stores (as two bot processes) storing 12 answers of one person to one
    question at once: each reads the review card, computes the next one and writes it.
    Holds: the stored card is the review applied 12 times in turn, and it counts 12 reviews:
    no answer's review is lost to another's written over it. (The answer's write runs at
    REPEATABLE READ: a card changed since its snapshot fails it and it is computed again.
    At READ COMMITTED this fails.)"""
    monkeypatch.setattr(engine_module, "MAX_WRITE_TRIES", 100)  # 12 on one row: many turns
    async with (Store(database, busy_timeout_ms=20_000) as one,
                Store(database, busy_timeout_ms=20_000) as two):
        sam = await one.people.for_local("sam")
        engines = [engine_on(one, bank, clock), engine_on(two, bank, clock)]
        question = bank.questions[0]
        results = await asyncio.gather(*(
            engines[i % 2].answer_daily(sam.id, question, question.example_answer,
                                        key=f"k{i}") for i in range(12)))
    assert not any(r.duplicate for r in results)
    card = None
    for r in results:  # every answer has the same score at the same moment: order is moot
        card, _ = review.review(card, r.feedback.score, clock.now)
    row = await admin.fetchrow("SELECT card, reviews FROM review_cards")
    assert row["reviews"] == 12
    assert row["card"] == card


@pytest.mark.parametrize("error", [asyncpg.SerializationError, asyncpg.DeadlockDetectedError])
async def test_a_write_refused_for_a_conflict_runs_again_and_commits_once(
        store: Store, admin: asyncpg.Connection, error: type[Exception],
        caplog: pytest.LogCaptureFixture):
    """Injects: a write whose first run fails with a serialization failure (or a deadlock)
    after it has inserted a row. Holds: it runs again from the start and commits once; the
    failed run was rolled back before its connection went back to the pool (else asyncpg
    resets it there and complains of "an active transaction")."""
    runs = 0

    async def work(tx: Tx) -> int:
        nonlocal runs
        runs += 1
        await tx.execute("INSERT INTO guild_settings (guild_id, updated_at) VALUES (?, ?)",
                         (7, f"run {runs}"))
        if runs == 1:
            raise error("could not serialize access due to concurrent update")
        return runs

    assert await store.db.write(work) == 2
    assert [tuple(r) for r in await admin.fetch("SELECT guild_id, updated_at FROM "
                                                "guild_settings")] == [(7, "run 2")]
    assert "active transaction" not in caplog.text


async def test_a_write_refused_at_its_commit_runs_again(store: Store,
                                                        admin: asyncpg.Connection):
    """Injects: two SERIALIZABLE writes, each reading what the other inserts (write skew):
    PostgreSQL refuses the second at its COMMIT, not at a statement. Holds: that write runs
    again from the start and commits once."""
    runs = {1: 0, 2: 0}
    read = {1: asyncio.Event(), 2: asyncio.Event()}
    wrote = {1: asyncio.Event(), 2: asyncio.Event()}
    first_done = asyncio.Event()

    def work(me: int, other: int) -> Callable[[Tx], Awaitable[int]]:
        async def run(tx: Tx) -> int:
            runs[me] += 1
            await tx.fetch_all("SELECT guild_id FROM guild_settings WHERE guild_id = ?",
                               (other,))
            if runs[me] == 1:
                read[me].set()
                await read[other].wait()
            await tx.execute("INSERT INTO guild_settings (guild_id, updated_at) VALUES (?, ?) "
                             "ON CONFLICT (guild_id) DO NOTHING", (me, f"run {runs[me]}"))
            if runs[me] == 1:
                wrote[me].set()
                await wrote[other].wait()
                if me == 2:  # commits after the first has
                    await first_done.wait()
            return runs[me]
        return run

    one = asyncio.ensure_future(store.db.write(work(1, 2)))
    two = asyncio.ensure_future(store.db.write(work(2, 1)))
    assert await one == 1
    first_done.set()
    assert await two == 2
    assert sorted(tuple(r) for r in await admin.fetch(
        "SELECT guild_id, updated_at FROM guild_settings")) == [(1, "run 1"), (2, "run 2")]


# -- 5. a connection lost during COMMIT -------------------------------------------------------

@pytest.mark.parametrize("forward", [True, False], ids=["commit made", "commit never sent"])
async def test_a_connection_lost_during_commit_is_not_run_again(
        database: str, admin: asyncpg.Connection, bank: Bank, clock: FakeClock,
        monkeypatch: pytest.MonkeyPatch, forward: bool):
    """Injects: the connection cut while an answer's COMMIT is on its way: the server got it
    and committed but its reply never arrived, or it never got there. Holds: the answer
    fails with StorageUnreachable that says it may or may not have been saved, and is not
    run again by itself (PeerPrep can't know which); the trainee's second send of the same
    answer (the same submission key) stores it exactly once."""
    async with Proxy(database) as proxy, Store(proxy.url, busy_timeout_ms=2000) as store:
        engine = engine_on(store, bank, clock)
        sam = await store.people.for_local("sam")
        question = bank.questions[0]
        runs = watch_writes(store, monkeypatch)
        trap = proxy.cut_at_commit(forward=forward)
        with pytest.raises(StorageUnreachable) as caught:
            await engine.answer_daily(sam.id, question, question.example_answer, key="once")
        assert trap.sprung.is_set() and len(runs) == 1
        assert "may or may not have been saved" in one_line(caught.value)
        assert "never stored twice" in caught.value.user_message
        assert await holdings(admin, sam.id) == (
            answered_once(clock.now.date()) if forward else NOTHING)

        again = await engine.answer_daily(sam.id, question, question.example_answer,
                                          key="once")
        assert again.duplicate is forward
        assert await holdings(admin, sam.id) == answered_once(clock.now.date())


async def test_a_connection_closed_before_commit_is_run_again(
        store: Store, admin: asyncpg.Connection):
    """Injects: a write's connection closed after its last statement, before its COMMIT is
    sent. Holds: nothing can have been written, so the write runs again on another
    connection and commits once."""
    runs = 0

    async def work(tx: Any) -> int:
        nonlocal runs
        runs += 1
        await tx.execute("INSERT INTO guild_settings (guild_id, updated_at) VALUES (?, ?)",
                         (7, f"run {runs}"))
        if runs == 1:
            tx.conn.terminate()
        return runs

    assert await store.db.write(work) == 2
    assert [tuple(r) for r in await admin.fetch("SELECT guild_id, updated_at FROM "
                                                "guild_settings")] == [(7, "run 2")]


# -- what must never hang or leak -------------------------------------------------------------

async def test_closing_while_a_read_is_under_way_lets_it_finish(
        database: str, admin: asyncpg.Connection):
    """Injects: close() while a read waits on the server. Holds: the read returns its rows,
    its connection goes back to the pool, and close() then ends at once (not after its own
    wait)."""
    store = Store(database, busy_timeout_ms=3000)
    await store.db.open()
    async with admin.transaction():
        await admin.execute("SELECT pg_advisory_xact_lock(42)")
        read = asyncio.create_task(store.db.fetch_one(
            "SELECT 7 AS seven FROM (SELECT pg_advisory_lock_shared(42)) AS waited"))
        await wait_until(lambda: admin.fetchval(
            "SELECT COUNT(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE NOT l.granted AND a.application_name = $1", app_name(database)))
        closing = asyncio.create_task(store.db.close())
        await asyncio.sleep(0)  # close() has let go of the pool and waits for the read
        assert store.db._pool is None and not closing.done()
    released = time.monotonic()
    assert (await read)["seven"] == 7
    await closing
    assert time.monotonic() - released < 1


async def test_closing_waits_for_a_write_under_way_to_commit_whole(
        database: str, admin: asyncpg.Connection):
    """Injects: close() while a write is in the middle of its transaction, for longer than
    the store's wait. Holds: close() waits; the write commits whole; then close() ends."""
    store = Store(database, busy_timeout_ms=200)
    await store.db.open()
    go, begun = asyncio.Event(), asyncio.Event()

    async def work(tx: Tx) -> str:
        await tx.execute("INSERT INTO guild_settings (guild_id, updated_at) VALUES (1, 'a')")
        begun.set()
        await go.wait()
        await tx.execute("INSERT INTO guild_settings (guild_id, updated_at) VALUES (2, 'b')")
        return "done"

    write = asyncio.create_task(store.db.write(work))
    await begun.wait()
    closing = asyncio.create_task(store.db.close())
    done, _ = await asyncio.wait({closing}, timeout=5 * store.db.wait_seconds)
    assert not done  # not given up on (or the pool ended) after its wait
    go.set()
    assert await write == "done"
    await closing
    assert await admin.fetchval("SELECT COUNT(*) FROM guild_settings") == 2


async def test_a_mistake_in_a_statement_fails_at_once_and_is_not_called_unreachable(
        store: Store):
    """Injects: a statement given more parameters than it has (a mistake in PeerPrep, which
    asyncpg reports as an InterfaceError on a healthy connection). Holds: it fails at once,
    as what it is, not after retrying for the whole wait as a lost connection."""
    started = time.monotonic()
    with pytest.raises(StorageError) as caught:
        await store.db.write(lambda tx: tx.conn.execute("SELECT $1::int", 1, 2))
    assert not isinstance(caught.value, StorageBusy)  # neither busy nor unreachable
    assert "expects 1 argument" in one_line(caught.value)
    assert time.monotonic() - started < 1
    assert await store.db.fetch_one("SELECT 1 AS one") is not None  # the pool still serves


async def test_a_refused_row_is_not_quoted_in_the_error_or_its_traceback(
        store: Store, bank: Bank, clock: FakeClock, monkeypatch: pytest.MonkeyPatch):
    """Injects: a coaching bug scoring an answer 101, which the answers table's CHECK
    refuses. PostgreSQL's error then says "Failing row contains (...)", the answer's text
    among the values; SQLite's names only the constraint. Holds: neither the StorageError
    nor the traceback a log would print (its causes included) holds the answer."""
    coached = engine_module.give_feedback
    monkeypatch.setattr(engine_module, "give_feedback",
                        lambda *a, **k: dataclasses.replace(coached(*a, **k), score=101))
    sam = await store.people.for_local("sam")
    private = "I would tell them about my own relapse in 2019 and the shelter on Hope Street"
    with pytest.raises(StorageError) as caught:
        await engine_on(store, bank, clock).answer_daily(sam.id, bank.questions[0], private,
                                                         key="d:1")
    told = "".join(traceback.format_exception(caught.value))
    assert "check constraint" in told  # the error itself is there, for the operator
    assert "relapse" not in told and "Hope Street" not in told, told
    assert await store.db.fetch_one("SELECT id FROM answers") is None


async def test_the_stores_wait_is_postgresqls_lock_timeout_unless_the_url_sets_one(
        database: str):
    async with Store(database, busy_timeout_ms=1500) as store:
        assert (await store.db.fetch_one("SHOW lock_timeout"))[0] == "1500ms"
    async with Store(postgres.with_setting(database, "lock_timeout", "250")) as store:
        assert (await store.db.fetch_one("SHOW lock_timeout"))[0] == "250ms"


def with_a_slow_migration(tmp_path: Path, seconds: float) -> tuple[Path, int]:
    """PeerPrep's migrations and one more that takes ``seconds``: (their folder, how many)."""
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, folder)
    latest = len(migrations(MIGRATIONS_DIR)) + 1
    (folder / f"{latest:03d}_later.sql").write_text(
        f"CREATE TABLE later_things (id INTEGER PRIMARY KEY);\nSELECT pg_sleep({seconds});\n")
    return folder, latest


async def test_processes_starting_together_wait_for_each_others_migrations(
        database: str, tmp_path: Path):
    """Injects: two stores opening a new database at once, their wait (300 ms) far shorter
    than the migrations take (one of them sleeps 1 s). Holds: the one that waits for the
    other's migrations waits as long as they take (no lock_timeout there), and both open."""
    slow, latest = with_a_slow_migration(tmp_path, 1)
    stores = [Store(database, busy_timeout_ms=300, migrations_dir=slow) for _ in range(2)]
    try:
        await asyncio.gather(*(s.db.open() for s in stores))
        assert [await s.db.version() for s in stores] == [latest] * 2
    finally:
        for s in stores:
            await s.db.close()


async def test_an_older_peerprep_starting_during_a_newer_ones_migration_is_refused(
        database: str, tmp_path: Path):
    """Injects: a newer PeerPrep (one more migration, which takes a while) migrating when an
    older one starts: the older one's first look finds the version it knows. Holds: it
    waits for the migration lock, looks again there, and refuses with SchemaTooNew instead
    of running on a schema it does not know."""
    newer, known = with_a_slow_migration(tmp_path, 1.5)
    latest = known - 1
    async with Store(database):  # migrated up to what this PeerPrep knows
        pass
    newer_peerprep = Store(database, migrations_dir=newer)
    upgrading = asyncio.ensure_future(newer_peerprep.db.open())
    admin = await asyncpg.connect(database)
    try:
        await wait_until(lambda: admin.fetchval(  # the newer one holds the migration lock
            "SELECT COUNT(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = $1",
            app_name(database)))
        older = Store(database)
        with pytest.raises(SchemaTooNew, match=f"newer than this PeerPrep knows \\(it knows "
                                               f"up to {latest}\\)"):
            await older.db.open()
    finally:
        await admin.close()
        await upgrading
        await newer_peerprep.db.close()


@pytest.mark.parametrize(("setting", "error", "why"), [
    ("sslmode=bogus", CannotOpen, "`sslmode` parameter must be one of"),
    ("lock_timeout=soon", StorageError, 'invalid value for parameter "lock_timeout"')])
async def test_a_url_with_a_setting_that_cannot_work_fails_to_open_as_a_storage_error(
        database: str, setting: str, error: type[StorageError], why: str):
    """Injects: a DATABASE_URL with a setting asyncpg or the server refuses. Holds: opening
    fails with a StorageError that says why (what start-up reports in one line), not
    asyncpg's own exception."""
    with pytest.raises(error) as caught:
        await Store(postgres.with_setting(database, *setting.split("="))).db.open()
    assert why in one_line(caught.value)


async def wait_until(condition: Callable[[], Awaitable[Any]], timeout: float = 10) -> None:
    """Until ``condition()`` holds: for what only the server knows (a lock being waited on),
    which no event of ours can tell."""
    async with asyncio.timeout(timeout):
        while not await condition():  # noqa: ASYNC110 (the state is the server's)
            await asyncio.sleep(0.02)
