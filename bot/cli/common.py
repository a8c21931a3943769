"""What the subcommands share: their error type and loading settings and the bank."""

from __future__ import annotations

import asyncio
import difflib
import getpass
import os
import shlex
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

from bot import coaching, timezones
from bot.bank import Bank, BankError, load_bank
from bot.clock import utcnow
from bot.retention import forget_expired_text
from bot.settings import Settings, SettingsError, load_settings
from bot.storage import (
    CannotOpen,
    EncryptionKeyError,
    PostgresDatabase,
    SchemaTooNew,
    StorageDamaged,
    StorageError,
    Store,
)
from bot.storage.files import private_data_dir


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


_WHERE = {"DATA_DIR": "a folder PeerPrep can write to",
          "DATABASE_PATH": "PeerPrep's database file, in a folder PeerPrep can write to",
          "DATABASE_URL": "a PostgreSQL database PeerPrep can log in to"}


def storage_problem(settings: Settings, exc: StorageError) -> CliError:
    """One line for a database that can't be opened: a setting to fix (exit 2) or a
    passing problem such as a busy database (exit 1)."""
    if isinstance(exc, CannotOpen):
        name = settings.database_setting
        return CliError(f"{name}: {exc} (set {name} to {_WHERE[name]})")
    if isinstance(exc, StorageDamaged | SchemaTooNew):
        return CliError(str(exc), exit_code=1)  # the line says what is wrong and the fix
    return CliError(f"cannot open the database {settings.database_label}: {exc}", exit_code=1)


@contextmanager
def opened_store(runner: asyncio.Runner, settings: Settings, *, migrate: bool = True,
                 create: bool = True) -> Iterator[Store]:
    """The configured database, opened (and migrated) on ``runner``'s loop, closed after.
    Not ``create``: a PostgreSQL database that does not exist is refused, not created."""
    if settings.database_url is None:
        private_data_dir(settings.data_dir, settings.database_path)
    store = Store(settings.database, pool_size=settings.database_pool_size)
    try:
        if isinstance(store.db, PostgresDatabase):
            runner.run(store.db.open(migrate=migrate, create=create))
        else:
            runner.run(store.db.open(migrate=migrate))
    except StorageError as exc:
        raise storage_problem(settings, exc) from None
    if migrate:  # a database not migrated may predate encryption: nothing to unlock
        try:
            runner.run(store.unlock(settings.data_encryption_key))
        except EncryptionKeyError as exc:
            runner.run(store.db.close())
            raise CliError(str(exc)) from None
        except StorageError as exc:
            runner.run(store.db.close())
            raise storage_problem(settings, exc) from None
    try:
        yield store
    finally:
        runner.run(store.db.close())


def forget_expired(runner: asyncio.Runner, store: Store, settings: Settings) -> None:
    """Blank answer text past the retention period (the bot does it every few hours; the
    terminal, which does not keep running, on each practice and progress)."""
    runner.run(forget_expired_text(store, utcnow(), settings.answer_retention_days))


def default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "me"


def tolerant_stdin() -> TextIO:
    """Standard input, read whatever bytes arrive: bytes that aren't text in its encoding
    become lone surrogates (``surrogateescape``), which the readers then replace with U+FFFD
    and say so, instead of a UnicodeDecodeError with a strict locale."""
    reconfigure = getattr(sys.stdin, "reconfigure", None)
    if reconfigure is not None:
        reconfigure(errors="surrogateescape")
    return sys.stdin


def command_line(*words: str) -> str:
    """A command to show for pasting into a shell: every word quoted as the shell needs
    (a name with a space or a quote in it stays one word)."""
    return shlex.join(words)


def match_name(value: str, choices: Iterable[str], *, option: str, what: str,
               examples: str = "") -> str:
    """``value`` as it is spelled among ``choices``, whatever its case (``PSS-03`` is
    ``pss-03``), or a one-line refusal with a "did you mean" for a near miss."""
    by_fold = {choice.casefold(): choice for choice in choices}
    folded = value.strip().casefold()
    if folded in by_fold:
        return by_fold[folded]
    close = difflib.get_close_matches(folded, list(by_fold), n=3, cutoff=0.6)
    if close:
        hint = "; did you mean " + " or ".join(by_fold[c] for c in close) + "?"
    else:
        hint = f" ({examples})" if examples else ""
    raise CliError(f"{option}: unknown {what} {value!r}{hint}")


def timezone_named(name: str, option: str = "--timezone") -> str:
    """The IANA time zone ``name`` names, whatever its case (``europe/london``), or a
    one-line refusal with a "did you mean" for a near miss."""
    zone = timezones.canonical(name)
    if zone is None:
        close = timezones.suggestions(name)
        hint = ("; did you mean " + " or ".join(close) + "?") if close else (
            f" ({timezones.EXAMPLES})")
        raise CliError(f"{option}: unknown time zone {name!r}{hint}")
    return zone


def machine_timezone(environ: Mapping[str, str] = os.environ,
                     localtime: Path = Path("/etc/localtime"),
                     timezone_file: Path = Path("/etc/timezone")) -> str | None:
    """This computer's IANA time zone name, if it can be told: ``TZ`` when it is set (a name,
    or a path into a zoneinfo folder), else where /etc/localtime points, else /etc/timezone."""
    tz = environ.get("TZ")
    if tz is not None:
        candidates = [tz.strip().removeprefix(":")]  # a POSIX rule like EST5 is no name: None
    else:
        candidates = []
        if localtime.is_symlink():
            candidates.append(str(localtime.resolve()))
        with suppress(OSError, UnicodeDecodeError):
            candidates.append(timezone_file.read_text(encoding="utf-8").strip())
    for candidate in candidates:
        name = candidate.rpartition("zoneinfo/")[2]
        name = name.removeprefix("posix/").removeprefix("right/")
        if name and not name.startswith("/") and timezones.is_valid(name):
            return name
    return None
