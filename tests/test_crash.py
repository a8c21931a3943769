"""A process killed with SIGKILL while answers are being written loses nothing it acknowledged."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.bank import Bank
from bot.interview.engine import InterviewService
from bot.storage import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
async def test_sigkill_mid_write_keeps_every_acknowledged_answer(db_path: Path, bank: Bank):
    proc = subprocess.Popen(  # noqa: ASYNC220 - a separate process is the point
        [sys.executable, "-m", "tests.crash_writer", str(db_path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert proc.stdout is not None
    acked: list[str] = []
    interview_id = None
    try:
        for line in proc.stdout:
            parts = line.split()
            if parts[0] == "ready":
                interview_id = int(parts[1])
            elif parts[0] == "ack":
                acked.append(parts[1])
            if len(acked) >= 120:
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert len(acked) >= 120, proc.stderr.read() if proc.stderr else ""

    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {row[0] for row in conn.execute("SELECT submission_key FROM answers")}
    assert set(acked) <= stored

    # The database opens normally afterwards and the interview is still there to resume.
    async with Store(db_path) as store:
        engine = InterviewService(store, bank)
        assert interview_id is not None
        interview = await engine.get(interview_id)
        assert interview is not None
        assert interview.is_active
        counts = await store.db.fetch_one(
            "SELECT COUNT(*), SUM(answers) FROM practice_days WHERE frozen = 0")
        assert counts[1] == len(stored)  # every stored answer counted on its day, once
