"""Answers with bytes that aren't text (or lone surrogates) are stored and coached, with the
unreadable characters replaced by U+FFFD and a note, never a Unicode traceback; text in
UTF-16 or UTF-32 is read as such, and a file that is not text at all is refused in one line."""

from __future__ import annotations

import codecs
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from bot.bank import Bank
from bot.cli.textfile import NotText, decode_text, encoding_of
from bot.interview.engine import InterviewService
from bot.storage import Store
from bot.text import replace_unreadable
from tests.terminal_harness import run as run_here

ROOT = Path(__file__).resolve().parent.parent
ANSWER = ("I would listen first and reflect back what I hear, \udcff\udcfe then ask what the "
          "person wants from our time together and respect their choice.")
RAW = ANSWER.encode("utf-8", "surrogateescape")  # with the bytes 0xff 0xfe inside


def run(args: list[str], data_dir: Path, stdin: bytes, encoding: str
        ) -> subprocess.CompletedProcess[bytes]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEV_"))}
    environ |= {"DATA_DIR": str(data_dir), "PYTHONIOENCODING": encoding}
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True,
                          cwd=ROOT, env=environ, timeout=60, check=False)


def test_lone_surrogates_become_replacement_characters():
    assert replace_unreadable("a\udcffb\ud83d") == ("a\ufffdb\ufffd", 2)
    assert replace_unreadable("\ud83d\ude00 fine") == ("😀 fine", 0)  # a pair is its emoji
    assert replace_unreadable("already \ufffd") == ("already \ufffd", 0)
    assert replace_unreadable("a\x00b\udcff") == ("a\ufffdb\ufffd", 2)  # NUL too


async def test_an_answer_with_a_nul_is_stored_alike_on_every_backend(
        engine: InterviewService, store: Store, bank: Bank):
    """PostgreSQL's text can't hold NUL and SQLite's can: the same answer must not be saved
    on one and refused (with a "try again" that never helps) on the other."""
    sam = await store.people.for_local("sam")
    interview = (await engine.start(sam.id, count=2)).interview
    result = await engine.answer(interview.id, 0, 1, "I would listen\x00 and ask what helps.")
    assert result.feedback.words > 0
    await engine.answer_daily(sam.id, bank.questions[0], "I listen\x00\x00 first.", "d:1")
    texts = [r[0] for r in await store.db.fetch_all("SELECT text FROM answers ORDER BY id")]
    assert texts == ["I would listen\ufffd and ask what helps.", "I listen\ufffd\ufffd first."]


async def test_the_engine_stores_an_answer_with_a_lone_surrogate(
        engine: InterviewService, store: Store, bank: Bank):
    sam = await store.people.for_local("sam")
    interview = (await engine.start(sam.id, count=2)).interview
    result = await engine.answer(interview.id, 0, 1, "I would listen \ud83d and ask what helps.")
    assert result.feedback.words > 0
    daily = await engine.answer_daily(sam.id, bank.questions[0], "I listen \udcff first.", "d:1")
    assert not daily.duplicate
    texts = [r[0] for r in await store.db.fetch_all("SELECT text FROM answers ORDER BY id")]
    assert texts == ["I would listen \ufffd and ask what helps.", "I listen \ufffd first."]


@pytest.mark.parametrize("where", ["in this process", "a process with a strict locale"])
def test_practice_with_bytes_that_are_not_utf8(tmp_path: Path, where: str):
    args = ["practice", "--questions", "1", "--user", "ana"]
    if where == "in this process":
        ran = run_here(args, tmp_path, RAW + b"\n\nn\n")
        code, out, err = ran.returncode, ran.stdout, ran.stderr
    else:
        result = run(args, tmp_path, RAW + b"\n\nn\n", "utf-8:strict")
        code, out, err = result.returncode, result.stdout.decode(), result.stderr.decode()
    assert code == 0, err
    assert "Traceback" not in err
    assert "2 character(s) of your answer were not readable text" in out
    assert "── Score" in out
    with closing(sqlite3.connect(tmp_path / "peerprep.sqlite3")) as conn:
        stored = conn.execute("SELECT text FROM answers").fetchall()
    assert stored == [(ANSWER.replace("\udcff\udcfe", "\ufffd\ufffd"),)]


@pytest.mark.parametrize("source", ["stdin", "file", "argument"])
def test_feedback_with_bytes_that_are_not_utf8(tmp_path: Path, source: str):
    answer_file = tmp_path / "answer.txt"
    answer_file.write_bytes(RAW)
    args = {"stdin": ["-"], "file": ["--answer-file", str(answer_file)],
            "argument": ["--answer", os.fsdecode(RAW)]}[source]
    result = run_here(["feedback", "--question", "pss-19", *args, "--json"], tmp_path,
                      RAW if source == "stdin" else b"")
    assert result.returncode == 0, result.stderr
    assert "2 character(s) of the answer were not readable text" in result.stderr
    assert '"question_id": "pss-19"' in result.stdout


def test_feedback_from_a_process_with_a_strict_locale(tmp_path: Path):
    result = run(["feedback", "--question", "pss-19", "-", "--json"], tmp_path, RAW,
                 "utf-8:strict")
    assert result.returncode == 0, result.stderr.decode()
    assert "not readable text" in result.stderr.decode()


TEXT = ("I would listen first — and ask what they need. Ça va? Then we plan together, "
        "step by step, at their pace.")


@pytest.mark.parametrize(("name", "data"), [
    ("UTF-8 with a BOM", TEXT.encode("utf-8-sig")),
    ("UTF-16 with a BOM", TEXT.encode("utf-16")),
    ("UTF-16-LE with a BOM", codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")),
    ("UTF-16-BE with a BOM", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be")),
    ("UTF-32-LE with a BOM", codecs.BOM_UTF32_LE + TEXT.encode("utf-32-le")),
    ("UTF-32-BE with a BOM", codecs.BOM_UTF32_BE + TEXT.encode("utf-32-be")),
    ("UTF-16-LE without a BOM", TEXT.encode("utf-16-le")),
    ("UTF-16-BE without a BOM", TEXT.encode("utf-16-be")),
    ("plain UTF-8", TEXT.encode("utf-8")),
])
def test_answer_files_in_any_unicode_encoding_are_read_as_text(
        tmp_path: Path, name: str, data: bytes):
    assert decode_text(data) == TEXT, name
    answer = tmp_path / "answer.txt"
    answer.write_bytes(data)
    result = run_here(["feedback", "--question", "pss-19", "--answer-file", str(answer),
                       "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # nothing unreadable
    reference = run_here(["feedback", "--question", "pss-19", "--answer", TEXT, "--json"],
                         tmp_path)
    assert result.stdout == reference.stdout  # coached as the same answer


def test_utf16_is_only_guessed_where_it_is_clear():
    assert encoding_of(b"ab") == ("utf-8", 0)  # too short to tell
    assert encoding_of("a\u4e00b\u4e01".encode("utf-16-le"))[0] == "utf-8"  # no clear zeros
    assert encoding_of(b"plain ascii text") == ("utf-8", 0)


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_a_binary_file_is_refused_in_one_line(tmp_path: Path, source: str):
    binary = Path(sys.executable).read_bytes()[:200_000]
    with pytest.raises(NotText):
        decode_text(binary)
    program = tmp_path / "program"
    program.write_bytes(binary)
    args = ["--answer-file", str(program)] if source == "file" else ["-"]
    result = run_here(["feedback", "--question", "pss-19", *args], tmp_path,
                      binary if source == "stdin" else b"")
    assert result.returncode == 2
    assert "is not text" in result.stderr and result.stderr.count("\n") == 1
    assert result.stdout == ""


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig"])
def test_practice_reads_piped_utf16_and_a_bom(tmp_path: Path, encoding: str):
    script = f"{TEXT}\n\nn\n".encode(encoding)
    result = run_here(["practice", "--questions", "1", "--user", "ana"], tmp_path, script)
    assert result.returncode == 0, result.stderr
    assert "not readable text" not in result.stdout and "── Score" in result.stdout
    with closing(sqlite3.connect(tmp_path / "peerprep.sqlite3")) as conn:
        assert conn.execute("SELECT text FROM answers").fetchall() == [(TEXT,)]


def test_a_cohort_name_holds_no_nul_or_lone_surrogate():
    from bot.discord_app.extensions.cohorts import clean_name

    assert clean_name("  Tuesday\x00  group\udcff ") == "Tuesday\ufffd group\ufffd"
