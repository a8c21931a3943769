"""Per-guild settings: training channel, facilitator role, time zone."""

from __future__ import annotations

from bot.clock import to_text, utcnow
from bot.core.records import GuildSettings
from bot.storage.sql import Backend

_COLUMNS = ("training_channel_id", "facilitator_role_id", "timezone")


class Guilds:
    def __init__(self, db: Backend) -> None:
        self.db = db

    async def get(self, guild_id: int) -> GuildSettings:
        row = await self.db.fetch_one("SELECT * FROM guild_settings WHERE guild_id = ?",
                                      (guild_id,))
        if row is None:
            return GuildSettings(guild_id)
        return GuildSettings(guild_id, row["training_channel_id"], row["facilitator_role_id"],
                             row["timezone"])

    async def timezone(self, guild_id: int) -> str | None:
        return (await self.get(guild_id)).timezone

    async def update(self, guild_id: int, **values: int | str | None) -> GuildSettings:
        unknown = set(values) - set(_COLUMNS)
        if unknown:
            raise ValueError(f"unknown guild settings: {sorted(unknown)}")
        columns = list(values)
        assignments = ", ".join(f"{c} = excluded.{c}" for c in columns)
        await self.db.write(lambda tx: tx.execute(
            f"INSERT INTO guild_settings (guild_id, {', '.join(columns)}, updated_at) "
            f"VALUES (?, {', '.join('?' for _ in columns)}, ?) ON CONFLICT (guild_id) "
            f"DO UPDATE SET {assignments}, updated_at = excluded.updated_at",
            (guild_id, *values.values(), to_text(utcnow()))))
        return await self.get(guild_id)
