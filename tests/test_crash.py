"""A process killed with SIGKILL while answers are being written loses nothing it acknowledged.

What this proves is a process crash: the writer dies with its write-ahead log open and not
checkpointed, and SQLite recovers from it on the next open. It does not prove survival of a
power loss (that rests on ``synchronous=FULL``, which the writer reports it runs with; an
operating system keeps a killed process's writes either way). See docs/RELIABILITY.md.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from bot.bank import Bank
from bot.interview.engine import InterviewService
from bot.storage import Store

ROOT = Path(__file__).resolve().parent.parent


def log_size(db_path: Path) -> int:
    """The size of the database's write-ahead log, 0 if there is none."""
    wal = Path(f"{db_path}-wal")
    return wal.stat().st_size if wal.exists() else 0


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
async def test_sigkill_mid_write_keeps_every_acknowledged_answer(db_path: Path, bank: Bank):
    proc = subprocess.Popen(  # noqa: ASYNC220 - a separate process is the point
        [sys.executable, "-m", "tests.crash_writer", str(db_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    acked: list[str] = []
    interview_acked: list[str] = []
    retried: tuple[int, int] | None = None
    interview_id = sync = None
    try:
        for line in proc.stdout:
            parts = line.split()
            if parts[0] == "ready":
                interview_id, sync = int(parts[1]), int(parts[2])
            elif parts[0] == "ack":
                acked.append(parts[1])
            elif parts[0] == "iack":
                interview_acked.append(parts[1])
            elif parts[0] == "retried":
                retried = (int(parts[1]), int(parts[2]))
            if len(acked) >= 120:
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert len(acked) >= 120, proc.stderr.read() if proc.stderr else ""
    assert proc.returncode == -signal.SIGKILL  # killed, not a clean exit
    assert sync == 2  # the writer ran with synchronous=FULL (what power loss would rely on)
    # A clean close checkpoints the log and deletes it: a log left with frames in it shows
    # the process died with writes that only the log held, and recovery must replay them.
    assert log_size(db_path) > 0

    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {row[0] for row in conn.execute("SELECT submission_key FROM answers")}
    assert set(acked) <= stored
    assert interview_acked and set(interview_acked) <= stored

    # The database opens normally afterwards and the interview resumes where it stood.
    async with Store(db_path) as store:
        engine = InterviewService(store, bank)
        assert interview_id is not None and retried is not None
        interview = await engine.get(interview_id)
        assert interview is not None and interview.is_active
        # At least as far as the last acknowledged retry, at most one step further.
        assert (interview.position, interview.attempt) in (retried, (retried[0], retried[1] + 1))
        counts = await store.db.fetch_one(
            "SELECT COUNT(*), SUM(answers) FROM practice_days WHERE frozen = 0")
        assert counts[1] == len(stored)  # every stored answer counted on its day, once

        if interview.current_answered:  # killed between an answer and its retry
            interview = await engine.retry(interview.id, interview.position, interview.attempt)
        question = engine.question(interview)
        assert question is not None
        result = await engine.answer(interview.id, interview.position, interview.attempt,
                                     question.example_answer, question_id=question.id)
        assert not result.duplicate
        key = f"interview:{interview.id}:{interview.position}:{interview.attempt}"
        assert await store.db.fetch_one(
            "SELECT 1 FROM answers WHERE submission_key = ?", (key,)) is not None
        moved = await engine.skip(interview.id, interview.position)
        assert moved.position == interview.position + 1 and moved.is_active
