"""``python -m bot db upgrade | check | backup PATH | restore BACKUP | new-key | rotate-key``:
look after the database."""

from __future__ import annotations

import argparse
import asyncio
import os
from datetime import UTC, datetime
from pathlib import Path

from bot.cli import common
from bot.settings import Settings
from bot.storage import Codec, EncryptionKeyError, StorageError
from bot.storage.codec import new_key
from bot.storage.connection import (
    BACKUP_MODE,
    copy_database,
    in_use,
    integrity_report,
    schema_version,
)
from bot.storage.files import private_dir
from bot.storage.migrations import migrations


def register(subparsers: argparse._SubParsersAction) -> None:
    db = subparsers.add_parser("db", help="database upgrade, check, backup and restore")
    actions = db.add_subparsers(dest="action", metavar="ACTION", required=True)
    upgrade = actions.add_parser("upgrade", help="apply pending migrations")
    upgrade.set_defaults(handler=run_upgrade)
    check = actions.add_parser("check", help="check the database for damage and print the report")
    check.set_defaults(handler=run_check)
    backup = actions.add_parser("backup", help="copy the database safely, even while the bot runs")
    backup.add_argument("path", type=Path, help="where to write the copy (a new file)")
    backup.add_argument("--force", action="store_true",
                        help="replace PATH if it already exists")
    backup.set_defaults(handler=run_backup)
    key = actions.add_parser("new-key", help="print a new key for DATA_ENCRYPTION_KEY")
    key.set_defaults(handler=run_new_key)
    rotate = actions.add_parser(
        "rotate-key", help="re-encrypt answers from DATA_ENCRYPTION_KEY to "
        "NEW_DATA_ENCRYPTION_KEY (stop the bot first)")
    rotate.add_argument("--decrypt", action="store_true",
                        help="store answers in plain text again (turns encryption off)")
    rotate.set_defaults(handler=run_rotate_key)
    restore = actions.add_parser(
        "restore", help="put a backup in place of the database (stop the bot first)",
        description="Check BACKUP, move the current database file aside (it is kept, "
                    "renamed with .before-restore-DATE), and put a copy of BACKUP in its "
                    "place. Stop the bot and any practice session first.")
    restore.add_argument("backup", type=Path, help="the backup to restore (from db backup)")
    restore.set_defaults(handler=run_restore)


def _existing_database(settings: Settings) -> Path:
    path = settings.database_path
    if not path.is_file():
        # A mistyped DATA_DIR must not act on a new, empty database and call it a success.
        raise common.CliError(f"there is no database at {path}: check "
                              f"{settings.database_setting}")
    return path


def run_upgrade(args: argparse.Namespace) -> int:
    settings = common.settings()
    # Opened with the start-up check: a damaged database is refused before any migration.
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


def run_check(args: argparse.Namespace) -> int:
    """The full ``integrity_check`` report and the schema version; exit 1 if anything is wrong."""
    path = _existing_database(common.settings())
    report = integrity_report(path)
    latest = len(migrations())
    try:
        version: int | None = schema_version(path)
    except StorageError:
        version = None
    problems = [] if report == ["ok"] else report
    print(f"{path}: integrity check {'ok' if not problems else 'FAILED'}")
    for line in problems:
        print(f"  {line}")
    if version is None:
        problems.append("unreadable schema version")
        print("  schema version: unreadable")
    else:
        print(f"  schema version {version} (this PeerPrep knows up to {latest})")
        if version > latest:
            problems.append("newer schema")
            print("  written by a newer PeerPrep: run that version")
    if problems:
        print("To put a backup in its place: stop the bot, then "
              "python -m bot db restore BACKUP (the damaged file is kept aside).")
        return 1
    return 0


def run_backup(args: argparse.Namespace) -> int:
    settings = common.settings()
    target: Path = args.path
    source = _existing_database(settings)
    if target.resolve() == source.resolve():
        raise common.CliError("the backup path is the database itself; choose another file")
    if target.is_dir():
        raise common.CliError(f"{target} is a folder; give the backup a file name")
    if target.exists() and not args.force:
        raise common.CliError(f"{target} already exists; choose a new file, or add --force "
                              "to replace it")
    # Not migrated: a backup taken before an upgrade is a copy of the database as it was.
    # Opened with the start-up check: a damaged database is refused, not copied.
    with asyncio.Runner() as runner, \
            common.opened_store(runner, settings, migrate=False) as store:
        try:
            runner.run(store.db.backup(target, overwrite=args.force))
        except (StorageError, OSError) as exc:
            raise common.CliError(f"backup failed, {target} was not written: {exc}",
                                  exit_code=1) from None
    mode = os.stat(target).st_mode & 0o777
    if mode != BACKUP_MODE:  # e.g. a file system that ignores modes
        raise common.CliError(f"the backup {target} is readable by others (mode {mode:o}); "
                              "keep it in a private place", exit_code=1)
    print(f"Backed up {source} to {target} (integrity check ok, readable by you only).")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    settings = common.settings()
    backup: Path = args.backup
    database = settings.database_path
    if not backup.is_file():
        raise common.CliError(f"there is no backup at {backup}")
    if database.exists() and backup.resolve() == database.resolve():
        raise common.CliError("the backup is the database itself; give the backup's path")
    report = integrity_report(backup)
    if report != ["ok"]:
        raise common.CliError(f"the backup {backup} is damaged too ({report[0]}); nothing was "
                              "changed: try an older backup", exit_code=1)
    version = schema_version(backup)
    latest = len(migrations())
    if version > latest:
        raise common.CliError(f"the backup {backup} is at schema version {version}, newer than "
                              f"this PeerPrep knows ({latest}); nothing was changed", exit_code=1)
    if in_use(database):  # moving the file under a running bot would split its writes off
        raise common.CliError(f"{database} is open in another process (the bot, or a practice "
                              "session): stop it first, then restore; nothing was changed",
                              exit_code=1)
    aside = None
    if database.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = database.with_name(f"{database.name}.before-restore-{stamp}")
        # The write-ahead log and its index go with the file they belong to.
        for suffix in ("", "-wal", "-shm"):
            part = Path(f"{database}{suffix}")
            if part.exists():
                part.rename(f"{aside}{suffix}")
    private_dir(database.parent)  # 0700, as PeerPrep makes DATA_DIR
    try:
        copy_database(backup, database)
    except (StorageError, OSError) as exc:
        database.unlink(missing_ok=True)
        kept = f"; the old file is kept as {aside}" if aside else ""
        raise common.CliError(f"restore failed: {exc}{kept}", exit_code=1) from None
    restored = integrity_report(database)
    if restored != ["ok"]:
        raise common.CliError(f"the restored copy failed its check ({restored[0]})", exit_code=1)
    kept = f" The previous file is kept as {aside}." if aside else ""
    print(f"Restored {backup} to {database} (version {version}; the next start upgrades it "
          f"if needed).{kept}")
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
    # On PostgreSQL (DATABASE_URL) the database is the server's: there is no file to find,
    # and no lock says whether a bot still uses it (stopping them all is the operator's).
    if settings.database_url is None:
        if not settings.database_path.is_file():
            raise common.CliError(f"there is no database at {settings.database_path}: check "
                                  f"{settings.database_setting}")
        if in_use(settings.database_path):  # its writes would go on under the old key
            raise common.CliError(f"{settings.database_path} is open in another process (the "
                                  "bot, or a practice session): stop it first, then rotate; "
                                  "nothing was changed", exit_code=1)
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
