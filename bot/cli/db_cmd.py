"""``python -m bot db upgrade | backup PATH``: look after the database."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.cli import common
from bot.storage import StorageError
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
    with asyncio.Runner() as runner, \
            common.opened_store(runner, settings, migrate=False) as store:
        try:
            before = runner.run(store.db.version())
            applied = runner.run(store.db.migrate())
            after = runner.run(store.db.version())
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
    if not settings.database_path.is_file():
        # A mistyped DATA_DIR must not back up a new, empty database and call it a success.
        raise common.CliError(f"there is no database at {settings.database_path}: check "
                              f"{settings.database_setting}")
    if target.resolve() == settings.database_path.resolve():
        raise common.CliError("the backup path is the database itself; choose another file")
    # Not migrated: a backup taken before an upgrade is a copy of the database as it was.
    with asyncio.Runner() as runner, \
            common.opened_store(runner, settings, migrate=False) as store:
        try:
            runner.run(store.db.backup(target))
        except (StorageError, OSError) as exc:
            raise common.CliError(f"backup failed: {exc}", exit_code=1) from None
    print(f"Backed up {settings.database_path} to {target}.")
    return 0
