"""Every benchmark in one run (a few minutes), printed as one table.

The PostgreSQL rows run when PEERPREP_BENCH_DATABASE_URL names a server and database the
benchmarks may use (each makes schemas of its own there and drops them); unset, the table
says they were skipped.

Run: python -m bench [--quick]
"""

from __future__ import annotations

import argparse
import os
import platform
import time

from bench import (
    daily_fanout,
    e2e,
    feedback,
    leaderboard,
    memory,
    pg,
    pg_fanout,
    pg_leaderboard,
    pg_pipeline,
    pipeline,
)


def _postgres(url: str, quick: bool) -> list[tuple[str, str, str]]:
    rows = []
    p = pg_pipeline.run(url, rounds=3 if quick else 7, batch=40 if quick else 160)
    rows.append(("PostgreSQL: answer pipeline / bare asyncpg insert, 20 in flight",
                 f"{p['ratio']:.2f} ({p['pipeline_per_s']:,.0f} vs {p['bare_per_s']:,.0f}/s)",
                 ">= 0.5"))
    rows.append(("  its ceiling: coaching, then a bare insert / bare insert",
                 f"{p['ceiling']:.2f}", ""))
    rows.append(("  storing alone (coached before) / bare insert",
                 f"{p['storing_ratio']:.2f} ({p['storing_per_s']:,.0f}/s)", ""))
    rows.append(("  statements sent per answer (all tries) / per bare insert",
                 f"{p['statements_pipeline']:.1f} / {p['statements_bare']:.1f}", ""))
    rows.append(("  writes run again (serialization) per 1,000 answers",
                 f"{p['retries_per_1000']:.0f}", ""))
    lb = pg_leaderboard.run(url, small=10_000, large=100_000 if quick else 1_000_000)
    worst = max(lb["large"][k] / lb["small"][k] for k in lb["small"])
    rows.append(("PostgreSQL: leaderboard 10k members, 1M vs 10k answers",
                 f"{worst:.2f}x worst ({max(lb['large'].values()):.0f} ms)", "<= 3x"))
    # At 10k members, 10k answers rank few of them (51 have a month's average); at 1k
    # members most are ranked at both sizes, so this row shows what the answers alone add.
    lb = pg_leaderboard.run(url, members=1_000, small=10_000,
                            large=100_000 if quick else 1_000_000)
    worst = max(lb["large"][k] / lb["small"][k] for k in lb["small"])
    rows.append(("  1k members (most ranked at both sizes), 1M vs 10k answers",
                 f"{worst:.2f}x worst ({max(lb['large'].values()):.0f} ms)", "<= 3x"))
    guilds = 200 if quick else 1000
    f = pg_fanout.run(url, guilds=guilds)
    rows.append(("PostgreSQL: daily fan-out, 3 processes / 50 req/s limit",
                 f"{f['fraction']:.2f} ({f['posts']:.0f}/{guilds} posts, {f['429s']:.0f} x 429, "
                 f"{f['doubled']:.0f} doubled)", ">= 0.9, no 429, none doubled"))
    n = 50 if quick else 200
    r = e2e.run(trainees=n, rounds=1 if quick else 3, server=url)
    rows.append((f"PostgreSQL: e2e {n} trainees: guidance p50/p99",
                 f"{r['peerprep']['full_p50']:.0f} / {r['peerprep']['full_p99']:.0f} ms "
                 f"(not acked in 3 s {r['peerprep']['late']:.0f}, lost "
                 f"{r['peerprep']['lost']:.0f})", ""))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true",
                        help="smaller runs (a smoke test of the benchmarks, not the figures)")
    quick = parser.parse_args().quick
    rows: list[tuple[str, str, str]] = []
    started = time.perf_counter()

    f = feedback.run(rounds=3 if quick else 20)
    rows.append(("feedback throughput, 300-word answers",
                 f"{f['answers_per_s']:,.0f}/s (p99 {f['p99_us']:.0f} us)", ">= 1,000/s"))
    p = pipeline.run(rounds=3 if quick else 9, batch=20 if quick else 60)
    for k in (1, 20):
        rows.append((f"answer pipeline / bare insert, {k} in flight", f"{p[f'ratio_{k}']:.2f} "
                     f"({p[f'pipeline_per_s_{k}']:,.0f} vs {p[f'bare_per_s_{k}']:,.0f}/s)",
                     ">= 0.5"))
    rows.append(("  its ceiling one at a time: coaching alone", f"{p['ceiling_1']:.2f} "
                 f"(coaching {p['coaching_per_s_1']:,.0f}/s)", ""))
    rows.append(("  its floor one at a time: the answer row alone",
                 f"{p['floor_ratio_1']:.2f} (no card, day or streak)", ""))
    n = 40 if quick else 200
    r = e2e.run(trainees=n, rounds=1 if quick else 5)
    pe, be, ratio = r["peerprep"], r["bare"], r["ratio"]
    rows.append((f"e2e {n} trainees: guidance p50/p99",
                 f"{pe['full_p50']:.0f}/{pe['full_p99']:.0f} ms", ""))
    rows.append(("e2e: bare bot ack p99", f"{be['ack_p99']:.0f} ms", ""))
    rows.append(("e2e: guidance p99 / bare ack p99", f"{ratio['median']:.2f} (median of "
                 f"{ratio['rounds']:.0f}: {ratio['low']:.2f}-{ratio['high']:.2f})", "<= 2"))
    rows.append(("e2e: not acked in 3 s / answers lost", f"{pe['late']:.0f} / {pe['lost']:.0f}",
                 "0 / 0"))
    m = memory.run(trainees=40 if quick else 200)
    rows.append(("memory per active interview", f"{m['per_interview'] / 1024:.2f} KiB",
                 "< 8 KiB"))
    lb = leaderboard.run(small=10_000, large=100_000 if quick else 1_000_000)
    worst = max(lb["large"][k] / lb["small"][k] for k in lb["small"])
    rows.append(("leaderboard 10k members: 1M vs 10k answers", f"{worst:.2f}x worst "
                 f"({max(lb['large'].values()):.0f} ms)", "<= 3x"))
    d = daily_fanout.run(guilds=200 if quick else 1000)
    rows.append(("daily fan-out / 50 req/s limit", f"{d['fraction']:.2f} "
                 f"({d['posts']:.0f} posts, {d['429s']:.0f} x 429)", ">= 0.9, no 429"))
    url = pg.server_url()
    if url is None:
        rows.append(("PostgreSQL rows", f"skipped: {pg.URL_ENV} is not set", ""))
    else:
        rows.extend(_postgres(url, quick))

    width = max(len(r[0]) for r in rows)
    print(f"\nPeerPrep benchmarks on {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()} ({time.perf_counter() - started:.0f} s)")
    measured = max(len(r[1]) for r in rows)
    print(f"{'benchmark':<{width}}  {'measured':<{measured}}  target")
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:<{measured}}  {target}")


if __name__ == "__main__":
    main()
