"""What the subcommands share: their error type and loading settings and the bank."""

from __future__ import annotations

from pathlib import Path

from bot.bank import Bank, BankError, load_bank
from bot.settings import Settings, SettingsError, load_settings


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
    try:
        return load_bank(path)
    except BankError as exc:
        raise CliError(
            f"the question bank at {path} is invalid:\n{exc.report()}\n"
            f"({len(exc.problems)} problem(s); check it with: python -m bot content check)",
            exit_code=1,
        ) from None
