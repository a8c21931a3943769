"""Cohorts, their members, aggregate reports and leaderboards (never answer text).

Leaderboards read ``practice_days`` (answers and score sums per person and day) and
``streaks``, never the answers table, so their cost follows the number of members and
days, not the number of answers.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from bot.clock import to_text
from bot.core.records import (
    MIN_ANSWERS_FOR_AN_AVERAGE,
    Cohort,
    CohortExists,
    MemberReport,
    Standing,
)
from bot.storage.answers import periods_of
from bot.storage.sql import Backend, Row, Tx


def _cohort(row: Row) -> Cohort:
    # sqlite3.Row answers ``in`` for values, not column names: hence keys().
    members = row["members"] if "members" in row.keys() else 0  # noqa: SIM118
    return Cohort(row["id"], row["guild_id"], row["name"], row["role_id"], members)


# The streak as it stands today: alive if the last practice was today or yesterday, or the
# day before with a freeze to cover the gap (see bot.streaks.rules.current_streak).
_LIVE_STREAK = (
    "CASE WHEN s.last_day >= :yesterday OR (s.last_day = :two_days_ago AND s.freezes > 0) "
    "THEN s.current ELSE 0 END"
)


def name_key(name: str) -> str:
    """A cohort name as compared: whatever its case, in any script (Straße is STRASSE).
    Compared here, as SQLite's NOCASE folds A-Z only and PostgreSQL's lower() follows the
    server's locale. İ is i, as PostgreSQL's lower() makes it (casefold keeps its dot as a
    combining mark): so no name passes here that the schema's key on lower(name) refuses."""
    return name.casefold().replace("i\u0307", "i")


def same_name(one: str, other: str) -> bool:
    return name_key(one) == name_key(other)


def by_name(cohorts: Iterable[Cohort]) -> list[Cohort]:
    """Sorted by name as a reader expects, whatever the case and accents (émile before
    Zeta), alike on both backends (their ORDER BY on text differs: bytes, or the server's
    collation)."""
    def order(cohort: Cohort) -> tuple[str, str, str]:
        folded = name_key(cohort.name)
        plain = "".join(c for c in unicodedata.normalize("NFKD", folded)
                        if not unicodedata.combining(c))
        return plain, folded, cohort.name
    return sorted(cohorts, key=order)


class Cohorts:
    def __init__(self, db: Backend) -> None:
        self.db = db
        self.dialect = db.dialect

    async def create(self, guild_id: int, name: str, role_id: int | None, created_by: int,
                     now: datetime) -> Cohort:
        async def work(tx: Tx) -> Cohort:
            # Names are unique in a server whatever their case, in any script (the schema's
            # unique key folds what its backend folds: A-Z alone on SQLite).
            taken = await tx.fetch_all("SELECT name FROM cohorts WHERE guild_id = ?",
                                       (guild_id,))
            if any(same_name(row["name"], name) for row in taken):
                raise CohortExists(name)
            row = await tx.fetch_one(
                "INSERT INTO cohorts (guild_id, name, role_id, created_by, created_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
                (guild_id, name, role_id, created_by, to_text(now)))
            if row is None:
                raise CohortExists(name)
            return Cohort(int(row[0]), guild_id, name, role_id)

        return await self.db.write(work)

    async def named(self, guild_id: int, name: str) -> Cohort | None:
        """The server's cohort of that name, whatever its case (``same_name``)."""
        return next((c for c in await self.in_guild(guild_id) if same_name(c.name, name)),
                    None)

    async def in_guild(self, guild_id: int) -> list[Cohort]:
        rows = await self.db.fetch_all(
            "SELECT c.*, (SELECT COUNT(*) FROM cohort_members m WHERE m.cohort_id = c.id) "
            "AS members FROM cohorts c WHERE guild_id = ?", (guild_id,))
        return by_name(_cohort(r) for r in rows)

    async def of_person(self, guild_id: int, person_id: int) -> list[Cohort]:
        rows = await self.db.fetch_all(
            "SELECT c.* FROM cohorts c JOIN cohort_members m ON m.cohort_id = c.id "
            "WHERE c.guild_id = ? AND m.person_id = ?", (guild_id, person_id))
        return by_name(_cohort(r) for r in rows)

    async def add(self, cohort_id: int, person_id: int, now: datetime) -> bool:
        """Add a member who asked to join (/cohort join: their own consent, which answers an
        invitation too); False if they were one already."""
        async def work(tx: Tx) -> bool:
            await tx.execute(
                "DELETE FROM cohort_invitations WHERE cohort_id = ? AND person_id = ?",
                (cohort_id, person_id))
            return await tx.execute(
                "INSERT INTO cohort_members (cohort_id, person_id, joined_at) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING", (cohort_id, person_id, to_text(now))) > 0

        return await self.db.write(work)

    async def get(self, cohort_id: int) -> Cohort | None:
        row = await self.db.fetch_one("SELECT * FROM cohorts WHERE id = ?", (cohort_id,))
        return _cohort(row) if row else None

    async def invite(self, cohort_id: int, person_id: int, now: datetime) -> str:
        """Invite a person into a cohort: ``invited``, or ``pending`` when they were invited
        already, or ``member`` when they are one. Only their own yes makes them a member."""
        async def work(tx: Tx) -> str:
            if await tx.fetch_all(
                    "SELECT 1 FROM cohort_members WHERE cohort_id = ? AND person_id = ?",
                    (cohort_id, person_id)):
                return "member"
            invited = await tx.execute(
                "INSERT INTO cohort_invitations (cohort_id, person_id, invited_at) "
                "VALUES (?, ?, ?) ON CONFLICT DO NOTHING", (cohort_id, person_id, to_text(now)))
            return "invited" if invited > 0 else "pending"

        return await self.db.write(work)

    async def accept(self, cohort_id: int, person_id: int, now: datetime) -> bool:
        """The person says yes to their invitation: they become a member, in the transaction
        that checks the invitation is theirs and still stands. False when there is none (it
        was never theirs, was withdrawn, or they are a member already)."""
        async def work(tx: Tx) -> bool:
            taken = await tx.execute(
                "DELETE FROM cohort_invitations WHERE cohort_id = ? AND person_id = ?",
                (cohort_id, person_id))
            if not taken:
                return False
            await tx.execute(
                "INSERT INTO cohort_members (cohort_id, person_id, joined_at) VALUES (?, ?, ?) "
                "ON CONFLICT DO NOTHING", (cohort_id, person_id, to_text(now)))
            return True

        return await self.db.write(work)

    async def decline(self, cohort_id: int, person_id: int) -> bool:
        async def work(tx: Tx) -> bool:
            return await tx.execute(
                "DELETE FROM cohort_invitations WHERE cohort_id = ? AND person_id = ?",
                (cohort_id, person_id)) > 0

        return await self.db.write(work)

    async def invitations(self, guild_id: int, person_id: int) -> list[Cohort]:
        """The cohorts of a server that wait for this person's answer."""
        rows = await self.db.fetch_all(
            "SELECT c.* FROM cohorts c JOIN cohort_invitations i ON i.cohort_id = c.id "
            "WHERE c.guild_id = ? AND i.person_id = ?", (guild_id, person_id))
        return by_name(_cohort(r) for r in rows)

    async def remove(self, cohort_id: int, person_id: int) -> bool:
        async def work(tx: Tx) -> bool:
            return await tx.execute(
                "DELETE FROM cohort_members WHERE cohort_id = ? AND person_id = ?",
                (cohort_id, person_id)) > 0

        return await self.db.write(work)

    async def report(self, cohort_id: int, today: date) -> list[MemberReport]:
        """Each member's aggregate progress in the cohort's own server since they joined the
        cohort: counts, averages, streaks of practice days there. No answer text.

        An answer counts for a server when it was given in an interview started from that
        server (in a thread there or in the DM it opened: ``interviews.guild_id``) or to that
        server's daily question (``daily_posts.guild_id``). Practice in other servers, in
        interviews started in DMs and in the terminal never shows in a server's report."""
        rows = await self.db.fetch_all(
            "WITH cohort AS (SELECT guild_id FROM cohorts WHERE id = :cohort), "
            "here AS (SELECT a.person_id, a.score, a.local_day FROM cohort_members m "
            "JOIN answers a ON a.person_id = m.person_id AND a.answered_at >= m.joined_at "
            "LEFT JOIN interviews i ON i.id = a.interview_id "
            "LEFT JOIN daily_posts d ON d.id = a.daily_post_id "
            "WHERE m.cohort_id = :cohort AND a.crisis = 0 "
            "AND COALESCE(i.guild_id, d.guild_id) = (SELECT guild_id FROM cohort)) "
            "SELECT p.discord_user_id, m.joined_at, COUNT(h.score) AS answers, "
            f"SUM(h.score) AS score_sum, {self.dialect.join_distinct('h.local_day')} AS days "
            "FROM cohort_members m JOIN people p ON p.id = m.person_id "
            "LEFT JOIN here h ON h.person_id = m.person_id "
            "WHERE m.cohort_id = :cohort GROUP BY m.person_id, p.discord_user_id, m.joined_at "
            "ORDER BY m.joined_at",
            {"cohort": cohort_id},
        )
        out = []
        for r in rows:
            days = sorted(date.fromisoformat(d) for d in (r["days"] or "").split(",") if d)
            current, best = day_streaks(days, today)
            out.append(MemberReport(
                r["discord_user_id"], r["answers"],
                round(int(r["score_sum"]) / r["answers"], 1) if r["answers"] else None,
                current, best, days[-1].isoformat() if days else None, r["joined_at"]))
        return out

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
            # An average of one or two answers would show others an answer's own score.
            where = ("t.answers > 0" if metric == "answers"
                     else f"t.answers >= {MIN_ANSWERS_FOR_AN_AVERAGE}")
        # Top ``limit`` by a heap over the members' rows, no full sort of everyone, so the cost
        # follows the members, not the answers. A row's rank is one more than the members
        # with a higher value; for a row of the top those all sort before it, inside the top:
        # only the caller's own row, when it is not in the top, counts among everyone.
        sql = (
            f"WITH members AS ({members}), scored AS MATERIALIZED ("
            f"SELECT p.id AS person_id, p.discord_user_id, {value} AS value FROM members "
            f"JOIN people p ON p.id = members.person_id {source} "
            f"WHERE p.hide_leaderboards = 0 AND {where}), "
            f"leaders AS MATERIALIZED (SELECT * FROM scored ORDER BY value DESC, person_id "
            f"LIMIT :limit) "
            f"SELECT leaders.*, (SELECT COUNT(*) FROM leaders l WHERE l.value > leaders.value) "
            f"+ 1 AS rank FROM leaders "
            f"UNION ALL SELECT s.*, (SELECT COUNT(*) FROM scored o WHERE o.value > s.value) + 1 "
            f"FROM scored s WHERE s.person_id = :caller "
            f"AND s.person_id NOT IN (SELECT person_id FROM leaders) "
            f"ORDER BY rank, person_id"
        )
        week, month, _ = periods_of(today)
        params = _days(today) | {"cohort": cohort_id, "guild": guild_id, "limit": limit,
                                 "caller": caller_person_id,
                                 "period": {"week": week, "month": month}.get(period, "all")}
        rows = await self.db.fetch_all(sql, params)
        standings = [Standing(r["rank"], r["person_id"], r["discord_user_id"],
                              _number(r["value"])) for r in rows]
        top = [s for s in standings if s.rank <= limit][:limit]
        mine = next((s for s in standings if s.person_id == caller_person_id), None)
        return top, mine


def day_streaks(days: list[date], today: date) -> tuple[int, int]:
    """(current, best) runs of consecutive days in sorted ``days``; the current run is alive
    when its last day is today or yesterday. No freezes: these are days in one server."""
    best = run = 0
    previous: date | None = None
    for day in days:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        best, previous = max(best, run), day
    alive = previous is not None and previous >= today - timedelta(days=1)
    return (run if alive else 0), best


def _number(value: Any) -> int | float:
    """A leaderboard value as Python's number (PostgreSQL's averages are decimals)."""
    return value if isinstance(value, int | float) else float(value)


def _days(today: date) -> dict[str, str]:
    return {"yesterday": (today - timedelta(days=1)).isoformat(),
            "two_days_ago": (today - timedelta(days=2)).isoformat()}
