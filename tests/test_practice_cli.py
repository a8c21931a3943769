"""The terminal front end, run as a real process with piped input, as a person would script it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STRONG = (
    "I would start by listening and reflecting back what I hear, so the person knows I "
    "understand. I would ask what they want from our time together and respect their choice."
)


def run(args: list[str], data_dir: Path, stdin: str = "", **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DEV_"))}
    environ |= {"DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8", **env}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
        cwd=ROOT, env=environ, timeout=60, check=False,
    )


def test_help_works_for_every_command(tmp_path: Path):
    for args in (["--help"], ["practice", "--help"], ["progress", "--help"],
                 ["feedback", "--help"], ["content", "check", "--help"], ["db", "--help"],
                 ["db", "backup", "--help"], ["run", "--help"]):
        result = run(args, tmp_path)
        assert result.returncode == 0, (args, result.stderr)
        assert "usage:" in result.stdout


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
    assert proc.stdin is not None
    proc.stdin.write(f"{STRONG}\n\nn\n")
    proc.stdin.flush()
    time.sleep(3)  # let it coach, store and wait at the next prompt
    proc.send_signal(signal.SIGINT)
    out, _ = proc.communicate(timeout=30)
    assert proc.returncode == 130
    assert "everything you answered is saved" in out
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
    (["feedback", "--question", "zz-99", "--answer", "hi"], "", "no question with id"),
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
    result = run([], tmp_path)
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
