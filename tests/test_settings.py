"""Settings: the environment over .env, clear one-line errors naming the setting."""

from pathlib import Path

import pytest

from bot.settings import DEFAULT_CRISIS_RESOURCES, SettingsError, load_settings


def test_defaults_without_any_setting(tmp_path: Path):
    s = load_settings({"HOME": str(tmp_path)}, env_file=None)
    assert s.discord_token is None
    assert s.data_dir == tmp_path / ".local" / "share" / "peerprep"
    assert s.database_path == s.data_dir / "peerprep.sqlite3"
    assert s.crisis_resources == DEFAULT_CRISIS_RESOURCES
    assert s.default_timezone == "UTC"
    assert s.discord_api_base.startswith("https://discord.com/api")
    assert s.guild_ready_timeout == 2.0
    assert load_settings({"GUILD_READY_TIMEOUT": "0.1"}, env_file=None).guild_ready_timeout == 0.1


def test_environment_wins_over_env_file(tmp_path: Path):
    env_file = tmp_path / ".env"
    env_file.write_text('DISCORD_TOKEN="from-file"\nDEV_GUILD_ID=123\n# comment\nLOG_LEVEL=debug\n')
    s = load_settings({"DISCORD_TOKEN": "from-env", "DATA_DIR": str(tmp_path)}, env_file=env_file)
    assert s.discord_token == "from-env"
    assert s.dev_guild_id == 123
    assert s.log_level == "DEBUG"
    assert s.data_dir == tmp_path


@pytest.mark.parametrize(("value", "on"), [(None, True), ("on", True), ("OFF", False),
                                           ("false", False), ("1", True), ("no", False)])
def test_follow_ups_can_be_turned_off(value: str | None, on: bool):
    env = {} if value is None else {"FOLLOW_UPS": value}
    assert load_settings(env, env_file=None).follow_ups is on


def test_crisis_resources_are_configurable():
    s = load_settings({"CRISIS_RESOURCES": "UK: Samaritans 116 123 | Text SHOUT to 85258"},
                      env_file=None)
    assert s.crisis_resources == ("UK: Samaritans 116 123", "Text SHOUT to 85258")


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DEV_GUILD_ID": "my-server"}, "DEV_GUILD_ID"),
        ({"DEV_GUILD_ID": "-4"}, "DEV_GUILD_ID"),
        ({"ANSWER_RETENTION_DAYS": "a year"}, "ANSWER_RETENTION_DAYS"),
        ({"DEFAULT_TIMEZONE": "Mars/Olympus"}, "DEFAULT_TIMEZONE"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"FOLLOW_UPS": "sometimes"}, "FOLLOW_UPS"),
        ({"GUILD_READY_TIMEOUT": "soon"}, "GUILD_READY_TIMEOUT"),
        ({"GUILD_READY_TIMEOUT": "-1"}, "GUILD_READY_TIMEOUT"),
        ({"GUILD_READY_TIMEOUT": "nan"}, "GUILD_READY_TIMEOUT"),
        ({"DISCORD_API_BASE": "discord.com"}, "DISCORD_API_BASE"),
        ({"DISCORD_GATEWAY_URL": "http://x"}, "DISCORD_GATEWAY_URL"),
    ],
)
def test_invalid_settings_name_themselves(env: dict[str, str], named: str):
    with pytest.raises(SettingsError, match=named):
        load_settings(env, env_file=None)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DATA_DIR": "{file}"}, "DATA_DIR"),
        ({"DATA_DIR": "{file}/peerprep"}, "DATA_DIR"),
        ({"DATABASE_PATH": "{file}/peerprep.sqlite3"}, "DATABASE_PATH"),
        ({"DATABASE_PATH": "{tmp}"}, "DATABASE_PATH"),
        ({"DATA_DIR": "{tmp}", "DATABASE_PATH": ""}, None),  # fine: a folder
        ({"CONTENT_DIR": "{tmp}/nonexistent"}, "CONTENT_DIR"),
        ({"CRISIS_RESOURCES": "|"}, "CRISIS_RESOURCES"),
        ({"CRISIS_RESOURCES": " | | "}, "CRISIS_RESOURCES"),
    ],
)
def test_paths_and_resources_that_cannot_work_name_themselves(
        tmp_path: Path, env: dict[str, str], named: str | None):
    (tmp_path / "a-file").write_text("not a folder")
    env = {k: v.format(file=tmp_path / "a-file", tmp=tmp_path) for k, v in env.items()}
    if named is None:
        assert load_settings(env, env_file=None).data_dir == tmp_path
        return
    with pytest.raises(SettingsError, match=named) as caught:
        load_settings(env, env_file=None)
    assert "\n" not in str(caught.value)


def test_missing_token_says_how_to_get_one():
    s = load_settings({}, env_file=None)
    with pytest.raises(SettingsError) as caught:
        s.require_token()
    message = str(caught.value)
    assert "DISCORD_TOKEN" in message
    assert ".env.example" in message
    assert "python -m bot practice" in message


def test_repr_of_settings_holds_no_secret():
    token = "MTIzNDU2Nzg5.secret-token-value.abcdef"
    key = "q" * 43 + "="
    s = load_settings({"DISCORD_TOKEN": token, "DATA_ENCRYPTION_KEY": key,
                       "NEW_DATA_ENCRYPTION_KEY": "r" * 43 + "="}, env_file=None)
    assert s.discord_token == token and s.data_encryption_key is not None
    shown = repr(s) + str(s)
    assert token not in shown
    assert "qqqq" not in shown and "rrrr" not in shown
    assert repr(s.data_encryption_key) not in shown


@pytest.mark.parametrize(
    ("name", "url", "ok"),
    [
        ("DISCORD_API_BASE", "http://discord.example.org/api/v10", False),
        ("DISCORD_API_BASE", "http://10.0.0.5:8080/api", False),
        ("DISCORD_API_BASE", "http://127.0.0.1:9999/api/v10", True),
        ("DISCORD_API_BASE", "http://localhost:9999/api/v10", True),
        ("DISCORD_API_BASE", "http://[::1]:9999/api/v10", True),
        ("DISCORD_API_BASE", "https://proxy.example.org/api/v10", True),
        ("DISCORD_API_BASE", "http://127.0.0.1.evil.example/api", False),
        ("DISCORD_GATEWAY_URL", "ws://gateway.example.org/", False),
        ("DISCORD_GATEWAY_URL", "ws://127.0.0.1:9999/", True),
        ("DISCORD_GATEWAY_URL", "wss://gateway.example.org/", True),
    ],
)
def test_plain_http_and_ws_only_to_this_machine(name: str, url: str, ok: bool):
    if ok:
        load_settings({name: url}, env_file=None)
    else:
        with pytest.raises(SettingsError, match=f"{name} must use"):
            load_settings({name: url}, env_file=None)


@pytest.mark.parametrize("raw", ["not base64!", "c2hvcnQ=", "a" * 100])
def test_a_bad_encryption_key_is_named_and_not_repeated(raw: str):
    with pytest.raises(SettingsError, match="DATA_ENCRYPTION_KEY") as caught:
        load_settings({"DATA_ENCRYPTION_KEY": raw}, env_file=None)
    assert raw not in str(caught.value)


@pytest.mark.parametrize("name", ["DISCORD_API_BASE", "DISCORD_GATEWAY_URL"])
def test_a_proxy_address_with_credentials_is_refused_without_repeating_them(name: str):
    scheme = "https" if name == "DISCORD_API_BASE" else "wss"
    with pytest.raises(SettingsError, match=f"{name} must not hold") as caught:
        load_settings({name: f"{scheme}://bot:hunter2secret@proxy.example.org/api"},
                      env_file=None)
    assert "hunter2secret" not in str(caught.value)


@pytest.mark.parametrize(
    ("env", "count", "ids"),
    [
        ({}, None, None),  # Discord's recommended count, every shard in this process
        ({"SHARD_COUNT": "4"}, 4, None),  # every one of the 4 in this process
        ({"SHARD_COUNT": "1", "SHARD_IDS": "0"}, 1, (0,)),
        ({"SHARD_COUNT": "6", "SHARD_IDS": "0,2,5"}, 6, (0, 2, 5)),
        ({"SHARD_COUNT": "6", "SHARD_IDS": "0-2"}, 6, (0, 1, 2)),
        ({"SHARD_COUNT": "8", "SHARD_IDS": " 6, 0 - 2 ,4,1,"}, 8, (0, 1, 2, 4, 6)),
        ({"SHARD_COUNT": "3", "SHARD_IDS": "2-2,2"}, 3, (2,)),
        ({"SHARD_COUNT": "", "SHARD_IDS": ""}, None, None),  # empty is unset
    ],
)
def test_shard_settings(env: dict[str, str], count: int | None, ids: tuple[int, ...] | None):
    s = load_settings(env, env_file=None)
    assert (s.shard_count, s.shard_ids) == (count, ids)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT must be 1 or more"),
        ({"SHARD_COUNT": "-2"}, "SHARD_COUNT must be 1 or more"),
        ({"SHARD_COUNT": "two"}, "SHARD_COUNT must be a whole number"),
        ({"SHARD_COUNT": "2.5"}, "SHARD_COUNT must be a whole number"),
        ({"SHARD_IDS": "0"}, "SHARD_IDS needs SHARD_COUNT"),
        ({"SHARD_IDS": "0-3"}, "SHARD_IDS needs SHARD_COUNT"),
        ({"SHARD_COUNT": "2", "SHARD_IDS": "2"}, "SHARD_IDS must be below SHARD_COUNT"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "0,2-4"}, "SHARD_IDS must be below SHARD_COUNT"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "3-1"}, "SHARD_IDS: the range 3-1 runs backwards"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "-1"}, "SHARD_IDS must be shard ids and ranges"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "0;1"}, "SHARD_IDS must be shard ids and ranges"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "0-1-2"}, "SHARD_IDS must be shard ids and ranges"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "1 2"}, "SHARD_IDS must be shard ids and ranges"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": "²"}, "SHARD_IDS must be shard ids and ranges"),
        ({"SHARD_COUNT": "4", "SHARD_IDS": ", ,"}, "SHARD_IDS must name at least one shard"),
    ],
)
def test_shard_settings_that_cannot_work_name_themselves(env: dict[str, str], named: str):
    with pytest.raises(SettingsError, match=named) as caught:
        load_settings(env, env_file=None)
    assert "\n" not in str(caught.value)


def test_a_bad_shard_setting_stops_the_bot_with_one_line(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    from bot.cli import main

    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("SHARD_COUNT", "SHARD_IDS", "DATABASE_PATH", "CONTENT_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DISCORD_TOKEN", "some-token")
    monkeypatch.setenv("SHARD_IDS", "1")
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: SHARD_IDS needs SHARD_COUNT") and err.count("\n") == 1
    assert not (tmp_path / "peerprep.sqlite3").exists()  # stopped before anything else


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("mysql://u@host/peerprep", "it is not a postgresql:// URL"),
        ("postgresql://u:s3cret-pw@127.0.0.1:abc/peerprep", "Port could not be cast"),
        ("postgresql://u:s3cret-pw@127.0.0.1:99999/peerprep", "Port out of range"),
        ("postgresql://u:s3cret-pw@[::1/peerprep", "Invalid IPv6 URL"),
        ("postgresql://u:s3cret-pw@127.0.0.1:5432/", "it names no database"),
        ("postgres://u:s3cret-pw@db.example.org", "it names no database"),
    ],
)
def test_a_database_url_that_cannot_work_is_refused_in_one_line_without_its_password(
        url: str, why: str):
    with pytest.raises(SettingsError, match="DATABASE_URL can't be used") as caught:
        load_settings({"DATABASE_URL": url}, env_file=None)
    said = str(caught.value)
    assert why in said and "s3cret-pw" not in said and "\n" not in said


@pytest.mark.parametrize("url", [
    "postgresql://u@db.example.org/peerprep",
    "postgresql://u:pw@[::1]:5433/peerprep?search_path=coaching",
    "postgresql://u@127.0.0.1:5432?dbname=peerprep",
    "postgres:///peerprep?host=/var/run/postgresql",
])
def test_database_urls_the_driver_takes_are_taken(url: str):
    assert load_settings({"DATABASE_URL": url}, env_file=None).database_url == url
