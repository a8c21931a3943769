"""Retention, export and delete hold for every row about a person (issue 14, point 4).

The schema test reads the tables from the database itself (``sqlite_master`` on SQLite,
``information_schema`` on PostgreSQL), in both passes: a table that gets a person column (or
hangs off a table that has one) and is left out of export or delete fails it on either."""

from __future__ import annotations

import json
import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from bot.bank import Bank
from bot.coaching.feedback import Feedback
from bot.interview.engine import InterviewService
from bot.paths import MIGRATIONS_DIR
from bot.retention import forget_derived, forget_expired_text
from bot.storage import Store
from bot.storage.connection import Database
from bot.storage.migrations import migrations
from bot.storage.people import EXPORTED
from bot.storage.sql import Tx
from tests.conftest import FakeClock
from tests.stored import columns, foreign_keys, primary_key, rows, stored_text, tables

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
# Columns that name a person without a foreign key: a Discord user id.
PERSON_COLUMNS = {"discord_user_id", "user_id", "created_by", "invited_by", "owner_id",
                  "member_id", "author_id"}
TARGET, OTHER = (1, 1001), (2, 1002)  # (person id, Discord user id)

# One row per person for each table about a person. A new table needs a row here, in export
# (bot.storage.people.EXPORTED) and in delete. (Values worked out in ``seed_values``: the
# same statements run on SQLite and PostgreSQL, which types no ``:p * 10`` or ``'k' || :p``.)
SEED = [
    "INSERT INTO people (id, discord_user_id, created_at) VALUES (:p, :u, 'then')",
    "INSERT INTO interviews (id, person_id, bank, started_at, updated_at, guild_id) "
    "VALUES (:interview, :p, 'all', 'then', 'then', 500)",
    "INSERT INTO interview_questions (interview_id, position, question_id) "
    "VALUES (:interview, 0, 'pss-01')",
    "INSERT INTO interview_follow_ups (interview_id, position, question_id, key_point, prompt, "
    "status, text, asked_at) VALUES (:interview, 0, 'pss-01', 'scope', 'Why?', 'answered', "
    "'follow-up words', 'then')",
    "INSERT INTO answers (person_id, interview_id, question_id, submission_key, text, score, "
    "feedback, answered_at, local_day) VALUES (:p, :interview, 'pss-01', :key, 'words', 50, "
    "'{}', 'then', '2026-03-01')",
    "INSERT INTO review_cards (person_id, question_id, card, due_at, last_score) "
    "VALUES (:p, 'pss-01', '{}', 'then', 50)",
    "INSERT INTO practice_days (person_id, day, answers, score_sum) "
    "VALUES (:p, '2026-03-01', 1, 50)",
    "INSERT INTO period_totals (period, person_id, answers, score_sum) VALUES ('all', :p, 1, 50)",
    "INSERT INTO streaks (person_id, current, best) VALUES (:p, 1, 1)",
    "INSERT INTO cohorts (id, guild_id, name, created_by, created_at) "
    "VALUES (:cohort, 500, :cohort_name, :u, 'then')",
    "INSERT INTO cohort_members (cohort_id, person_id, joined_at) VALUES (:cohort, :p, 'then')",
    "INSERT INTO posted_messages (person_id, channel_id, message_id, posted_at) "
    "VALUES (:p, 77, :message, 'then')",
]
INVITE = ("INSERT INTO cohort_invitations (cohort_id, person_id, invited_at) "
          "VALUES (:others_cohort, :p, 'then')")


def seed_values(person: int, user: int) -> dict[str, object]:
    return {"p": person, "u": user, "interview": person * 10, "key": f"k{person}",
            "cohort": person * 100, "cohort_name": f"cohort {person}",
            "message": person * 1000, "others_cohort": 300 - person * 100}


async def person_tables(store: Store) -> dict[str, list[tuple[str, str | None]]]:
    """Each table about a person, with its links: (column, the table its foreign key names,
    or None for a column that holds a Discord user id)."""
    every = await tables(store)
    about: dict[str, list[tuple[str, str | None]]] = {"people": [("id", "people")]}
    changed = True
    while changed:
        changed = False
        for table in every:
            links: list[tuple[str, str | None]] = [
                (column, target) for column, target in await foreign_keys(store, table)
                if target in about and table != "people"]
            links += [(column, None) for column in await columns(store, table)
                      if column in PERSON_COLUMNS and table != "people"]
            if links and table not in about:
                about[table] = links
                changed = True
    return about


async def seeded(database: Path | str) -> None:
    """Two people, each with a row in every table about a person, written as they are (the
    foreign keys checked: SQLite's store turns them on, PostgreSQL always does)."""
    async def seed(tx: Tx) -> None:
        for person, user in (TARGET, OTHER):
            for sql in SEED:
                await tx.execute(sql, {k: v for k, v in seed_values(person, user).items()
                                       if f":{k}" in sql})
        for person, user in (TARGET, OTHER):  # each invited to the other's cohort
            await tx.execute(INVITE, {k: v for k, v in seed_values(person, user).items()
                                      if f":{k}" in INVITE})

    async with Store(database) as store:
        await store.db.write(seed)


async def test_export_and_delete_cover_every_table_about_a_person(database: Path | str):
    await seeded(database)
    async with Store(database) as store:
        about = await person_tables(store)
        seeded_tables = {t for t in about
                         if (await rows(store, f"SELECT COUNT(*) FROM {t}"))[0][0]}
    assert {"interview_questions", "period_totals", "cohorts", "posted_messages"} <= set(about)
    missing = sorted(set(about) - seeded_tables)
    assert not missing, f"tables about a person with no row in SEED: {missing}"
    not_exported = sorted(set(about) - set(EXPORTED))
    assert not not_exported, f"tables about a person missing from export: {not_exported}"

    async with Store(database) as store:
        mine, theirs = await store.people.export(TARGET[0]), await store.people.export(OTHER[0])
        for table in about:
            given = mine[table] if isinstance(mine[table], list) else [mine[table]]
            assert given and given[0], f"export leaves out {table}"
            assert json.dumps(given) != json.dumps(
                theirs[table] if isinstance(theirs[table], list) else [theirs[table]]), table
        assert await store.people.delete(TARGET[0]) is True
        assert await store.people.export(TARGET[0]) == {}
        assert await store.people.export(OTHER[0]) == theirs  # the others keep everything

    async with Store(database) as store:
        for table, links in about.items():
            for column, target in links:
                if target is None:
                    [(left,)] = await rows(store, f"SELECT COUNT(*) FROM {table} "
                                                  f"WHERE {column} = ?", (TARGET[1],))
                elif target == "people":
                    [(left,)] = await rows(store, f"SELECT COUNT(*) FROM {table} "
                                                  f"WHERE {column} = ?", (TARGET[0],))
                else:  # hangs off another table about a person: nothing may be orphaned
                    key = (await primary_key(store, target))[0]
                    [(left,)] = await rows(store, f"SELECT COUNT(*) FROM {table} WHERE {column} "
                                                  f"NOT IN (SELECT {key} FROM {target})")
                assert left == 0, f"delete leaves {table}.{column} about the person"
        # Their cohort stays for its members, without its creator.
        assert await rows(store, "SELECT created_by FROM cohorts WHERE id = 100") == [(None,)]


async def test_delete_leaves_no_copy_in_the_file_or_the_wal(tmp_path: Path, bank: Bank,
                                                          clock: FakeClock):
    path = tmp_path / "peerprep.sqlite3"
    secret = "my sister Rosalind-Quaternion drove me to detox"
    async with Store(path) as store:
        engine = InterviewService(store, bank, clock=clock)
        sam = await store.people.for_discord(4242)
        await store.cohorts.create(500, "Spring", None, 4242, clock())
        await engine.answer_daily(sam.id, bank.questions[0], f"I would listen. {secret}.",
                                  key="k")
        kim = await store.people.for_discord(4343)  # kim's answer shares the page
        await engine.answer_daily(kim.id, bank.questions[0], "I would listen.", key="kim")
        await store.db.checkpoint()  # the answer is in the database file itself now
        assert secret.encode() in path.read_bytes()
        await store.people.delete(sam.id)
        wal = path.with_name(path.name + "-wal")
        assert wal.stat().st_size == 0  # checkpointed and truncated
        raw = path.read_bytes()
        assert secret.encode() not in raw and b"Rosalind" not in raw
        assert (await store.db.fetch_one("SELECT created_by FROM cohorts"))[0] is None


async def test_delete_leaves_no_value_about_the_person_in_any_table(
        database: Path | str, bank: Bank, clock: FakeClock):
    """Every value of every table, as the database hands it to anyone who reads it (on
    PostgreSQL, whose files keep deleted rows until VACUUM reuses them, this is what delete
    can promise: docs/PRIVACY.md): nothing of the person's, and the others' all there."""
    secret, their_id = "my brother Quillon-Marsh drove me to detox", 770_011_223_344
    async with Store(database) as store:
        engine = InterviewService(store, bank, clock=clock)
        sam = await store.people.for_discord(their_id)
        await store.cohorts.create(500, "Spring", None, their_id, clock())
        await store.people.set_timezone(sam.id, "Pacific/Chatham")
        await engine.answer_daily(sam.id, bank.questions[0], f"I would listen. {secret}.",
                                  key="k")
        kim = await store.people.for_discord(4343)
        await engine.answer_daily(kim.id, bank.questions[0], "I would listen, kim here.",
                                  key="kim")
        before = await stored_text(store)
        assert secret in before and str(their_id) in before and "Pacific/Chatham" in before
        await store.people.delete(sam.id)
        after = await stored_text(store)
        for gone in (secret, "Quillon", str(their_id), "Pacific/Chatham"):
            assert gone not in after, gone
        assert "I would listen, kim here." in after and "Spring" in after


SELF = ("I'm an addict in recovery and I want to end my life, honestly. As a peer I would "
        "listen first and ask what they need, um, like, and share my own story.")


async def test_retention_forgets_everything_derived_from_the_text(store: Store, bank: Bank,
                                                                  clock: FakeClock):
    engine = InterviewService(store, bank, clock=clock)
    person = await store.people.for_local("sam")
    question = bank.questions[0]
    clock.now = NOW - timedelta(days=400)
    await engine.answer_daily(person.id, question, SELF, key="old")
    strong = yaml.safe_load((Path(__file__).parent / "data" / "strong_answers_1.yaml")
                            .read_text(encoding="utf-8"))[question.id]
    await engine.answer_daily(person.id, question, strong + " Um, like, as an addict myself, "
                              "I know, like, the doubt.", key="old2")
    clock.now = NOW - timedelta(days=1)
    await engine.answer_daily(person.id, question, SELF, key="new")
    before = {r["submission_key"]: (r["score"], json.loads(r["feedback"]))
              for r in await store.db.fetch_all("SELECT * FROM answers")}
    assert before["old"][1]["crisis"] and before["new"][1]["crisis"]
    notes = before["old2"][1]["language"] + before["old"][1]["language"]
    assert any(n["self_described"] for n in notes) and before["old2"][1]["filler_words"]
    assert any(k["evidence"] for k in before["old2"][1]["key_points"])

    assert await forget_expired_text(store, NOW, 365) == 2
    rows = {r["submission_key"]: r for r in await store.db.fetch_all("SELECT * FROM answers")}
    # The crisis answer had no score to keep: past the period it goes altogether.
    assert "old" not in rows
    for key in ("old2",):
        row, feedback = rows[key], json.loads(rows[key]["feedback"])
        assert row["text"] is None and row["crisis"] == 0 and row["score"] == before[key][0]
        assert feedback["crisis"] is False and feedback["language"] == []
        assert feedback["filler_words"] == {} and feedback["tips"] == []
        assert all(k["evidence"] is None for k in feedback["key_points"])
        assert [k["covered"] for k in feedback["key_points"]] == [
            k["covered"] for k in before[key][1]["key_points"]]
        assert "Next:" not in feedback["summary"]
        assert Feedback.from_dict(feedback).score == before[key][0]  # still readable
        for word in ("addict", "end my life", "listen first", "housing form"):
            assert word not in row["feedback"], (key, word)
    assert rows["new"]["text"] == SELF and rows["new"]["crisis"] == 1  # within the period


def test_forget_derived_keeps_the_shape_of_partial_feedback():
    assert forget_derived({"score": 40}) == {"score": 40}
    assert forget_derived({"summary": "Strong answer: 3 of 3 key points. Next: Cut x."}) == {
        "summary": "Strong answer: 3 of 3 key points."}


async def test_the_upgrade_forgets_what_was_derived_from_text_blanked_before(tmp_path: Path):
    path, old = tmp_path / "old.sqlite3", tmp_path / "m"
    old.mkdir()
    for number, migration in migrations():
        if number <= 2:
            shutil.copy(migration, old / migration.name)
    async with Database(path, migrations_dir=old):
        pass
    feedback = {"question_id": "pss-01", "score": 61, "summary": "Solid answer: 2 of 3 key "
                "points. Next: Try \"person in recovery\" instead of \"addict\".",
                "key_points": [{"id": "a", "label": "A", "covered": True,
                                "evidence": "I was an addict for years"}],
                "language": [{"term": "addict", "suggestion": "person in recovery",
                              "self_described": True}],
                "filler_words": {"um": 3}, "crisis": True, "tips": ["Try ..."], "words": 80}
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("INSERT INTO people (id, local_name, created_at) VALUES (1, 'sam', 'x')")
        for key, text in (("blanked", None), ("kept", "I was an addict for years")):
            conn.execute(
                "INSERT INTO answers (person_id, question_id, submission_key, text, score, "
                "feedback, crisis, answered_at, local_day) VALUES (1, 'pss-01', ?, ?, 61, ?, "
                "1, 'x', '2026-03-01')", (key, text, json.dumps(feedback)))
    assert MIGRATIONS_DIR.is_dir()
    async with Database(path):
        pass
    with closing(sqlite3.connect(path)) as conn:
        rows = dict(conn.execute("SELECT submission_key, feedback FROM answers"))
        crisis = dict(conn.execute("SELECT submission_key, crisis FROM answers"))
    assert json.loads(rows["blanked"]) == forget_derived(feedback)
    assert crisis == {"blanked": 0, "kept": 1}
    assert json.loads(rows["kept"]) == feedback  # text still held: retention decides later


def test_privacy_md_answers_what_users_ask_and_is_linked():
    root = Path(__file__).resolve().parent.parent
    page = (root / "docs" / "PRIVACY.md").read_text(encoding="utf-8")
    for heading in ("What is stored", "Where", "Who can see it", "For how long",
                    "Export and delete", "Backups"):
        assert f"## {heading}" in page, heading
    assert "docs/PRIVACY.md" in (root / "README.md").read_text(encoding="utf-8")
    from bot.discord_app.extensions.general import COMMANDS
    assert "PRIVACY.md" in COMMANDS


def test_a_large_export_is_zipped_and_a_huge_one_is_explained():
    import io
    import zipfile

    import pytest

    from bot.discord_app.errors import UserError
    from bot.discord_app.extensions.privacy import deleted_reply, export_file

    small = export_file(b'{"answers": []}', 1000)
    assert small.filename == "peerprep-my-data.json"
    payload = json.dumps({"answers": [{"text": "I would listen first. " * 50}] * 200}).encode()
    packed = export_file(payload, len(payload) - 1)
    assert packed.filename == "peerprep-my-data.zip"
    with zipfile.ZipFile(io.BytesIO(packed.fp.read())) as z:
        assert z.read("peerprep-my-data.json") == payload
    with pytest.raises(UserError, match="even zipped"):
        export_file(payload, 100)
    assert "write-ahead log" in deleted_reply(3, 0, wal_clean=False)
    assert "write-ahead log" not in deleted_reply(3, 0, wal_clean=True)
