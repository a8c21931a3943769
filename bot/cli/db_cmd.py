"""``python -m bot db upgrade | backup PATH | new-key | rotate-key``: look after the
database."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.cli import common
from bot.storage import Codec, EncryptionKeyError, StorageError
from bot.storage.codec import new_key
from bot.storage.database import migrations


def register(subparsers: argparse._SubParsersAction) -> None:
    db = subparsers.add_parser("db", help="database upgrade and backup")
    actions = db.add_subparsers(dest="action", metavar="ACTION", required=True)
    upgrade = actions.add_parser("upgrade", help="apply pending migrations")
    upgrade.set_defaults(handler=run_upgrade)
    backup = actions.add_parser("backup", help="copy the database safely, even while the bot runs")
    backup.add_argument("path", type=Path, help="where to write the copy")
    backup.set_defaults(handler=run_backup)
    key = actions.add_parser("new-key", help="print a new key for DATA_ENCRYPTION_KEY")
    key.set_defaults(handler=run_new_key)
    rotate = actions.add_parser(
        "rotate-key", help="re-encrypt answers from DATA_ENCRYPTION_KEY to "
        "NEW_DATA_ENCRYPTION_KEY (stop the bot first)")
    rotate.add_argument("--decrypt", action="store_true",
                        help="store answers in plain text again (turns encryption off)")
    rotate.set_defaults(handler=run_rotate_key)


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


def run_new_key(args: argparse.Namespace) -> int:
    print(new_key())
    return 0


def run_rotate_key(args: argparse.Namespace) -> int:
    """Keys come from the environment or .env, never the command line (which other users
    of the machine can see): the current one in DATA_ENCRYPTION_KEY (unset if the answers
    are in plain text), the new one in NEW_DATA_ENCRYPTION_KEY."""
    settings = common.settings()
    new = settings.new_data_encryption_key
    if args.decrypt and new is not None:
        raise common.CliError("--decrypt stores answers in plain text: unset "
                              "NEW_DATA_ENCRYPTION_KEY, or leave out --decrypt")
    if not args.decrypt and new is None:
        raise common.CliError("set NEW_DATA_ENCRYPTION_KEY to the new key (python -m bot db "
                              "new-key makes one), or use --decrypt to turn encryption off")
    if not settings.database_path.is_file():
        raise common.CliError(f"there is no database at {settings.database_path}: check "
                              f"{settings.database_setting}")
    with asyncio.Runner() as runner, common.opened_store(runner, settings) as store:
        try:
            count = runner.run(store.recode(Codec(settings.data_encryption_key), new))
        except EncryptionKeyError as exc:
            raise common.CliError(str(exc)) from None
        except StorageError as exc:
            raise common.CliError(f"rotate-key failed, nothing changed: {exc}",
                                  exit_code=1) from None
    if new is None:
        print(f"Stored {count} answer(s) in plain text. Remove DATA_ENCRYPTION_KEY before "
              "starting the bot again.")
    else:
        print(f"Re-encrypted {count} answer(s) with the new key. Now set DATA_ENCRYPTION_KEY "
              "to the value of NEW_DATA_ENCRYPTION_KEY, remove NEW_DATA_ENCRYPTION_KEY, then "
              "start the bot. Backups made before keep the old key.")
    return 0
