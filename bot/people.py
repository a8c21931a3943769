"""Who is acting: the person behind a Discord user or a terminal name, and their time zone.

A core service for the front ends, so no adapter reads or writes people in the store for
anything an interview, answer or streak depends on (whose interview it is, which days a
streak counts). A time zone is checked here, by the one rule (``bot.timezones``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot import timezones

if TYPE_CHECKING:
    from bot.core.ports import PeopleServiceStore
    from bot.core.records import Person


class People:
    def __init__(self, store: PeopleServiceStore) -> None:
        self.store = store

    async def find_discord(self, user_id: int) -> Person | None:
        """The person for a Discord user, if they ever used PeerPrep (nobody is created)."""
        return await self.store.people.find_discord(user_id)

    async def for_discord(self, user_id: int) -> Person:
        """The person for a Discord user, created on first contact."""
        return await self.store.people.for_discord(user_id)

    async def find_local(self, name: str) -> Person | None:
        """The terminal practiser called ``name``, if there is one."""
        return await self.store.people.find_local(name)

    async def for_local(self, name: str) -> Person:
        """The terminal practiser called ``name``, created if new."""
        return await self.store.people.for_local(name)

    async def set_timezone(self, person: Person, zone: str) -> Person:
        """Count ``person``'s days in ``zone`` from now on (any case: its canonical name is
        stored). Raises ValueError for a name that is no time zone."""
        canonical = timezones.canonical(zone)
        if canonical is None:
            raise ValueError(f"unknown time zone {zone!r}")
        if canonical != person.timezone:
            await self.store.people.set_timezone(person.id, canonical)
        return replace(person, timezone=canonical)
