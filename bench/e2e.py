"""200 trainees answering at once, through the fake Discord, against the real bot process.

Prints p50/p99 from a form submission to the bot's acknowledgement and to its guidance,
how many were not acknowledged within 3 s (target 0) and answers lost (target 0); then the
same submissions to a bare discord.py bot that only acknowledges, and the ratio of the
p99s (target: PeerPrep's guidance p99 at most 2x the bare acknowledgement p99).

With ``--postgres`` PeerPrep's side runs on PostgreSQL (``PEERPREP_BENCH_DATABASE_URL``, a
schema of its own per round) instead of an SQLite file.

Run: python -m bench.e2e [--trainees N] [--rounds N] [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from contextlib import AbstractAsyncContextManager, nullcontext
from pathlib import Path

import asyncpg

from bench import pg
from tests.fakediscord import FakeDiscord

ROOT = Path(__file__).resolve().parent.parent
ANSWER = ("At my last placement I was working with a woman who had stopped coming. My goal was "
          "to reconnect without pressure. I listened, reflected what I heard, shared a little "
          "of my own recovery and asked what she wanted. We agreed on a plan and I followed "
          "up. As a result she came back the next week, and I learned to ask before I advise.")


async def _launch(module: str, fake: FakeDiscord, data_dir: Path,
                  database_url: str | None = None) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DISCORD_TOKEN": fake.token, "DATA_DIR": str(data_dir),
            "DISCORD_API_BASE": fake.api_base, "DISCORD_GATEWAY_URL": fake.gateway_url,
            "LOG_LEVEL": "WARNING"}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    profile = os.environ.get("BENCH_PROFILE")  # a file name: profile the bot with cProfile
    prefix = ["-m", "cProfile", "-o", profile] if profile and module == "bot" else []
    return await asyncio.create_subprocess_exec(
        sys.executable, *prefix, "-m", module, cwd=ROOT, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)


async def _stop(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        proc.send_signal(signal.SIGINT)
        try:
            await asyncio.wait_for(proc.wait(), 15)
        except TimeoutError:
            proc.kill()


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


async def _stored_answers(tmp: Path, database_url: str | None) -> int:
    if database_url is None:
        conn = sqlite3.connect(tmp / "peerprep.sqlite3")
        try:
            return int(conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0])
        finally:
            conn.close()
    pg_conn = await asyncpg.connect(database_url)
    try:
        return int(await pg_conn.fetchval("SELECT COUNT(*) FROM answers"))
    finally:
        await pg_conn.close()


async def _peerprep(trainees: int, tmp: Path, server: str | None = None) -> dict[str, float]:
    schema: AbstractAsyncContextManager[str | None] = (
        pg.own_schema(server, "e2e") if server else nullcontext(None))
    async with schema as database_url:
        return await _peerprep_on(trainees, tmp, database_url)


async def _peerprep_on(trainees: int, tmp: Path, database_url: str | None) -> dict[str, float]:
    fake = await FakeDiscord().start()
    users = [fake.add_user(f"t{i}") for i in range(trainees)]
    guild = fake.add_guild("Bench", members=tuple(users))
    proc = await _launch("bot", fake, tmp, database_url)
    try:
        await fake.wait_for_gateway(1, timeout=60)
        await fake.wait_until(lambda: None in fake.commands, timeout=30)
        forms = []
        for u in users:  # every trainee opens an interview in their DMs
            await (await fake.slash(u, "interview start", guild=guild, questions=1,
                                    where="dm")).settled(timeout=30)
            question = (await fake.wait_for_message(fake.dms[int(u["id"])], 1, timeout=30))[0]
            opened = await (await fake.click(u, question, label="Answer")).wait(timeout=30)
            forms.append(opened.callbacks[0]["data"])  # the answer form, as Discord shows it
        records = await asyncio.gather(*(fake.submit(u, f, ANSWER)
                                         for u, f in zip(users, forms, strict=True)))
        await asyncio.gather(*(r.settled(timeout=60) for r in records))
        done = [(r.ack_seconds or 99.0,
                 max(m.get("_at", r.first_response_at or 0) for m in r.messages) - r.sent_at)
                for r in records]
    finally:
        await _stop(proc)
        await fake.close()
    stored = await _stored_answers(tmp, database_url)
    acks = [a for a, _ in done]
    full = [f for _, f in done]
    return {"ack_p50": _pct(acks, 0.5), "ack_p99": _pct(acks, 0.99),
            "full_p50": _pct(full, 0.5), "full_p99": _pct(full, 0.99),
            "late": sum(a > 3.0 for a in acks), "lost": trainees - stored}


async def _bare(trainees: int, tmp: Path) -> dict[str, float]:
    fake = await FakeDiscord().start()
    users = [fake.add_user(f"t{i}") for i in range(trainees)]
    fake.add_guild("Bench", members=tuple(users))
    proc = await _launch("bench.bare_bot", fake, tmp)
    try:
        await fake.wait_for_gateway(1, timeout=60)
        form = {"custom_id": "bench:form", "components": [{"type": 1, "components": [
            {"type": 4, "custom_id": "answer", "value": ""}]}]}
        records = await asyncio.gather(*(fake.submit(u, form, ANSWER) for u in users))
        await asyncio.gather(*(r.wait(timeout=60) for r in records))
        acks = [r.ack_seconds or 99.0 for r in records]
    finally:
        await _stop(proc)
        await fake.close()
    return {"ack_p50": _pct(acks, 0.5), "ack_p99": _pct(acks, 0.99)}


def run(trainees: int = 200, rounds: int = 1, server: str | None = None
        ) -> dict[str, dict[str, float]]:
    """``rounds`` alternating runs of each side; every figure is the median over the rounds,
    and ``ratio`` the median of each round's guidance p99 / bare acknowledgement p99 (with
    its lowest and highest), since one burst on a shared machine can be off by half.
    ``server``: a PostgreSQL URL for PeerPrep's side (a new schema each round)."""
    sides: dict[str, list[dict[str, float]]] = {"peerprep": [], "bare": []}
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            sides["peerprep"].append(asyncio.run(_peerprep(trainees, Path(a), server)))
            sides["bare"].append(asyncio.run(_bare(trainees, Path(b))))
    out = {side: {key: statistics.median(r[key] for r in runs) for key in runs[0]}
           for side, runs in sides.items()}
    for key in ("late", "lost"):  # counts: any round's count matters, not the median
        out["peerprep"][key] = max(r[key] for r in sides["peerprep"])
    ratios = [p["full_p99"] / b["ack_p99"]
              for p, b in zip(sides["peerprep"], sides["bare"], strict=True)]
    out["ratio"] = {"median": statistics.median(ratios), "low": min(ratios),
                    "high": max(ratios), "rounds": rounds}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trainees", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--postgres", action="store_true",
                        help=f"PeerPrep on PostgreSQL ({pg.URL_ENV})")
    args = parser.parse_args()
    server = pg.server_url() if args.postgres else None
    if args.postgres and server is None:
        raise SystemExit(f"set {pg.URL_ENV} to a PostgreSQL URL to run this on PostgreSQL")
    started = time.perf_counter()
    r = run(args.trainees, args.rounds, server)
    p, b, q = r["peerprep"], r["bare"], r["ratio"]
    print(f"e2e, {args.trainees} trainees answering at once, median of {args.rounds} rounds"
          f"{' (PeerPrep on PostgreSQL)' if server else ''}:")
    print(f"  PeerPrep ack      p50 {p['ack_p50']:6.0f} ms  p99 {p['ack_p99']:6.0f} ms")
    print(f"  PeerPrep guidance p50 {p['full_p50']:6.0f} ms  p99 {p['full_p99']:6.0f} ms")
    print(f"  bare bot ack      p50 {b['ack_p50']:6.0f} ms  p99 {b['ack_p99']:6.0f} ms")
    print(f"  not acknowledged within 3 s: {p['late']:.0f}; answers lost: {p['lost']:.0f}")
    print(f"  ratio guidance p99 / bare ack p99: {q['median']:.2f} (target <= 2; rounds "
          f"{q['low']:.2f}-{q['high']:.2f})  [{time.perf_counter() - started:.0f} s]")


if __name__ == "__main__":
    main()
