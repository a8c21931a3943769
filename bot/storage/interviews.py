"""Interviews and their questions. State changes are guarded by position, so a double click
(two "Next" presses for the same question) moves the interview once."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from bot.clock import from_text, to_text, utcnow
from bot.interview.model import Interview, Outcome, Status
from bot.storage.database import Database

# An interview and its questions in one query (one round trip to the database thread).
SELECT_INTERVIEW = (
    "SELECT i.*, (SELECT json_group_array(json_array(question_id, outcome)) FROM "
    "(SELECT question_id, outcome FROM interview_questions q WHERE q.interview_id = i.id "
    "ORDER BY position)) AS questions FROM interviews i"
)


_OUTCOMES = {outcome.value: outcome for outcome in Outcome}  # a dict is faster than Outcome()


def interview_from_row(row: sqlite3.Row) -> Interview:
    """The Interview of a row of ``SELECT_INTERVIEW``."""
    questions = json.loads(row["questions"])
    return Interview(
        id=row["id"], person_id=row["person_id"], bank=row["bank"], topic=row["topic"],
        status=Status(row["status"]), position=row["position"], attempt=row["attempt"],
        place=row["place"], guild_id=row["guild_id"], channel_id=row["channel_id"],
        question_ids=tuple(q for q, _ in questions),
        outcomes=tuple(_OUTCOMES[o] for _, o in questions),
        started_at=from_text(row["started_at"]), updated_at=from_text(row["updated_at"]),
    )


class Interviews:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self, person_id: int, bank: str, topic: str | None, question_ids: Sequence[str],
        place: str, guild_id: int | None = None, channel_id: int | None = None,
    ) -> tuple[Interview, list[int]]:
        """A new active interview; any interview the person still had open is stopped first.
        Returns the interview and the ids of interviews it stopped."""
        now = to_text(utcnow())
        async with self.db.transaction() as conn:
            async with conn.execute(
                "SELECT id FROM interviews WHERE person_id = ? AND status = 'active'", (person_id,),
            ) as cursor:
                stopped = [r[0] for r in await cursor.fetchall()]
            await conn.execute(
                "UPDATE interviews SET status = 'stopped', ended_at = ?, updated_at = ? "
                "WHERE person_id = ? AND status = 'active'", (now, now, person_id),
            )
            cursor = await conn.execute(
                "INSERT INTO interviews (person_id, bank, topic, place, guild_id, channel_id, "
                "started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (person_id, bank, topic, place, guild_id, channel_id, now, now),
            )
            interview_id = cursor.lastrowid
            await conn.executemany(
                "INSERT INTO interview_questions (interview_id, position, question_id) "
                "VALUES (?, ?, ?)",
                [(interview_id, i, q) for i, q in enumerate(question_ids)],
            )
        created = await self.get(int(interview_id or 0))
        assert created is not None
        return created, stopped

    async def get(self, interview_id: int) -> Interview | None:
        row = await self.db.fetch_one(f"{SELECT_INTERVIEW} WHERE i.id = ?", (interview_id,))
        return interview_from_row(row) if row else None

    async def active_for(self, person_id: int) -> Interview | None:
        row = await self.db.fetch_one(
            f"{SELECT_INTERVIEW} WHERE i.person_id = ? AND i.status = 'active' "
            "ORDER BY i.updated_at DESC LIMIT 1", (person_id,),
        )
        return interview_from_row(row) if row else None

    async def recent(self, person_id: int, limit: int = 10) -> list[tuple[Interview, int | None]]:
        """Recent interviews, newest first, each with its average latest-attempt score."""
        rows = await self.db.fetch_all(
            "SELECT id FROM interviews WHERE person_id = ? ORDER BY started_at DESC, id DESC "
            "LIMIT ?", (person_id, limit),
        )
        out = []
        for row in rows:
            interview = await self.get(row["id"])
            if interview is None:
                continue
            out.append((interview, await self._average(row["id"])))
        return out

    async def _average(self, interview_id: int) -> int | None:
        row = await self.db.fetch_one(
            "SELECT ROUND(AVG(score)) AS avg FROM answers WHERE crisis = 0 AND id IN ("
            "SELECT MAX(id) FROM answers WHERE interview_id = ? GROUP BY question_id)",
            (interview_id,),
        )
        return int(row["avg"]) if row and row["avg"] is not None else None

    async def move(
        self, interview_id: int, *, expect_position: int, expect_attempt: int | None = None,
        position: int | None = None,
        attempt: int | None = None, outcome: Outcome | None = None, status: Status | None = None,
    ) -> bool:
        """Change an active interview that still stands at ``expect_position`` (and attempt).

        ``outcome`` applies to the question at ``expect_position``. Returns False (changing
        nothing) when the interview has moved on or ended: the second click of a double click.
        """
        now = to_text(utcnow())
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE interviews SET position = COALESCE(?, position), "
                "attempt = COALESCE(?, attempt), status = COALESCE(?, status), updated_at = ?, "
                "ended_at = CASE WHEN ? IS NOT NULL THEN ? ELSE ended_at END "
                "WHERE id = ? AND status = 'active' AND position = ? "
                "AND attempt = COALESCE(?, attempt)",
                (position, attempt, status, now, status if status is not Status.ACTIVE else None,
                 now, interview_id, expect_position, expect_attempt),
            )
            if cursor.rowcount == 0:
                return False
            if outcome is not None:
                await conn.execute(
                    "UPDATE interview_questions SET outcome = ? "
                    "WHERE interview_id = ? AND position = ?",
                    (outcome, interview_id, expect_position),
                )
        return True

    async def relocate(self, interview_id: int, place: str, channel_id: int | None
                       ) -> Interview | None:
        """Move an active interview somewhere else (its first question could not be shown
        where it was meant to be); None if it is no longer active."""
        now = to_text(utcnow())
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE interviews SET place = ?, channel_id = ?, updated_at = ? "
                "WHERE id = ? AND status = 'active'", (place, channel_id, now, interview_id),
            )
            moved = cursor.rowcount > 0
        return await self.get(interview_id) if moved else None

    async def stop(self, interview_id: int) -> bool:
        now = to_text(utcnow())
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE interviews SET status = 'stopped', ended_at = ?, updated_at = ? "
                "WHERE id = ? AND status = 'active'", (now, now, interview_id),
            )
            return cursor.rowcount > 0
