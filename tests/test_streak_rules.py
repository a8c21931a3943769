"""Streak rules as a table: consecutive days, freezes, and local days across time zones."""

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.streaks import StreakState, current_streak, local_day, record_day

D0 = date(2026, 3, 1)


def play(days: list[int]) -> tuple[StreakState, list]:
    state, updates = StreakState(), []
    for offset in days:
        update = record_day(state, D0 + timedelta(days=offset))
        updates.append(update)
        state = update.state
    return state, updates


@pytest.mark.parametrize(
    ("days", "current", "best", "freezes"),
    [
        ([], 0, 0, 0),
        ([0], 1, 1, 0),
        ([0, 0, 0], 1, 1, 0),                        # several answers in a day count once
        ([0, 1, 2], 3, 3, 0),
        ([0, 2], 1, 1, 0),                           # a missed day with no freeze ends it
        ([0, 1, 2, 3, 4, 5, 6], 7, 7, 1),            # 7 days earn a freeze
        ([0, 1, 2, 3, 4, 5, 6, 8], 8, 8, 0),         # ...spent on day 7; the frozen day not counted
        ([0, 1, 2, 3, 4, 5, 6, 9], 1, 7, 1),         # two missed days: broken, freeze kept
        (list(range(14)), 14, 14, 2),
        (list(range(21)), 21, 21, 2),                # at most 2 held
        ([*range(14), 15, 17], 16, 16, 0),           # two separate single gaps, two freezes
        ([*range(14), 15, 17, 19], 1, 16, 0),        # a third gap with none left
        ([0, 1, 2, 1], 3, 3, 0),                     # a past day changes nothing
    ],
)
def test_streak_table(days: list[int], current: int, best: int, freezes: int):
    state, _ = play(days)
    assert (state.current, state.best, state.freezes) == (current, best, freezes)


def test_freeze_is_reported_and_never_adds_to_the_count():
    state, updates = play([*range(7), 8])
    assert updates[6].freeze_earned
    assert updates[7].frozen_day == D0 + timedelta(days=7)
    assert state.current == 8  # 7 days + day 8; day 7 itself was frozen, not counted


def test_freeze_counter_restarts_after_a_break():
    state, _ = play([0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15])
    assert state.freezes == 0  # 6 days, break, 6 days: no 7-day run yet
    state, _ = play([0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15, 16])
    assert state.freezes == 1


@pytest.mark.parametrize(
    ("last", "today", "shown"),
    [(0, 0, 3), (0, 1, 3), (0, 2, 0), (0, 5, 0)],
)
def test_current_streak_as_of_today(last: int, today: int, shown: int):
    state, _ = play([last - 2, last - 1, last])
    assert current_streak(state, D0 + timedelta(days=today)) == shown


def test_current_streak_survives_one_missed_day_with_a_freeze():
    state, _ = play(list(range(7)))
    assert current_streak(state, D0 + timedelta(days=8)) == 7
    assert current_streak(state, D0 + timedelta(days=9)) == 0


@pytest.mark.parametrize(
    ("utc", "zone", "day"),
    [
        ("2026-03-02T04:59:00", "America/New_York", "2026-03-01"),   # 23:59 the evening before
        ("2026-03-02T05:00:00", "America/New_York", "2026-03-02"),   # midnight exactly
        ("2026-03-02T23:30:00", "Asia/Kolkata", "2026-03-03"),       # +5:30
        ("2026-03-02T23:30:00", "Pacific/Kiritimati", "2026-03-03"), # +14
        ("2026-03-02T10:30:00", "Pacific/Pago_Pago", "2026-03-01"),  # -11
        ("2026-03-08T06:59:00", "America/New_York", "2026-03-08"),   # after spring-forward 2 am
        ("2026-03-08T04:59:00", "America/New_York", "2026-03-07"),   # before it, still EST
        ("2026-11-01T04:30:00", "America/New_York", "2026-11-01"),   # 00:30 EDT, fall-back day
        ("2026-11-02T04:59:00", "America/New_York", "2026-11-01"),   # 23:59 EST that same day
        ("2026-03-29T00:30:00", "Europe/London", "2026-03-29"),      # BST starts at 01:00 UTC
        ("2026-03-02T23:59:59", "UTC", "2026-03-02"),
    ],
)
def test_local_day(utc: str, zone: str, day: str):
    moment = datetime.fromisoformat(utc).replace(tzinfo=UTC)
    assert local_day(moment, zone) == date.fromisoformat(day)


def test_streak_across_a_dst_change_counts_each_local_day_once():
    # Practice at 20:00 local every evening around the US spring-forward night.
    state = StreakState()
    for day in range(5, 12):
        local_evening = datetime(2026, 3, day, 20, 0)
        offset = 4 if day >= 8 else 5  # EDT from 8 March
        moment = (local_evening + timedelta(hours=offset)).replace(tzinfo=UTC)
        state = record_day(state, local_day(moment, "America/New_York")).state
    assert state.current == 7


def test_naive_time_is_refused():
    with pytest.raises(ValueError, match="aware"):
        local_day(datetime(2026, 1, 1), "UTC")
