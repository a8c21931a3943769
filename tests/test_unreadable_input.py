"""Answers with bytes that aren't text (or lone surrogates) are stored and coached, with the
unreadable characters replaced by U+FFFD and a note, never a Unicode traceback."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from bot.bank import Bank
from bot.interview.engine import InterviewService
from bot.storage import Store
from bot.text import replace_unreadable

ROOT = Path(__file__).resolve().parent.parent
ANSWER = ("I would listen first and reflect back what I hear, \udcff\udcfe then ask what the "
          "person wants from our time together and respect their choice.")
RAW = ANSWER.encode("utf-8", "surrogateescape")  # with the bytes 0xff 0xfe inside
ENCODINGS = ["utf-8:strict", "utf-8:surrogateescape"]


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


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_practice_with_bytes_that_are_not_utf8(tmp_path: Path, encoding: str):
    result = run(["practice", "--questions", "1", "--user", "ana"], tmp_path,
                 RAW + b"\n\nn\n", encoding)
    out, err = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 0, err
    assert "Traceback" not in err
    assert "2 character(s) of your answer were not readable text" in out
    assert "── Score" in out
    with closing(sqlite3.connect(tmp_path / "peerprep.sqlite3")) as conn:
        stored = conn.execute("SELECT text FROM answers").fetchall()
    assert stored == [(ANSWER.replace("\udcff\udcfe", "\ufffd\ufffd"),)]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("source", ["stdin", "file", "argument"])
def test_feedback_with_bytes_that_are_not_utf8(tmp_path: Path, encoding: str, source: str):
    answer_file = tmp_path / "answer.txt"
    answer_file.write_bytes(RAW)
    args = {"stdin": ["-"], "file": ["--answer-file", str(answer_file)],
            "argument": ["--answer", os.fsdecode(RAW)]}[source]
    result = run(["feedback", "--question", "pss-19", *args, "--json"], tmp_path,
                 RAW if source == "stdin" else b"", encoding)
    assert result.returncode == 0, result.stderr.decode()
    assert "not readable text" in result.stderr.decode()
    assert b'"question_id": "pss-19"' in result.stdout
