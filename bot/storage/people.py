"""People: Discord users and terminal practisers, their settings, export and deletion."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.clock import to_text, utcnow
from bot.storage.codec import Codec
from bot.storage.database import Database


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    discord_user_id: int | None
    local_name: str | None
    timezone: str | None
    hide_leaderboards: bool


def _person(row: Any) -> Person:
    return Person(row["id"], row["discord_user_id"], row["local_name"], row["timezone"],
                  bool(row["hide_leaderboards"]))


class People:
    def __init__(self, db: Database, codec: Codec | None = None) -> None:
        self.db = db
        self.codec = codec or Codec()  # answer text and feedback at rest (codec.py)

    async def for_discord(self, user_id: int) -> Person:
        """The person for a Discord user, created on first contact."""
        return await self._get_or_create("discord_user_id", user_id)

    async def for_local(self, name: str) -> Person:
        return await self._get_or_create("local_name", name)

    async def find_local(self, name: str) -> Person | None:
        """The terminal practiser called ``name``, if there is one (never created here)."""
        row = await self.db.fetch_one("SELECT * FROM people WHERE local_name = ?", (name,))
        return _person(row) if row else None

    async def find_discord(self, user_id: int) -> Person | None:
        row = await self.db.fetch_one("SELECT * FROM people WHERE discord_user_id = ?", (user_id,))
        return _person(row) if row else None

    async def get(self, person_id: int) -> Person | None:
        row = await self.db.fetch_one("SELECT * FROM people WHERE id = ?", (person_id,))
        return _person(row) if row else None

    async def _get_or_create(self, column: str, value: object) -> Person:
        sql = f"SELECT * FROM people WHERE {column} = ?"  # column is one of two constants
        row = await self.db.fetch_one(sql, (value,))
        if row is None:
            async with self.db.transaction() as conn:
                await conn.execute(
                    f"INSERT INTO people ({column}, created_at) VALUES (?, ?) "
                    f"ON CONFLICT DO NOTHING", (value, to_text(utcnow())),
                )
            row = await self.db.fetch_one(sql, (value,))
        assert row is not None
        return _person(row)

    async def set_timezone(self, person_id: int, timezone: str | None) -> None:
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE people SET timezone = ? WHERE id = ?", (timezone, person_id))

    async def set_hidden(self, person_id: int, hidden: bool) -> None:
        async with self.db.transaction() as conn:
            await conn.execute("UPDATE people SET hide_leaderboards = ? WHERE id = ?",
                               (int(hidden), person_id))

    async def delete(self, person_id: int) -> None:
        """Remove everything about a person: answers, cards, streaks, interviews, memberships."""
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM people WHERE id = ?", (person_id,))

    async def export(self, person_id: int) -> dict[str, Any]:
        """Everything stored about a person, as plain JSON-ready data."""
        out: dict[str, Any] = {}
        queries = {
            "person": "SELECT * FROM people WHERE id = ?",
            "interviews": "SELECT * FROM interviews WHERE person_id = ? ORDER BY id",
            "answers": "SELECT * FROM answers WHERE person_id = ? ORDER BY id",
            "review_cards": "SELECT * FROM review_cards WHERE person_id = ? ORDER BY question_id",
            "practice_days": "SELECT * FROM practice_days WHERE person_id = ? ORDER BY day",
            "streak": "SELECT * FROM streaks WHERE person_id = ?",
            "cohorts": "SELECT c.guild_id, c.name, m.joined_at FROM cohort_members m "
                       "JOIN cohorts c ON c.id = m.cohort_id WHERE m.person_id = ?",
        }
        for key, sql in queries.items():
            rows = [dict(r) for r in await self.db.fetch_all(sql, (person_id,))]
            for row in rows:
                if key == "answers":  # stored encrypted when DATA_ENCRYPTION_KEY is set
                    row["text"] = self.codec.open(row["text"], "text")
                    row["feedback"] = self.codec.open(row["feedback"], "feedback")
                for field in ("feedback", "card"):
                    if isinstance(row.get(field), str):
                        row[field] = json.loads(row[field])
            out[key] = rows[0] if key in ("person", "streak") and rows else rows
        return out
