"""Progress, cohort reports and leaderboards for the front ends, each on the right local day.

Which day "today" is decides a streak: the person's time zone (else their server's, else
the deployment's) for their own progress and the leaderboard, the deployment's for a
cohort report. That is decided here, in the core, not by each front end.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from bot.progress import ProgressReport, build_report
from bot.streaks import local_day

if TYPE_CHECKING:
    from bot.core.ports import StandingsStore
    from bot.core.records import MemberReport, Standing
    from bot.interview.engine import InterviewService


class Standings:
    def __init__(self, engine: InterviewService, store: StandingsStore) -> None:
        self.engine = engine
        self.store = store

    async def progress(self, person_id: int, guild_id: int | None = None, *, weeks: int = 12
                       ) -> tuple[str, ProgressReport]:
        """The person's progress over ``weeks``, and the time zone its days are counted in."""
        zone = await self.engine.timezone_for(person_id, guild_id)
        today = local_day(self.engine.clock(), zone)
        return zone, await build_report(self.store, self.engine.bank, person_id, today,
                                        weeks=weeks)

    async def score_history(self, person_id: int, limit: int = 500
                            ) -> list[tuple[datetime, int]]:
        """The person's scores over time, newest first (answers with no score left out)."""
        return await self.store.answers.score_history(person_id, limit=limit)

    async def cohort_report(self, cohort_id: int) -> list[MemberReport]:
        """Each member's progress in the cohort (counts, scores, streaks; no answer text),
        streaks as they stand today in the deployment's time zone."""
        today = local_day(self.engine.clock(), self.engine.default_timezone)
        return await self.store.cohorts.report(cohort_id, today)

    async def leaderboard(self, *, guild_id: int, cohort_id: int | None, metric: str,
                          period: str, person_id: int
                          ) -> tuple[list[Standing], Standing | None]:
        """The top 10 and the person's own standing, periods counted in their local days."""
        zone = await self.engine.timezone_for(person_id, guild_id)
        today = local_day(self.engine.clock(), zone)
        return await self.store.cohorts.leaderboard(
            guild_id=guild_id, cohort_id=cohort_id, metric=metric, period=period,
            today=today, caller_person_id=person_id)
