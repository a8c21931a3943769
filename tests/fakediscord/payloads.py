"""Discord API objects as plain dicts, shaped the way discord.py parses them."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

_ids = itertools.count(1_300_000_000_000_000_000)

ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
EVERYONE_PERMS = (1 << 10) | (1 << 11) | (1 << 14) | (1 << 16) | (1 << 31) | (1 << 35) | (1 << 38)


def snowflake() -> int:
    return next(_ids)


# Servers made for a chosen shard take their ids from an older span than snowflake()'s (as a
# server is older than its messages), with a low part of their own, so ids never repeat.
_SERVER_SPAN = 1_200_000_000_000_000_000 >> 22
_server_low = itertools.count(1)


def shard_of(snowflake_id: int, count: int) -> int:
    """Discord's rule: the shard whose connection gets a server's events."""
    return (snowflake_id >> 22) % count


def snowflake_on(shard: int, count: int) -> int:
    """A server id on ``shard`` of ``count`` shards. (snowflake()'s ids are consecutive, so
    all of them fall on one shard: (id >> 22) only moves every 4 million ids.)"""
    assert 0 <= shard < count
    high = _SERVER_SPAN + (shard - _SERVER_SPAN) % count
    return (high << 22) | next(_server_low)


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


def user(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {"id": str(user_id), "username": name, "global_name": name, "discriminator": "0",
            "avatar": None, "bot": bot, "public_flags": 0}


def role(role_id: int, name: str, permissions: int = 0, position: int = 1) -> dict[str, Any]:
    return {"id": str(role_id), "name": name, "permissions": str(permissions),
            "position": position, "color": 0, "colors": {"primary_color": 0}, "hoist": False,
            "managed": False, "mentionable": True, "flags": 0, "icon": None,
            "unicode_emoji": None}


def text_channel(channel_id: int, guild_id: int, name: str, position: int = 0
                 ) -> dict[str, Any]:
    return {"id": str(channel_id), "type": 0, "guild_id": str(guild_id), "name": name,
            "position": position, "permission_overwrites": [], "nsfw": False,
            "parent_id": None, "topic": None, "last_message_id": None,
            "rate_limit_per_user": 0}


def thread(thread_id: int, guild_id: int, parent_id: int, owner_id: int, name: str,
           kind: int = 12) -> dict[str, Any]:
    return {"id": str(thread_id), "type": kind, "guild_id": str(guild_id),
            "parent_id": str(parent_id), "owner_id": str(owner_id), "name": name,
            "last_message_id": None, "rate_limit_per_user": 0, "message_count": 0,
            "member_count": 1, "flags": 0, "total_message_sent": 0,
            "thread_metadata": {"archived": False, "auto_archive_duration": 1440,
                                "archive_timestamp": now_iso(), "locked": False,
                                "invitable": False, "create_timestamp": now_iso()}}


def dm_channel(channel_id: int, recipient: dict[str, Any]) -> dict[str, Any]:
    return {"id": str(channel_id), "type": 1, "recipients": [recipient],
            "last_message_id": None}


def member(u: dict[str, Any], roles: list[int] | None = None,
           permissions: int | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"user": u, "roles": [str(r) for r in roles or []],
                            "joined_at": now_iso(), "deaf": False, "mute": False, "flags": 0,
                            "nick": None, "avatar": None, "pending": False,
                            "communication_disabled_until": None}
    if permissions is not None:
        data["permissions"] = str(permissions)
    return data


def guild(guild_id: int, name: str, owner_id: int, channels: list[dict[str, Any]],
          roles: list[dict[str, Any]], members: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": str(guild_id), "name": name, "icon": None, "splash": None,
        "discovery_splash": None, "owner_id": str(owner_id), "afk_channel_id": None,
        "afk_timeout": 300, "verification_level": 0, "default_message_notifications": 0,
        "explicit_content_filter": 0, "roles": roles, "emojis": [], "stickers": [],
        "features": [], "mfa_level": 0, "application_id": None, "system_channel_id": None,
        "system_channel_flags": 0, "rules_channel_id": None, "vanity_url_code": None,
        "description": None, "banner": None, "premium_tier": 0,
        "premium_subscription_count": 0, "preferred_locale": "en-US",
        "public_updates_channel_id": None, "nsfw_level": 0, "premium_progress_bar_enabled": False,
        "joined_at": now_iso(), "large": False, "unavailable": False,
        "member_count": len(members), "voice_states": [], "members": members,
        "channels": channels, "threads": [], "presences": [], "stage_instances": [],
        "guild_scheduled_events": [], "soundboard_sounds": [],
    }


def message(message_id: int, channel_id: int, author: dict[str, Any], body: dict[str, Any],
            guild_id: int | None = None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": str(message_id), "channel_id": str(channel_id), "author": author,
        "content": body.get("content") or "", "timestamp": now_iso(),
        "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [],
        "mention_roles": [], "attachments": body.get("attachments", []),
        "embeds": body.get("embeds") or [], "pinned": False, "type": 0,
        "flags": body.get("flags", 0) or 0, "components": body.get("components") or [],
    }
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    data.update(extra)
    return data
