"""The numbered migrations in ``migrations/``: finding them, splitting them into statements."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from bot.paths import MIGRATIONS_DIR
from bot.storage.errors import MigrationError

_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def migrations(directory: Path = MIGRATIONS_DIR) -> list[tuple[int, Path]]:
    """Numbered migration files, in order; their numbers must run 1, 2, 3... without gaps."""
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise MigrationError(f"{path.name}: migration files are named like 001_initial.sql")
        found.append((int(match.group(1)), path))
    for expected, (number, path) in enumerate(found, start=1):
        if number != expected:
            raise MigrationError(f"{path.name}: expected migration number {expected:03d}")
    return found


def split_statements(script: str) -> list[str]:
    """The statements of a script, to run inside one transaction (executescript would commit)."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
        ln.strip().startswith("--") or not ln.strip() for ln in buffer.splitlines()
    ):
        statements.append(buffer.strip())
    return statements

