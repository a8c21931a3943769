"""Typed settings from the environment and an optional ``.env`` file (the environment wins)."""

from __future__ import annotations

import base64
import binascii
import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import dotenv_values

from bot import timezones
from bot.paths import CONTENT_DIR
from bot.storage.postgres import redacted, url_problem

DEFAULT_CRISIS_RESOURCES = (
    "US: call or text 988 (Suicide & Crisis Lifeline)",
    "Crisis Text Line: text HOME to 741741 (US), 686868 (Canada), 85258 (UK)",
    "Elsewhere: find a free, confidential line at https://findahelpline.com",
    "In immediate danger: call your local emergency number",
)
DISCORD_API_BASE = "https://discord.com/api/v10"
DISCORD_GATEWAY_URL = "wss://gateway.discord.gg/"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
_SWITCH = {"on": True, "true": True, "yes": True, "1": True,
           "off": False, "false": False, "no": False, "0": False}
KEY_BYTES = 32  # AES-256-GCM
NEW_KEY_HINT = "make one with: python -m bot db new-key"
_SHARD_RANGE = re.compile(r"([0-9]+)(?:\s*-\s*([0-9]+))?")  # 5, or 0-3


class SettingsError(Exception):
    """A setting is missing or invalid; the message names it and says how to fix it."""


@dataclass(frozen=True, slots=True)
class Settings:
    # Secrets are left out of repr(): a settings object in a log line or a traceback's
    # locals must not carry them.
    discord_token: str | None = field(repr=False)
    dev_guild_id: int | None
    data_dir: Path
    database_path: Path
    content_dir: Path
    crisis_resources: tuple[str, ...]
    default_timezone: str
    answer_retention_days: int
    log_level: str
    discord_api_base: str
    discord_gateway_url: str
    # The setting to name when the database can't be used: DATABASE_PATH if set, else DATA_DIR.
    database_setting: str = "DATA_DIR"
    follow_ups: bool = True  # FOLLOW_UPS: mock interviews ask follow-up questions
    # GUILD_READY_TIMEOUT: seconds to wait after the last server arrives before the bot counts
    # as ready (discord.py's guild_ready_timeout); tests against the fake Discord set it low.
    guild_ready_timeout: float = 2.0
    # Answer text and its feedback are encrypted at rest when set (bot/storage/codec.py).
    data_encryption_key: bytes | None = field(default=None, repr=False)
    # Only for python -m bot db rotate-key: the key to re-encrypt with.
    new_data_encryption_key: bytes | None = field(default=None, repr=False)
    # DATABASE_URL: a PostgreSQL database in place of the SQLite file (it may hold a password).
    database_url: str | None = field(default=None, repr=False)
    database_pool_size: int = 10  # DATABASE_POOL_SIZE: PostgreSQL connections per process
    # SHARD_COUNT: the shards of the whole bot, over all its processes (None: Discord's
    # recommended count). SHARD_IDS: the ones this process runs, sorted (None: all).
    shard_count: int | None = None
    shard_ids: tuple[int, ...] | None = None

    @property
    def database(self) -> Path | str:
        """Where the store is: the PostgreSQL URL when one is set, else the SQLite file."""
        return self.database_url or self.database_path

    @property
    def database_label(self) -> str:
        """The database, as messages name it (a URL without its password)."""
        return redacted(self.database_url) if self.database_url else str(self.database_path)

    def require_token(self) -> str:
        if not self.discord_token:
            raise SettingsError(
                "DISCORD_TOKEN is not set: create a bot at https://discord.com/developers/"
                "applications, put its token in .env (see .env.example), or practise without "
                "Discord: python -m bot practice"
            )
        return self.discord_token


def _default_data_dir(env: Mapping[str, str]) -> Path:
    home = Path(env["HOME"]) if env.get("HOME") else Path.home()
    base = env.get("XDG_DATA_HOME") or str(home / ".local" / "share")
    return Path(base) / "peerprep"


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _check_url(name: str, url: str, plain: str, secure: str) -> None:
    """``url`` must use ``secure``; ``plain`` only to this machine (a local proxy or a test):
    the token and every answer travel over it."""
    if not url.startswith((f"{plain}://", f"{secure}://")):
        raise SettingsError(f"{name} must start with {plain}:// or {secure}:// (got {url!r})")
    parts = urlsplit(url)
    if parts.username is not None or parts.password is not None:
        # Never repeated: it holds a secret, and would show in repr(settings) and in logs.
        raise SettingsError(f"{name} must not hold a user name or password")
    if not parts.hostname:
        raise SettingsError(f"{name} must name a host (got {url!r})")
    if parts.scheme == plain and not _is_loopback(parts.hostname):
        raise SettingsError(
            f"{name} must use {secure}:// for a host other than this machine: the bot's token "
            f"and people's answers travel over it (got {url!r})")


def parse_key(name: str, raw: str | None) -> bytes | None:
    """A base64 key of 32 bytes; the error never repeats the value (it is a secret)."""
    if raw is None:
        return None
    try:
        key = base64.b64decode(raw.replace("-", "+").replace("_", "/"), validate=True)
    except (binascii.Error, ValueError):
        raise SettingsError(f"{name} must be {KEY_BYTES} random bytes in base64 "
                            f"({NEW_KEY_HINT})") from None
    if len(key) != KEY_BYTES:
        raise SettingsError(f"{name} must be {KEY_BYTES} random bytes in base64, not "
                            f"{len(key)} ({NEW_KEY_HINT})")
    return key


def parse_shard_ids(raw: str, count: int | None) -> tuple[int, ...]:
    """SHARD_IDS: ids and ranges such as ``0,2,5`` or ``0-3,6``, each below ``count``
    (SHARD_COUNT, which must be set); sorted, each once."""
    if count is None:
        raise SettingsError(f"SHARD_IDS needs SHARD_COUNT, the number of shards over all "
                            f"the bot's processes (got SHARD_IDS={raw!r} alone)")
    ids: set[int] = set()
    for part in (p.strip() for p in raw.split(",")):
        if not part:
            continue
        found = _SHARD_RANGE.fullmatch(part)
        if found is None:
            raise SettingsError(f"SHARD_IDS must be shard ids and ranges such as 0,2,5 or "
                                f"0-3 (got {raw!r})")
        first, last = int(found[1]), int(found[2] or found[1])
        if last < first:
            raise SettingsError(f"SHARD_IDS: the range {part} runs backwards (got {raw!r})")
        if last >= count:
            raise SettingsError(f"SHARD_IDS must be below SHARD_COUNT ({count}), as shards "
                                f"are numbered from 0; {last} is not (got {raw!r})")
        ids.update(range(first, last + 1))
    if not ids:
        raise SettingsError(f"SHARD_IDS must name at least one shard, or be unset for all "
                            f"(got {raw!r})")
    return tuple(sorted(ids))


def _file_in_the_way(folder: Path) -> Path | None:
    """The nearest existing part of ``folder``'s path, if it is a file and not a folder."""
    for path in (folder, *folder.parents):
        if path.exists():
            return None if path.is_dir() else path
    return None


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = Path(".env"),
) -> Settings:
    """Settings from ``environ`` (default ``os.environ``) over the values in ``env_file``."""
    env: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        env.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    env.update(os.environ if environ is None else environ)

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    def integer(name: str, default: int | None, low: int = 0) -> int | None:
        raw = get(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise SettingsError(f"{name} must be a whole number (got {raw!r})") from None
        if value < low:
            raise SettingsError(f"{name} must be {low} or more (got {value})")
        return value

    data_dir = Path(get("DATA_DIR") or _default_data_dir(env)).expanduser()
    database = Path(get("DATABASE_PATH") or data_dir / "peerprep.sqlite3").expanduser()
    blocked = _file_in_the_way(database.parent)
    if blocked is not None:
        if get("DATABASE_PATH"):
            raise SettingsError(f"DATABASE_PATH must be in a folder; {blocked} is a file")
        raise SettingsError(f"DATA_DIR must be a folder; {blocked} is a file")
    if database.is_dir():
        name = "DATABASE_PATH" if get("DATABASE_PATH") else "DATA_DIR"
        raise SettingsError(f"{name}: the database {database} is a folder, not a file")
    content_dir = Path(get("CONTENT_DIR") or CONTENT_DIR).expanduser()
    if not content_dir.exists():
        raise SettingsError(f"CONTENT_DIR must be the question bank's folder of .yaml files; "
                            f"{content_dir} does not exist")
    given = get("DEFAULT_TIMEZONE") or "UTC"
    timezone = timezones.canonical(given)
    if timezone is None:
        raise SettingsError(f"DEFAULT_TIMEZONE must be an IANA time zone such as "
                            f"Europe/London (got {given!r}; {timezones.did_you_mean(given)})")
    level = (get("LOG_LEVEL") or "INFO").upper()
    if level not in LOG_LEVELS:
        raise SettingsError(f"LOG_LEVEL must be one of {', '.join(LOG_LEVELS)} (got {level!r})")
    resources = get("CRISIS_RESOURCES")
    crisis = (
        tuple(line.strip() for line in resources.split("|") if line.strip())
        if resources else DEFAULT_CRISIS_RESOURCES
    )
    if not crisis:
        raise SettingsError(f"CRISIS_RESOURCES must list at least one resource, separated by "
                            f"'|', or be unset for the defaults (got {resources!r})")
    follow_ups = (get("FOLLOW_UPS") or "on").lower()
    if follow_ups not in _SWITCH:
        raise SettingsError(f"FOLLOW_UPS must be on or off (got {get('FOLLOW_UPS')!r})")
    raw_ready = get("GUILD_READY_TIMEOUT") or "2"
    try:
        guild_ready = float(raw_ready)
    except ValueError:
        guild_ready = -1.0
    if not 0 <= guild_ready <= 60:
        raise SettingsError(f"GUILD_READY_TIMEOUT must be a number of seconds from 0 to 60 "
                            f"(got {raw_ready!r})")
    database_url = get("DATABASE_URL")
    database_url_problem = database_url and url_problem(database_url)
    if database_url_problem:
        raise SettingsError(f"DATABASE_URL can't be used: {database_url_problem}. Give a "
                            f"PostgreSQL URL such as postgresql://user@host:5432/peerprep, or "
                            f"unset it for SQLite under DATA_DIR")
    api_base = (get("DISCORD_API_BASE") or DISCORD_API_BASE).rstrip("/")
    gateway = get("DISCORD_GATEWAY_URL") or DISCORD_GATEWAY_URL
    _check_url("DISCORD_API_BASE", api_base, "http", "https")
    _check_url("DISCORD_GATEWAY_URL", gateway, "ws", "wss")
    shard_count = integer("SHARD_COUNT", None, low=1)
    raw_shards = get("SHARD_IDS")
    shard_ids = parse_shard_ids(raw_shards, shard_count) if raw_shards else None
    return Settings(
        discord_token=get("DISCORD_TOKEN"),
        dev_guild_id=integer("DEV_GUILD_ID", None, low=1),
        data_dir=data_dir,
        database_path=database,
        content_dir=content_dir,
        crisis_resources=crisis,
        default_timezone=timezone,
        answer_retention_days=integer("ANSWER_RETENTION_DAYS", 365) or 0,
        log_level=level,
        discord_api_base=api_base,
        discord_gateway_url=gateway,
        database_setting=("DATABASE_URL" if database_url else
                          "DATABASE_PATH" if get("DATABASE_PATH") else "DATA_DIR"),
        database_url=database_url,
        database_pool_size=integer("DATABASE_POOL_SIZE", 10, low=1) or 10,
        follow_ups=_SWITCH[follow_ups],
        guild_ready_timeout=guild_ready,
        data_encryption_key=parse_key("DATA_ENCRYPTION_KEY", get("DATA_ENCRYPTION_KEY")),
        new_data_encryption_key=parse_key("NEW_DATA_ENCRYPTION_KEY",
                                          get("NEW_DATA_ENCRYPTION_KEY")),
        shard_count=shard_count,
        shard_ids=shard_ids,
    )
