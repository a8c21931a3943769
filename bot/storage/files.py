"""The database's files are private: folders PeerPrep creates are 0700, and the database, its
``-wal``, ``-shm`` and ``-journal`` files and every backup are 0600, whatever the umask.

SQLite creates a database's ``-wal``, ``-shm`` and ``-journal`` files with the database's
own permissions (it copies them and fixes them with ``fchmod``), so it is enough that the
database file itself is created 0600 before SQLite opens it. Files left by older versions
(0644) are tightened when they are opened.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
SIDE_FILES = ("-wal", "-shm", "-journal")


def private_dir(path: Path) -> None:
    """Create ``path`` and any missing parent as 0700. A folder that already exists is left
    as it is: it may be a shared place (``DATABASE_PATH=/srv/x.sqlite3``) that is not ours."""
    missing = []
    probe = path
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:  # made by another process meanwhile
            continue
        os.chmod(folder, PRIVATE_DIR)  # mkdir's mode is filtered by the umask


def private_file(path: Path) -> None:
    """Make ``path`` a 0600 file (created empty when missing; SQLite takes an empty file as a
    new database), and tighten its side files if an older version left them readable."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)  # the umask never widens it, but 0o600 & ~umask may differ
    finally:
        os.close(fd)
    for suffix in SIDE_FILES:
        side = path.with_name(path.name + suffix)
        with contextlib.suppress(FileNotFoundError):
            os.chmod(side, PRIVATE_FILE)


def private_data_dir(data_dir: Path, database: Path) -> None:
    """Tighten ``DATA_DIR`` to 0700 when it holds the database and this user owns it: a
    folder an older version made 0755 stops listing (and leaking the names of) its files.
    A ``DATABASE_PATH`` elsewhere leaves ``DATA_DIR`` alone; it may not be PeerPrep's."""
    try:
        if database.parent.resolve() != data_dir.resolve() or not data_dir.is_dir():
            return
        if data_dir.stat().st_uid == os.getuid():
            os.chmod(data_dir, PRIVATE_DIR)
    except OSError:
        return  # opening the database says what is wrong with the place, if anything
