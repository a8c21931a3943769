"""The whole answer pipeline against a bare insert of the same answer row (target ratio >= 0.5).

Pipeline: coaching + storing the answer + review card + practice day + streak, one
transaction per answer, as the bot does it. Bare: one INSERT of the same row through
aiosqlite with the same pragmas, one transaction per answer. Both run in this process, on
files in one temporary directory, so the ratio is what matters.

Run: python -m bench.pipeline [--rounds N] [--batch N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.feedback import answer_for
from bot.bank import load_bank
from bot.clock import to_text, utcnow
from bot.coaching import give_feedback
from bot.interview.engine import InterviewService
from bot.paths import CONTENT_DIR
from bot.storage import Store


async def _measure(tmp: Path, cases: list, rounds: int, batch: int) -> tuple[float, float]:
    """Alternate batches of bare inserts and pipeline answers, so machine noise hits both
    alike; return the median rate (answers/s) of each."""
    bank = load_bank(CONTENT_DIR)
    async with Store(tmp / "pipeline.sqlite3") as store, Store(tmp / "bare.sqlite3") as bare:
        engine = InterviewService(store, bank)
        people = [await store.people.for_local(f"p{i}") for i in range(20)]
        bare_people = [await bare.people.for_local(f"p{i}") for i in range(20)]
        conn = bare.db.conn
        pipeline_rates, bare_rates = [], []
        n = 0
        for _ in range(rounds):
            rows = []
            for i in range(n, n + batch):  # the same row contents, prepared outside the timing
                question, text = cases[i % len(cases)]
                feedback = give_feedback(question, text)
                rows.append((bare_people[i % 20].id, question.id, f"bare:{i}", text,
                             feedback.score, json.dumps(feedback.to_dict()), to_text(utcnow()),
                             "2026-01-01"))
            start = time.perf_counter()
            for row in rows:
                await conn.execute("BEGIN IMMEDIATE")
                await conn.execute(
                    "INSERT INTO answers (person_id, question_id, submission_key, text, score, "
                    "feedback, answered_at, local_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
                await conn.execute("COMMIT")
            bare_rates.append(batch / (time.perf_counter() - start))
            start = time.perf_counter()
            for i in range(n, n + batch):
                question, text = cases[i % len(cases)]
                await engine.answer_daily(people[i % 20].id, question, text, key=f"bench:{i}")
            pipeline_rates.append(batch / (time.perf_counter() - start))
            n += batch
    return statistics.median(pipeline_rates), statistics.median(bare_rates)


def run(rounds: int = 9, batch: int = 60) -> dict[str, float]:
    bank = load_bank(CONTENT_DIR)
    rng = random.Random(3)
    cases = [(q, answer_for(q, rng)) for q in bank]
    with tempfile.TemporaryDirectory() as tmp:
        pipeline, bare = asyncio.run(_measure(Path(tmp), cases, rounds, batch))
    return {"pipeline_per_s": pipeline, "bare_per_s": bare, "ratio": pipeline / bare}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--batch", type=int, default=60)
    args = parser.parse_args()
    r = run(args.rounds, args.batch)
    print(f"pipeline: {r['pipeline_per_s']:,.0f} answers/s; bare insert: {r['bare_per_s']:,.0f}"
          f"/s; ratio {r['ratio']:.2f} (target >= 0.5)")


if __name__ == "__main__":
    main()
