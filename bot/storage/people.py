"""People: Discord users and terminal practisers, their settings, export and deletion."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.clock import to_text, utcnow
from bot.core.records import ExpiredText, Person
from bot.storage.codec import Codec, EncryptionKeyError
from bot.storage.sql import Backend, Tx

log = logging.getLogger(__name__)


def _person(row: Any) -> Person:
    return Person(row["id"], row["discord_user_id"], row["local_name"], row["timezone"],
                  bool(row["hide_leaderboards"]))


class People:
    def __init__(self, db: Backend, codec: Codec | None = None) -> None:
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
            await self.db.write(lambda tx: tx.execute(
                f"INSERT INTO people ({column}, created_at) VALUES (?, ?) "
                f"ON CONFLICT DO NOTHING", (value, to_text(utcnow()))))
            row = await self.db.fetch_one(sql, (value,))
        assert row is not None
        return _person(row)

    async def set_timezone(self, person_id: int, timezone: str | None) -> None:
        await self.db.write(lambda tx: tx.execute(
            "UPDATE people SET timezone = ? WHERE id = ?", (timezone, person_id)))

    async def set_hidden(self, person_id: int, hidden: bool) -> None:
        await self.db.write(lambda tx: tx.execute(
            "UPDATE people SET hide_leaderboards = ? WHERE id = ?", (int(hidden), person_id)))

    async def delete(self, person_id: int) -> bool:
        """Remove everything about a person: the row of ``people`` and, by its cascades, their
        answers, cards, practice days, period totals, streak, interviews and their questions,
        cohort memberships and invitations and the ids of messages posted for them; cohorts
        they created stay for their members but no longer name them.

        ``secure_delete`` (set when the database opens) zeroes the freed pages, and a WAL
        checkpoint that truncates the WAL leaves no copy there. True once both are done;
        False when the checkpoint could not finish (a long read elsewhere): the rows are
        gone all the same, and the next checkpoint overwrites the WAL."""
        async def work(tx: Tx) -> None:
            row = await tx.fetch_one("SELECT discord_user_id FROM people WHERE id = ?",
                                     (person_id,))
            if row is None:
                return
            if row[0] is not None:
                await tx.execute("UPDATE cohorts SET created_by = NULL WHERE created_by = ?",
                                 (row[0],))
            await tx.execute("DELETE FROM people WHERE id = ?", (person_id,))

        await self.db.write(work)
        return await self.db.checkpoint()

    async def delete_discord(self, user_id: int) -> tuple[list[tuple[int, int]], bool]:
        """``delete`` for a Discord user, who may have created cohorts without ever practising
        (no row in ``people``): those cohorts stop naming them all the same. Returns the
        messages still noted as posted for them when their rows went (another process may
        have posted one while the caller deleted the others on Discord: the caller deletes
        these too), and whether the write-ahead log is clean (``delete``)."""
        async def work(tx: Tx) -> list[tuple[int, int]]:
            await tx.execute("UPDATE cohorts SET created_by = NULL WHERE created_by = ?",
                             (user_id,))
            noted = await tx.fetch_all(
                "SELECT m.channel_id, m.message_id FROM posted_messages m JOIN people p "
                "ON p.id = m.person_id WHERE p.discord_user_id = ? ORDER BY m.message_id",
                (user_id,))
            await tx.execute("DELETE FROM people WHERE discord_user_id = ?", (user_id,))
            return [(r["channel_id"], r["message_id"]) for r in noted]

        left = await self.db.write(work)
        return left, await self.db.checkpoint()

    async def export_discord(self, user_id: int) -> dict[str, Any]:
        """``export`` for a Discord user; for one with no row in ``people``, the cohorts they
        created, if any."""
        person = await self.find_discord(user_id)
        if person is not None:
            return await self.export(person.id)
        created = [dict(r) for r in await self.db.fetch_all(
            EXPORTED["cohorts"], {"user": user_id, "person": None})]
        return {"cohorts": created} if created else {}

    async def remember_message(self, discord_user_id: int, channel_id: int, message_id: int,
                               now: datetime) -> None:
        """Note that a message was posted for this person (ids only), so that /privacy delete
        can find it on Discord."""
        async def work(tx: Tx) -> None:
            await tx.execute(
                "INSERT INTO posted_messages (person_id, channel_id, message_id, posted_at) "
                "SELECT id, ?, ?, ? FROM people WHERE discord_user_id = ? "
                "ON CONFLICT DO NOTHING",
                (channel_id, message_id, to_text(now), discord_user_id))

        await self.db.write(work)

    async def posted_messages(self, person_id: int) -> list[tuple[int, int]]:
        """(channel id, message id) of every message posted for the person, oldest first."""
        rows = await self.db.fetch_all(
            "SELECT channel_id, message_id FROM posted_messages WHERE person_id = ? "
            "ORDER BY message_id", (person_id,))
        return [(r["channel_id"], r["message_id"]) for r in rows]

    async def expired_text(self, before: datetime, limit: int = 500) -> list[ExpiredText]:
        """Up to ``limit`` answers (and follow-up answers) from before ``before`` whose text
        is still kept, with their feedback opened (``{}`` when it is not feedback as PeerPrep
        writes it): for the core to work out what of it may stay."""
        when = to_text(before)
        rows = await self.db.fetch_all(
            "SELECT id, feedback, crisis FROM answers WHERE text IS NOT NULL "
            "AND answered_at < ? LIMIT ?", (when, limit))
        # Follow-up answers are few (one per question at most): no index, one pass.
        follow_ups = await self.db.fetch_all(
            "SELECT interview_id, position, feedback FROM interview_follow_ups "
            "WHERE text IS NOT NULL AND answered_at < ? LIMIT ?", (when, limit))
        return ([ExpiredText("answer", (r["id"],), self._open(r["feedback"]), bool(r["crisis"]))
                 for r in rows]
                + [ExpiredText("follow_up", (r["interview_id"], r["position"]),
                               self._open(r["feedback"]), False) for r in follow_ups])

    async def forget_text(self, forgotten: Sequence[ExpiredText]) -> int:
        """Blank the text of each answer in ``forgotten`` and store the feedback given with
        it, in one transaction; a crisis answer, which has no score, goes altogether. Only
        answers whose text is still there change; returns how many did."""
        sealed = [(e, None if e.feedback is None else self.codec.seal_json(e.feedback))
                  for e in forgotten]

        async def work(tx: Tx) -> int:
            done = 0
            for expired, feedback in sealed:
                if expired.kind == "follow_up":
                    done += await tx.execute(
                        "UPDATE interview_follow_ups SET text = NULL, crisis = 0, feedback = ? "
                        "WHERE interview_id = ? AND position = ? AND text IS NOT NULL",
                        (feedback, *expired.key))
                elif expired.crisis:
                    # A crisis answer was never scored or counted (only its day, for the
                    # streak, in ``streaks``): with its text gone nothing of it is left to
                    # keep, and a blanked row would read as a score of 0 once its crisis flag
                    # is forgotten.
                    done += await tx.execute(
                        "DELETE FROM answers WHERE id = ? AND crisis = 1 AND text IS NOT NULL",
                        expired.key)
                else:
                    done += await tx.execute(
                        "UPDATE answers SET text = NULL, crisis = 0, feedback = ? "
                        "WHERE id = ? AND text IS NOT NULL", (feedback, *expired.key))
            return done

        return await self.db.write(work)

    def _open(self, stored: str | None) -> dict[str, Any] | None:
        if stored is None:
            return None
        try:
            feedback = self.codec.open_json(stored)
        except ValueError:  # not feedback as PeerPrep writes it
            return {}
        except EncryptionKeyError:
            # Sealed with a key that is not this one (a rotation while something still
            # wrote): its text is blanked all the same, and nothing of its feedback kept, so
            # one such row never holds everyone else's text past the retention period.
            log.warning("retention: an answer's feedback can't be opened with this key; its "
                        "text is blanked and its feedback dropped")
            return {}
        return feedback if isinstance(feedback, dict) else {}

    async def export(self, person_id: int) -> dict[str, Any]:
        """Everything stored about a person, as plain JSON-ready data: one key per table that
        holds something about them (``EXPORTED``), empty when there is no such person."""
        person = await self.get(person_id)
        if person is None:
            return {}
        out: dict[str, Any] = {}
        for table, sql in EXPORTED.items():
            params = {"person": person_id, "user": person.discord_user_id}
            rows = [dict(r) for r in await self.db.fetch_all(sql, params)]
            for row in rows:
                if table in SEALED:  # stored encrypted when DATA_ENCRYPTION_KEY is set
                    row["text"] = self.codec.open(row["text"], "text")
                    row["feedback"] = self.codec.open(row["feedback"], "feedback")
                for field in ("feedback", "card"):
                    if isinstance(row.get(field), str):
                        with contextlib.suppress(ValueError):  # as stored, if not JSON
                            row[field] = json.loads(row[field])
            out[table] = (rows[0] if rows else None) if table in SINGLE else rows
        return out


# Every table that holds something about a person, and how to find their rows.
# tests/test_privacy_data.py reads the schema and fails when a table with a person column
# is missing here, or keeps a row after /privacy delete.
EXPORTED: dict[str, str] = {
    "people": "SELECT * FROM people WHERE id = :person",
    "interviews": "SELECT * FROM interviews WHERE person_id = :person ORDER BY id",
    "interview_questions": "SELECT q.* FROM interview_questions q JOIN interviews i "
                           "ON i.id = q.interview_id WHERE i.person_id = :person "
                           "ORDER BY q.interview_id, q.position",
    "answers": "SELECT * FROM answers WHERE person_id = :person ORDER BY id",
    "interview_follow_ups": "SELECT f.* FROM interview_follow_ups f JOIN interviews i "
                            "ON i.id = f.interview_id WHERE i.person_id = :person "
                            "ORDER BY f.interview_id, f.position",
    "review_cards": "SELECT * FROM review_cards WHERE person_id = :person ORDER BY question_id",
    "practice_days": "SELECT * FROM practice_days WHERE person_id = :person ORDER BY day",
    "period_totals": "SELECT * FROM period_totals WHERE person_id = :person ORDER BY period",
    "streaks": "SELECT * FROM streaks WHERE person_id = :person",
    "cohort_members": "SELECT m.*, c.guild_id, c.name FROM cohort_members m JOIN cohorts c "
                      "ON c.id = m.cohort_id WHERE m.person_id = :person ORDER BY m.joined_at",
    "cohort_invitations": "SELECT i.*, c.guild_id, c.name FROM cohort_invitations i "
                          "JOIN cohorts c ON c.id = i.cohort_id WHERE i.person_id = :person "
                          "ORDER BY i.invited_at",
    "cohorts": "SELECT * FROM cohorts WHERE created_by = :user ORDER BY id",
    "posted_messages": "SELECT * FROM posted_messages WHERE person_id = :person "
                       "ORDER BY message_id",
}
SINGLE = frozenset({"people", "streaks"})
# Tables whose text and feedback are sealed at rest (bot/storage/codec.py).
SEALED = frozenset({"answers", "interview_follow_ups"})
