"""Leaderboard query time on PostgreSQL at 10,000 members with 10,000 and with 1,000,000
answers (target: the larger at most 3x the smaller).

The same data as ``bench.leaderboard`` builds for SQLite (people, one cohort of every
member, the answers, and the practice days, period totals and streaks the answer pipeline
keeps), loaded with COPY into two schemas of the real schema (migrations), analysed, then
the real ``Cohorts.leaderboard`` query timed on both, sizes alternating round by round.

Run: PEERPREP_BENCH_DATABASE_URL=postgresql://... python -m bench.pg_leaderboard
     [--members N] [--small N] [--large N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from contextlib import AsyncExitStack
from datetime import timedelta

import asyncpg

from bench import pg
from bench.leaderboard import COLUMNS, TODAY, generate
from bot.core.records import MIN_ANSWERS_FOR_AN_AVERAGE
from bot.storage import Store
from bot.storage.answers import periods_of

QUERIES = (("answers", "week"), ("score", "month"), ("answers", "all"), ("streak", "all"))


async def populate(url: str, members: int, answers: int, seed: int = 5) -> float:
    """Fill the (migrated) schema at ``url``; the seconds it took."""
    started = time.perf_counter()
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            # The rows are consistent by construction: no foreign key checks, one per row
            # (a superuser may skip them; anyone else loads with them, more slowly).
            if await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"):
                await conn.execute("SET LOCAL session_replication_role = replica")
            for table, rows in generate(members, answers, seed):
                await conn.copy_records_to_table(table, records=rows, columns=COLUMNS[table])
        for table in COLUMNS:
            await conn.execute(f"ANALYZE {table}")
    finally:
        await conn.close()
    return time.perf_counter() - started


async def _leaderboard(store: Store, metric: str, period: str) -> float:
    start = time.perf_counter()
    top, _mine = await store.cohorts.leaderboard(
        guild_id=1, cohort_id=1, metric=metric, period=period, today=TODAY,
        caller_person_id=4242)
    took = time.perf_counter() - start
    assert top
    return took


async def _ranked(store: Store, metric: str, period: str) -> int:
    """How many members the query ranks (every member is in the cohort, none hidden)."""
    if metric == "streak":
        yesterday, two_days_ago = (TODAY - timedelta(days=n) for n in (1, 2))
        row = await store.db.fetch_one(
            "SELECT COUNT(*) FROM streaks WHERE current > 0 AND (last_day >= ? OR "
            "(last_day = ? AND freezes > 0))", (yesterday.isoformat(), two_days_ago.isoformat()))
    else:
        week, month, _ = periods_of(TODAY)
        row = await store.db.fetch_one(
            "SELECT COUNT(*) FROM period_totals WHERE period = ? AND answers >= ?",
            ({"week": week, "month": month}.get(period, "all"),
             MIN_ANSWERS_FOR_AN_AVERAGE if metric == "score" else 1))
    return int(row[0])


async def _run(url: str, members: int, sizes: dict[str, int], repeats: int
               ) -> dict[str, dict[str, float]]:
    timings: dict[str, dict[str, list[float]]] = {
        label: {f"{m}/{p}": [] for m, p in QUERIES} for label in sizes}
    loaded: dict[str, float] = {}
    async with AsyncExitStack() as stack:
        stores = {}
        for label, answers in sizes.items():
            schema_url = await stack.enter_async_context(pg.own_schema(url, f"lb{label}"))
            stores[label] = await stack.enter_async_context(Store(schema_url))
            loaded[label] = await populate(schema_url, members, answers)
        ranked: dict[str, dict[str, float]] = {label: {} for label in sizes}
        for label, store in stores.items():  # warm: plans cached, pages read once
            for metric, period in QUERIES:
                await _leaderboard(store, metric, period)
                ranked[label][f"{metric}/{period}"] = await _ranked(store, metric, period)
        for r in range(repeats):
            order = list(stores) if r % 2 == 0 else list(stores)[::-1]
            for label in order:
                for metric, period in QUERIES:
                    timings[label][f"{metric}/{period}"].append(
                        await _leaderboard(stores[label], metric, period))
    out = {label: {k: statistics.median(v) * 1000 for k, v in by_query.items()}
           for label, by_query in timings.items()}
    out["load_s"] = loaded
    out |= {f"ranked_{label}": counts for label, counts in ranked.items()}
    return out


def run(url: str, members: int = 10_000, small: int = 10_000, large: int = 1_000_000,
        repeats: int = 9) -> dict[str, dict[str, float]]:
    """Median ms per query by size (``small``, ``large``), the seconds each load took
    (``load_s``) and how many members each query ranked (``ranked_small``, ``ranked_large``)."""
    return asyncio.run(_run(url, members, {"small": small, "large": large}, repeats))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    args = parser.parse_args()
    url = pg.server_url()
    if url is None:
        raise SystemExit(f"set {pg.URL_ENV} to a PostgreSQL URL to run this benchmark")
    started = time.perf_counter()
    r = run(url, args.members, args.small, args.large)
    print(f"leaderboard on PostgreSQL, {args.members:,} members: {args.small:,} vs "
          f"{args.large:,} answers (loaded in {r['load_s']['small']:.0f} and "
          f"{r['load_s']['large']:.0f} s)")
    worst = 0.0
    for key in r["small"]:
        ratio = r["large"][key] / r["small"][key]
        worst = max(worst, ratio)
        print(f"  {key:<14} {r['small'][key]:7.1f} ms  {r['large'][key]:7.1f} ms  "
              f"ratio {ratio:.2f}  (members ranked: {r['ranked_small'][key]:,.0f} and "
              f"{r['ranked_large'][key]:,.0f})")
    print(f"  worst ratio {worst:.2f} (target <= 3)  [{time.perf_counter() - started:.0f} s]")


if __name__ == "__main__":
    main()
