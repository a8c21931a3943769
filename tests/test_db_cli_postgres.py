"""``python -m bot db ...`` with DATABASE_URL (PostgreSQL): each command works or says in
one line why not and what to run instead, and no line ever holds the URL's password. Also
that a database the URL names is created at start-up when it does not exist, and migrated.

Needs PEERPREP_TEST_DATABASE_URL (tests/postgres.py); each test works in a schema, or a
database, of its own and drops it after. Commands run in this process as the other CLI
tests run them (tests/terminal_harness.py)."""

from __future__ import annotations

import asyncio
import base64
import shlex
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest

from bot.storage import Codec, Store
from bot.storage.migrations import migrations
from tests import postgres
from tests.terminal_harness import Ran, run

pytestmark = [pytest.mark.skipif(postgres.server_url() is None,
                                 reason=f"needs {postgres.URL_ENV}"),
              pytest.mark.database]  # in the PostgreSQL pass of .ci/run

PASSWORD = "pw-Zx81-never-shown"  # the test server trusts local logins: any password works
KEY, OTHER = bytes(range(32)), bytes(range(1, 33))
LATEST = len(migrations())
ANSWER = ("I would start by listening and reflecting back what I hear, so the person knows I "
          "understand. I would ask what they want from our time together and respect their "
          "choice.")


def with_password(url: str) -> str:
    parts = urlsplit(url)
    user = parts.username or "postgres"
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, f"{user}:{PASSWORD}@{host}", parts.path, parts.query,
                       parts.fragment))


def sql(url: str, statement: str, *args: Any) -> Any:
    async def go() -> Any:
        conn = await asyncpg.connect(url)
        try:
            return await conn.fetch(statement, *args)
        finally:
            await conn.close()
    return asyncio.run(go())


@pytest.fixture
def schema() -> Iterator[tuple[str, str]]:
    """(a URL with a password whose connections work in a new, empty schema, the schema)."""
    server = postgres.server_url()
    assert server is not None
    name = f"test_cli_{uuid.uuid4().hex[:12]}"
    sql(server, f"CREATE SCHEMA {name}")
    try:
        yield with_password(postgres.with_schema(server, name)), name
    finally:
        sql(server, f"DROP SCHEMA {name} CASCADE")


def db(args: list[str], data_dir: Path, url: str, stdin: str = "", **env: str) -> Ran:
    result = run(["db", *args], data_dir, stdin, DATABASE_URL=url, **env)
    assert PASSWORD not in result.stdout + result.stderr, (args, result)
    return result


def one_line(result: Ran) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


def practise(data_dir: Path, url: str, **env: str) -> None:
    result = run(["practice", "--questions", "1", "--user", "sam", "--new"], data_dir,
                 ANSWER + "\n\nn\n/end\n", DATABASE_URL=url, **env)
    assert result.returncode == 0, result.stderr


def test_db_upgrade_migrates_postgres_and_names_it_without_its_password(
        tmp_path: Path, schema: tuple[str, str]):
    url, name = schema
    first = db(["upgrade"], tmp_path, url)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == (f"postgresql://postgres:***@{urlsplit(url).netloc.rpartition('@')[2]}"
                                    f"/{urlsplit(url).path.lstrip('/')}?search_path={name}: "
                                    f"upgraded from version 0 to {LATEST}.")
    again = db(["upgrade"], tmp_path, url)
    assert again.returncode == 0 and f"already at version {LATEST}" in again.stdout
    assert not (tmp_path / "peerprep.sqlite3").exists()  # the SQLite file was never made


def test_db_backup_refuses_with_the_pg_dump_line_that_works(tmp_path: Path,
                                                           schema: tuple[str, str]):
    url, name = schema
    practise(tmp_path, url)
    dump = tmp_path / "backups" / "peer prep.dump"  # a space: the line must quote it
    backup = db(["backup", str(dump)], tmp_path, url)
    # 2, not 0: a backup script must not take this for a backup made.
    assert backup.returncode == 2
    line = one_line(backup)
    assert "PeerPrep backs up SQLite files; for PostgreSQL use pg_dump: pg_dump " in line
    assert f"--schema={name}" in line and not dump.exists()
    command = line.split("use pg_dump: ", 1)[1]

    restore = db(["restore", str(dump)], tmp_path, url)
    assert restore.returncode == 2
    restore_line = one_line(restore)
    assert "stop every bot process" in restore_line and "pg_restore " in restore_line
    restore_command = restore_line.split("restore a pg_dump backup with: ", 1)[1]

    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump and pg_restore are not installed: the lines were not run")
    dump.parent.mkdir()
    # The lines as printed, run as a shell would split them: the dump, then a change, then
    # the restore puts the database back as it was dumped.
    subprocess.run(shlex.split(command), check=True, timeout=60, capture_output=True)
    assert dump.stat().st_size > 0
    run(["practice", "--questions", "1", "--user", "later", "--new"], tmp_path,
        ANSWER + "\n\nn\n/end\n", DATABASE_URL=url)
    people = f"SELECT local_name FROM {name}.people ORDER BY id"
    assert [r[0] for r in sql(postgres.server_url(), people)] == ["sam", "later"]
    subprocess.run(shlex.split(restore_command), check=True, timeout=60, capture_output=True)
    assert [r[0] for r in sql(postgres.server_url(), people)] == ["sam"]
    progress = run(["progress", "--user", "sam"], tmp_path, DATABASE_URL=url)
    assert progress.returncode == 0 and "Answers: 1" in progress.stdout


def test_db_check_reports_the_version_and_points_at_postgres_own_checks(
        tmp_path: Path, schema: tuple[str, str]):
    url, _ = schema
    fresh = db(["check"], tmp_path, url)
    assert fresh.returncode == 0, fresh.stderr
    assert "schema version 0" in fresh.stdout and "db upgrade" in fresh.stdout
    db(["upgrade"], tmp_path, url)
    checked = db(["check"], tmp_path, url)
    assert checked.returncode == 0
    assert f"reachable, schema version {LATEST} (this PeerPrep knows up to {LATEST})" in \
        checked.stdout
    assert "pg_amcheck" in checked.stdout and "db upgrade" not in checked.stdout


def test_db_check_does_not_create_a_database_that_is_missing(tmp_path: Path):
    server = postgres.server_url()
    assert server is not None
    name = f"peerprep_missing_{uuid.uuid4().hex[:10]}"
    url = with_password(urlunsplit(urlsplit(server)._replace(path=f"/{name}")))
    try:
        checked = db(["check"], tmp_path, url)
        assert checked.returncode == 2
        assert "does not exist" in one_line(checked) and "DATABASE_URL" in one_line(checked)
        assert not sql(server, "SELECT 1 FROM pg_database WHERE datname = $1", name)
    finally:  # made all the same should the rule break: not left on the shared server
        sql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_db_rotate_key_on_postgres_needs_force(tmp_path: Path, schema: tuple[str, str]):
    """PeerPrep can't see whether a bot on another machine still writes under the old key:
    without --force nothing changes; with it (every bot stopped) the answers are
    re-encrypted."""
    url, name = schema
    practise(tmp_path, url, DATA_ENCRYPTION_KEY=b64(KEY))
    check = f"SELECT key_check FROM {name}.encryption"
    before = sql(postgres.server_url(), check)[0][0]
    refused = db(["rotate-key"], tmp_path, url, DATA_ENCRYPTION_KEY=b64(KEY),
                 NEW_DATA_ENCRYPTION_KEY=b64(OTHER))
    assert refused.returncode == 2
    line = one_line(refused)
    assert "stop every bot process" in line and "--force" in line
    assert sql(postgres.server_url(), check)[0][0] == before  # nothing changed

    forced = db(["rotate-key", "--force"], tmp_path, url, DATA_ENCRYPTION_KEY=b64(KEY),
                NEW_DATA_ENCRYPTION_KEY=b64(OTHER))
    assert forced.returncode == 0, forced.stderr
    assert "Re-encrypted 1 answer(s)" in forced.stdout
    text = sql(postgres.server_url(), f"SELECT text FROM {name}.answers")[0][0]
    assert Codec(OTHER).open(text, "text") == ANSWER
    assert run(["progress", "--user", "sam"], tmp_path, DATABASE_URL=url,
               DATA_ENCRYPTION_KEY=b64(OTHER)).returncode == 0


def test_db_new_key_needs_no_database(tmp_path: Path):
    result = db(["new-key"], tmp_path, with_password("postgresql://127.0.0.1:9/nowhere"))
    assert result.returncode == 0 and len(base64.urlsafe_b64decode(result.stdout.strip())) == 32


def test_db_copy_sqlite_to_postgres_and_back_by_the_command(tmp_path: Path,
                                                            schema: tuple[str, str]):
    url, name = schema
    practise(tmp_path, "", DATA_ENCRYPTION_KEY=b64(KEY))  # SQLite, under DATA_DIR
    moved = run(["db", "copy", "--to", url], tmp_path)
    assert PASSWORD not in moved.stdout + moved.stderr
    assert moved.returncode == 0, moved.stderr
    assert "postgresql://postgres:***@" in moved.stdout.splitlines()[0]
    assert "same DATA_ENCRYPTION_KEY" in moved.stdout
    assert moved.stdout.splitlines()[-1].startswith(
        "To use it: set DATABASE_URL=postgresql://postgres@")
    assert f"search_path={name}" in moved.stdout.splitlines()[-1]
    progress = run(["progress", "--user", "sam"], tmp_path, DATABASE_URL=url,
                   DATA_ENCRYPTION_KEY=b64(KEY))
    assert progress.returncode == 0 and "Answers: 1" in progress.stdout

    again = run(["db", "copy", "--to", url], tmp_path)
    assert PASSWORD not in again.stdout + again.stderr
    assert again.returncode == 2 and "already holds PeerPrep data" in one_line(again)

    back = tmp_path / "back.sqlite3"
    returned = db(["copy", "--to", str(back)], tmp_path, url)
    assert returned.returncode == 0, returned.stderr
    assert "can't tell whether a bot process wrote to the source" in returned.stdout
    progress = run(["progress", "--user", "sam"], tmp_path, DATABASE_PATH=str(back),
                   DATA_ENCRYPTION_KEY=b64(KEY))
    assert progress.returncode == 0 and "Answers: 1" in progress.stdout
    itself = db(["copy", "--to", url], tmp_path, url)
    assert itself.returncode == 2 and "the configured database itself" in one_line(itself)


# -- a database created at start-up ----------------------------------------------------------

@pytest.fixture
def new_database() -> Iterator[tuple[str, str]]:
    """(a URL naming a database that does not exist yet, its name); dropped after."""
    server = postgres.server_url()
    assert server is not None
    name = f"peerprep_new_{uuid.uuid4().hex[:10]}"
    try:
        yield urlunsplit(urlsplit(server)._replace(path=f"/{name}", query="")), name
    finally:
        sql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def two_processes_start_at_once(url: str) -> None:
    """Two stores open ``url`` together: each creates what is missing or finds it made by
    the other, both end migrated, and what one writes the other reads."""
    stores = [Store(url), Store(url)]
    await asyncio.gather(*(store.db.open() for store in stores))
    try:
        for store in stores:
            assert await store.db.version() == LATEST
        person = await stores[0].people.for_local("first")
        assert (await stores[1].people.find_local("first")) == person
    finally:
        for store in stores:
            await store.db.close()


async def test_a_database_that_does_not_exist_is_created_and_migrated(
        new_database: tuple[str, str]):
    url, name = new_database
    server = postgres.server_url()
    assert server is not None
    await two_processes_start_at_once(url)
    conn = await asyncpg.connect(server)
    try:
        assert await conn.fetchval("SELECT COUNT(*) FROM pg_database WHERE datname = $1",
                                   name) == 1
    finally:
        await conn.close()


def test_db_upgrade_creates_the_database_the_url_names(tmp_path: Path,
                                                      new_database: tuple[str, str]):
    url, _ = new_database
    upgraded = db(["upgrade"], tmp_path, with_password(url))
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"upgraded from version 0 to {LATEST}" in upgraded.stdout


# -- a schema created at start-up ------------------------------------------------------------

@pytest.fixture
def new_schema() -> Iterator[tuple[str, str]]:
    """(a URL whose search_path names a schema that does not exist yet, its name); dropped
    after."""
    server = postgres.server_url()
    assert server is not None
    name = f"test_new_{uuid.uuid4().hex[:12]}"
    try:
        yield postgres.with_schema(server, name), name
    finally:
        sql(server, f"DROP SCHEMA IF EXISTS {name} CASCADE")


async def test_a_schema_the_url_names_is_created_and_migrated(new_schema: tuple[str, str]):
    url, name = new_schema
    await two_processes_start_at_once(url)
    server = postgres.server_url()
    assert server is not None
    conn = await asyncpg.connect(server)
    try:
        assert await conn.fetchval("SELECT to_regclass($1)", f"{name}.answers") is not None
    finally:
        await conn.close()


def test_db_upgrade_creates_the_schema_or_says_how_when_it_may_not(
        tmp_path: Path, new_schema: tuple[str, str]):
    url, name = new_schema
    server = postgres.server_url()
    assert server is not None
    role = f"test_role_{uuid.uuid4().hex[:10]}"
    sql(server, f"CREATE ROLE {role} LOGIN")  # may connect; may not create schemas
    try:
        parts = urlsplit(with_password(url))
        as_role = urlunsplit(parts._replace(
            netloc=f"{role}:{PASSWORD}@{parts.netloc.rpartition('@')[2]}"))
        refused = db(["upgrade"], tmp_path, as_role)
        assert refused.returncode != 0
        line = one_line(refused)
        assert f"the schema {name} (search_path in" in line
        assert f'CREATE SCHEMA "{name}"' in line and "grant the user CREATE" in line
    finally:
        sql(server, f"DROP ROLE {role}")
    upgraded = db(["upgrade"], tmp_path, with_password(url))
    assert upgraded.returncode == 0, upgraded.stderr
    assert f"upgraded from version 0 to {LATEST}" in upgraded.stdout


def test_db_copy_to_a_url_that_cannot_work_says_so_in_one_line(tmp_path: Path):
    practise(tmp_path, "")
    for target in (f"postgresql://postgres:{PASSWORD}@127.0.0.1:abc/x",
                   f"postgresql://postgres:{PASSWORD}@127.0.0.1:5432/"):
        copied = run(["db", "copy", "--to", target], tmp_path)
        assert PASSWORD not in copied.stdout + copied.stderr
        assert copied.returncode == 2
        assert "--to: the PostgreSQL URL can't be used" in one_line(copied)
