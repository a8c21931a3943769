"""Cohorts, their members, aggregate reports and leaderboards (never answer text).

Leaderboards read ``practice_days`` (answers and score sums per person and day) and
``streaks``, never the answers table, so their cost follows the number of members and
days, not the number of answers.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.clock import to_text
from bot.storage.database import Database
from bot.storage.progress import periods_of


class CohortExists(Exception):
    """A cohort with that name already exists in the server."""


@dataclass(frozen=True, slots=True)
class Cohort:
    id: int
    guild_id: int
    name: str
    role_id: int | None
    members: int = 0


@dataclass(frozen=True, slots=True)
class Standing:
    rank: int
    person_id: int
    discord_user_id: int | None
    value: float


@dataclass(frozen=True, slots=True)
class MemberReport:
    discord_user_id: int | None
    answers: int
    average: float | None
    current_streak: int
    best_streak: int
    last_practice: str | None
    joined_at: str


def _cohort(row: sqlite3.Row) -> Cohort:
    # sqlite3.Row answers ``in`` for values, not column names: hence keys().
    members = row["members"] if "members" in row.keys() else 0  # noqa: SIM118
    return Cohort(row["id"], row["guild_id"], row["name"], row["role_id"], members)


# The streak as it stands today: alive if the last practice was today or yesterday, or the
# day before with a freeze to cover the gap (see bot.streaks.rules.current_streak).
_LIVE_STREAK = (
    "CASE WHEN s.last_day >= :yesterday OR (s.last_day = :two_days_ago AND s.freezes > 0) "
    "THEN s.current ELSE 0 END"
)


class Cohorts:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(self, guild_id: int, name: str, role_id: int | None, created_by: int,
                     now: datetime) -> Cohort:
        def work(conn: sqlite3.Connection) -> Cohort:
            try:
                cursor = conn.execute(
                    "INSERT INTO cohorts (guild_id, name, role_id, created_by, created_at) "
                    "VALUES (?, ?, ?, ?, ?)", (guild_id, name, role_id, created_by, to_text(now)))
            except sqlite3.IntegrityError:
                raise CohortExists(name) from None
            return Cohort(int(cursor.lastrowid or 0), guild_id, name, role_id)

        return await self.db.write(work)

    async def named(self, guild_id: int, name: str) -> Cohort | None:
        row = await self.db.fetch_one(
            "SELECT c.*, (SELECT COUNT(*) FROM cohort_members m WHERE m.cohort_id = c.id) "
            "AS members FROM cohorts c WHERE guild_id = ? AND name = ? COLLATE NOCASE",
            (guild_id, name))
        return _cohort(row) if row else None

    async def in_guild(self, guild_id: int) -> list[Cohort]:
        rows = await self.db.fetch_all(
            "SELECT c.*, (SELECT COUNT(*) FROM cohort_members m WHERE m.cohort_id = c.id) "
            "AS members FROM cohorts c WHERE guild_id = ? ORDER BY name COLLATE NOCASE",
            (guild_id,))
        return [_cohort(r) for r in rows]

    async def of_person(self, guild_id: int, person_id: int) -> list[Cohort]:
        rows = await self.db.fetch_all(
            "SELECT c.* FROM cohorts c JOIN cohort_members m ON m.cohort_id = c.id "
            "WHERE c.guild_id = ? AND m.person_id = ? ORDER BY c.name", (guild_id, person_id))
        return [_cohort(r) for r in rows]

    async def add(self, cohort_id: int, person_id: int, now: datetime) -> bool:
        """Add a member; False if they were one already."""
        def work(conn: sqlite3.Connection) -> bool:
            cursor = conn.execute(
                "INSERT INTO cohort_members (cohort_id, person_id, joined_at) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING", (cohort_id, person_id, to_text(now)))
            return cursor.rowcount > 0

        return await self.db.write(work)

    async def remove(self, cohort_id: int, person_id: int) -> bool:
        def work(conn: sqlite3.Connection) -> bool:
            cursor = conn.execute(
                "DELETE FROM cohort_members WHERE cohort_id = ? AND person_id = ?",
                (cohort_id, person_id))
            return cursor.rowcount > 0

        return await self.db.write(work)

    async def report(self, cohort_id: int, today: date) -> list[MemberReport]:
        """Each member's aggregate progress: counts, averages, streaks. No answer text."""
        rows = await self.db.fetch_all(
            f"SELECT p.discord_user_id, m.joined_at, "
            f"COALESCE(SUM(d.answers), 0) AS answers, SUM(d.score_sum) AS score_sum, "
            f"MAX(CASE WHEN d.answers > 0 THEN d.day END) AS last_day, "
            f"COALESCE({_LIVE_STREAK}, 0) AS current, COALESCE(s.best, 0) AS best "
            f"FROM cohort_members m JOIN people p ON p.id = m.person_id "
            f"LEFT JOIN practice_days d ON d.person_id = m.person_id "
            f"LEFT JOIN streaks s ON s.person_id = m.person_id "
            f"WHERE m.cohort_id = :cohort GROUP BY m.person_id ORDER BY m.joined_at",
            _days(today) | {"cohort": cohort_id},
        )
        return [
            MemberReport(r["discord_user_id"], r["answers"],
                         round(r["score_sum"] / r["answers"], 1) if r["answers"] else None,
                         r["current"], r["best"], r["last_day"], r["joined_at"])
            for r in rows
        ]

    async def leaderboard(self, *, guild_id: int, cohort_id: int | None, metric: str,
                          period: str, today: date, caller_person_id: int | None,
                          limit: int = 10) -> tuple[list[Standing], Standing | None]:
        """The top ``limit`` and the caller's own standing among the cohort's members (or all
        cohort members in the guild), leaving out anyone hidden from leaderboards.

        ``period`` is ``week`` (this calendar week), ``month`` or ``all``; the streak metric
        is the streak as it stands today, whatever the period."""
        members = (
            "SELECT person_id FROM cohort_members WHERE cohort_id = :cohort"
            if cohort_id is not None else
            "SELECT DISTINCT m.person_id FROM cohort_members m JOIN cohorts c "
            "ON c.id = m.cohort_id WHERE c.guild_id = :guild"
        )
        if metric == "streak":
            value, source = _LIVE_STREAK, "JOIN streaks s ON s.person_id = p.id"
            where = f"{_LIVE_STREAK} > 0"
        else:
            source = "JOIN period_totals t ON t.person_id = p.id AND t.period = :period"
            value = ("t.answers" if metric == "answers"
                     else "ROUND(1.0 * t.score_sum / t.answers, 1)")
            where = "t.answers > 0"
        # Top ``limit`` by a heap over the members' rows, then a count per shown row for its
        # rank: no full sort of everyone, so the cost follows the members, not the answers.
        sql = (
            f"WITH members AS ({members}), scored AS MATERIALIZED ("
            f"SELECT p.id AS person_id, p.discord_user_id, {value} AS value FROM members "
            f"JOIN people p ON p.id = members.person_id {source} "
            f"WHERE p.hide_leaderboards = 0 AND {where}), "
            f"shown AS (SELECT * FROM (SELECT * FROM scored ORDER BY value DESC, person_id "
            f"LIMIT :limit) UNION SELECT * FROM scored WHERE person_id = :caller) "
            f"SELECT shown.*, (SELECT COUNT(*) FROM scored s WHERE s.value > shown.value) + 1 "
            f"AS rank FROM shown ORDER BY rank, person_id"
        )
        week, month, _ = periods_of(today)
        params = _days(today) | {"cohort": cohort_id, "guild": guild_id, "limit": limit,
                                 "caller": caller_person_id,
                                 "period": {"week": week, "month": month}.get(period, "all")}
        rows = await self.db.fetch_all(sql, params)
        standings = [Standing(r["rank"], r["person_id"], r["discord_user_id"], r["value"])
                     for r in rows]
        top = [s for s in standings if s.rank <= limit][:limit]
        mine = next((s for s in standings if s.person_id == caller_person_id), None)
        return top, mine


def _days(today: date) -> dict[str, str]:
    return {"yesterday": (today - timedelta(days=1)).isoformat(),
            "two_days_ago": (today - timedelta(days=2)).isoformat()}
