"""The whole answer pipeline against a bare insert of the same answer row (target ratio >= 0.5).

Pipeline: coaching + storing the answer + review card + practice day + streak, as the bot
does it. Bare: one INSERT of the same row through aiosqlite with the same pragmas, in
autocommit (its own transaction and sync to disk). Both run in this process, on files in
one temporary directory, so the ratio is what matters.

Two measurements: one answer at a time (each waits for the previous one's sync: latency
bound), and 20 answers in flight, as when a cohort practises together; there the
pipeline's group commit shares one sync among the answers that arrive together, while
bare inserts still sync one by one. One at a time, the coaching's own time comes on top of
everything the bare insert does, so the run also prints the ceiling that sets, and a floor:
the same coaching and the same write path storing the answer row alone, with no review
card, practice day, period totals or streak, which shows what those have left to cost.

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
from functools import partial
from pathlib import Path

from bench.feedback import answer_for
from bot.bank import Question, load_bank
from bot.clock import to_text, utcnow
from bot.coaching import Feedback, give_feedback
from bot.interview.engine import InterviewService
from bot.paths import CONTENT_DIR
from bot.storage import Store

BARE_INSERT = ("INSERT INTO answers (person_id, question_id, submission_key, text, score, "
               "feedback, answered_at, local_day) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")


async def _in_flight(jobs: list, limit: int) -> None:
    """Run the coroutine factories in ``jobs`` with at most ``limit`` in flight."""
    gate = asyncio.Semaphore(limit)

    async def one(job) -> None:  # type: ignore[no-untyped-def]
        async with gate:
            await job()
    await asyncio.gather(*(one(job) for job in jobs))


def _answer_row(person_id: int, question: Question, key: str, text: str, feedback: Feedback
                ) -> tuple:
    """``BARE_INSERT``'s parameters: the answer row as the pipeline stores it."""
    return (person_id, question.id, key, text, feedback.score, json.dumps(feedback.to_dict()),
            to_text(utcnow()), "2026-01-01")


async def _answer_row_alone(store: Store, person_id: int, question: Question, text: str,
                            key: str) -> None:
    """The floor: coaching and the pipeline's own write path (encoding, writer lock, one
    transaction synced to disk), storing nothing but the answer row."""
    row = _answer_row(person_id, question, key, text, give_feedback(question, text))
    await store.db.write(lambda conn: conn.execute(BARE_INSERT, row))


async def _measure(tmp: Path, cases: list, rounds: int, batch: int, in_flight: int
                   ) -> dict[str, float]:
    """Alternate batches of bare inserts, pipeline answers and answer rows alone (the floor),
    which of them goes first changing every round, so machine noise hits all alike; return
    the median rate (answers/s) of each and the median of the rounds' ratios (each round's
    rate over its own bare rate: the disk's speed here drifts by a third from minute to
    minute, and a round's batches see the same drift). Each round also times the coaching
    of its answers alone, and from it the ratio's ceiling: what the ratio would be if
    storing an answer cost no more than the bare insert."""
    bank = load_bank(CONTENT_DIR)
    async with Store(tmp / f"pipeline{in_flight}.sqlite3") as store, \
            Store(tmp / f"bare{in_flight}.sqlite3") as bare, \
            Store(tmp / f"floor{in_flight}.sqlite3") as floor:
        engine = InterviewService(store, bank)
        people = [await store.people.for_local(f"p{i}") for i in range(20)]
        bare_people = [await bare.people.for_local(f"p{i}") for i in range(20)]
        floor_people = [await floor.people.for_local(f"p{i}") for i in range(20)]
        conn = bare.db.conn
        pipeline_rates: list[float] = []
        bare_rates: list[float] = []
        floor_rates: list[float] = []
        coaching_rates: list[float] = []
        n = 0
        for _ in range(rounds):
            rows = []
            coaching = 0.0  # the coaching alone, timed while the bare rows are prepared
            for i in range(n, n + batch):  # the same row contents, prepared outside the timing
                question, text = cases[i % len(cases)]
                start = time.perf_counter()
                feedback = give_feedback(question, text)
                coaching += time.perf_counter() - start
                rows.append(_answer_row(bare_people[i % 20].id, question, f"bare:{i}", text,
                                        feedback))
            coaching_rates.append(batch / coaching)
            inserts = [partial(conn.execute, BARE_INSERT, row) for row in rows]
            answers = [partial(engine.answer_daily, people[i % 20].id, *cases[i % len(cases)],
                               key=f"bench:{i}") for i in range(n, n + batch)]
            floors = [partial(_answer_row_alone, floor, floor_people[i % 20].id,
                              *cases[i % len(cases)], key=f"floor:{i}")
                      for i in range(n, n + batch)]
            parts: list[tuple[list, list[float]]] = [(inserts, bare_rates),
                                                     (answers, pipeline_rates),
                                                     (floors, floor_rates)]
            turn = len(bare_rates) % len(parts)
            for jobs, rates in parts[turn:] + parts[:turn]:
                start = time.perf_counter()
                await _in_flight(jobs, in_flight)
                rates.append(batch / (time.perf_counter() - start))
            n += batch
    ratios = [p / b for p, b in zip(pipeline_rates, bare_rates, strict=True)]
    floor_ratios = [f / b for f, b in zip(floor_rates, bare_rates, strict=True)]
    # The ratio if storing cost no more than the bare insert itself: the coaching's own time
    # added to a bare insert's.
    ceilings = [c / (c + b) for c, b in zip(coaching_rates, bare_rates, strict=True)]
    return {"pipeline_per_s": statistics.median(pipeline_rates),
            "bare_per_s": statistics.median(bare_rates),
            "ratio": statistics.median(ratios),
            "floor_ratio": statistics.median(floor_ratios),
            "coaching_per_s": statistics.median(coaching_rates),
            "ceiling": statistics.median(ceilings)}


def run(rounds: int = 9, batch: int = 60) -> dict[str, float]:
    """Rates and ratios one at a time (``*_1``) and with 20 answers in flight (``*_20``)."""
    bank = load_bank(CONTENT_DIR)
    rng = random.Random(3)
    cases = [(q, answer_for(q, rng)) for q in bank]
    for q, a in cases:  # warm the per-question matcher caches, as a running bot has them
        give_feedback(q, a)
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for in_flight in (1, 20):
            measured = asyncio.run(_measure(Path(tmp), cases, rounds, batch, in_flight))
            out |= {f"{name}_{in_flight}": value for name, value in measured.items()}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--batch", type=int, default=60)
    args = parser.parse_args()
    r = run(args.rounds, args.batch)
    for n in (1, 20):
        print(f"{n:2d} in flight: pipeline {r[f'pipeline_per_s_{n}']:,.0f} answers/s; bare insert "
              f"{r[f'bare_per_s_{n}']:,.0f}/s; ratio {r[f'ratio_{n}']:.2f} (target >= 0.5)")
    print(f"coaching alone {r['coaching_per_s_1']:,.0f} answers/s: one at a time, the ratio "
          f"could reach at most {r['ceiling_1']:.2f} even if storing an answer cost no more "
          f"than the bare insert")
    print(f"the answer row alone (the same coaching and write path, no card, day, totals or "
          f"streak): {r['floor_ratio_1']:.2f} one at a time, {r['floor_ratio_20']:.2f} with 20 "
          f"in flight")


if __name__ == "__main__":
    main()
