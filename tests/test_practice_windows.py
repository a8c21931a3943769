"""Two terminal windows, one person: the second offers to take the interview over, the
first says so at its next step and keeps the answer it was given; an answer the database
refuses is kept in a recovery file and offered again. Driven in-process (tests/terminal_harness)."""

from __future__ import annotations

import asyncio
import io
import json
import os
import signal
import socket
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from bot.bank import Bank
from bot.interview.engine import InterviewService
from bot.practice.recovery import RecoveryBox
from bot.practice.terminal import PracticeOptions, TerminalPractice, still_open
from bot.storage import Store
from tests.terminal_harness import ROOT, Script, run, run_process

A_ANSWER = ("In window A I would listen first and reflect back what I hear, then ask what the "
            "person wants from our time together and respect their choice.")
B_ANSWER = ("In window B I would share a short part of my own recovery story, only if it "
            "helps them, and then turn the focus back to their goals and strengths.")


def answers(data_dir: Path) -> list[tuple[str, str]]:
    with closing(sqlite3.connect(data_dir / "peerprep.sqlite3")) as conn:
        return conn.execute("SELECT submission_key, text FROM answers ORDER BY id").fetchall()


def kept_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "recovery").glob("answer-*.json"))


def test_a_second_window_takes_over_and_the_first_keeps_its_answer(tmp_path: Path):
    seen: dict[str, str] = {}

    def window_b() -> None:  # while A is typing its first answer
        b = run(["practice", "--user", "ana lee"], tmp_path, f"y\n{B_ANSWER}\n\n")
        seen["b"] = b.stdout

    a = run(["practice", "--user", "ana lee", "--questions", "3"], tmp_path,
            Script(A_ANSWER, window_b, "", "n"))
    assert "open in another window" in seen["b"] and "Take it over here?" in seen["b"]
    assert "Taken over from the other window" in seen["b"]
    assert seen["b"].count("── Score") == 1
    assert a.returncode == 1
    assert "taken over in another window, so your answer was not saved" in a.stdout
    assert "── Score" not in a.stdout  # no guidance at all: certainly not B's
    for out in (a.stdout, seen["b"]):
        assert "/interview" not in out  # a Discord command means nothing here
    # The answer A was given is kept, only for its owner, and where is said, shell-quoted.
    (kept,) = kept_files(tmp_path)
    assert f"kept in {kept}" in a.stdout
    assert "`python -m bot practice --user 'ana lee'`" in a.stdout
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700
    assert json.loads(kept.read_text())["text"] == A_ANSWER
    assert [text for _, text in answers(tmp_path)] == [B_ANSWER]
    # The next practice offers A's answer, stores it as an answer of its own, once.
    c = run(["practice", "--user", "ana lee", "--resume"], tmp_path, "y\n/end\n")
    assert c.returncode == 0, c.stdout
    assert "could not be saved then" in c.stdout and "── Score" in c.stdout
    assert [text for _, text in answers(tmp_path)] == [B_ANSWER, A_ANSWER]
    assert kept_files(tmp_path) == []


def test_a_window_taken_over_at_the_menu_stops_there(tmp_path: Path):
    seen: dict[str, str] = {}

    def window_b() -> None:
        seen["b"] = run(["practice", "--user", "bo"], tmp_path, "y\nn\n").stdout

    a = run(["practice", "--user", "bo", "--questions", "3"], tmp_path,
            Script(A_ANSWER, "", window_b, "n", "/end"))
    assert a.returncode == 1
    assert a.stdout.count("── Score") == 1
    assert "taken over in another window, and goes on there" in a.stdout
    assert "Question 2 of 3" in seen["b"]  # B moved on from A's answered question
    with closing(sqlite3.connect(tmp_path / "peerprep.sqlite3")) as conn:
        position, status = conn.execute("SELECT position, status FROM interviews").fetchone()
    assert (position, status) == (1, "active")  # A's "n" after the takeover did nothing


def test_a_closed_window_lets_the_next_one_resume_without_a_takeover(tmp_path: Path):
    run(["practice", "--user", "cy", "--questions", "2"], tmp_path, f"{A_ANSWER}\n\n")
    again = run(["practice", "--user", "cy"], tmp_path, "y\n/end\n")
    assert "Resume it? [Y/n]" in again.stdout and "another window" not in again.stdout


def test_new_in_another_window_ends_the_first_ones_interview(tmp_path: Path):
    def window_b() -> None:
        run(["practice", "--user", "di", "--new", "--questions", "1"], tmp_path, "/end\n")

    a = run(["practice", "--user", "di", "--questions", "2"], tmp_path,
            Script(A_ANSWER, window_b, ""))
    assert a.returncode == 1
    assert "ended in another window" in a.stdout or "taken over" in a.stdout
    (kept,) = kept_files(tmp_path)
    assert json.loads(kept.read_text())["text"] == A_ANSWER


FAULT = "<fault>"  # in a script: the fault happens when the reader gets this far


def practise(db: Path, data_dir: Path, bank: Bank, *lines: str,
             fault: Callable[[asyncio.Runner, Store], object] | None = None
             ) -> tuple[int, str]:
    """A practice window on its own store (a short busy timeout), as the terminal runs it;
    ``fault(runner, store)`` runs where the script says ``FAULT``."""
    out = io.StringIO()
    with asyncio.Runner() as runner:
        store = Store(db, busy_timeout_ms=200)
        runner.run(store.db.open())
        try:
            script = Script(*(
                (lambda: fault(runner, store)) if line == FAULT and fault else line
                for line in lines))
            window = TerminalPractice(runner, InterviewService(store, bank), ("988",), script,
                                      out, RecoveryBox(data_dir))
            code = window.run(PracticeOptions(user="eve", questions=2))
        finally:
            runner.run(store.db.close())
    return code, out.getvalue()


def test_an_answer_a_busy_database_refuses_is_kept_and_submitted_next_time(
        tmp_path: Path, bank: Bank):
    db = tmp_path / "peerprep.sqlite3"
    blocker = sqlite3.connect(db, isolation_level=None)

    def lock(runner: asyncio.Runner, store: Store) -> None:  # another process writes
        blocker.execute("BEGIN IMMEDIATE")

    code, out = practise(db, tmp_path, bank, A_ANSWER, FAULT, "", fault=lock)
    assert code == 1
    assert "busy" in out and "Trying again can help." in out
    (kept,) = kept_files(tmp_path)
    assert f"kept in {kept}" in out
    blocker.rollback()
    blocker.close()
    assert answers(tmp_path) == []
    # Declined ("n": keep it for later), it is not offered again in that window, and stays.
    code, out = practise(db, tmp_path, bank, "y", "n", "...", "")
    assert out.count("You wrote an answer to this question that could not be saved") == 1
    assert "Your answer is empty" in out and kept_files(tmp_path) == [kept]
    # Next time, at that very question of the resumed interview, it is offered as its answer.
    code, out = practise(db, tmp_path, bank, "y", "y", "e")
    assert code == 0, out
    assert "You wrote an answer to this question that could not be saved" in out
    assert "── Score" in out
    (stored,) = answers(tmp_path)
    assert stored[0].startswith("interview:") and stored[1] == A_ANSWER
    assert kept_files(tmp_path) == []


async def made(db: Path) -> None:
    async with Store(db):
        pass


def test_a_full_database_says_retrying_wont_help(tmp_path: Path, bank: Bank):
    db = tmp_path / "peerprep.sqlite3"
    asyncio.run(made(db))  # made and migrated; its free pages then given back
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        conn.execute("VACUUM")

    def full(runner: asyncio.Runner, store: Store) -> None:  # not one page more
        pages = runner.run(store.db.fetch_one("PRAGMA page_count"))[0]
        runner.run(store.db.conn.execute(f"PRAGMA max_page_count = {pages}"))

    long = " ".join(["I would listen, reflect and ask what they need."] * 80)
    code, out = practise(db, tmp_path, bank, long, FAULT, "", fault=full)
    assert code == 1, out
    assert "full" in out and "Trying again won't help until that is fixed." in out
    (kept,) = kept_files(tmp_path)
    assert json.loads(kept.read_text())["text"] == long[:4000]
    assert answers(tmp_path) == []


def test_when_no_file_can_be_written_the_answer_is_shown_back(tmp_path: Path, bank: Bank):
    db = tmp_path / "peerprep.sqlite3"
    blocker = sqlite3.connect(db, isolation_level=None)
    (tmp_path / "recovery").write_text("a file where the folder would go")

    def lock(runner: asyncio.Runner, store: Store) -> None:
        blocker.execute("BEGIN IMMEDIATE")

    code, out = practise(db, tmp_path, bank, A_ANSWER, FAULT, "", fault=lock)
    blocker.rollback()
    blocker.close()
    assert code == 1
    assert "could not be kept in a file either" in out
    assert out.rstrip().endswith(A_ANSWER)


def test_two_real_processes(tmp_path: Path):
    """The same as the first test with two real ``python -m bot practice`` processes."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEV_"))}
    a = subprocess.Popen(
        [sys.executable, "-m", "bot", "practice", "--user", "fay", "--questions", "2"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=ROOT, env={**environ, "DATA_DIR": str(tmp_path), "PYTHONIOENCODING": "utf-8"},
    )
    assert a.stdin is not None and a.stdout is not None
    a.stdin.write(f"{A_ANSWER}\n")  # typed, not yet sent (no empty line)
    a.stdin.flush()
    seen = []
    while not any("Question 1 of 2" in line for line in seen):
        line = a.stdout.readline()
        assert line, "".join(seen)
        seen.append(line)
    b = run_process(["practice", "--user", "fay"], tmp_path, f"y\n{B_ANSWER}\n\n")
    assert "open in another window" in b.stdout and b.stdout.count("── Score") == 1
    out, err = a.communicate("\n", timeout=60)  # A sends its answer now
    assert a.returncode == 1, err
    assert "taken over in another window" in out and "── Score" not in out
    assert [text for _, text in answers(tmp_path)] == [B_ANSWER]
    (kept,) = kept_files(tmp_path)
    assert json.loads(kept.read_text())["text"] == A_ANSWER


def test_a_window_whose_process_is_gone_is_simply_resumed(tmp_path: Path):
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    lease = f"{socket.gethostname()}:{gone.stdout.strip()}:abc"  # killed, never let go
    assert not still_open(lease) and still_open(f"another-computer:{os.getpid()}:abc")
    run(["practice", "--user", "gus", "--questions", "2"], tmp_path, "")
    with closing(sqlite3.connect(tmp_path / "peerprep.sqlite3")) as conn, conn:
        conn.execute("UPDATE interviews SET lease = ?", (lease,))
    again = run(["practice", "--user", "gus"], tmp_path, "y\n/end\n")
    assert "Resume it? [Y/n]" in again.stdout and "another window" not in again.stdout
    assert "Resuming where you left off." in again.stdout


def test_a_follow_up_answer_a_busy_database_refuses_is_handed_back(tmp_path: Path, bank: Bank):
    db = tmp_path / "peerprep.sqlite3"
    blocker = sqlite3.connect(db, isolation_level=None)

    def lock(runner: asyncio.Runner, store: Store) -> None:
        blocker.execute("BEGIN IMMEDIATE")

    vague = "I would be kind to them and do my best for them every single day."
    reply = "I would ask them plainly what they want, and check back the next day."
    code, out = practise(db, tmp_path, bank, vague, "", "a", reply, FAULT, "", fault=lock)
    blocker.rollback()
    blocker.close()
    assert "The interviewer follows up" in out, out
    assert code == 1 and "busy" in out and "Trying again can help." in out
    assert f"Here is your follow-up answer, to copy before you go on:\n\n{reply}" in out
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT status FROM interview_follow_ups").fetchall() == [("asked",)]


# -- follow-ups in a window: the lease and Ctrl-C (found by a review of the merged code) ----

async def _eve_with_a_follow_up_question(db: Path) -> None:
    async with Store(db) as store:
        eve = await store.people.for_local("eve")
        await store.interviews.create(eve.id, "all", None, ["cps-05", "pss-05"], "terminal")


MISSES_ASKING = ("I would stay calm and stay with them, listen, and let them know I'm here. "
                 "Then I would follow our crisis protocol and bring in my supervisor.")
ASKS = ("I'd ask them directly: are you thinking about suicide? I would ask it plainly and "
        "calmly, and then listen to whatever they tell me.")


def _rows(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(sql).fetchall()


@pytest.mark.parametrize("b_answers", [False, True], ids=["taken", "taken and answered"])
def test_a_taken_over_window_neither_stores_nor_is_shown_a_follow_up(
        tmp_path: Path, bank: Bank, b_answers: bool):
    db = tmp_path / "peerprep.sqlite3"
    asyncio.run(_eve_with_a_follow_up_question(db))

    def window_b(runner: asyncio.Runner, store: Store) -> None:
        runner.run(store.interviews.take(1, "host:1:window-b"))
        if b_answers:
            runner.run(InterviewService(store, bank).answer_follow_up(
                1, 0, "I would be kind and do my best.", lease="host:1:window-b"))

    code, out = practise(db, tmp_path, bank, "y", MISSES_ASKING, "", "a", FAULT, ASKS, "",
                         fault=window_b)
    assert code == 1, out
    after = out.split("[a]nswer the follow-up")[-1]
    assert "taken over" in after and "── Score" not in after, out
    assert f"{ASKS}" in after  # handed back to copy
    expected = [("answered",)] if b_answers else [("asked",)]
    assert _rows(db, "SELECT status FROM interview_follow_ups") == expected
    if b_answers:
        assert _rows(db, "SELECT text FROM interview_follow_ups") != [(ASKS,)]


def _window(db: Path, data_dir: Path, bank: Bank, *lines: Any, busy_ms: int = 200
            ) -> tuple[BaseException | None, str]:
    """A window whose script may interrupt it (a callable raising KeyboardInterrupt, or a
    timer sending SIGINT); returns what it raised, and what it printed up to then."""
    out = io.StringIO()
    raised: BaseException | None = None
    with asyncio.Runner() as runner:
        store = Store(db, busy_timeout_ms=busy_ms)
        runner.run(store.db.open())
        try:
            TerminalPractice(runner, InterviewService(store, bank), ("988",), Script(*lines),
                             out, RecoveryBox(data_dir)).run(PracticeOptions(user="eve"))
        except KeyboardInterrupt as exc:
            raised = exc
        finally:
            runner.run(store.db.close())
    return raised, out.getvalue()


def test_ctrl_c_while_typing_a_follow_up_hands_the_typed_text_back(tmp_path: Path,
                                                                     bank: Bank):
    db = tmp_path / "peerprep.sqlite3"
    asyncio.run(_eve_with_a_follow_up_question(db))

    def ctrl_c() -> None:
        raise KeyboardInterrupt

    raised, out = _window(db, tmp_path, bank, "y", MISSES_ASKING, "", "a", ASKS, ctrl_c)
    assert isinstance(raised, KeyboardInterrupt)
    assert f"The follow-up answer you were typing, to copy:\n\n{ASKS}" in out
    assert kept_files(tmp_path) == []  # not kept as an answer to the question itself


def test_ctrl_c_while_a_busy_database_holds_the_answer_keeps_it(tmp_path: Path, bank: Bank):
    db = tmp_path / "peerprep.sqlite3"
    asyncio.run(_eve_with_a_follow_up_question(db))
    blocker = sqlite3.connect(db, isolation_level=None, check_same_thread=False)

    def lock() -> None:  # another process writes; Ctrl-C while the save waits for it
        blocker.execute("BEGIN IMMEDIATE")
        threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()

    try:
        raised, _ = _window(db, tmp_path, bank, "y", MISSES_ASKING, lock, "", busy_ms=3000)
    finally:
        blocker.rollback()
        blocker.close()
    assert isinstance(raised, KeyboardInterrupt)
    (kept,) = kept_files(tmp_path)
    assert json.loads(kept.read_text())["text"] == MISSES_ASKING
