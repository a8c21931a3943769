"""The storage layer: every SQL statement in PeerPrep lives in this package.

``Store`` is the narrow interface the rest of the code uses: its repositories run the same
SQL on SQLite (a file, the default) or PostgreSQL (``DATABASE_URL``; ``postgres.py``).
"""

from __future__ import annotations

from pathlib import Path

from bot.clock import to_text, utcnow

# The core's records, also importable from here by the front ends that already do.
from bot.core.records import (
    AnswerNotCurrent,
    Cohort,
    CohortExists,
    DailyPost,
    DailySchedule,
    FollowUpNotCurrent,
    GuildSettings,
    InterviewGone,
    InterviewTakenOver,
    MemberReport,
    NotYours,
    OwnAnswer,
    Person,
    Standing,
    StoredAnswer,
    StoredFollowUp,
)
from bot.paths import MIGRATIONS_DIR
from bot.storage.answers import Answers
from bot.storage.codec import Codec, EncryptionKeyError
from bot.storage.cohorts import Cohorts
from bot.storage.connection import BUSY_TIMEOUT_MS, Database
from bot.storage.daily import Daily
from bot.storage.errors import (
    CannotOpen,
    MigrationError,
    SchemaTooNew,
    StorageBusy,
    StorageDamaged,
    StorageError,
    StorageFull,
    StorageReadOnly,
)
from bot.storage.guilds import Guilds
from bot.storage.interviews import Interviews
from bot.storage.people import People
from bot.storage.postgres import PostgresDatabase, is_postgres_url
from bot.storage.sql import Tx


class Store:
    """The database and its repositories; open with ``async with Store(where) as store``.

    ``where`` is an SQLite file's path, or a ``postgresql://`` URL (``pool_size``: how many
    connections it may open)."""

    db: Database | PostgresDatabase

    def __init__(self, where: Path | str, *, migrations_dir: Path = MIGRATIONS_DIR,
                 busy_timeout_ms: int = BUSY_TIMEOUT_MS, pool_size: int | None = None) -> None:
        if is_postgres_url(where):
            self.db = PostgresDatabase(str(where), migrations_dir=migrations_dir,
                                       wait_seconds=busy_timeout_ms / 1000,
                                       **({"pool_size": pool_size} if pool_size else {}))
        else:
            self.db = Database(where, migrations_dir=migrations_dir,
                               busy_timeout_ms=busy_timeout_ms)
        # Seals answer text and feedback once unlock() is given a key; plain until then.
        self.codec = Codec()
        self.people = People(self.db, self.codec)
        self.guilds = Guilds(self.db)
        self.interviews = Interviews(self.db, self.codec)
        self.answers = Answers(self.db, self.codec)
        self.progress = self.answers  # the older name: the answers and what they feed
        self.daily = Daily(self.db)
        self.cohorts = Cohorts(self.db)

    async def __aenter__(self) -> Store:
        await self.db.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.db.close()

    async def unlock(self, key: bytes | None) -> int:
        """Use ``key`` (DATA_ENCRYPTION_KEY, or None) for answer text and feedback, after
        checking it against the database: EncryptionKeyError when the database is encrypted
        and the key is missing or another. The first start with a key encrypts the answers
        already stored; returns how many."""
        self.codec.use(key)
        row = await self.db.fetch_one("SELECT key_check FROM encryption WHERE id = 1")
        if row is not None:
            self.codec.verify(row["key_check"])  # also raises when there is no key
            return 0
        if key is None:
            return 0
        return await self.recode(Codec(None), key, first=True)

    async def recode(self, old: Codec, key: bytes | None, *, first: bool = False) -> int:
        """Re-encrypt every answer's text and feedback from ``old`` to ``key`` (None: back
        to plain text), with the key check, in one transaction: a failure changes nothing.
        Old copies are overwritten (secure_delete) and the WAL is emptied afterwards.

        ``first``: the first encryption, from plain text. Several processes starting with
        the key at once each try it; the write checks in its transaction that no other has
        done it meanwhile (then it only checks the key, and encrypts nothing)."""
        new = Codec(key)
        check = new.key_check()

        async def work(tx: Tx) -> int:
            if first:
                done_elsewhere = await tx.fetch_one(
                    "SELECT key_check FROM encryption WHERE id = 1")
                if done_elsewhere is not None:
                    new.verify(done_elsewhere["key_check"])
                    return 0
            done, last = 0, 0
            while rows := await tx.fetch_all(
                    "SELECT id, text, feedback FROM answers WHERE id > ? ORDER BY id LIMIT 500",
                    (last,)):
                await tx.execute_many(
                    "UPDATE answers SET text = ?, feedback = ? WHERE id = ?",
                    [(new.seal(old.open(r[1], "text"), "text"),
                      new.seal(old.open(r[2], "feedback"), "feedback"), r[0]) for r in rows])
                done, last = done + len(rows), rows[-1][0]
            follow_ups = await tx.fetch_all("SELECT interview_id, position, text, "
                                            "feedback FROM interview_follow_ups")
            await tx.execute_many(
                "UPDATE interview_follow_ups SET text = ?, feedback = ? "
                "WHERE interview_id = ? AND position = ?",
                [(new.seal(old.open(r[2], "text"), "text"),
                  new.seal(old.open(r[3], "feedback"), "feedback"), r[0], r[1])
                 for r in follow_ups])
            if check is None:
                await tx.execute("DELETE FROM encryption")
            else:
                await tx.execute(
                    "INSERT INTO encryption (id, key_check, updated_at) VALUES (1, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET key_check = excluded.key_check, "
                    "updated_at = excluded.updated_at", (check, to_text(utcnow())))
            return done

        # Run at start-up or from the command line, before anything else uses the store.
        if isinstance(self.db, Database):  # old copies overwritten, whatever the build's default
            await self.db.conn.execute("PRAGMA secure_delete = ON")
        done = await self.db.write(work)
        self.codec.use(key)
        await self.db.checkpoint()
        return done


__all__ = [
    "AnswerNotCurrent",
    "Answers",
    "CannotOpen",
    "Codec",
    "Cohort",
    "CohortExists",
    "Cohorts",
    "Daily",
    "DailyPost",
    "DailySchedule",
    "Database",
    "EncryptionKeyError",
    "FollowUpNotCurrent",
    "GuildSettings",
    "Guilds",
    "InterviewGone",
    "InterviewTakenOver",
    "MemberReport",
    "MigrationError",
    "NotYours",
    "OwnAnswer",
    "People",
    "Person",
    "PostgresDatabase",
    "SchemaTooNew",
    "Standing",
    "StorageBusy",
    "StorageDamaged",
    "StorageError",
    "StorageFull",
    "StorageReadOnly",
    "Store",
    "StoredAnswer",
    "StoredFollowUp",
]
