"""``python -m bot db upgrade | check | backup PATH | restore BACKUP | new-key | rotate-key |
copy --to TARGET``: look after the database.

With ``DATABASE_URL`` (PostgreSQL) ``upgrade``, ``check`` (the schema version), ``new-key``,
``rotate-key --force`` and ``copy`` work; ``backup`` and ``restore``, which act on SQLite's
file, refuse with the ``pg_dump`` or ``pg_restore`` line to run instead (exit 2: a backup
script must not take the refusal for a backup). A URL's password is never printed."""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.cli import common
from bot.settings import Settings
from bot.storage import Codec, EncryptionKeyError, StorageError
from bot.storage.codec import new_key
from bot.storage.connection import (
    BACKUP_MODE,
    Database,
    copy_database,
    in_use,
    integrity_report,
    schema_version,
)
from bot.storage.files import SIDE_FILES, private_dir
from bot.storage.migrations import migrations
from bot.storage.postgres import (
    PostgresDatabase,
    is_postgres_url,
    pg_dump_command,
    pg_restore_command,
    redacted,
    url_problem,
    without_password,
)
from bot.storage.transfer import CopyRefused, copy_rows


def register(subparsers: argparse._SubParsersAction) -> None:
    db = subparsers.add_parser("db", help="database upgrade, check, backup, restore, copy and keys")
    actions = db.add_subparsers(dest="action", metavar="ACTION", required=True)
    upgrade = actions.add_parser("upgrade", help="apply pending migrations")
    upgrade.set_defaults(handler=run_upgrade)
    check = actions.add_parser("check", help="check the database for damage and print the report")
    check.set_defaults(handler=run_check)
    backup = actions.add_parser(
        "backup", help="copy the SQLite database safely, even while the bot runs "
        "(PostgreSQL: prints the pg_dump line)")
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
    rotate.add_argument("--force", action="store_true",
                        help="PostgreSQL only: rotate although PeerPrep can't tell whether a "
                             "bot process still runs (stop every one first)")
    rotate.set_defaults(handler=run_rotate_key)
    restore = actions.add_parser(
        "restore", help="put a backup in place of the database (stop the bot first)",
        description="Check BACKUP, move the current database file aside (it is kept, "
                    "renamed with .before-restore-DATE), and put a copy of BACKUP in its "
                    "place. Stop the bot and any practice session first.")
    restore.add_argument("backup", type=Path, help="the backup to restore (from db backup)")
    restore.set_defaults(handler=run_restore)
    copy = actions.add_parser(
        "copy", help="copy every row into another, empty database (SQLite <-> PostgreSQL)",
        description="Copy every table of the configured database (DATABASE_URL, else the "
                    "SQLite file) into TARGET, in one transaction: ids kept, row counts "
                    "checked. TARGET is migrated first and must hold no PeerPrep data. Stop "
                    "the bot first: what it writes after the copy begins is not copied.")
    copy.add_argument("--to", required=True, metavar="TARGET", dest="target",
                      help="a postgresql:// URL (put its password in PGPASSWORD or "
                           "~/.pgpass, not here) or an SQLite file's path")
    copy.set_defaults(handler=run_copy)


def _existing_database(settings: Settings) -> Path:
    if settings.database_url:
        raise common.CliError(f"this command reads SQLite's file, and DATABASE_URL is set "
                              f"({settings.database_label})")
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
        print(f"{settings.database_label}: upgraded from version {before} to {after}.")
    else:
        print(f"{settings.database_label}: already at version {after} (latest {latest}).")
    return 0


def run_check(args: argparse.Namespace) -> int:
    """The full ``integrity_check`` report and the schema version; exit 1 if anything is wrong."""
    settings = common.settings()
    if settings.database_url:
        return _check_postgres(settings)
    path = _existing_database(settings)
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


def _check_postgres(settings: Settings) -> int:
    """What PeerPrep can tell of a PostgreSQL database: that it answers and its schema
    version. Its pages are PostgreSQL's to check."""
    latest = len(migrations())
    with asyncio.Runner() as runner, common.opened_store(
            runner, settings, migrate=False, create=False) as store:
        try:
            version = runner.run(store.db.version())
        except StorageError as exc:
            raise common.CliError(f"cannot read {settings.database_label}: {exc}",
                                  exit_code=1) from None
    print(f"{settings.database_label}: reachable, schema version {version} (this PeerPrep "
          f"knows up to {latest})")
    if version < latest:
        print("  older than this PeerPrep: python -m bot db upgrade (or any start) migrates it")
    print("  PeerPrep checks SQLite's file page by page; PostgreSQL checks its own: use "
          "pg_amcheck (the amcheck extension) and the server's logs")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    settings = common.settings()
    target: Path = args.path
    if settings.database_url:
        # Exit 2, not 0: a backup script must not take this for a backup made.
        raise common.CliError(f"PeerPrep backs up SQLite files; for PostgreSQL use pg_dump: "
                              f"{pg_dump_command(settings.database_url, target)}")
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
    if settings.database_url:
        raise common.CliError(
            f"PeerPrep restores SQLite files; for PostgreSQL stop every bot process, then "
            f"restore a pg_dump backup with: "
            f"{pg_restore_command(settings.database_url, backup)}")
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
    if settings.database_url:
        # No lock file to try: a bot on another machine may hold connections, and its
        # writes would go on under the old key.
        if not args.force:
            raise common.CliError(
                f"PeerPrep can't tell whether a bot process still uses "
                f"{settings.database_label} (on this machine or another): stop every bot "
                f"process, then run again with --force; nothing was changed")
    elif not settings.database_path.is_file():
        raise common.CliError(f"there is no database at {settings.database_path}: check "
                              f"{settings.database_setting}")
    elif in_use(settings.database_path):  # its writes would go on under the old key
        raise common.CliError(f"{settings.database_path} is open in another process (the bot, "
                              "or a practice session): stop it first, then rotate; nothing "
                              "was changed", exit_code=1)
    with asyncio.Runner() as runner, common.opened_store(runner, settings,
                                                         create=False) as store:
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


def run_copy(args: argparse.Namespace) -> int:
    """Every row of the configured database into TARGET (a PostgreSQL URL or an SQLite
    file), in one transaction on the target; see ``bot.storage.transfer``."""
    settings = common.settings()
    where: str = args.target.strip()
    if "://" in where and not is_postgres_url(where):
        raise common.CliError("--to: give a postgresql:// URL or an SQLite file's path")
    if is_postgres_url(where):
        problem = url_problem(where)
        if problem:
            raise common.CliError(f"--to: the PostgreSQL URL can't be used: {problem}")
        target: Database | PostgresDatabase = PostgresDatabase(where, pool_size=2)
        label, new_file = redacted(where), None
        if settings.database_url and redacted(settings.database_url) == label:
            raise common.CliError("--to: the target is the configured database itself")
    else:
        path = Path(where).expanduser()
        label = str(path)
        if not settings.database_url and path.resolve() == settings.database_path.resolve():
            raise common.CliError("--to: the target is the configured database itself")
        if path.is_dir():
            raise common.CliError(f"--to: {path} is a folder; give the copy a file name")
        target = Database(path)
        new_file = None if path.exists() else path
    if not settings.database_url:
        source_path = _existing_database(settings)
        if in_use(source_path):
            raise common.CliError(
                f"{source_path} is open in another process (the bot, or a practice session): "
                "stop it first, so that nothing it writes is left behind; nothing was copied. "
                "(To rehearse while it runs, copy a backup: python -m bot db backup FILE, then "
                "DATABASE_PATH=FILE python -m bot db copy --to TARGET)", exit_code=1)
    latest = len(migrations())
    started = time.monotonic()
    with asyncio.Runner() as runner, common.opened_store(
            runner, settings, migrate=False, create=False) as store:
        version = runner.run(store.db.version())
        if version < latest:
            raise common.CliError(
                f"{settings.database_label} is at schema version {version}, this PeerPrep's "
                f"is {latest}: run python -m bot db upgrade first; nothing was copied")
        try:
            runner.run(target.open())  # created (a PostgreSQL database, a file) and migrated
        except StorageError as exc:
            _remove(new_file)
            raise common.CliError(f"--to: cannot open {label}: {exc}", exit_code=1) from None
        try:
            report = runner.run(copy_rows(store.db, target))
        except CopyRefused as exc:
            failure: common.CliError | None = common.CliError(f"{label}: {exc}")
        except StorageError as exc:
            failure = common.CliError(f"the copy into {label} failed and was rolled back, "
                                      f"nothing was written: {exc}", exit_code=1)
        else:
            failure = None
        finally:
            runner.run(target.close())
        if failure is not None:
            _remove(new_file)
            raise failure
    seconds = time.monotonic() - started
    total = sum(report.rows.values())
    print(f"Copied {settings.database_label} to {label} (schema version {report.version}) "
          f"in one transaction, {seconds:.1f} s:")
    width = max(len(table) for table in report.rows)
    for table, count in report.rows.items():
        print(f"  {table:<{width}}  {count:>9}")
    print(f"  {len(report.rows)} tables, {total} rows; the counts in the source and the "
          f"target match.")
    if report.nuls_replaced:
        print(f"{report.nuls_replaced} NUL character(s) in the source's text, which "
              f"PostgreSQL can't store, were copied as U+FFFD, the replacement character.")
    if report.encrypted:
        print("Answer text is encrypted and was copied as it is: run the bot on the target "
              "with the same DATA_ENCRYPTION_KEY.")
    if settings.database_url:
        print("PeerPrep can't tell whether a bot process wrote to the source during the copy; "
              "what it wrote after the copy began is not in the copy.")
    if isinstance(target, PostgresDatabase):
        use = (f"set DATABASE_URL={without_password(where)} (with its password, if any, in "
               ".env or the environment, not on a command line)")
    else:
        use = f"unset DATABASE_URL and set DATABASE_PATH={label}"
    print(f"To use it: {use}, then start the bot.")
    return 0


def _remove(new_file: Path | None) -> None:
    """Delete the SQLite file a failed copy created (it holds nothing of the copy)."""
    if new_file is None:
        return
    for suffix in ("", *SIDE_FILES):
        Path(f"{new_file}{suffix}").unlink(missing_ok=True)
