"""``python -m bot db upgrade | backup PATH``: look after the database."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.cli import common
from bot.storage import StorageError, Store
from bot.storage.database import migrations


def register(subparsers: argparse._SubParsersAction) -> None:
    db = subparsers.add_parser("db", help="database upgrade and backup")
    actions = db.add_subparsers(dest="action", metavar="ACTION", required=True)
    upgrade = actions.add_parser("upgrade", help="apply pending migrations")
    upgrade.set_defaults(handler=run_upgrade)
    backup = actions.add_parser("backup", help="copy the database safely, even while the bot runs")
    backup.add_argument("path", type=Path, help="where to write the copy")
    backup.set_defaults(handler=run_backup)


def run_upgrade(args: argparse.Namespace) -> int:
    settings = common.settings()

    async def upgrade() -> tuple[int, list[int], int]:
        store = Store(settings.database_path)
        await store.db.open(migrate=False)
        try:
            before = await store.db.version()
            applied = await store.db.migrate()
            return before, applied, await store.db.version()
        finally:
            await store.db.close()

    try:
        before, applied, after = asyncio.run(upgrade())
    except StorageError as exc:
        raise common.CliError(str(exc), exit_code=1) from None
    latest = len(migrations())
    if applied:
        print(f"{settings.database_path}: upgraded from version {before} to {after}.")
    else:
        print(f"{settings.database_path}: already at version {after} (latest {latest}).")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    settings = common.settings()
    target: Path = args.path
    if target.resolve() == settings.database_path.resolve():
        raise common.CliError("the backup path is the database itself; choose another file")

    async def backup() -> None:
        async with Store(settings.database_path) as store:
            await store.db.backup(target)

    try:
        asyncio.run(backup())
    except (StorageError, OSError) as exc:
        raise common.CliError(f"backup failed: {exc}", exit_code=1) from None
    print(f"Backed up {settings.database_path} to {target}.")
    return 0
