"""One rule for time zones, the same in settings, the command line, Discord and the engine."""

from __future__ import annotations

import pytest

from bot import timezones
from bot.cli.common import CliError, timezone_named
from bot.discord_app.errors import UserError
from bot.discord_app.options import timezone_option
from bot.interview.engine import InterviewService
from bot.settings import SettingsError, load_settings

ENV = {"DISCORD_TOKEN": "x"}


def from_settings(name: str, tmp_path) -> str:  # type: ignore[no-untyped-def]
    return load_settings({**ENV, "DATA_DIR": str(tmp_path), "DEFAULT_TIMEZONE": name},
                         env_file=None).default_timezone


def engine_zone(name: str) -> str:
    engine = InterviewService(None, None, default_timezone="UTC")  # type: ignore[arg-type]
    return engine._zone(name)


@pytest.mark.parametrize(("typed", "meant"), [
    ("Europe/London", "Europe/London"), ("europe/london", "Europe/London"),
    (" Asia/Kolkata ", "Asia/Kolkata"),
    ("UTC", "UTC"), ("EST", "EST")])
def test_every_front_end_reads_a_time_zone_the_same_way(typed: str, meant: str, tmp_path):
    assert timezones.canonical(typed) == meant
    assert timezone_named(typed) == meant
    assert timezone_option(typed) == meant
    assert from_settings(typed, tmp_path) == meant


@pytest.mark.parametrize("typed", ["Mars/Olympus", "Europe/Londn", "", "../etc/passwd",
                                   "posix/Europe/London"])
def test_every_front_end_refuses_what_is_no_time_zone(typed: str, tmp_path):
    assert timezones.canonical(typed) is None
    with pytest.raises(CliError):
        timezone_named(typed)
    with pytest.raises(UserError):
        timezone_option(typed)
    if typed:  # unset is UTC
        with pytest.raises(SettingsError):
            from_settings(typed, tmp_path)
    assert engine_zone(typed) == "UTC"  # a stored zone that is no zone: the default


def test_a_near_miss_gets_a_did_you_mean_everywhere(tmp_path):
    assert timezones.suggestions("america/new york")[0] == "America/New_York"
    with pytest.raises(CliError, match="did you mean Europe/London"):
        timezone_named("Europe/Londn")
    with pytest.raises(UserError, match="Did you mean Europe/London"):
        timezone_option("Europe/Londn")
    with pytest.raises(SettingsError, match="did you mean Europe/London"):
        from_settings("Europe/Londn", tmp_path)


def test_the_list_offers_region_zones_and_utc_first_matches():
    assert "EST" not in timezones.listed() and "UTC" in timezones.listed()
    assert timezones.matching("new york") == ["America/New_York"]
    assert len(timezones.matching("")) == 25
