"""The terminal front end, driven as a person would script it: in this process through
``main`` with its streams given (fast), and as the real process where signals, pipes and
start-up matter."""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from bot.cli.common import machine_timezone
from bot.storage import Store
from tests.terminal_harness import ROOT, run, run_process

STRONG = (
    "I would start by listening and reflecting back what I hear, so the person knows I "
    "understand. I would ask what they want from our time together and respect their choice."
)


def test_help_works_for_every_command(tmp_path: Path):
    for args in (["--help"], ["practice", "--help"], ["progress", "--help"],
                 ["feedback", "--help"], ["content", "check", "--help"], ["db", "--help"],
                 ["db", "backup", "--help"], ["run", "--help"]):
        result = run(args, tmp_path)
        assert result.returncode == 0, (args, result.stderr)
        assert "usage:" in result.stdout
    process = run_process(["practice", "--help"], tmp_path)  # the real entry point, once
    assert process.returncode == 0 and "usage:" in process.stdout


def test_a_scripted_interview_then_progress(tmp_path: Path):
    script = f"{STRONG}\n\nn\n/skip\n\n{STRONG}\nmore words here\n\nx\ne\n"
    result = run(["practice", "--questions", "3", "--user", "ana"], tmp_path, script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("── Score") == 2
    assert "── An example answer ──" in out
    assert "━━ Summary ━━" in out and "skipped" in out
    progress = run(["progress", "--user", "ana"], tmp_path)
    assert "Answers: 2" in progress.stdout
    assert "Streak: 1 day(s)" in progress.stdout


def test_empty_answer_asks_again_and_long_answer_is_cut_with_a_note(tmp_path: Path):
    long = "I listen and reflect. " * 300  # 6,600 characters on one line
    script = f"   \n\n{long}\n\n/end\n"
    result = run(["practice", "--questions", "2", "--user", "bo"], tmp_path, script)
    assert result.returncode == 0, result.stderr
    assert "the first 4000 were kept and coached" in result.stdout


def test_end_of_input_saves_and_the_next_run_resumes(tmp_path: Path):
    first = run(["practice", "--questions", "3", "--user", "cy"], tmp_path, f"{STRONG}\n\n")
    assert first.returncode == 0
    assert "everything you answered is saved" in first.stdout
    second = run(["practice", "--user", "cy"], tmp_path, "y\nn\n/end\n")
    assert "unfinished interview (1 of 3 done)" in second.stdout
    assert "Question 2 of 3" in second.stdout
    new = run(["practice", "--user", "cy", "--new", "--questions", "1"], tmp_path, "/end\n")
    assert "unfinished" not in new.stdout


def test_ctrl_c_mid_interview_keeps_the_answers(tmp_path: Path):
    environ = {**os.environ, "DATA_DIR": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "practice", "--user", "di", "--questions", "3"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=ROOT, env=environ,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(f"{STRONG}\n\nn\nI would stay calm and\n")  # the second answer half-typed
    proc.stdin.flush()
    seen = []
    while not any("Question 2 of 3" in line for line in seen):  # coached, stored, moved on
        line = proc.stdout.readline()
        assert line, "".join(seen)
        seen.append(line)
    time.sleep(0.5)  # let it read the half-typed line and wait for more
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "everything you answered is saved" in out
    # What was typed of the unfinished answer is kept, and offered next time.
    assert "The answer you were typing is kept in" in out
    (kept,) = (tmp_path / "recovery").glob("answer-*.json")
    assert json.loads(kept.read_text())["text"] == "I would stay calm and"
    progress = run(["progress", "--user", "di"], tmp_path)
    assert "Answers: 1" in progress.stdout


def test_feedback_json(tmp_path: Path):
    result = run(["feedback", "--question", "pss-19", "--answer", STRONG, "--json"], tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key in ("question_id", "score", "summary", "key_points", "star", "words",
                "speaking_seconds", "length", "language", "filler_words", "crisis"):
        assert key in data
    assert data["question_id"] == "pss-19"
    assert isinstance(data["score"], int)
    assert 0 <= data["score"] <= 100
    assert data["length"] in ("too_brief", "good", "too_long")
    assert all(set(k) >= {"id", "label", "covered"} for k in data["key_points"])


def test_feedback_from_stdin_and_file(tmp_path: Path):
    answer_file = tmp_path / "answer.txt"
    answer_file.write_text(STRONG, encoding="utf-8")
    from_file = run(["feedback", "--question", "pss-19", "--answer-file", str(answer_file)],
                    tmp_path)
    from_stdin = run(["feedback", "--question", "pss-19", "-"], tmp_path, STRONG)
    assert from_file.returncode == from_stdin.returncode == 0
    assert "── Key points" in from_file.stdout
    assert from_file.stdout == from_stdin.stdout


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (["feedback", "--question", "zz-99", "--answer", "hi"], "", "unknown question id 'zz-99'"),
    (["feedback", "--question", "pss-19", "--answer", "   "], "", "empty"),
    (["feedback", "--question", "pss-19", "-"], "", "empty"),
    (["feedback", "--question", "pss-19", "--answer-file", "/nonexistent"], "", "cannot read"),
    (["practice", "--questions", "0"], "", "--questions must be"),
])
def test_bad_input_is_one_clear_line(tmp_path: Path, args: list[str], stdin: str, message: str):
    result = run(args, tmp_path, stdin)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_token_is_one_line_and_exit_2(tmp_path: Path):
    result = run_process([], tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0
    assert "DISCORD_TOKEN" in result.stderr and "python -m bot practice" in result.stderr


def test_invalid_setting_is_named(tmp_path: Path):
    result = run(["progress"], tmp_path, DEFAULT_TIMEZONE="Nowhere/Land")
    assert result.returncode == 2
    assert "DEFAULT_TIMEZONE" in result.stderr and "Traceback" not in result.stderr


SETTING_PROBLEMS = {
    "a file as DATA_DIR": ({"DATA_DIR": "{file}"}, "DATA_DIR"),
    "DATA_DIR that can't be created": ({"DATA_DIR": "{file}/peerprep"}, "DATA_DIR"),
    "a text file as DATABASE_PATH": ({"DATABASE_PATH": "{file}"}, "DATABASE_PATH"),
    "a missing CONTENT_DIR": ({"CONTENT_DIR": "{tmp}/nonexistent"}, "CONTENT_DIR"),
    "no CRISIS_RESOURCES": ({"CRISIS_RESOURCES": "|"}, "CRISIS_RESOURCES"),
}
COMMANDS = {
    "progress": ["progress"], "practice": ["practice"], "db upgrade": ["db", "upgrade"],
    "db backup": ["db", "backup", "{tmp}/copy.sqlite3"],
    # The bot itself, with a token: it must stop before it ever contacts Discord.
    "run": ["run"],
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("problem", SETTING_PROBLEMS)
def test_a_setting_that_cannot_work_is_one_line_naming_it(
        tmp_path: Path, problem: str, command: str):
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database, not a folder\n" * 50)
    env, named = SETTING_PROBLEMS[problem]
    env = {k: v.format(file=text_file, tmp=tmp_path) for k, v in env.items()}
    args = [a.format(tmp=tmp_path) for a in COMMANDS[command]]
    result = run(args, tmp_path / "data", "", DISCORD_TOKEN="not-a-real-token",
                 DISCORD_API_BASE="http://127.0.0.1:9", DISCORD_GATEWAY_URL="ws://127.0.0.1:9",
                 **env)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    assert named in result.stderr
    assert not (tmp_path / "copy.sqlite3").exists()
    assert text_file.read_text() == "not a database, not a folder\n" * 50  # left as it was


def test_broken_bank_is_refused_with_every_problem(tmp_path: Path):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "x.yaml").write_text("bank: pss\nquestions:\n  - id: pss-01\n    prompt: [\n")
    check = run(["content", "check", str(bank)], tmp_path)
    assert check.returncode == 1
    assert "x.yaml:" in check.stdout and "YAML syntax error" in check.stdout
    start = run(["practice"], tmp_path, CONTENT_DIR=str(bank))
    assert start.returncode == 1
    assert "question bank" in start.stderr and "Traceback" not in start.stderr


def test_content_check_counts_per_topic(tmp_path: Path):
    result = run(["content", "check"], tmp_path)
    assert result.returncode == 0, result.stdout
    assert "questions are valid" in result.stdout
    assert "Cultural humility" in result.stdout


def test_db_upgrade_and_backup(tmp_path: Path):
    upgrade = run(["db", "upgrade"], tmp_path)
    assert upgrade.returncode == 0, upgrade.stderr
    assert "upgraded from version 0" in upgrade.stdout
    again = run(["db", "upgrade"], tmp_path)
    assert "already at version" in again.stdout
    backup = run(["db", "backup", str(tmp_path / "copy.sqlite3")], tmp_path)
    assert backup.returncode == 0, backup.stderr
    assert (tmp_path / "copy.sqlite3").stat().st_size > 0


def test_backup_refuses_a_database_that_does_not_exist(tmp_path: Path):
    typo = tmp_path / "peerprpe"  # a mistyped DATA_DIR
    result = run(["db", "backup", str(tmp_path / "copy.sqlite3")], typo)
    assert result.returncode == 2
    assert "there is no database at" in result.stderr and "DATA_DIR" in result.stderr
    assert not typo.exists() and not (tmp_path / "copy.sqlite3").exists()


def people(data_dir: Path) -> list[tuple[str, str | None]]:
    with closing(sqlite3.connect(data_dir / "peerprep.sqlite3")) as conn:
        return conn.execute("SELECT local_name, timezone FROM people ORDER BY id").fetchall()


def test_a_long_pasted_answer_is_read_to_its_empty_line(tmp_path: Path):
    lines = [(f"{i:02d} I would listen closely and ask what they need, then we plan together "
              "and I check in.").ljust(99, ".") for i in range(70)]
    script = "\n".join(lines) + "\n\nx\ne\n"
    result = run(["practice", "--questions", "2", "--user", "lu"], tmp_path, script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"Your answer was {70 * 99 + 69} characters; the first 4000 were kept" in out
    assert "Type n, r, x or e." not in out  # no line of the answer reached the menu
    assert "── An example answer ──" in out and "━━ Summary ━━" in out
    with closing(sqlite3.connect(tmp_path / "peerprep.sqlite3")) as conn:
        (text,), = conn.execute("SELECT text FROM answers").fetchall()
    assert len(text) == 4000 and text.startswith(lines[0])


def test_an_answer_ended_by_the_end_of_input_is_coached_and_saved(tmp_path: Path):
    result = run(["practice", "--questions", "2", "--user", "mo"], tmp_path, f"{STRONG}\n")
    assert result.returncode == 0, result.stderr
    assert "── Score" in result.stdout and "everything you answered is saved" in result.stdout
    assert "Answers: 1" in run(["progress", "--user", "mo"], tmp_path).stdout


def test_only_an_explicit_no_stops_the_unfinished_interview(tmp_path: Path):
    run(["practice", "--questions", "3", "--user", "cy"], tmp_path, f"{STRONG}\n\n")
    unsure = run(["practice", "--user", "cy"], tmp_path, "maybe\nlater\n")
    assert unsure.stdout.count("Type y to resume it, or n") == 2
    assert "everything you answered is saved" in unsure.stdout
    kept = run(["practice", "--user", "cy"], tmp_path, "n\n/end\n")
    assert "unfinished interview (1 of 3 done)" in kept.stdout  # still there to resume
    assert "PeerPrep practice:" in kept.stdout  # "n": a new interview instead
    gone = run(["practice", "--user", "cy", "--questions", "1"], tmp_path, "/end\n")
    assert "unfinished" not in gone.stdout


def test_time_zone_of_a_terminal_practiser(tmp_path: Path):
    new = run(["practice", "--user", "ana", "--questions", "1"], tmp_path, "/end\n",
              TZ="Asia/Tokyo")
    assert new.returncode == 0, new.stderr
    chosen = run(["practice", "--user", "bo", "--questions", "1", "--timezone",
                  "Europe/Paris"], tmp_path, "/end\n", TZ="Asia/Tokyo")
    assert chosen.returncode == 0, chosen.stderr
    assert people(tmp_path) == [("ana", "Asia/Tokyo"), ("bo", "Europe/Paris")]
    moved = run(["progress", "--user", "ana", "--timezone", "America/Chicago"], tmp_path,
                TZ="Asia/Tokyo")  # an existing person keeps their zone unless told
    assert "days in America/Chicago" in moved.stdout
    assert people(tmp_path)[0] == ("ana", "America/Chicago")
    for command in (["practice"], ["progress"]):
        bad = run([*command, "--user", "ana", "--timezone", "Mars/Olympus"], tmp_path)
        assert bad.returncode == 2
        assert "unknown time zone 'Mars/Olympus'" in bad.stderr
        assert bad.stderr.strip().count("\n") == 0
    assert people(tmp_path)[0] == ("ana", "America/Chicago")


def test_machine_time_zone(tmp_path: Path):
    zoneinfo = tmp_path / "usr" / "share" / "zoneinfo"
    (zoneinfo / "Europe").mkdir(parents=True)
    (zoneinfo / "Europe" / "Paris").write_bytes(b"TZif")
    link = tmp_path / "localtime"
    link.symlink_to(zoneinfo / "Europe" / "Paris")
    named = tmp_path / "timezone"
    named.write_text("America/Chicago\n")
    missing = tmp_path / "nothing"
    assert machine_timezone({}, link, named) == "Europe/Paris"
    assert machine_timezone({}, missing, named) == "America/Chicago"
    assert machine_timezone({}, missing, missing) is None
    assert machine_timezone({"TZ": ":Asia/Tokyo"}, link, named) == "Asia/Tokyo"
    assert machine_timezone({"TZ": "/usr/share/zoneinfo/Asia/Kolkata"}, link) == "Asia/Kolkata"
    assert machine_timezone({"TZ": "EST+5"}, link, named) is None  # a rule, not a zone name


def test_a_question_gone_from_the_bank_ends_the_interview(tmp_path: Path):
    async def unfinished() -> int:
        async with Store(tmp_path / "peerprep.sqlite3") as store:
            ana = await store.people.for_local("ana")
            interview, _ = await store.interviews.create(
                ana.id, "all", None, ["zz-98", "pss-19"], "terminal")
            return interview.id

    interview_id = asyncio.run(unfinished())
    result = run(["practice", "--user", "ana", "--resume"], tmp_path, "")
    assert result.returncode == 0, result.stderr
    assert "Question zz-98 is no longer in the question bank" in result.stdout
    assert "━━ Summary ━━" in result.stdout
    with closing(sqlite3.connect(tmp_path / "peerprep.sqlite3")) as conn:
        status = conn.execute("SELECT status FROM interviews WHERE id = ?",
                              (interview_id,)).fetchone()[0]
    assert status != "active"
    again = run(["practice", "--user", "ana", "--questions", "1"], tmp_path, "/end\n")
    assert "unfinished" not in again.stdout


def test_a_bank_and_topic_without_questions_is_a_usage_error(tmp_path: Path):
    from bot.bank import BANKS, TOPICS, load_bank
    from bot.paths import CONTENT_DIR

    bank = load_bank(CONTENT_DIR)
    empty = [(b, t) for b in BANKS for t in TOPICS if not bank.select(b, t)]
    if not empty:
        pytest.skip("every bank has every topic")
    result = run(["practice", "--bank", empty[0][0], "--topic", empty[0][1]], tmp_path, "")
    assert result.returncode == 2
    assert "no questions in bank" in result.stderr
    assert result.stderr.strip().count("\n") == 0


def test_progress_for_an_unknown_name_creates_nothing(tmp_path: Path):
    nothing = run(["progress", "--user", "ana"], tmp_path)
    assert nothing.returncode == 0
    assert "No practice yet for ana" in nothing.stdout
    assert not (tmp_path / "peerprep.sqlite3").exists()
    run(["practice", "--user", "ana", "--questions", "1"], tmp_path, "/end\n", TZ="UTC")
    typo = run(["progress", "--user", "anna"], tmp_path)
    assert "No practice yet for anna" in typo.stdout
    assert people(tmp_path) == [("ana", "UTC")]


def test_output_into_a_closed_pipe_stops_quietly(tmp_path: Path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEV_"))}
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot", "practice", "--user", "pi", "--questions", "2"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=ROOT, env={**environ, "DATA_DIR": str(tmp_path)},
    )
    assert proc.stdout is not None
    proc.stdout.close()  # like `| head` that has read what it wanted
    _, err = proc.communicate(f"{STRONG}\n\nn\n", timeout=60)
    assert proc.returncode == 141, err
    assert "Traceback" not in err and "Exception ignored" not in err


VAGUE = "I would be kind to them and do my best for them every single day."


def follow_up_rows(data_dir: Path) -> list[tuple[str, str | None]]:
    with closing(sqlite3.connect(data_dir / "peerprep.sqlite3")) as conn:
        return conn.execute("SELECT status, text FROM interview_follow_ups").fetchall()


def test_the_interviewer_follows_up_and_the_reply_is_coached_on_its_point(tmp_path: Path):
    script = (f"{VAGUE}\n\na\nI would take it step by step with them, and ask what they "
              f"think, in plain words.\n\nn\n")
    result = run(["practice", "--questions", "1", "--user", "ana"], tmp_path, script)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.count("── The interviewer follows up ──") == 1
    assert "[a]nswer the follow-up" in out
    assert out.count("── Score") == 2  # the answer, then the follow-up
    assert "Key points (" in out.split("── The interviewer follows up ──")[1]
    assert out.split("Key points (")[2].startswith(("0/1)", "1/1)"))  # its one point only
    assert "↳ follow-up on" in out and "(follow-ups not counted)" in out
    assert [status for status, _ in follow_up_rows(tmp_path)] == ["answered"]
    progress = run(["progress", "--user", "ana"], tmp_path)
    assert "Answers: 1" in progress.stdout  # the follow-up is part of its question


def test_a_follow_up_can_be_skipped_or_turned_off(tmp_path: Path):
    skipped = run(["practice", "--questions", "1", "--user", "ana"], tmp_path,
                  f"{VAGUE}\n\na\n/skip\nn\n")
    assert skipped.returncode == 0, skipped.stderr
    assert skipped.stdout.count("── Score") == 1 and "skipped" in skipped.stdout
    assert follow_up_rows(tmp_path) == [("skipped", None)]
    with closing(sqlite3.connect(tmp_path / "peerprep.sqlite3")) as conn:
        assert conn.execute("SELECT COUNT(*) FROM answers").fetchone() == (1,)  # kept

    for args, env in ((["--no-follow-ups"], {}), ([], {"FOLLOW_UPS": "off"})):
        data = tmp_path / ("flag" if args else "setting")
        off = run(["practice", "--questions", "1", "--user", "ana", *args], data,
                  f"{VAGUE}\n\nn\n", **env)
        assert off.returncode == 0, off.stderr
        assert "follows up" not in off.stdout and "[a]nswer" not in off.stdout
        assert follow_up_rows(data) == []
def test_ids_banks_topics_and_time_zones_in_any_case(tmp_path: Path):
    upper = run(["feedback", "--question", "PSS-19", "--answer", STRONG, "--json"], tmp_path)
    assert upper.returncode == 0, upper.stderr
    assert json.loads(upper.stdout)["question_id"] == "pss-19"
    practice = run(["practice", "--user", "ana", "--bank", "PSS", "--topic", "Crisis-Safety",
                    "--questions", "1", "--timezone", "europe/london"], tmp_path, "/end\n")
    assert practice.returncode == 0, practice.stderr
    assert "(bank: pss, topic: Crisis and safety)" in practice.stdout
    assert people(tmp_path) == [("ana", "Europe/London")]


@pytest.mark.parametrize(("args", "expected"), [
    (["feedback", "--question", "pss19", "--answer", "x"], "did you mean pss-19"),
    (["practice", "--bank", "psss"], "did you mean pss"),
    (["practice", "--topic", "crisis-safty"], "did you mean crisis-safety"),
    (["practice", "--timezone", "Europe/Londn"], "did you mean Europe/London"),
    (["progress", "--timezone", "america/new york"], "did you mean America/New_York"),
    (["practice", "--bank", "nothing-like-it"], "one of: all, cps"),
])
def test_a_near_miss_gets_a_did_you_mean(tmp_path: Path, args: list[str], expected: str):
    result = run(args, tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "peerprep.sqlite3").exists()  # refused before anything was made


def test_hints_for_the_shell_are_quoted(tmp_path: Path):
    name = "ana lee's"
    nothing = run(["progress", "--user", name], tmp_path)
    assert f"start with `python -m bot practice --user {shlex.quote(name)}`" in nothing.stdout
    ended = run(["practice", "--user", name, "--questions", "2"], tmp_path, f"{STRONG}\n\n")
    hint = f"Run `python -m bot practice --user {shlex.quote(name)}` again to resume."
    assert hint in ended.stdout
    assert shlex.split(shlex.quote(name)) == [name]


def test_the_readme_piped_example_works_with_an_unfinished_interview(tmp_path: Path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (line,) = [x for x in readme.splitlines() if x.startswith("printf ") and "practice" in x]
    assert "--new" in line  # else its answer is eaten by the resume question
    script = shlex.split(line)[1].encode().decode("unicode_escape")
    args = shlex.split(line.split("| python -m bot ", 1)[1])
    run(["practice", "--questions", "2"], tmp_path, f"{STRONG}\n\n")  # left unfinished
    result = run(args, tmp_path, script)
    assert result.returncode == 0, result.stderr
    assert "── Score" in result.stdout and "Resume it?" not in result.stdout


def test_no_library_warning_before_peerpreps_own_line(tmp_path: Path):
    result = run_process(["run"], tmp_path, DISCORD_TOKEN="not-a-real-token",
                         DISCORD_API_BASE="http://127.0.0.1:9",
                         DISCORD_GATEWAY_URL="ws://127.0.0.1:9")
    assert result.returncode == 1
    assert "cannot reach Discord" in result.stderr
    assert "PyNaCl" not in result.stderr and "davey" not in result.stderr
    assert "WARNING" not in result.stderr
