"""Pacing for bulk sends: stay under Discord's global limit instead of bumping into it."""

from __future__ import annotations

import asyncio
import time
from collections import deque


class Pacer:
    """At most ``rate`` acquisitions in any sliding window of one second.

    discord.py only reacts to a 429; a daily fan-out to many guilds paces itself so none
    is ever answered, leaving a little room for interactions arriving meanwhile.
    """

    def __init__(self, rate: float, window: float = 1.0) -> None:
        self.rate = int(rate)
        self.window = window
        self._sent: deque[float] = deque()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = time.monotonic()
                while self._sent and now - self._sent[0] >= self.window:
                    self._sent.popleft()
                if len(self._sent) < self.rate:
                    self._sent.append(now)
                    return
                await asyncio.sleep(self.window - (now - self._sent[0]) + 0.001)
