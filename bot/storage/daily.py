"""Daily schedules and posts. A claim row with UNIQUE (guild_id, post_date) decides which
process posts each local day, even with two bots on one database."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.clock import from_text, to_text
from bot.storage.database import Database

# A claim older than this that never became a post (its process died) may be taken over.
STALE_CLAIM = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class DailySchedule:
    guild_id: int
    channel_id: int
    local_time: str
    timezone: str
    topic: str | None
    ping_role_id: int | None
    discussion_thread: bool
    paused: bool
    problem: str | None
    next_due_at: datetime


@dataclass(frozen=True, slots=True)
class DailyPost:
    id: int
    guild_id: int
    post_date: date
    question_id: str
    status: str
    channel_id: int | None
    message_id: int | None
    error: str | None
    claimed_at: datetime


def _schedule(row: sqlite3.Row) -> DailySchedule:
    return DailySchedule(
        row["guild_id"], row["channel_id"], row["local_time"], row["timezone"], row["topic"],
        row["ping_role_id"], bool(row["discussion_thread"]), bool(row["paused"]), row["problem"],
        from_text(row["next_due_at"]),
    )


def _post(row: sqlite3.Row) -> DailyPost:
    return DailyPost(row["id"], row["guild_id"], date.fromisoformat(row["post_date"]),
                     row["question_id"], row["status"], row["channel_id"], row["message_id"],
                     row["error"], from_text(row["claimed_at"]))


class Daily:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def save_schedule(self, s: DailySchedule, now: datetime) -> None:
        await self.db.write(lambda conn: conn.execute(
            "INSERT INTO daily_schedules (guild_id, channel_id, local_time, timezone, topic, "
            "ping_role_id, discussion_thread, paused, problem, next_due_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET "
            "channel_id = excluded.channel_id, local_time = excluded.local_time, "
            "timezone = excluded.timezone, topic = excluded.topic, "
            "ping_role_id = excluded.ping_role_id, "
            "discussion_thread = excluded.discussion_thread, paused = excluded.paused, "
            "problem = excluded.problem, next_due_at = excluded.next_due_at, "
            "updated_at = excluded.updated_at",
            (s.guild_id, s.channel_id, s.local_time, s.timezone, s.topic, s.ping_role_id,
             int(s.discussion_thread), int(s.paused), s.problem, to_text(s.next_due_at),
             to_text(now)),
        ))

    async def schedule(self, guild_id: int) -> DailySchedule | None:
        row = await self.db.fetch_one("SELECT * FROM daily_schedules WHERE guild_id = ?",
                                      (guild_id,))
        return _schedule(row) if row else None

    async def due(self, now: datetime, limit: int = 500) -> list[DailySchedule]:
        rows = await self.db.fetch_all(
            "SELECT * FROM daily_schedules WHERE paused = 0 AND next_due_at <= ? "
            "ORDER BY next_due_at LIMIT ?", (to_text(now), limit),
        )
        return [_schedule(r) for r in rows]

    async def next_due_at(self) -> datetime | None:
        row = await self.db.fetch_one(
            "SELECT MIN(next_due_at) AS due FROM daily_schedules WHERE paused = 0")
        return from_text(row["due"]) if row and row["due"] else None

    async def set_paused(self, guild_id: int, paused: bool, problem: str | None,
                         next_due_at: datetime | None = None) -> None:
        await self.db.write(lambda conn: conn.execute(
            "UPDATE daily_schedules SET paused = ?, problem = ?, "
            "next_due_at = COALESCE(?, next_due_at) WHERE guild_id = ?",
            (int(paused), problem, to_text(next_due_at) if next_due_at else None, guild_id),
        ))

    async def advance(self, guild_id: int, after: datetime, next_due_at: datetime) -> None:
        """Move the schedule on, only if it is still due at or before ``after`` (another
        process may already have moved it)."""
        await self.db.write(lambda conn: conn.execute(
            "UPDATE daily_schedules SET next_due_at = ? WHERE guild_id = ? AND next_due_at <= ?",
            (to_text(next_due_at), guild_id, to_text(after)),
        ))

    async def claim(self, guild_id: int, post_date: date, question_id: str, claimed_by: str,
                    now: datetime) -> DailyPost | None:
        """Claim the post for ``post_date``; None when another process has it (or posted it)."""

        def work(conn: sqlite3.Connection) -> DailyPost | None:
            cursor = conn.execute(
                "INSERT INTO daily_posts (guild_id, post_date, question_id, claimed_by, "
                "claimed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, post_date) DO NOTHING",
                (guild_id, post_date.isoformat(), question_id, claimed_by, to_text(now)),
            )
            if cursor.rowcount == 0:
                # Take over only a claim whose process died before posting.
                cursor = conn.execute(
                    "UPDATE daily_posts SET claimed_by = ?, claimed_at = ? "
                    "WHERE guild_id = ? AND post_date = ? AND status = 'claimed' "
                    "AND claimed_at < ?",
                    (claimed_by, to_text(now), guild_id, post_date.isoformat(),
                     to_text(now - STALE_CLAIM)),
                )
                if cursor.rowcount == 0:
                    return None
            row = conn.execute(
                "SELECT * FROM daily_posts WHERE guild_id = ? AND post_date = ?",
                (guild_id, post_date.isoformat()),
            ).fetchone()
            return _post(row)

        return await self.db.write(work)

    async def mark_posted(self, post_id: int, channel_id: int, message_id: int) -> None:
        await self.db.write(lambda conn: conn.execute(
            "UPDATE daily_posts SET status = 'posted', channel_id = ?, message_id = ?, "
            "error = NULL WHERE id = ?", (channel_id, message_id, post_id),
        ))

    async def mark_failed(self, post_id: int, error: str) -> None:
        await self.db.write(lambda conn: conn.execute(
            "UPDATE daily_posts SET status = 'failed', error = ? WHERE id = ?",
            (error[:500], post_id),
        ))

    async def release(self, post_id: int) -> None:
        """Give a claim back (the post could not go out for a reason that may pass)."""
        await self.db.write(lambda conn: conn.execute(
            "DELETE FROM daily_posts WHERE id = ? AND status != 'posted'", (post_id,),
        ))

    async def post(self, post_id: int) -> DailyPost | None:
        row = await self.db.fetch_one("SELECT * FROM daily_posts WHERE id = ?", (post_id,))
        return _post(row) if row else None

    async def last_post(self, guild_id: int) -> DailyPost | None:
        row = await self.db.fetch_one(
            "SELECT * FROM daily_posts WHERE guild_id = ? ORDER BY post_date DESC LIMIT 1",
            (guild_id,),
        )
        return _post(row) if row else None

    async def posts_on(self, guild_id: int) -> list[DailyPost]:
        rows = await self.db.fetch_all(
            "SELECT * FROM daily_posts WHERE guild_id = ? ORDER BY post_date", (guild_id,))
        return [_post(r) for r in rows]

    async def used_questions(self, guild_id: int) -> Counter[str]:
        rows = await self.db.fetch_all(
            "SELECT question_id, COUNT(*) AS n FROM daily_posts WHERE guild_id = ? "
            "AND status != 'failed' GROUP BY question_id", (guild_id,),
        )
        return Counter({r["question_id"]: r["n"] for r in rows})
