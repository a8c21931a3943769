"""The per-guild wait before the daily post is tried again."""

from datetime import UTC, datetime, timedelta

from bot.daily.retry import Backoff

NOW = datetime(2026, 3, 6, 14, 0, tzinfo=UTC)


def test_each_failure_doubles_the_wait_up_to_the_cap():
    backoff = Backoff(timedelta(minutes=1), timedelta(minutes=30))
    waits = [backoff.failed(7, NOW) - NOW for _ in range(8)]
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 30, 30, 30)]


def test_a_held_guild_is_skipped_until_its_time_and_others_are_not():
    backoff = Backoff(timedelta(minutes=1), timedelta(minutes=30))
    until = backoff.failed(7, NOW)
    assert 7 in backoff.holds(NOW) and 8 not in backoff.holds(NOW)
    assert backoff.holds(NOW) == {7: until}
    assert backoff.holds(until) == {}


def test_success_starts_the_count_again():
    backoff = Backoff(timedelta(minutes=1), timedelta(minutes=30))
    backoff.failed(7, NOW)
    backoff.failed(7, NOW)
    backoff.clear(7)
    assert 7 not in backoff.holds(NOW)
    assert backoff.failed(7, NOW) - NOW == timedelta(minutes=1)


def test_a_hold_is_not_a_failure():
    backoff = Backoff(timedelta(minutes=1), timedelta(minutes=30))
    backoff.hold(7, NOW + timedelta(minutes=5))
    assert 7 in backoff.holds(NOW + timedelta(minutes=4))
    assert backoff.failed(7, NOW) - NOW == timedelta(minutes=1)
