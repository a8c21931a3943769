"""Pacing for bulk sends: stay under Discord's global limit instead of bumping into it."""

from __future__ import annotations

import asyncio
import time
from collections import deque

from bot.core.records import ShardSet


class Pacer:
    """Spaces sends evenly at ``rate`` a second, and never lets more than ``cap`` start in any
    one-second window.

    discord.py only reacts to a 429; a daily fan-out to many guilds paces itself so none is
    ever answered. Even spacing keeps bursts out; the window cap catches the bunching that
    follows an event-loop stall (sends whose turn came during the stall all wake at once),
    and both leave room for interactions arriving meanwhile.
    """

    def __init__(self, rate: float, cap: int | None = None) -> None:
        self.interval = 1.0 / rate
        self.cap = cap if cap is not None else int(rate)
        self._next = 0.0
        self._recent: deque[float] = deque()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
                while self._recent and now - self._recent[0] >= 1.0:
                    self._recent.popleft()
                wait = max(self._next - now,
                           1.0 - (now - self._recent[0]) if len(self._recent) >= self.cap else 0)
                if wait <= 0:
                    break
                await asyncio.sleep(wait)
            self._recent.append(now)
            # Keep the cadence (sleeps overshoot a little), unless the sends fell behind it.
            self._next = max(self._next, now - self.interval) + self.interval


def share_of_limit(rate: float, cap: int, shards: ShardSet | None) -> Pacer:
    """The pacer for one process's share of the bot's ``rate`` (and ``cap``): Discord counts
    the requests of all the bot's processes against one global limit, so a process running
    some of the shards sends at their share of it (2 of 6 shards: a third). Servers spread
    evenly over the shards, so the processes posting together keep the bot near the whole
    rate; one posting alone (the others down) is slower, never over the limit."""
    share = 1.0 if shards is None else len(shards.ids) / shards.count
    return Pacer(rate * share, cap=max(1, int(cap * share)))
