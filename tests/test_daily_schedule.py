"""Daily slots in local time, DST, downtime, and the rotation without repeats."""

from collections import Counter
from datetime import UTC, date, datetime, time

import pytest

from bot.daily.schedule import choose_question, latest_due, next_slot, parse_time, slot_on

NY = "America/New_York"


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(("after", "expected_day", "expected_utc"), [
    ("2026-03-02T13:00:00", "2026-03-02", "2026-03-02T14:00:00"),  # 08:00 EST: today's 09:00
    ("2026-03-02T14:00:00", "2026-03-03", "2026-03-03T14:00:00"),  # exactly at 09:00: tomorrow
    ("2026-03-07T15:00:00", "2026-03-08", "2026-03-08T13:00:00"),  # spring forward: 09:00 EDT
    ("2026-10-31T15:00:00", "2026-11-01", "2026-11-01T14:00:00"),  # fall back: 09:00 EST
    ("2026-03-03T04:30:00", "2026-03-03", "2026-03-03T14:00:00"),  # 23:30 local the day before
])
def test_next_slot_keeps_local_time(after: str, expected_day: str, expected_utc: str):
    slot = next_slot(time(9, 0), NY, utc(after))
    assert slot.day == date.fromisoformat(expected_day)
    assert slot.due_at == utc(expected_utc)


def test_a_time_skipped_by_dst_moves_past_the_gap():
    slot = slot_on(date(2026, 3, 8), time(2, 30), NY)
    assert slot.due_at == utc("2026-03-08T07:30:00")  # 03:30 EDT


def test_a_time_that_happens_twice_is_posted_at_the_first():
    slot = slot_on(date(2026, 11, 1), time(1, 30), NY)
    assert slot.due_at == utc("2026-11-01T05:30:00")  # 01:30 EDT, before the clocks go back


def test_after_downtime_only_the_latest_missed_slot_is_due():
    slot = latest_due(time(9, 0), NY, utc("2026-03-05T16:00:00"))  # down since 2 March
    assert slot.day == date(2026, 3, 5)
    early = latest_due(time(9, 0), NY, utc("2026-03-05T12:00:00"))  # 07:00, before today's
    assert early.day == date(2026, 3, 4)


@pytest.mark.parametrize("text", ["9", "25:00", "09:60", "nine", ""])
def test_bad_times_are_refused(text: str):
    with pytest.raises(ValueError, match="24-hour"):
        parse_time(text)


def test_rotation_uses_every_question_before_repeating():
    pool = [f"q{i}" for i in range(12)]
    used: Counter[str] = Counter()
    order = []
    for day in range(36):
        q = choose_question(pool, used, seed=f"guild:{day}")
        used[q] += 1
        order.append(q)
    for cycle in range(3):
        assert sorted(order[cycle * 12:(cycle + 1) * 12]) == sorted(pool)
