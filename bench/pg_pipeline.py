"""The answer pipeline on PostgreSQL against bare asyncpg inserts, 20 in flight (target >= 0.5).

Pipeline: ``InterviewService.answer_daily`` on ``Store(url)``, as ``bench.pipeline`` runs it on
SQLite: coaching, the read of the answer's context, and one SERIALIZABLE transaction that
stores the answer, its review card, practice day, period totals and streak. Bare: a single-row
``INSERT`` of the same answer row through an asyncpg pool of the same size (autocommit, each
its own transaction and WAL flush), into the same ``answers`` table in a schema of its own.
A third side, "storing alone", is the pipeline with the coaching done beforehand: the
engine's read, computation and ``answers.record``, which is what the storage code decides.
A fourth, "ceiling", is the coaching followed by the bare insert: the pipeline as it would be
if storing an answer cost no more than that insert, so its ratio is the most the pipeline's
could reach on this machine (the coaching runs in this process's one thread).

Rounds alternate the sides (which goes first changing every round) and the figures are the
medians of each round's rates and of each round's ratios: the server and this process share
a machine whose speed drifts. A last, untimed round counts the statements each answer sends
(every call to the server: BEGIN and COMMIT included) and the writes run again after a
serialization failure.

Run: PEERPREP_BENCH_DATABASE_URL=postgresql://... python -m bench.pg_pipeline [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import statistics
import time
from collections import Counter
from functools import partial
from typing import Any

import asyncpg

from bench import pg
from bench.feedback import answer_for
from bench.pipeline import BARE_INSERT
from bot.bank import Question, load_bank
from bot.clock import to_text, utcnow
from bot.coaching import Feedback, give_feedback
from bot.core.records import ConcurrentChange
from bot.interview.engine import InterviewService
from bot.paths import CONTENT_DIR
from bot.storage import Store
from bot.storage.postgres import POOL_SIZE
from bot.storage.sql import numbered

IN_FLIGHT = 20  # people answering together, each waiting for their guidance before the next


async def _people_at_once(jobs: list) -> None:
    """Job ``i`` is person ``i % IN_FLIGHT``'s: each person's jobs one after another, all
    the people at once (``IN_FLIGHT`` in flight, never two of one person's)."""
    async def person(own: list) -> None:
        for job in own:
            await job()
    await asyncio.gather(*(person(jobs[p::IN_FLIGHT]) for p in range(IN_FLIGHT)))


class _Retries(logging.Handler):
    """Counts the backend's "trying again" (a serialization failure, a deadlock)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("database: trying again"):
            self.count += 1


def _answer_row(person_id: int, question: Question, key: str, text: str, feedback: Feedback
                ) -> tuple:
    return (person_id, question.id, key, text, feedback.score, json.dumps(feedback.to_dict()),
            to_text(utcnow()), "2026-01-01")


async def _measure(url: str, cases: list, rounds: int, batch: int) -> dict[str, float]:
    bank = load_bank(CONTENT_DIR)
    bare_sql = numbered(BARE_INSERT).sql
    retries = _Retries()
    storage_log = logging.getLogger("bot.storage.postgres")
    level = storage_log.level
    storage_log.setLevel(logging.DEBUG)
    storage_log.addHandler(retries)
    conflicts = 0
    async with pg.own_schema(url, "pipe") as store_url, pg.own_schema(url, "bare") as bare_url, \
            Store(store_url) as store, Store(bare_url) as bare_store:
        engine = InterviewService(store, bank)
        recording = store.answers.record

        async def record(answer: Any) -> Any:
            nonlocal conflicts
            try:
                return await recording(answer)
            except ConcurrentChange:
                conflicts += 1
                raise
        store.answers.record = record  # type: ignore[method-assign]

        people = [(await store.people.for_local(f"p{i}")).id for i in range(IN_FLIGHT)]
        bare_people = [(await bare_store.people.for_local(f"p{i}")).id for i in range(IN_FLIGHT)]
        pool = await asyncpg.create_pool(bare_url, min_size=POOL_SIZE, max_size=POOL_SIZE)
        try:
            rates: dict[str, list[float]] = {"bare": [], "pipeline": [], "storing": [],
                                             "ceiling": []}

            async def coached_insert(question: Question, text: str, row: tuple) -> None:
                give_feedback(question, text)
                await pool.execute(bare_sql, *row)

            def jobs(n: int) -> dict[str, list]:
                out: dict[str, list] = {name: [] for name in rates}
                for i in range(n, n + batch):
                    question, text = cases[i % len(cases)]
                    feedback = give_feedback(question, text)
                    row = _answer_row(bare_people[i % IN_FLIGHT], question, f"bare:{i}", text,
                                      feedback)
                    out["bare"].append(partial(pool.execute, bare_sql, *row))
                    out["ceiling"].append(partial(
                        coached_insert, question, text,
                        _answer_row(bare_people[i % IN_FLIGHT], question, f"c:{i}", text,
                                    feedback)))
                    out["pipeline"].append(partial(
                        engine.answer_daily, people[i % IN_FLIGHT], question, text, key=f"p:{i}"))
                    out["storing"].append(partial(
                        engine._record, people[i % IN_FLIGHT], None, None, None, question,
                        f"s:{i}", text, feedback, False, actor_id=people[i % IN_FLIGHT]))
                return out

            # Warm both pools and the statement caches, untimed.
            for side in jobs(10 ** 6).values():
                await _people_at_once(side)
            n = 0
            order = list(rates)
            again = dict.fromkeys(order, 0)  # writes run again after a serialization failure
            recomputed = dict.fromkeys(order, 0)  # records refused as computed from a change
            for r in range(rounds):
                prepared = jobs(n)
                turn = r % len(order)
                for name in order[turn:] + order[:turn]:
                    retried, refused = retries.count, conflicts
                    start = time.perf_counter()
                    await _people_at_once(prepared[name])
                    rates[name].append(batch / (time.perf_counter() - start))
                    again[name] += retries.count - retried
                    recomputed[name] += conflicts - refused
                n += batch
            # The untimed round: statements per answer, each side alone.
            per_answer: dict[str, dict[str, float]] = {}
            prepared = jobs(n)
            for name in order:
                with pg.statements_sent() as sent:
                    await _people_at_once(prepared[name])
                kinds: Counter[str] = Counter()  # by first word: BEGIN, INSERT, SELECT...
                for query, times in sent.items():
                    kinds[query.split(None, 1)[0].upper()] += times
                per_answer[name] = {k: v / batch for k, v in kinds.items()}
        finally:
            await pool.close()
    storage_log.removeHandler(retries)
    storage_log.setLevel(level)
    ratios = {name: [s / b for s, b in zip(rates[name], rates["bare"], strict=True)]
              for name in ("pipeline", "storing", "ceiling")}
    return {
        "bare_per_s": statistics.median(rates["bare"]),
        "pipeline_per_s": statistics.median(rates["pipeline"]),
        "storing_per_s": statistics.median(rates["storing"]),
        "ratio": statistics.median(ratios["pipeline"]),
        "ratio_low": min(ratios["pipeline"]), "ratio_high": max(ratios["pipeline"]),
        "storing_ratio": statistics.median(ratios["storing"]),
        "ceiling": statistics.median(ratios["ceiling"]),
        "retries_per_1000": 1000 * again["pipeline"] / (rounds * batch),
        "conflicts_per_1000": 1000 * recomputed["pipeline"] / (rounds * batch),
        "storing_retries_per_1000": 1000 * again["storing"] / (rounds * batch),
        "statements_pipeline": sum(per_answer["pipeline"].values()),
        "statements_storing": sum(per_answer["storing"].values()),
        "statements_bare": sum(per_answer["bare"].values()),
        "by_kind": per_answer["pipeline"],  # type: ignore[dict-item]
    }


def run(url: str, rounds: int = 9, batch: int = 200) -> dict[str, Any]:
    bank = load_bank(CONTENT_DIR)
    rng = random.Random(3)
    cases = [(q, answer_for(q, rng)) for q in bank]
    for q, a in cases:  # warm the per-question matcher caches, as a running bot has them
        give_feedback(q, a)
    return asyncio.run(_measure(url, cases, rounds, batch))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--batch", type=int, default=200)
    args = parser.parse_args()
    url = pg.server_url()
    if url is None:
        raise SystemExit(f"set {pg.URL_ENV} to a PostgreSQL URL to run this benchmark")
    started = time.perf_counter()
    r = run(url, args.rounds, args.batch)
    print(f"{IN_FLIGHT} in flight, pools of {POOL_SIZE}: pipeline {r['pipeline_per_s']:,.0f} "
          f"answers/s, storing alone {r['storing_per_s']:,.0f}/s, bare insert "
          f"{r['bare_per_s']:,.0f}/s")
    print(f"pipeline / bare: {r['ratio']:.2f} (rounds {r['ratio_low']:.2f}-"
          f"{r['ratio_high']:.2f}; target >= 0.5); storing alone / bare: "
          f"{r['storing_ratio']:.2f}")
    print(f"ceiling: coaching then a bare insert / bare: {r['ceiling']:.2f}, the most the "
          f"pipeline's ratio could reach here even if storing an answer cost one bare insert")
    print(f"statements per answer: pipeline {r['statements_pipeline']:.1f} "
          f"({', '.join(f'{k} {v:.1f}' for k, v in sorted(r['by_kind'].items()))}), "
          f"storing alone {r['statements_storing']:.1f}, bare {r['statements_bare']:.1f}")
    print(f"per 1,000 answers: {r['retries_per_1000']:.0f} writes run again after a "
          f"serialization failure ({r['storing_retries_per_1000']:.0f} storing alone), "
          f"{r['conflicts_per_1000']:.0f} computed again after a concurrent change  "
          f"[{time.perf_counter() - started:.0f} s]")


if __name__ == "__main__":
    main()
