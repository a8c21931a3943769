"""Answers and what they feed: review cards, practice days, period totals and streaks, written
together in one transaction from the record the core computed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from bot.clock import from_text, to_text
from bot.core.records import (
    AnswerContext,
    AnswerNotCurrent,
    AnswerRecord,
    CardInfo,
    ConcurrentChange,
    Interview,
    InterviewGone,
    InterviewTakenOver,
    NotYours,
    OwnAnswer,
    StoredAnswer,
    StreakState,
)
from bot.storage.codec import Codec
from bot.storage.interviews import (
    OWNED_BY_2,
    interview_columns,
    interview_from_row,
    select_interview,
)
from bot.storage.sql import Backend, Tx


def periods_of(day: date) -> tuple[str, str, str]:
    """The leaderboard periods a local day belongs to: its ISO week, its month, all time."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}", f"{day.year:04d}-{day.month:02d}", "all"


def _streak_state(row: Any) -> StreakState:
    return StreakState(
        current=row["current"], best=row["best"], freezes=row["freezes"],
        days_to_freeze=row["days_to_freeze"],
        last_day=date.fromisoformat(row["last_day"]) if row["last_day"] else None,
    )


# Everything an answer's updates are computed from, in one statement: the time zones that
# decide its local day, its review card and the streak it extends (AnswerContext).
_CONTEXT = (
    "SELECT p.id AS person_id, p.timezone AS person_zone, "
    "(SELECT timezone FROM guild_settings WHERE guild_id = :guild) AS guild_zone, "
    "(SELECT card FROM review_cards WHERE person_id = p.id AND question_id = :question) AS card, "
    "s.current, s.best, s.freezes, s.days_to_freeze, s.last_day "
    "FROM people p LEFT JOIN streaks s ON s.person_id = p.id WHERE p.id = :person"
)


def _context(row: Any, guild_id: int | None) -> AnswerContext:
    return AnswerContext(
        person_id=row["person_id"], guild_id=guild_id, person_zone=row["person_zone"],
        guild_zone=row["guild_zone"], card=row["card"],
        streak=_streak_state(row) if row["current"] is not None else StreakState())


class Answers:
    def __init__(self, db: Backend, codec: Codec | None = None) -> None:
        self.db = db
        self.codec = codec or Codec()  # answer text and feedback at rest (codec.py)
        self.select_interview = select_interview(db.dialect)
        self.interview_columns = interview_columns(db.dialect)

    async def context(self, question_id: str, *, person_id: int | None = None,
                      guild_id: int | None = None, interview_id: int | None = None
                      ) -> AnswerContext:
        """What an answer to ``question_id`` is computed from: by ``person_id`` (and the
        ``guild_id`` it is given in), or, for an interview answer, by its interview's person
        and guild (``InterviewGone`` when there is no such interview). Checks nothing about
        who asks: the write that follows does, and nothing read here is shown to anyone."""
        if interview_id is not None:
            row = await self.db.fetch_one(
                "SELECT person_id, guild_id FROM interviews WHERE id = ?", (interview_id,))
            if row is None:
                raise InterviewGone(interview_id)
            person_id, guild_id = row["person_id"], row["guild_id"]
        if person_id is None:
            raise ValueError("an answer's context needs a person or an interview")
        found = await self.db.fetch_one(
            _CONTEXT, {"guild": guild_id, "person": person_id, "question": question_id})
        if found is None:  # no such person: nothing to compute from
            return AnswerContext(person_id, guild_id, None, None, None)
        return _context(found, guild_id)

    async def record(self, record: AnswerRecord) -> StoredAnswer:
        """Write an answer and everything it changes (``AnswerRecord``), all or nothing."""
        # Sealed here, on the event loop, before the write waits for the writer.
        codec = self.codec
        feedback = codec.seal_json(record.feedback)
        text = codec.seal(record.text, "text") if codec.enabled else record.text
        select = self.select_interview
        # Every row the answer depends on, it writes: its interview and question, review
        # card, streak, day and period totals (a change of one since the write began fails
        # the write's own statement). What it reads and does not write are the daily post's
        # server, which never changes, and the two time zones, whose writes read nothing an
        # answer writes: an answer that read the old zone simply comes first. So a row
        # changed meanwhile is all that needs refusing (``conflicts_by_row``).
        return await self.db.write(
            lambda tx: _record(tx, record, text or "", feedback, codec, select),
            conflicts_by_row=True)

    async def interview_attempts(self, interview_id: int, person_id: int | None = None
                                 ) -> dict[str, list[dict[str, Any]]]:
        """Feedback of every answer in an interview by question id, oldest first; with
        ``person_id``, only if the interview is that person's (else nothing)."""
        rows = await self.db.fetch_all(
            "SELECT a.question_id, a.feedback FROM answers a JOIN interviews i "
            "ON i.id = a.interview_id WHERE a.interview_id = ?1 "
            f"AND {OWNED_BY_2} ORDER BY a.id",
            (interview_id, person_id),
        )
        out: dict[str, list[dict[str, Any]]] = {}
        for row in rows:
            out.setdefault(row["question_id"], []).append(self.codec.open_json(row["feedback"]))
        return out

    async def own_answer(self, answer_id: int, person_id: int) -> OwnAnswer:
        """The answer ``answer_id`` with its interview, only if it is ``person_id``'s: the
        owner is part of the one query that reads it. Raises ``NotYours`` otherwise."""
        row = await self.db.fetch_one(
            "SELECT a.id AS answer_id, a.question_id AS answer_question, a.feedback, i.*, "
            f"{self.interview_columns} FROM answers a "
            "LEFT JOIN interviews i ON i.id = a.interview_id "
            "WHERE a.id = ? AND a.person_id = ?", (answer_id, person_id))
        if row is None:
            raise NotYours(answer_id)
        interview = interview_from_row(row) if row["id"] is not None else None
        return OwnAnswer(row["answer_id"], row["answer_question"],
                         self.codec.open_json(row["feedback"]),
                         interview)

    async def answer_id(self, submission_key: str, person_id: int) -> int | None:
        """The id of ``person_id``'s answer stored under ``submission_key``, if any and not a
        crisis answer (the one use is offering Share, never offered for those)."""
        row = await self.db.fetch_one(
            "SELECT id FROM answers WHERE submission_key = ? AND person_id = ? AND crisis = 0",
            (submission_key, person_id))
        return int(row["id"]) if row else None

    async def cards(self, person_id: int) -> dict[str, CardInfo]:
        rows = await self.db.fetch_all(
            "SELECT question_id, due_at, last_score FROM review_cards WHERE person_id = ?",
            (person_id,),
        )
        return {r["question_id"]: CardInfo(r["question_id"], from_text(r["due_at"]),
                                           r["last_score"]) for r in rows}

    async def streak(self, person_id: int) -> StreakState:
        row = await self.db.fetch_one("SELECT * FROM streaks WHERE person_id = ?", (person_id,))
        return _streak_state(row) if row else StreakState()

    async def practice_days(self, person_id: int, since: date) -> dict[date, tuple[int, bool]]:
        """Local days from ``since`` with (answers, frozen)."""
        rows = await self.db.fetch_all(
            "SELECT day, answers, frozen FROM practice_days WHERE person_id = ? AND day >= ?",
            (person_id, since.isoformat()),
        )
        return {date.fromisoformat(r["day"]): (r["answers"], bool(r["frozen"])) for r in rows}

    async def scores_by_question(self, person_id: int) -> list[tuple[str, int, int]]:
        """(question id, answers, total score) per question the person has answered, crisis
        answers left out (they have no score)."""
        rows = await self.db.fetch_all(
            "SELECT question_id, COUNT(*) AS n, SUM(score) AS total FROM answers "
            "WHERE person_id = ? AND crisis = 0 GROUP BY question_id", (person_id,),
        )
        # PostgreSQL sums a BIGINT as a decimal: an int here, as on SQLite.
        return [(r["question_id"], int(r["n"]), int(r["total"])) for r in rows]

    async def score_history(self, person_id: int, limit: int = 500) -> list[tuple[datetime, int]]:
        rows = await self.db.fetch_all(
            "SELECT answered_at, score FROM answers WHERE person_id = ? AND crisis = 0 "
            "ORDER BY answered_at DESC, id DESC LIMIT ?", (person_id, limit),  # ties: in turn
        )
        return [(from_text(r["answered_at"]), r["score"]) for r in reversed(rows)]


async def _record(tx: Tx, new: AnswerRecord, text: str, feedback: str, codec: Codec,
                  select: str) -> StoredAnswer:
    """The answer's SQL, in one transaction: ``text`` and ``feedback`` are ``new``'s, sealed
    for storing; ``select`` reads an interview (``select_interview``)."""
    expected = new.expected
    person_id, guild_id = expected.person_id, expected.guild_id
    answered_at = to_text(new.answered_at)
    if new.interview_id is not None:
        person_id, guild_id, stored = await _for_interview(tx, new, codec, select)
        if stored is not None:
            return stored
    elif new.daily_post_id is not None and new.actor_id is not None:
        post = await tx.fetch_one("SELECT guild_id FROM daily_posts WHERE id = ?",
                                  (new.daily_post_id,))
        if post is None or post[0] != guild_id:  # a post of another server, or none
            raise NotYours(new.daily_post_id)
    # The answer is stored once per key, and only if what it was computed from still holds.
    found = await tx.fetch_one(
        _CONTEXT, {"guild": guild_id, "person": person_id, "question": new.question_id})
    now = (AnswerContext(person_id, guild_id, None, None, None) if found is None
           else _context(found, guild_id))
    if now != replace(expected, person_id=person_id, guild_id=guild_id):
        # Storing it first changes the context: sent again, it is the duplicate.
        duplicate = await _stored(tx, new, person_id, guild_id, codec, select)
        if duplicate is not None:
            return duplicate
        raise ConcurrentChange
    day = new.local_day.isoformat()
    # The key is not looked up before: on PostgreSQL that read would lock the index page
    # where every new key goes, and answers stored together would fail each other's commit.
    inserted = await tx.fetch_one(
        "INSERT INTO answers (person_id, interview_id, daily_post_id, question_id, "
        "submission_key, text, score, feedback, crisis, answered_at, local_day) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (submission_key) DO NOTHING RETURNING id",
        (person_id, new.interview_id, new.daily_post_id, new.question_id,
         new.submission_key, text, new.score, feedback, int(new.crisis), answered_at, day))
    if inserted is None:  # stored before under its key, from the same context
        duplicate = await _stored(tx, new, person_id, guild_id, codec, select)
        assert duplicate is not None
        return duplicate
    writes: list[tuple[str, Any]] = []
    # A crisis answer has no score: it feeds no review card (its 0 would bring the question
    # back as "hard"), no answer count or average, no leaderboard, no cohort report. It still
    # counts for the streak (below): the trainee showed up, and a streak lost on the day they
    # reached out would punish reaching out. (The core sends no card for it.)
    if not new.crisis:
        if new.card is not None:
            writes.append((
                "INSERT INTO review_cards (person_id, question_id, card, due_at, last_score) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (person_id, question_id) DO UPDATE SET "
                "card = excluded.card, due_at = excluded.due_at, "
                "last_score = excluded.last_score, reviews = review_cards.reviews + 1",
                (person_id, new.question_id, new.card.card, to_text(new.card.due_at),
                 new.score)))
        writes.append((
            "INSERT INTO practice_days (person_id, day, answers, score_sum) VALUES (?, ?, 1, ?) "
            "ON CONFLICT (person_id, day) DO UPDATE SET answers = practice_days.answers + 1, "
            "score_sum = practice_days.score_sum + excluded.score_sum, frozen = 0",
            (person_id, day, new.score)))
        week, month, ever = periods_of(new.local_day)
        writes.append((
            "INSERT INTO period_totals (period, person_id, answers, score_sum) "
            "VALUES (?1, ?4, 1, ?5), (?2, ?4, 1, ?5), (?3, ?4, 1, ?5) "
            "ON CONFLICT (person_id, period) DO UPDATE SET answers = period_totals.answers + 1, "
            "score_sum = period_totals.score_sum + excluded.score_sum",
            (week, month, ever, person_id, new.score)))
    s = new.streak.state
    writes.append((
        "INSERT INTO streaks (person_id, current, best, freezes, days_to_freeze, last_day) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (person_id) DO UPDATE SET "
        "current = excluded.current, best = excluded.best, freezes = excluded.freezes, "
        "days_to_freeze = excluded.days_to_freeze, last_day = excluded.last_day",
        (person_id, s.current, s.best, s.freezes, s.days_to_freeze,
         s.last_day.isoformat() if s.last_day else None)))
    if new.streak.frozen_day is not None:
        writes.append((
            "INSERT INTO practice_days (person_id, day, answers, frozen) "
            "VALUES (?, ?, 0, 1) ON CONFLICT (person_id, day) DO NOTHING",
            (person_id, new.streak.frozen_day.isoformat())))
    if new.interview_id is not None and new.position is not None:
        writes.append((
            "UPDATE interview_questions SET outcome = 'answered' "
            "WHERE interview_id = ? AND position = ?", (new.interview_id, new.position)))
        writes.append((
            "UPDATE interviews SET updated_at = ?1, "
            "lease_at = CASE WHEN lease IS NOT NULL THEN ?1 ELSE lease_at END "
            "WHERE id = ?2", (answered_at, new.interview_id)))
        if new.follow_up is not None:
            writes.append((
                "INSERT INTO interview_follow_ups (interview_id, position, question_id, "
                "key_point, prompt, asked_at) SELECT id, ?, ?, ?, ?, ? FROM interviews "
                "WHERE id = ? AND follow_ups = 1 ON CONFLICT (interview_id, position) DO NOTHING",
                (new.position, new.question_id, *new.follow_up, answered_at, new.interview_id)))
    # Each waits for the one before: a failing statement stops the rest, so none runs after
    # SQLite has rolled the transaction back on a disk or I/O error.
    for sql, params in writes:
        await tx.execute(sql, params)
    row = (await tx.fetch_one(f"{select} WHERE i.id = ?", (new.interview_id,))
           if new.interview_id is not None else None)
    interview = interview_from_row(row) if row else None
    return StoredAnswer(int(inserted[0]), new.question_id, new.score,
                        new.feedback, duplicate=False, person_id=person_id,
                        guild_id=guild_id, interview=interview)


async def _for_interview(tx: Tx, new: AnswerRecord, codec: Codec, select: str
                         ) -> tuple[int, int | None, StoredAnswer | None]:
    """The interview's person and guild, and whether the answer may be stored: an answer
    stored before under its key comes back as the duplicate; an interview that has moved on
    (or a question that is not the one at its position) stores nothing.

    An answer written in a window (``lease``) is stored only while that window holds the
    interview, else ``InterviewTakenOver``; and it is never answered with the guidance of a
    different text stored under its key (``AnswerNotCurrent``)."""
    row = await tx.fetch_one(
        "SELECT i.person_id, i.guild_id, i.status, i.position, i.attempt, i.lease, "
        "q.question_id "
        "FROM interviews i LEFT JOIN interview_questions q "
        "ON q.interview_id = i.id AND q.position = ? WHERE i.id = ?",
        (new.position, new.interview_id),
    )
    if row is None:
        raise InterviewGone(new.interview_id)
    if new.actor_id is not None and row["person_id"] != new.actor_id:
        raise NotYours(new.interview_id)  # before the duplicate lookup: nothing read back
    person_id, guild_id = row["person_id"], row["guild_id"]
    if new.lease is not None and row["lease"] != new.lease:
        raise InterviewTakenOver(new.interview_id)
    current = (row["status"] == "active" and row["position"] == new.position
               and row["attempt"] == new.attempt and row["question_id"] == new.question_id)
    if current:
        return person_id, guild_id, None
    stored = await _stored(tx, new, person_id, guild_id, codec, select)
    if stored is None:
        raise AnswerNotCurrent
    return person_id, guild_id, stored


async def _stored(tx: Tx, new: AnswerRecord, person_id: int, guild_id: int | None,
                  codec: Codec, select: str) -> StoredAnswer | None:
    """The answer already stored under ``new``'s submission key, as a duplicate. For an
    answer written in a window (``lease``), only if it is the same text: a different answer
    is never given the stored one's guidance (``AnswerNotCurrent``)."""
    row = await tx.fetch_one(
        "SELECT id, question_id, score, feedback, text FROM answers "
        "WHERE submission_key = ?", (new.submission_key,))
    if row is None:
        return None
    if (new.lease is not None and row["text"] is not None
            and codec.open(row["text"], "text") != new.text):
        raise AnswerNotCurrent
    return StoredAnswer(row["id"], row["question_id"], row["score"],
                        codec.open_json(row["feedback"]), duplicate=True,
                        person_id=person_id, guild_id=guild_id,
                        interview=await _interview_of(tx, new, select))


async def _interview_of(tx: Tx, new: AnswerRecord, select: str) -> Interview | None:
    if new.interview_id is None:
        return None
    row = await tx.fetch_one(f"{select} WHERE i.id = ?", (new.interview_id,))
    return interview_from_row(row) if row else None
