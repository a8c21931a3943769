"""What the subcommands share: their error type and loading settings and the bank."""

from __future__ import annotations

import asyncio
import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot import coaching
from bot.bank import Bank, BankError, load_bank
from bot.settings import Settings, SettingsError, load_settings
from bot.storage import StorageError, Store


class CliError(Exception):
    """A problem to show as one line on stderr, with the given exit code (no traceback)."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def settings() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        raise CliError(str(exc)) from None


def bank(path: Path) -> Bank:
    """The bank at ``path``, validated, with its cues compiled ready for coaching."""
    try:
        loaded = load_bank(path)
    except BankError as exc:
        raise CliError(
            f"the question bank at {path} is invalid:\n{exc.report()}\n"
            f"({len(exc.problems)} problem(s); check it with: python -m bot content check)",
            exit_code=1,
        ) from None
    coaching.prepare(loaded)
    return loaded


@contextmanager
def opened_store(runner: asyncio.Runner, settings: Settings) -> Iterator[Store]:
    """The configured database, opened (and migrated) on ``runner``'s loop, closed after."""
    store = Store(settings.database_path)
    try:
        runner.run(store.db.open())
    except StorageError as exc:
        raise CliError(f"cannot open the database {settings.database_path}: {exc}") from None
    try:
        yield store
    finally:
        runner.run(store.db.close())


def default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "me"
