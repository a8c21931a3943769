"""The storage layer: every SQL statement in PeerPrep lives in this package.

``Store`` is the narrow interface the rest of the code uses; a PostgreSQL backend would
provide the same repositories.
"""

from __future__ import annotations

from pathlib import Path

from bot.paths import MIGRATIONS_DIR
from bot.storage.cohorts import Cohort, CohortExists, Cohorts, MemberReport, Standing
from bot.storage.daily import Daily, DailyPost, DailySchedule
from bot.storage.database import (
    BUSY_TIMEOUT_MS,
    CannotOpen,
    Database,
    MigrationError,
    SchemaTooNew,
    StorageBusy,
    StorageDamaged,
    StorageError,
    StorageFull,
    StorageReadOnly,
)
from bot.storage.guilds import Guilds, GuildSettings
from bot.storage.interviews import Interviews
from bot.storage.people import People, Person
from bot.storage.progress import (
    AnswerNotCurrent,
    InterviewGone,
    NewAnswer,
    Progress,
    StoredAnswer,
)


class Store:
    """The database and its repositories; open with ``async with Store(path) as store``."""

    def __init__(self, path: Path | str, *, migrations_dir: Path = MIGRATIONS_DIR,
                 busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.db = Database(path, migrations_dir=migrations_dir, busy_timeout_ms=busy_timeout_ms)
        self.people = People(self.db)
        self.guilds = Guilds(self.db)
        self.interviews = Interviews(self.db)
        self.progress = Progress(self.db)
        self.daily = Daily(self.db)
        self.cohorts = Cohorts(self.db)

    async def __aenter__(self) -> Store:
        await self.db.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.db.close()


__all__ = [
    "AnswerNotCurrent",
    "CannotOpen",
    "Cohort",
    "CohortExists",
    "Cohorts",
    "Daily",
    "DailyPost",
    "DailySchedule",
    "Database",
    "GuildSettings",
    "Guilds",
    "InterviewGone",
    "MemberReport",
    "MigrationError",
    "NewAnswer",
    "People",
    "Person",
    "SchemaTooNew",
    "Standing",
    "StorageBusy",
    "StorageDamaged",
    "StorageError",
    "StorageFull",
    "StorageReadOnly",
    "Store",
    "StoredAnswer",
]
