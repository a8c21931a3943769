"""The daily question's bookkeeping, free of Discord: which slot is due, claiming it, choosing
the question, and moving the schedule on. The Discord extension only sends the message."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from bot.bank import Bank, Question
from bot.daily.schedule import choose_question, latest_due, next_slot, parse_time, slot_on
from bot.storage import DailyPost, DailySchedule, Store
from bot.streaks import local_day


@dataclass(frozen=True, slots=True)
class PlannedPost:
    schedule: DailySchedule
    post: DailyPost
    question: Question


class DailyService:
    def __init__(self, store: Store, bank: Bank, instance: str) -> None:
        self.store = store
        self.bank = bank
        self.instance = instance  # names this process in claims

    def candidates(self, topic: str | None) -> list[str]:
        return [q.id for q in self.bank.select("all", topic)]

    async def setup(self, schedule: DailySchedule, now: datetime) -> DailySchedule:
        """Save a (new or changed) schedule; the first post is the next slot after now."""
        slot = next_slot(parse_time(schedule.local_time), schedule.timezone, now)
        saved = replace(schedule, next_due_at=slot.due_at, paused=False, problem=None)
        await self.store.daily.save_schedule(saved, now)
        return saved

    async def plan(self, schedule: DailySchedule, now: datetime, *, make_up: bool = False
                   ) -> PlannedPost | None:
        """Claim the due post of ``schedule``; None when another process has it already.

        ``make_up`` claims today's post even before its time (/daily post-now)."""
        at = parse_time(schedule.local_time)
        if make_up:
            slot = slot_on(local_day(now, schedule.timezone), at, schedule.timezone)
        else:
            slot = latest_due(at, schedule.timezone, now)
        used = await self.store.daily.used_questions(schedule.guild_id)
        pool = self.candidates(schedule.topic) or self.candidates(None)
        question_id = choose_question(pool, used, seed=f"{schedule.guild_id}:{slot.day}")
        post = await self.store.daily.claim(schedule.guild_id, slot.day, question_id,
                                            self.instance, now)
        if not make_up:
            following = next_slot(at, schedule.timezone, now)
            await self.store.daily.advance(schedule.guild_id, now, following.due_at)
        if post is None:
            return None
        question = self.bank.get(post.question_id) or self.bank[question_id]
        return PlannedPost(schedule, post, question)
