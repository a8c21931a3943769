"""Daily schedules and posts. A claim row with UNIQUE (guild_id, post_date) decides which
process posts each local day, even with two bots on one database.

A day's row is ``claimed`` while a process is posting it, ``posted`` once the message is
out (the day is settled and only then does the schedule move on), or ``failed`` when the
last try did not get it out. A failed row, or a claim left by a process that died (older
than STALE_CLAIM), may be claimed again; the same row, and so the same post id, is reused.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import date, datetime

from bot.clock import from_text, to_text
from bot.core.records import STALE_CLAIM, Claim, DailyPost, DailySchedule, ShardSet
from bot.storage.sql import Backend, Row, Tx


def _not_in(column: str, values: Collection[int]) -> tuple[str, list[int]]:
    """``AND column NOT IN (?, ...)`` for ``values`` (nothing when there are none)."""
    if not values:
        return "", []
    return f" AND {column} NOT IN ({', '.join('?' for _ in values)})", sorted(values)


def _schedule(row: Row) -> DailySchedule:
    return DailySchedule(
        row["guild_id"], row["channel_id"], row["local_time"], row["timezone"], row["topic"],
        row["ping_role_id"], bool(row["discussion_thread"]), bool(row["paused"]), row["problem"],
        from_text(row["next_due_at"]),
    )


def _post(row: Row) -> DailyPost:
    return DailyPost(row["id"], row["guild_id"], date.fromisoformat(row["post_date"]),
                     row["question_id"], row["status"], row["channel_id"], row["message_id"],
                     row["error"], from_text(row["claimed_at"]), row["claimed_by"])


async def _fail(tx: Tx, post_id: int, error: str, claimed_by: str) -> bool:
    """Mark the day failed if ``claimed_by`` still holds its claim. Another process may have
    taken the day over (the claim went stale, or its holder was thought to have ended) and
    posted it, or be posting it: a late failure of the first must not undo that (a posted day
    marked failed would be posted again, its question used once more)."""
    return await tx.execute(
        "UPDATE daily_posts SET status = 'failed', error = ? "
        "WHERE id = ? AND status = 'claimed' AND claimed_by = ?",
        (error[:500], post_id, claimed_by)) == 1


async def _move_on(tx: Tx, schedule: DailySchedule, next_due_at: datetime) -> None:
    await tx.execute(
        "UPDATE daily_schedules SET next_due_at = ? WHERE guild_id = ? "
        "AND next_due_at < ? AND local_time = ? AND timezone = ?",
        (to_text(next_due_at), schedule.guild_id, to_text(next_due_at), schedule.local_time,
         schedule.timezone))


def _on_shards(shards: ShardSet | None) -> tuple[str, tuple[int, ...]]:
    """A condition keeping the servers on ``shards`` (all when None), and its parameters.
    Discord's rule, in SQL that PostgreSQL runs too."""
    if shards is None:
        return "", ()
    ids = sorted(shards.ids)
    return (f" AND ((guild_id >> 22) % ?) IN ({', '.join('?' * len(ids))})",
            (shards.count, *ids))


class Daily:
    def __init__(self, db: Backend) -> None:
        self.db = db

    async def save_schedule(self, s: DailySchedule, now: datetime) -> None:
        await self.db.write(lambda tx: tx.execute(
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

    async def due(self, now: datetime, limit: int = 500, excluding: Collection[int] = (),
                  shards: ShardSet | None = None) -> list[DailySchedule]:
        """The active schedules due at ``now``, earliest first, leaving out ``excluding``
        and, with ``shards``, the servers on other shards."""
        others, left_out = _not_in("guild_id", excluding)
        on_shards, shard_args = _on_shards(shards)
        rows = await self.db.fetch_all(
            f"SELECT * FROM daily_schedules WHERE paused = 0 AND next_due_at <= ?{others}"
            f"{on_shards} ORDER BY next_due_at, guild_id LIMIT ?",
            (to_text(now), *left_out, *shard_args, limit),
        )
        return [_schedule(r) for r in rows]

    async def next_due_at(self, excluding: Collection[int] = (),
                          shards: ShardSet | None = None) -> datetime | None:
        """The earliest due time of the active schedules, leaving out ``excluding`` guilds
        and, with ``shards``, the servers on other shards."""
        others, left_out = _not_in("guild_id", excluding)
        on_shards, shard_args = _on_shards(shards)
        row = await self.db.fetch_one(
            "SELECT MIN(next_due_at) AS due FROM daily_schedules WHERE paused = 0"
            f"{others}{on_shards}", (*left_out, *shard_args))
        return from_text(row["due"]) if row and row["due"] else None

    async def set_paused(self, guild_id: int, paused: bool, problem: str | None,
                         next_due_at: datetime | None = None) -> None:
        await self.db.write(lambda tx: tx.execute(
            "UPDATE daily_schedules SET paused = ?, problem = ?, "
            "next_due_at = COALESCE(?, next_due_at) WHERE guild_id = ?",
            (int(paused), problem, to_text(next_due_at) if next_due_at else None, guild_id),
        ))

    async def claim(self, guild_id: int, post_date: date, question_id: str, claimed_by: str,
                    now: datetime, take_over: str | None = None) -> Claim:
        """Claim the post for ``post_date``: a new row, or one whose last try failed, or one
        whose claim went stale, or one ``take_over`` still holds (a process known to have
        ended). ``won`` is False when the day is posted or another process is posting it."""

        async def work(tx: Tx) -> Claim:
            day = post_date.isoformat()
            won = await tx.execute(
                "INSERT INTO daily_posts (guild_id, post_date, question_id, claimed_by, "
                "claimed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, post_date) DO NOTHING",
                (guild_id, day, question_id, claimed_by, to_text(now)),
            ) == 1
            retake = False
            if not won:
                won = retake = await tx.execute(
                    "UPDATE daily_posts SET status = 'claimed', claimed_by = ?, claimed_at = ? "
                    "WHERE guild_id = ? AND post_date = ? AND (status = 'failed' OR "
                    "(status = 'claimed' AND (claimed_at <= ? OR claimed_by = ?)))",
                    (claimed_by, to_text(now), guild_id, day, to_text(now - STALE_CLAIM),
                     take_over),
                ) == 1
            row = await tx.fetch_one(
                "SELECT * FROM daily_posts WHERE guild_id = ? AND post_date = ?", (guild_id, day))
            assert row is not None
            return Claim(_post(row), won, retake)

        return await self.db.write(work)

    async def settle(self, post_id: int, channel_id: int, message_id: int,
                     schedule: DailySchedule, next_due_at: datetime) -> None:
        """Record the day as posted and, in the same transaction, move the schedule on to
        ``next_due_at``. The schedule only moves forward, and not at all if its time was
        changed meanwhile (/daily setup already chose the next slot). A pause the bot made
        itself (a problem) is lifted: the post just went out."""

        async def work(tx: Tx) -> None:
            await tx.execute(
                "UPDATE daily_posts SET status = 'posted', channel_id = ?, message_id = ?, "
                "error = NULL WHERE id = ?", (channel_id, message_id, post_id))
            await _move_on(tx, schedule, next_due_at)
            await tx.execute(
                "UPDATE daily_schedules SET paused = 0, problem = NULL "
                "WHERE guild_id = ? AND problem IS NOT NULL", (schedule.guild_id,))

        await self.db.write(work)

    async def advance(self, schedule: DailySchedule, next_due_at: datetime) -> None:
        """Move the schedule on after a day found already posted (same rules as settle)."""
        await self.db.write(lambda tx: _move_on(tx, schedule, next_due_at))

    async def give_up(self, post_id: int, guild_id: int, problem: str, *,
                      claimed_by: str) -> None:
        """The post can't go out until someone fixes something: the day's row fails and the
        guild pauses with the reason (the day stays unsettled, so it can be posted later).
        Nothing changes when ``claimed_by`` no longer holds the day (see ``_fail``)."""

        async def work(tx: Tx) -> None:
            if not await _fail(tx, post_id, problem, claimed_by):
                return
            await tx.execute(
                "UPDATE daily_schedules SET paused = 1, problem = ? WHERE guild_id = ?",
                (problem, guild_id))

        await self.db.write(work)

    async def retry_later(self, post_id: int, error: str, guild_id: int, now: datetime,
                          retry_at: datetime, *, claimed_by: str) -> None:
        """A trouble that may pass: the row fails (so it can be claimed again) and the
        schedule, if still due, is due again at ``retry_at``. Nothing changes when
        ``claimed_by`` no longer holds the day (see ``_fail``)."""

        async def work(tx: Tx) -> None:
            if not await _fail(tx, post_id, error, claimed_by):
                return
            await tx.execute(
                "UPDATE daily_schedules SET next_due_at = ? WHERE guild_id = ? "
                "AND next_due_at <= ?", (to_text(retry_at), guild_id, to_text(now)))

        await self.db.write(work)

    async def post_on(self, guild_id: int, post_date: date) -> DailyPost | None:
        row = await self.db.fetch_one(
            "SELECT * FROM daily_posts WHERE guild_id = ? AND post_date = ?",
            (guild_id, post_date.isoformat()))
        return _post(row) if row else None

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
