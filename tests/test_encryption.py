"""Answer text and feedback encrypted at rest (DATA_ENCRYPTION_KEY): a real SQLite file read
byte by byte, WAL included, and on both databases every stored value as anyone reading the
tables would see it; start-up with a missing or wrong key; key rotation; retention, export
and delete with encryption on; and nothing changes without the setting."""

from __future__ import annotations

import asyncio
import base64
import json
import random
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from bot.bank import Bank
from bot.interview.engine import InterviewService
from bot.retention import forget_expired_text
from bot.storage import Codec, EncryptionKeyError, Store
from tests.conftest import FakeClock
from tests.stored import SEALED, on_sqlite, rows, stored_text, unsealed
from tests.test_practice_cli import run

KEY = bytes(range(32))
OTHER = bytes(range(1, 33))
SECRET = "quokkaberry"  # a word no question, cue or example answer holds
ANSWER = (
    f"I would start by listening and reflecting back what I hear about {SECRET}, so the person "
    "knows I understand. I would ask what they want from our time together and respect their "
    "choice. When I was in early recovery someone did the same for me."
)


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


def raw_bytes(db_path: Path) -> bytes:
    """The database file and its WAL and shared-memory files, as anyone could read them."""
    return b"".join(p.read_bytes() for p in (db_path, Path(f"{db_path}-wal"),
                                             Path(f"{db_path}-shm")) if p.exists())


def wal_size(db_path: Path) -> int:
    wal = Path(f"{db_path}-wal")
    return wal.stat().st_size if wal.exists() else 0


def where(database: Path | str) -> dict[str, str]:
    """The settings that point a command at ``database`` (DATA_DIR names the SQLite file's
    folder, the test's own)."""
    return {} if on_sqlite(database) else {"DATABASE_URL": str(database)}


async def assert_nothing_readable(store: Store, *words: str) -> None:
    """No answer text or feedback stored unsealed, and none of ``words`` (nor the answer,
    nor feedback's JSON) in any value of any table, as the database hands them to anyone
    who reads it."""
    assert await unsealed(store) == []
    stored = await stored_text(store)
    for word in (SECRET, "reflecting back what I hear", '"key_points"', '"evidence"', *words):
        assert word not in stored, word


async def practise(store: Store, bank: Bank, clock: FakeClock, answers: int = 3,
                   text: str = ANSWER) -> tuple[int, list[str]]:
    """An interview with ``answers`` answers and one daily answer, by a new person; returns
    the person's id and the evidence quotes their feedback holds."""
    engine = InterviewService(store, bank, clock=clock, rng=random.Random(7))
    person = await store.people.for_discord(4242)
    started = await engine.start(person.id, count=answers)
    quotes: list[str] = []
    for position in range(answers):
        result = await engine.answer(started.interview.id, position, 1, text)
        quotes += [k.evidence for k in result.feedback.key_points if k.evidence]
        await engine.skip(started.interview.id, position)
        clock.advance(minutes=3)
    daily = await engine.answer_daily(person.id, bank.get("pss-03"), text, "daily:1:4242")
    quotes += [k.evidence for k in daily.feedback.key_points if k.evidence]
    return person.id, quotes


async def test_with_a_key_no_answer_text_is_stored_readable(database: Path | str, bank: Bank,
                                                            clock: FakeClock):
    """SQLite: the file and its WAL, byte by byte. PostgreSQL (no file of PeerPrep's to
    read): every value of every table, as the server hands them to anyone reading them."""
    async with Store(database) as store:
        await store.unlock(KEY)
        person_id, quotes = await practise(store, bank, clock)
        assert quotes, "the answer should have evidence quotes to look for"
        if on_sqlite(database):
            raw = raw_bytes(database)  # while open: the answers are still in the WAL
            assert b"pp1:" in raw and wal_size(database) > 0  # sealed answers, in the WAL too
            assert SECRET.encode() not in raw
            assert b"reflecting back what I hear" not in raw
            for quote in quotes:
                assert quote.encode() not in raw, quote
            assert b'"key_points"' not in raw and b'"evidence"' not in raw  # no feedback JSON
        assert [t.startswith(SEALED) for (t,) in await rows(store, "SELECT text FROM answers")
                ] == [True] * 4
        await assert_nothing_readable(store, *quotes)
        # The owner reads everything back as it was written.
        exported = await store.people.export(person_id)
        assert [a["text"] for a in exported["answers"]] == [ANSWER] * 4
        assert all(isinstance(a["feedback"], dict) for a in exported["answers"])
    async with Store(database) as store:
        await store.unlock(KEY)  # the same key opens it again
        attempts = await store.progress.interview_attempts(1)
        assert attempts and all(f["score"] >= 0 for fs in attempts.values() for f in fs)
    if on_sqlite(database):
        assert SECRET.encode() not in raw_bytes(database)


async def test_without_the_setting_nothing_changes(database: Path | str, bank: Bank,
                                                   clock: FakeClock):
    async with Store(database) as store:
        assert await store.unlock(None) == 0
        await practise(store, bank, clock, answers=1)
    async with Store(database) as store:  # read as stored: this store was never unlocked
        texts = [r[0] for r in await rows(store, "SELECT text FROM answers")]
        feedback = [json.loads(r[0]) for r in await rows(store, "SELECT feedback FROM answers")]
        assert await rows(store, "SELECT COUNT(*) FROM encryption") == [(0,)]
    assert texts == [ANSWER, ANSWER] and all("score" in f for f in feedback)


# A long answer spills onto overflow pages, which re-encrypting frees: secure_delete must
# wipe them, or the old plain text stays readable in the file's free pages.
@pytest.mark.parametrize("text", [ANSWER, (ANSWER + " ") * 14], ids=["short", "3,600 chars"])
async def test_the_first_start_with_a_key_encrypts_what_is_stored(
        database: Path | str, bank: Bank, clock: FakeClock, text: str):
    async with Store(database) as store:
        await store.unlock(None)
        person_id, _ = await practise(store, bank, clock, answers=2, text=text)
        assert SECRET in await stored_text(store)  # plain text until a key is set
    if on_sqlite(database):
        assert SECRET.encode() in raw_bytes(database)
    async with Store(database) as store:
        if on_sqlite(database):
            # as in SQLite builds without SQLITE_SECURE_DELETE (this one may have it on)
            await store.db.conn.execute("PRAGMA secure_delete = OFF")
        assert await store.unlock(KEY) == 3
        if on_sqlite(database):
            assert SECRET.encode() not in raw_bytes(database)  # WAL emptied, old pages wiped
        await assert_nothing_readable(store)
        exported = await store.people.export(person_id)
        assert [a["text"] for a in exported["answers"]] == [text[:4000]] * 3
    if on_sqlite(database):
        assert SECRET.encode() not in raw_bytes(database)


async def test_processes_starting_with_a_key_at_once_encrypt_once_and_all_start(
        database: Path | str, bank: Bank, clock: FakeClock):
    """Three processes (stores) given the key for the first time, at once: one encrypts the
    answers; the others find it done in their own transaction, check the key and start
    (before, they read the sealed answers as plain text and stopped: 'set the key')."""
    async with Store(database) as store:
        await store.unlock(None)
        person_id, _ = await practise(store, bank, clock, answers=2)
    stores = [Store(database) for _ in range(3)]
    for store in stores:
        await store.db.open()
    try:
        encrypted = await asyncio.gather(*(store.unlock(KEY) for store in stores))
        assert sorted(encrypted) == [0, 0, 3]
        for store in stores:
            exported = await store.people.export(person_id)
            assert [a["text"] for a in exported["answers"]] == [ANSWER] * 3
        await assert_nothing_readable(stores[0])
        other = Store(database)
        await other.db.open()
        try:
            with pytest.raises(EncryptionKeyError):
                await other.unlock(bytes(range(1, 33)))
        finally:
            await other.db.close()
    finally:
        for store in stores:
            await store.db.close()


async def test_a_missing_or_wrong_key_is_refused(database: Path | str, bank: Bank,
                                                 clock: FakeClock):
    async with Store(database) as store:
        await store.unlock(KEY)
        await practise(store, bank, clock, answers=1)
    for key, named in ((None, "set DATA_ENCRYPTION_KEY"), (OTHER, "is not the key")):
        async with Store(database) as store:
            with pytest.raises(EncryptionKeyError, match=named):
                await store.unlock(key)


def test_start_up_without_or_with_the_wrong_key_is_one_line_exit_2(database: Path | str,
                                                                    tmp_path: Path):
    stdin = ANSWER + "\n\nn\n/end\n"
    first = run(["practice", "--questions", "1", "--user", "sam", "--new"], tmp_path, stdin,
                DATA_ENCRYPTION_KEY=b64(KEY), **where(database))
    assert first.returncode == 0, first.stderr
    if on_sqlite(database):
        assert SECRET.encode() not in raw_bytes(tmp_path / "peerprep.sqlite3")
    cases = {"missing": {}, "wrong": {"DATA_ENCRYPTION_KEY": b64(OTHER)}}
    for name, env in cases.items():
        for args in (["progress", "--user", "sam"],
                     ["run"]):  # the bot stops before it would connect to Discord
            extra = {"DISCORD_TOKEN": "not-a-real-token",
                     "DISCORD_API_BASE": "http://127.0.0.1:9/api/v10"} if args == ["run"] else {}
            result = run(args, tmp_path, **env, **extra, **where(database))
            assert result.returncode == 2, (name, args, result.stderr)
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and "DATA_ENCRYPTION_KEY" in lines[0], (name, lines)
            assert "Traceback" not in result.stderr
            assert b64(OTHER) not in result.stderr + result.stdout
    ok = run(["progress", "--user", "sam"], tmp_path, DATA_ENCRYPTION_KEY=b64(KEY),
             **where(database))
    assert ok.returncode == 0, ok.stderr
    assert "Answers: 1" in ok.stdout  # the database the practice wrote to


def stored_texts(database: Path | str) -> list[str | None]:
    """Every answer's text as stored, read by a store of its own (in a test that is not
    itself async: the commands it runs start their own event loops)."""
    async def read() -> list[str | None]:
        async with Store(database) as store:
            return [r[0] for r in await rows(store, "SELECT text FROM answers")]
    return asyncio.run(read())


def test_rotate_key_re_encrypts_and_decrypt_turns_it_off(database: Path | str, tmp_path: Path):
    stdin = ANSWER + "\n\nn\n/end\n"
    db = where(database)
    # On PostgreSQL no lock tells whether a bot still uses the database: --force says the
    # operator stopped them (tests/test_db_cli_postgres.py checks the refusal without it).
    force = ["--force"] if isinstance(database, str) else []
    assert run(["practice", "--questions", "1", "--user", "sam", "--new"], tmp_path, stdin,
               DATA_ENCRYPTION_KEY=b64(KEY), **db).returncode == 0
    no_new = run(["db", "rotate-key", *force], tmp_path, DATA_ENCRYPTION_KEY=b64(KEY), **db)
    assert no_new.returncode == 2 and "NEW_DATA_ENCRYPTION_KEY" in no_new.stderr
    rotated = run(["db", "rotate-key", *force], tmp_path, DATA_ENCRYPTION_KEY=b64(KEY),
                  NEW_DATA_ENCRYPTION_KEY=b64(OTHER), **db)
    assert rotated.returncode == 0, rotated.stderr
    assert "Re-encrypted 1 answer(s)" in rotated.stdout
    assert run(["progress", "--user", "sam"], tmp_path,
               DATA_ENCRYPTION_KEY=b64(KEY), **db).returncode == 2  # the old key no longer opens it
    assert run(["progress", "--user", "sam"], tmp_path,
               DATA_ENCRYPTION_KEY=b64(OTHER), **db).returncode == 0
    [text] = stored_texts(database)
    assert text is not None and text.startswith("pp1:")
    assert Codec(OTHER).open(text, "text") == ANSWER

    wrong = run(["db", "rotate-key", "--decrypt", *force], tmp_path, DATA_ENCRYPTION_KEY=b64(KEY), **db)
    assert wrong.returncode == 2 and "is not the key" in wrong.stderr
    plain = run(["db", "rotate-key", "--decrypt", *force], tmp_path, DATA_ENCRYPTION_KEY=b64(OTHER),
                **db)
    assert plain.returncode == 0, plain.stderr
    assert stored_texts(database) == [ANSWER]
    assert run(["progress", "--user", "sam"], tmp_path, **db).returncode == 0  # no key needed


async def test_retention_export_and_delete_work_with_encryption(database: Path | str,
                                                                bank: Bank, clock: FakeClock):
    async with Store(database) as store:
        await store.unlock(KEY)
        person_id, _ = await practise(store, bank, clock, answers=2)
        blanked = await forget_expired_text(store, clock() + timedelta(days=400), 365)
        assert blanked == 3
        exported = await store.people.export(person_id)
        assert [a["text"] for a in exported["answers"]] == [None] * 3
        assert all(isinstance(a["feedback"], dict) for a in exported["answers"])
        await store.people.delete(person_id)
        assert (await store.db.fetch_one("SELECT COUNT(*) FROM answers"))[0] == 0


def test_the_codec_refuses_tampering_and_a_value_moved_to_another_column():
    codec = Codec(KEY)
    sealed = codec.seal(ANSWER, "text")
    assert sealed is not None and sealed != codec.seal(ANSWER, "text")  # a fresh nonce each
    assert codec.open(sealed, "text") == ANSWER
    with pytest.raises(EncryptionKeyError, match="damaged"):
        codec.open(sealed, "feedback")
    body = bytearray(base64.b64decode(sealed.rsplit(":", 1)[1]))
    body[-1] ^= 1
    tampered = sealed.rsplit(":", 1)[0] + ":" + base64.b64encode(bytes(body)).decode()
    with pytest.raises(EncryptionKeyError, match="damaged"):
        codec.open(tampered, "text")
    assert KEY.hex() not in repr(codec) and Codec(None).open(ANSWER, "text") == ANSWER


def test_a_key_problem_while_running_tells_the_user_without_details():
    """Raised mid-run (the key changed under a running bot), the error path's reply names
    no key and no answer, and does not pretend that trying again will help."""
    from bot.discord_app.errors import user_message

    codec = Codec(OTHER)
    with pytest.raises(EncryptionKeyError) as caught:
        codec.open(Codec(KEY).seal(ANSWER, "text"), "text")
    message = user_message(caught.value)
    assert message is not None and "encryption key" in message and "try again" not in message


async def test_a_double_submission_returns_the_stored_guidance_decrypted(
        database: Path | str, bank: Bank, clock: FakeClock):
    async with Store(database) as store:
        await store.unlock(KEY)
        engine = InterviewService(store, bank, clock=clock, rng=random.Random(3))
        person = await store.people.for_discord(77)
        started = await engine.start(person.id, count=1)
        first = await engine.answer(started.interview.id, 0, 1, ANSWER)
        again = await engine.answer(started.interview.id, 0, 1, ANSWER + " (sent twice)")
        assert again.duplicate and not first.duplicate
        assert again.feedback == first.feedback  # read back from the sealed row


async def test_a_rotation_that_fails_half_way_changes_nothing(database: Path | str, bank: Bank,
                                                              clock: FakeClock):
    async with Store(database) as store:
        await store.unlock(KEY)
        await practise(store, bank, clock, answers=2)
    async with Store(database) as store:  # one row, the second, sealed with some other key
        [_, (second,), _] = await rows(store, "SELECT id FROM answers ORDER BY id")
        await store.db.write(lambda tx: tx.execute(
            "UPDATE answers SET text = ? WHERE id = ?",
            (Codec(OTHER).seal("stray", "text"), second)))
        before = await rows(store, "SELECT id, text, feedback FROM answers ORDER BY id")
        check = await rows(store, "SELECT key_check FROM encryption")
    new_key = bytes(range(2, 34))
    async with Store(database) as store:
        await store.unlock(KEY)
        with pytest.raises(EncryptionKeyError, match="is not the key"):
            await store.recode(Codec(KEY), new_key)
    async with Store(database) as store:
        assert await rows(store, "SELECT id, text, feedback FROM answers ORDER BY id") == before
        assert await rows(store, "SELECT key_check FROM encryption") == check


async def test_follow_up_answers_are_sealed_read_back_rotated_and_blanked(
        database: Path | str, bank: Bank, clock: FakeClock):
    reply = f"I would ask plainly whether they are thinking about suicide, near the {SECRET}."
    async with Store(database) as store:
        await store.unlock(KEY)
        engine = InterviewService(store, bank, clock=clock, rng=random.Random(7))
        person = await store.people.for_discord(4343)
        interview, _ = await store.interviews.create(person.id, "all", None, ["cps-05"], "dm")
        first = await engine.answer(interview.id, 0, 1, "I would be kind and do my best.",
                                    "cps-05")
        assert first.interview.awaiting_follow_up
        coached = await engine.answer_follow_up(interview.id, 0, reply)
        if on_sqlite(database):
            raw = raw_bytes(database)
            assert SECRET.encode() not in raw and b'"key_points"' not in raw
        await assert_nothing_readable(store, reply)
        again = await engine.answer_follow_up(interview.id, 0, reply)  # read back, opened
        assert again.duplicate and again.feedback == coached.feedback
        summary = await engine.summary(interview.id)
        assert summary.results[0].follow_up is not None
        exported = await store.people.export(person.id)
        [follow_up] = exported["interview_follow_ups"]
        assert follow_up["text"] == reply and isinstance(follow_up["feedback"], dict)

        await store.recode(Codec(KEY), OTHER)  # rotation reaches follow-ups too
        await store.unlock(OTHER)
        assert (await store.people.export(person.id))["interview_follow_ups"][0]["text"] == reply
        assert await forget_expired_text(store, clock() + timedelta(days=400), 365) == 2
        [blanked] = (await store.people.export(person.id))["interview_follow_ups"]
        assert blanked["text"] is None and blanked["crisis"] == 0
        assert all(k["evidence"] is None for k in blanked["feedback"]["key_points"])
        await assert_nothing_readable(store, reply)
    if on_sqlite(database):
        assert SECRET.encode() not in raw_bytes(database)


async def test_a_row_under_another_key_never_stops_retention(database: Path | str, bank: Bank,
                                                              clock: FakeClock):
    """A rotation while something still wrote leaves a row sealed with the old key: the sweep
    blanks its text all the same (its feedback dropped) and everyone else's too."""
    async with Store(database) as bot:  # a writer still on KEY while the key was rotated
        await bot.unlock(KEY)
        async with Store(database) as cli:
            await cli.unlock(KEY)
            await cli.recode(Codec(KEY), OTHER)
        person = await bot.people.for_discord(7)
        await InterviewService(bot, bank, clock=clock).answer_daily(
            person.id, bank.get("pss-03"), ANSWER, "d:7")
    async with Store(database) as store:
        await store.unlock(OTHER)
        assert await forget_expired_text(store, clock() + timedelta(days=400), 365) == 1
        assert (await store.db.fetch_one("SELECT text FROM answers"))[0] is None
        await assert_nothing_readable(store)
    if on_sqlite(database):
        assert SECRET.encode() not in raw_bytes(database)


def test_rotate_key_refuses_a_database_open_elsewhere(tmp_path: Path):
    run(["practice", "--questions", "1", "--user", "sam", "--new"], tmp_path,
        ANSWER + "\n\nn\n/end\n", DATA_ENCRYPTION_KEY=b64(KEY))
    holder = sqlite3.connect(tmp_path / "peerprep.sqlite3")
    try:
        holder.execute("SELECT COUNT(*) FROM answers").fetchone()  # open, as the bot keeps it
        rotated = run(["db", "rotate-key"], tmp_path, DATA_ENCRYPTION_KEY=b64(KEY),
                      NEW_DATA_ENCRYPTION_KEY=b64(OTHER))
    finally:
        holder.close()
    assert rotated.returncode == 1 and "stop it first" in rotated.stderr
