"""The daily question's bookkeeping, free of Discord: which slot is due, claiming it, choosing
the question, and settling the day. The Discord extension only sends the message.

The order that makes every day come out exactly once, whatever fails or dies when:

1. claim the day's row (UNIQUE guild and day; a failed row or a stale claim is claimed
   again, keeping its id);
2. send, with the row's id in the message (button and nonce), after looking for a message
   of an earlier try that may be out unrecorded;
3. settle: mark the row posted and move the schedule to the next slot, in one transaction.

The schedule only moves on once the day is settled. Until then it stays due, so a crash
anywhere before step 3 leaves a due schedule and a claim that goes stale and is taken over.
A failure that may pass marks the row failed and makes the schedule due again later; one
that needs a person pauses the guild with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import datetime

from bot.bank import Bank, Question
from bot.core.ports import DailyServiceStore
from bot.core.records import Claim, DailyPost, DailySchedule, ShardSet
from bot.daily.schedule import Slot, choose_question, latest_due, next_slot, parse_time, slot_on
from bot.streaks import local_day


@dataclass(frozen=True, slots=True)
class PlannedPost:
    """A day this process has claimed and now sends."""

    schedule: DailySchedule
    post: DailyPost
    question: Question
    slot: Slot
    retake: bool = False  # an earlier try may have got the message out: look first

    @property
    def nonce(self) -> str:
        """The same for every try at this day: Discord returns the message it already
        made for a repeated nonce instead of posting a second one (for a few minutes)."""
        return f"daily-{self.post.id}"


class PostGone(Exception):
    """The daily post, or its question, is no longer there to answer."""


class PostElsewhere(Exception):
    """The daily post belongs to another server than the one it is answered from."""


class DailyService:
    def __init__(self, store: DailyServiceStore, bank: Bank, instance: str,
                 shards: ShardSet | None = None,
                 has_ended: Callable[[str], bool] = lambda instance: False) -> None:
        self.store = store
        self.bank = bank
        self.instance = instance  # names this process in claims
        # Whether the process a claim names is known to have ended (the front end can tell
        # for processes on its own machine): its claim is taken over at once, not after
        # STALE_CLAIM. Unknown (another machine) is not ended.
        self.has_ended = has_ended
        # The servers this process schedules: those on its own shards (None: every one).
        # Only a choice of work: the claim row keeps each day to one post, whoever else
        # schedules the same server.
        self.shards = shards

    # -- what the front end reads --------------------------------------------------------

    async def schedule(self, guild_id: int) -> DailySchedule | None:
        return await self.store.daily.schedule(guild_id)

    async def last_post(self, guild_id: int) -> DailyPost | None:
        return await self.store.daily.last_post(guild_id)

    async def due(self, now: datetime, excluding: Collection[int] = ()) -> list[DailySchedule]:
        """The active schedules of this process's servers due at ``now``, earliest first,
        leaving out ``excluding``."""
        return await self.store.daily.due(now, excluding=excluding, shards=self.shards)

    async def next_due_at(self, excluding: Collection[int] = ()) -> datetime | None:
        """When the next active schedule of this process's servers (not one of
        ``excluding``) is due."""
        return await self.store.daily.next_due_at(excluding=excluding, shards=self.shards)

    async def pause(self, guild_id: int) -> None:
        """Stop posting until the schedule is set up or resumed again."""
        await self.store.daily.set_paused(guild_id, True, None)

    async def to_answer(self, post_id: int, guild_id: int | None) -> tuple[DailyPost, Question]:
        """The post ``post_id`` and its question, to answer from server ``guild_id``.
        Raises PostGone, or PostElsewhere for a post of another server."""
        post = await self.store.daily.post(post_id)
        question = self.bank.get(post.question_id) if post else None
        if post is None or question is None:
            raise PostGone
        if post.guild_id != guild_id:
            raise PostElsewhere
        return post, question

    def candidates(self, topic: str | None) -> list[str]:
        return [q.id for q in self.bank.select("all", topic)]

    async def setup(self, schedule: DailySchedule, now: datetime) -> DailySchedule:
        """Save a (new, changed or resumed) schedule. The first post is the next slot after
        now, unless today's slot has passed and today is still owed a post: its try failed
        (say, permissions since fixed), or the schedule was due when it was changed. Then
        today's post goes out now."""
        at = parse_time(schedule.local_time)
        today = slot_on(local_day(now, schedule.timezone), at, schedule.timezone)
        due_at = next_slot(at, schedule.timezone, now).due_at
        if today.due_at <= now:
            row = await self.store.daily.post_on(schedule.guild_id, today.day)
            before = await self.store.daily.schedule(schedule.guild_id)
            if row is not None:
                owed = row.status != "posted"
            else:
                owed = (before is not None and not before.paused
                        and before.next_due_at <= now)
            if owed:
                due_at = now
        saved = replace(schedule, next_due_at=due_at, paused=False, problem=None)
        await self.store.daily.save_schedule(saved, now)
        return saved

    async def plan(self, schedule: DailySchedule, now: datetime, *, make_up: bool = False
                   ) -> PlannedPost | Claim:
        """Claim the due post of ``schedule``: a PlannedPost to send, or the lost Claim
        (the day is posted, or another process is posting it) after moving the schedule
        on if the day turned out settled.

        ``make_up`` claims today's post even before its time (/daily post-now)."""
        at = parse_time(schedule.local_time)
        if make_up:
            slot = slot_on(local_day(now, schedule.timezone), at, schedule.timezone)
        else:
            slot = latest_due(at, schedule.timezone, now)
        used = await self.store.daily.used_questions(schedule.guild_id)
        pool = self.candidates(schedule.topic) or self.candidates(None)
        question_id = choose_question(pool, used, seed=f"{schedule.guild_id}:{slot.day}")
        claim = await self.store.daily.claim(schedule.guild_id, slot.day, question_id,
                                             self.instance, now)
        holder = claim.post.claimed_by
        if (not claim.won and claim.post.status == "claimed" and holder is not None
                and holder != self.instance and self.has_ended(holder)):
            # Its process died mid-post (a restart after a crash): take the day over now.
            claim = await self.store.daily.claim(schedule.guild_id, slot.day, question_id,
                                                 self.instance, now, take_over=holder)
        if not claim.won:
            if claim.post.status == "posted":
                await self.store.daily.advance(schedule, self._following(schedule, slot, now))
            return claim
        question = self.bank.get(claim.post.question_id) or self.bank[question_id]
        return PlannedPost(schedule, claim.post, question, slot, claim.retake)

    async def posted(self, planned: PlannedPost, channel_id: int, message_id: int,
                     now: datetime) -> None:
        """The message is out: settle the day and move the schedule to the next slot."""
        await self.store.daily.settle(
            planned.post.id, channel_id, message_id, planned.schedule,
            self._following(planned.schedule, planned.slot, now))

    async def failed_for_good(self, planned: PlannedPost, problem: str) -> None:
        await self.store.daily.give_up(planned.post.id, planned.schedule.guild_id, problem,
                                       claimed_by=self.instance)

    async def failed_for_now(self, planned: PlannedPost, error: str, now: datetime,
                             retry_at: datetime) -> None:
        await self.store.daily.retry_later(planned.post.id, error, planned.schedule.guild_id,
                                           now, retry_at, claimed_by=self.instance)

    @staticmethod
    def _following(schedule: DailySchedule, slot: Slot, now: datetime) -> datetime:
        """The slot after a settled day: the next after now, and never the settled day's own
        (a post made up early with /daily post-now counts for the day)."""
        after = max(now, slot.due_at)
        return next_slot(parse_time(schedule.local_time), schedule.timezone, after).due_at
