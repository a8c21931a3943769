"""Interviews and their questions. State changes are guarded by position, so a double click
(two "Next" presses for the same question) moves the interview once."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from typing import Any

from bot.clock import from_text, to_text, utcnow
from bot.core.records import (
    AskedFollowUp,
    FollowUpNotCurrent,
    FollowUpStatus,
    Interview,
    InterviewTakenOver,
    NotYours,
    Outcome,
    Status,
    StoredFollowUp,
)
from bot.storage.codec import Codec
from bot.storage.sql import SQLITE, Backend, Dialect, Row, Tx


@lru_cache(maxsize=2)
def interview_columns(dialect: Dialect) -> str:
    """Columns that read an interview ``i`` with its questions and the follow-up asked at
    its current question, as JSON, in one query (one round trip)."""
    if dialect is SQLITE:  # json_group_array keeps the order of the rows of its subquery
        questions = ("(SELECT json_group_array(json_array(question_id, outcome)) FROM "
                     "(SELECT question_id, outcome FROM interview_questions q "
                     "WHERE q.interview_id = i.id ORDER BY position))")
    else:
        questions = ("(SELECT json_agg(json_build_array(question_id, outcome) ORDER BY position)"
                     " FROM interview_questions q WHERE q.interview_id = i.id)")
    follow_up = (f"(SELECT {dialect.json_array}(question_id, key_point, prompt, status, score) "
                 "FROM interview_follow_ups f WHERE f.interview_id = i.id "
                 "AND f.position = i.position)")
    return f"{questions} AS questions, {follow_up} AS follow_up"


@lru_cache(maxsize=2)
def select_interview(dialect: Dialect) -> str:
    """``SELECT`` an interview ``i`` as ``interview_from_row`` reads it (add a WHERE)."""
    return f"SELECT i.*, {interview_columns(dialect)} FROM interviews i"


# A follow-up the trainee moves past without answering is skipped (in the move's transaction).
_SKIP_FOLLOW_UP = ("UPDATE interview_follow_ups SET status = 'skipped' "
                   "WHERE interview_id = ? AND position = ? AND status = 'asked'")


# With a person (parameter 2: the person acting), only if the interview ``i`` is theirs.
# (CAST: PostgreSQL types a parameter where it first meets it, and NULL has no type.)
OWNED_BY_2 = "(CAST(?2 AS BIGINT) IS NULL OR i.person_id = ?2)"


def _held_by(n: int) -> str:
    """Given a lease (parameter ``n``), only while that window holds the interview; without
    one (NULL), whoever holds it."""
    return f"(CAST(?{n} AS TEXT) IS NULL OR lease = ?{n})"


_OUTCOMES = {outcome.value: outcome for outcome in Outcome}  # a dict is faster than Outcome()


def interview_from_row(row: Row) -> Interview:
    """The Interview of a row of ``select_interview``."""
    questions = json.loads(row["questions"] or "[]")
    follow_up = None
    if row["follow_up"] is not None:
        question_id, key_point, prompt, status, score = json.loads(row["follow_up"])
        follow_up = AskedFollowUp(question_id, key_point, prompt, FollowUpStatus(status), score)
    return Interview(
        id=row["id"], person_id=row["person_id"], bank=row["bank"], topic=row["topic"],
        status=Status(row["status"]), position=row["position"], attempt=row["attempt"],
        place=row["place"], guild_id=row["guild_id"], channel_id=row["channel_id"],
        question_ids=tuple(q for q, _ in questions),
        outcomes=tuple(_OUTCOMES[o] for _, o in questions),
        started_at=from_text(row["started_at"]), updated_at=from_text(row["updated_at"]),
        follow_ups=bool(row["follow_ups"]), follow_up=follow_up,
        lease=row["lease"], lease_at=from_text(row["lease_at"]) if row["lease_at"] else None,
    )


class Interviews:
    def __init__(self, db: Backend, codec: Codec | None = None) -> None:
        self.db = db
        self.codec = codec or Codec()  # follow-up answers' text and feedback at rest
        self.select = select_interview(db.dialect)

    async def create(
        self, person_id: int, bank: str, topic: str | None, question_ids: Sequence[str],
        place: str, guild_id: int | None = None, channel_id: int | None = None,
        follow_ups: bool = True, lease: str | None = None,
    ) -> tuple[Interview, list[int]]:
        """A new active interview; any interview the person still had open is stopped first.
        Returns the interview and the ids of interviews it stopped. ``lease``: the window
        that holds it (see ``take``)."""
        now = to_text(utcnow())

        async def work(tx: Tx) -> Any:
            stopped = [r[0] for r in await tx.fetch_all(
                "UPDATE interviews SET status = 'stopped', ended_at = ?, updated_at = ? "
                "WHERE person_id = ? AND status = 'active' RETURNING id", (now, now, person_id))]
            created = await tx.fetch_one(
                "INSERT INTO interviews (person_id, bank, topic, place, guild_id, channel_id, "
                "started_at, updated_at, follow_ups, lease, lease_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (person_id, bank, topic, place, guild_id, channel_id, now, now,
                 int(follow_ups), lease, now if lease is not None else None),
            )
            interview_id = created[0]
            await tx.execute_many(
                "INSERT INTO interview_questions (interview_id, position, question_id) "
                "VALUES (?, ?, ?)",
                [(interview_id, i, q) for i, q in enumerate(question_ids)],
            )
            return stopped, int(interview_id or 0)

        stopped, interview_id = await self.db.write(work)
        created = await self.get(interview_id)
        assert created is not None
        return created, stopped

    async def get(self, interview_id: int, person_id: int | None = None) -> Interview | None:
        """The interview; with ``person_id`` (the person acting) only if it is theirs: the
        owner is part of the query that reads it, so another's interview reads as none."""
        row = await self.db.fetch_one(
            f"{self.select} WHERE i.id = ?1 AND {OWNED_BY_2}",
            (interview_id, person_id))
        return interview_from_row(row) if row else None

    async def active_for(self, person_id: int) -> Interview | None:
        row = await self.db.fetch_one(
            f"{self.select} WHERE i.person_id = ? AND i.status = 'active' "
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
        person_id: int | None = None, lease: str | None = None,
    ) -> bool:
        """Change an active interview that still stands at ``expect_position`` (and attempt),
        and, given a ``lease``, is still held by that window.

        ``outcome`` applies to the question at ``expect_position``. Returns False (changing
        nothing) when the interview has moved on, ended or been taken over: the second click
        of a double click, or a window another one has taken the interview from.
        With ``person_id`` (the person acting), an interview that is not theirs raises
        ``NotYours`` and changes nothing: the owner is checked in the same transaction.
        """
        now = to_text(utcnow())

        async def work(tx: Tx) -> Any:
            changed = await tx.execute(
                "UPDATE interviews SET position = COALESCE(?1, position), "
                "attempt = COALESCE(?2, attempt), status = COALESCE(?3, status), updated_at = ?4, "
                "ended_at = CASE WHEN ?5 = 1 THEN ?4 ELSE ended_at END, "
                "lease_at = CASE WHEN lease IS NOT NULL THEN ?4 ELSE lease_at END "
                "WHERE id = ?6 AND status = 'active' AND position = ?7 "
                "AND attempt = COALESCE(?8, attempt) AND person_id = COALESCE(?9, person_id) "
                f"AND {_held_by(10)}",
                (position, attempt, status, now,
                 int(status is not None and status is not Status.ACTIVE),
                 interview_id, expect_position, expect_attempt, person_id, lease),
            )
            if changed == 0:
                await _check_owner(tx, interview_id, person_id)
                return False
            await tx.execute(_SKIP_FOLLOW_UP, (interview_id, expect_position))
            if outcome is not None:
                await tx.execute(
                    "UPDATE interview_questions SET outcome = ? "
                    "WHERE interview_id = ? AND position = ?",
                    (outcome, interview_id, expect_position),
                )
            return True

        return await self.db.write(work)

    async def relocate(self, interview_id: int, place: str, channel_id: int | None
                       ) -> Interview | None:
        """Move an active interview somewhere else (its first question could not be shown
        where it was meant to be); None if it is no longer active."""
        now = to_text(utcnow())

        async def work(tx: Tx) -> Any:
            return await tx.execute(
                "UPDATE interviews SET place = ?, channel_id = ?, updated_at = ? "
                "WHERE id = ? AND status = 'active'", (place, channel_id, now, interview_id),
            ) > 0

        moved = await self.db.write(work)
        return await self.get(interview_id) if moved else None

    async def stop(self, interview_id: int, person_id: int | None = None,
                   lease: str | None = None) -> bool:
        """Stop an active interview; False if it had already ended (or, given a ``lease``,
        another window holds it). With ``person_id``, an interview that is not theirs raises
        ``NotYours`` (checked in the transaction)."""
        now = to_text(utcnow())

        async def work(tx: Tx) -> Any:
            changed = await tx.execute(
                "UPDATE interviews SET status = 'stopped', ended_at = ?1, updated_at = ?1 "
                "WHERE id = ?2 AND status = 'active' AND person_id = COALESCE(?3, person_id) "
                f"AND {_held_by(4)}",
                (now, interview_id, person_id, lease),
            )
            if changed == 0:
                await _check_owner(tx, interview_id, person_id)
                return False
            await tx.execute("UPDATE interview_follow_ups SET status = 'skipped' "
                               "WHERE interview_id = ? AND status = 'asked'", (interview_id,))
            return True

        return await self.db.write(work)
    async def take(self, interview_id: int, lease: str) -> Interview | None:
        """Hold an active interview in the window ``lease`` names, taking it from any other
        window: from now on that window's answers and steps are refused (see ``move`` and
        the answer's transaction). Returns the interview as it stands, read in the same
        transaction, so nothing the other window stored before is missed; None if the
        interview is no longer active."""
        now = to_text(utcnow())

        async def work(tx: Tx) -> Any:
            if not await tx.execute(
                    "UPDATE interviews SET lease = ?, lease_at = ? "
                    "WHERE id = ? AND status = 'active'", (lease, now, interview_id)):
                return None
            row = await tx.fetch_one(f"{self.select} WHERE i.id = ?", (interview_id,))
            return interview_from_row(row) if row else None

        return await self.db.write(work)

    async def release(self, interview_id: int, lease: str) -> bool:
        """Let go of an interview the window ``lease`` holds (its window closes); False if
        another window holds it now."""

        async def work(tx: Tx) -> Any:
            return await tx.execute(
                "UPDATE interviews SET lease = NULL WHERE id = ? AND lease = ?",
                (interview_id, lease),
            ) > 0

        return await self.db.write(work)
    # -- follow-ups ---------------------------------------------------------------------------

    async def skip_follow_up(self, interview_id: int, position: int,
                             person_id: int | None = None, lease: str | None = None) -> bool:
        """Skip the follow-up waiting at ``position``; False if none was waiting. With
        ``person_id``, an interview that is not theirs raises ``NotYours``; with a ``lease``,
        one another window holds raises ``InterviewTakenOver`` and skips nothing."""

        async def work(tx: Tx) -> Any:
            await _check_owner(tx, interview_id, person_id)
            if lease is not None:
                await _check_lease(tx, interview_id, lease)
            return await tx.execute(_SKIP_FOLLOW_UP, (interview_id, position)) > 0

        return await self.db.write(work)
    async def answer_follow_up(self, interview_id: int, position: int, text: str,
                               score: int | None,
                               feedback: dict[str, Any], crisis: bool, answered_at: datetime,
                               person_id: int | None = None, lease: str | None = None
                               ) -> tuple[StoredFollowUp, bool]:
        """Store the answer to the follow-up waiting at ``position`` of an active interview
        that still stands there. Returns the stored follow-up and whether it was answered
        before (a second submission stores nothing and gets the first one's guidance);
        ``FollowUpNotCurrent`` when it is not waiting and was never answered. With
        ``person_id`` (the person acting), an interview that is not theirs raises ``NotYours``
        before anything is stored or read back (checked in the same transaction). With a
        ``lease`` (a terminal window), it is stored only while that window holds the
        interview (``InterviewTakenOver`` otherwise), and a stored answer of another text is
        never handed back as this one's (``FollowUpNotCurrent``)."""
        encoded, when = self.codec.seal_json(feedback), to_text(answered_at)
        sealed = self.codec.seal(text, "text")

        async def work(tx: Tx) -> Any:
            await _check_owner(tx, interview_id, person_id)
            stored = await tx.execute(
                "UPDATE interview_follow_ups SET status = 'answered', text = ?1, score = ?2, "
                "feedback = ?3, crisis = ?4, answered_at = ?5 "
                "WHERE interview_id = ?6 AND position = ?7 AND status = 'asked' AND EXISTS ("
                "SELECT 1 FROM interviews WHERE id = ?6 AND status = 'active' AND position = ?7 "
                f"AND {_held_by(8)})",
                (sealed, score, encoded, int(crisis), when, interview_id, position, lease),
            ) > 0
            if not stored and lease is not None:
                await _check_lease(tx, interview_id, lease)
                kept = await tx.fetch_one(
                    "SELECT text FROM interview_follow_ups WHERE interview_id = ? "
                    "AND position = ?", (interview_id, position))
                if kept is not None and kept[0] is not None and (
                        self.codec.open(kept[0], "text") != text):
                    raise FollowUpNotCurrent
            if stored:
                await tx.execute("UPDATE interviews SET updated_at = ? WHERE id = ?",
                                   (when, interview_id))
            return stored

        stored = await self.db.write(work)
        found = (await self.follow_ups(interview_id, person_id)).get(position)
        if found is None or found.asked.status is not FollowUpStatus.ANSWERED:
            raise FollowUpNotCurrent
        return found, not stored

    async def follow_ups(self, interview_id: int, person_id: int | None = None
                         ) -> dict[int, StoredFollowUp]:
        """Every follow-up an interview asked, by position (with ``person_id``: only if the
        interview is theirs)."""
        rows = await self.db.fetch_all(
            "SELECT f.position, f.question_id, f.key_point, f.prompt, f.status, f.score, "
            "f.feedback FROM interview_follow_ups f JOIN interviews i ON i.id = f.interview_id "
            f"WHERE f.interview_id = ?1 AND {OWNED_BY_2}",
            (interview_id, person_id),
        )
        return {r["position"]: StoredFollowUp(
            r["position"],
            AskedFollowUp(r["question_id"], r["key_point"], r["prompt"],
                          FollowUpStatus(r["status"]), r["score"]),
            self.codec.open_json(r["feedback"]) if r["feedback"] else None) for r in rows}


async def _check_owner(tx: Tx, interview_id: int, person_id: int | None) -> None:
    """Inside a transaction that changed nothing: raise ``NotYours`` when the interview is
    missing or someone else's, so a refusal is not mistaken for a double click."""
    if person_id is None:
        return
    row = await tx.fetch_one("SELECT person_id FROM interviews WHERE id = ?", (interview_id,))
    if row is None or row[0] != person_id:
        raise NotYours(interview_id)


async def _check_lease(tx: Tx, interview_id: int, lease: str) -> None:
    """``InterviewTakenOver`` when another window holds the (active) interview."""
    row = await tx.fetch_one("SELECT status, lease FROM interviews WHERE id = ?",
                             (interview_id,))
    if row is not None and row[0] == "active" and row[1] != lease:
        raise InterviewTakenOver(interview_id)
