"""Waiting before trying a guild's daily post again, so one broken guild can't spin the loop."""

from __future__ import annotations

from datetime import datetime, timedelta


class Backoff:
    """Per-key holds. Each consecutive failure doubles the wait (``first``, 2x, 4x, ... up to
    ``cap``); a success clears the count. A key can also be held for a given time without
    counting as a failure (another process is busy with it)."""

    def __init__(self, first: timedelta, cap: timedelta) -> None:
        self.first = first
        self.cap = cap
        self._failures: dict[int, int] = {}
        self._until: dict[int, datetime] = {}

    def failed(self, key: int, now: datetime) -> datetime:
        """Count a failure; returns when the key may be tried again."""
        failures = self._failures.get(key, 0) + 1
        self._failures[key] = failures
        wait = min(self.cap, self.first * 2 ** min(failures - 1, 30))
        self._until[key] = now + wait
        return self._until[key]

    def hold(self, key: int, until: datetime) -> None:
        self._until[key] = until

    def clear(self, key: int) -> None:
        self._failures.pop(key, None)
        self._until.pop(key, None)

    def holds(self, now: datetime) -> dict[int, datetime]:
        """The keys held at ``now``, and until when."""
        return {k: t for k, t in self._until.items() if now < t}
