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
from datetime import date, timedelta
from pathlib import Path

from bot.storage import Store
from bot.storage.answers import periods_of

TODAY = date(2026, 11, 20)
DAYS = 60


async def _create(path: Path) -> None:
    async with Store(path):
        pass  # migrations only


def populate(path: Path, members: int, answers: int, seed: int = 5) -> None:
    asyncio.run(_create(path))
    rng = random.Random(seed)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA journal_mode = WAL")
    with conn:
        conn.executemany("INSERT INTO people (id, discord_user_id, created_at) VALUES (?, ?, 'x')",
                         [(i, 10_000_000 + i) for i in range(1, members + 1)])
        conn.execute(
            "INSERT INTO cohorts (id, guild_id, name, created_at) VALUES (1, 1, 'all', 'x')")
        conn.executemany("INSERT INTO cohort_members VALUES (1, ?, 'x')",
                         [(i,) for i in range(1, members + 1)])
        days: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
        periods: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
        rows = []
        for n in range(answers):
            person = rng.randint(1, members)
            day = TODAY - timedelta(days=rng.randrange(DAYS))
            score = rng.randint(10, 100)
            rows.append((person, "pss-01", f"k{n}", score, "{}", f"{day}T12:00:00.000000Z",
                         day.isoformat()))
            days[(person, day.isoformat())][0] += 1
            days[(person, day.isoformat())][1] += score
            for period in periods_of(day):
                periods[(period, person)][0] += 1
                periods[(period, person)][1] += score
            if len(rows) >= 100_000:
                _answers(conn, rows)
                rows.clear()
        _answers(conn, rows)
        conn.executemany("INSERT INTO practice_days (person_id, day, answers, score_sum) "
                         "VALUES (?, ?, ?, ?)", [(p, d, a, s) for (p, d), (a, s) in days.items()])
        conn.executemany("INSERT INTO period_totals VALUES (?, ?, ?, ?)",
                         [(k, p, a, s) for (k, p), (a, s) in periods.items()])
        conn.executemany(
            "INSERT INTO streaks (person_id, current, best, last_day) VALUES (?, ?, ?, ?)",
            [(p, rng.randint(1, 30), 30, (TODAY - timedelta(days=rng.randrange(3))).isoformat())
             for p in range(1, members + 1)])
    conn.execute("ANALYZE")
    conn.close()


def _answers(conn: sqlite3.Connection, rows: list) -> None:
    conn.executemany(
        "INSERT INTO answers (person_id, question_id, submission_key, score, feedback, "
        "answered_at, local_day) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


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
