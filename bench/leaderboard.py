"""Leaderboard query time at 10,000 members with 10,000 and with 1,000,000 answers.

Target: the larger database costs at most 3x the smaller (read by member, not by answer).
The answers are written straight into a database of the real schema (with the same
per-day and per-period totals the answer pipeline keeps), then the real query runs.

Run: python -m bench.leaderboard [--members N] [--small N] [--large N]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from bot.storage import Store
from bot.storage.answers import periods_of

TODAY = date(2026, 11, 20)
DAYS = 60


async def _create(path: Path) -> None:
    async with Store(path):
        pass  # migrations only


# The columns each table is filled with, in the order ``generate`` gives them.
COLUMNS = {
    "people": ("id", "discord_user_id", "created_at"),
    "cohorts": ("id", "guild_id", "name", "created_at"),
    "cohort_members": ("cohort_id", "person_id", "joined_at"),
    "answers": ("person_id", "question_id", "submission_key", "score", "feedback",
                "answered_at", "local_day"),
    "practice_days": ("person_id", "day", "answers", "score_sum"),
    "period_totals": ("period", "person_id", "answers", "score_sum"),
    "streaks": ("person_id", "current", "best", "last_day"),
}


def generate(members: int, answers: int, seed: int = 5) -> Iterator[tuple[str, list[tuple]]]:
    """(table, rows) for a database of ``members`` in one cohort and ``answers`` answers over
    ``DAYS`` days, with the per-day and per-period totals the answer pipeline keeps; the
    answers come in chunks of 100,000 rows."""
    rng = random.Random(seed)
    yield "people", [(i, 10_000_000 + i, "x") for i in range(1, members + 1)]
    yield "cohorts", [(1, 1, "all", "x")]
    yield "cohort_members", [(1, i, "x") for i in range(1, members + 1)]
    days: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    periods: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    # Each of the DAYS days once: its text, an answer's time on it, its periods.
    on_day = [(day.isoformat(), f"{day}T12:00:00.000000Z", periods_of(day))
              for day in (TODAY - timedelta(days=back) for back in range(DAYS))]
    rows = []
    for n in range(answers):
        person = rng.randint(1, members)
        day, at, its_periods = on_day[rng.randrange(DAYS)]
        score = rng.randint(10, 100)
        rows.append((person, "pss-01", f"k{n}", score, "{}", at, day))
        totals = days[(person, day)]
        totals[0] += 1
        totals[1] += score
        for period in its_periods:
            totals = periods[(period, person)]
            totals[0] += 1
            totals[1] += score
        if len(rows) >= 100_000:
            yield "answers", rows
            rows = []
    yield "answers", rows
    yield "practice_days", [(p, d, a, s) for (p, d), (a, s) in days.items()]
    yield "period_totals", [(k, p, a, s) for (k, p), (a, s) in periods.items()]
    yield "streaks", [(p, rng.randint(1, 30), 30,
                       (TODAY - timedelta(days=rng.randrange(3))).isoformat())
                      for p in range(1, members + 1)]


def populate(path: Path, members: int, answers: int, seed: int = 5) -> None:
    asyncio.run(_create(path))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA journal_mode = WAL")
    with conn:
        for table, rows in generate(members, answers, seed):
            columns = COLUMNS[table]
            conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) "
                             f"VALUES ({', '.join('?' for _ in columns)})", rows)
    conn.execute("ANALYZE")
    conn.close()


async def _time_queries(path: Path, repeats: int) -> dict[str, float]:
    out = {}
    async with Store(path) as store:
        for metric, period in (("answers", "week"), ("score", "month"), ("answers", "all"),
                               ("streak", "all")):
            timings = []
            for _ in range(repeats):
                start = time.perf_counter()
                top, _mine = await store.cohorts.leaderboard(
                    guild_id=1, cohort_id=1, metric=metric, period=period, today=TODAY,
                    caller_person_id=4242)
                timings.append(time.perf_counter() - start)
                assert top
            out[f"{metric}/{period}"] = statistics.median(timings) * 1000
    return out


def run(members: int = 10_000, small: int = 10_000, large: int = 1_000_000,
        repeats: int = 7) -> dict[str, dict[str, float]]:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for label, answers in (("small", small), ("large", large)):
            path = Path(tmp) / f"{label}.sqlite3"
            populate(path, members, answers)
            results[label] = asyncio.run(_time_queries(path, repeats))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    args = parser.parse_args()
    r = run(args.members, args.small, args.large)
    print(f"leaderboard, {args.members:,} members: {args.small:,} vs {args.large:,} answers")
    worst = 0.0
    for key in r["small"]:
        ratio = r["large"][key] / r["small"][key]
        worst = max(worst, ratio)
        print(f"  {key:<14} {r['small'][key]:7.1f} ms  {r['large'][key]:7.1f} ms  "
              f"ratio {ratio:.2f}")
    print(f"  worst ratio {worst:.2f} (target <= 3)")


if __name__ == "__main__":
    main()
