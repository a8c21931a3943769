"""Coaching throughput over the whole bank with 300-word answers (target: >= 1,000 answers/s
on one core, since coaching reads for meaning; it was 2,000/s when it matched words).

Run: python -m bench.feedback [--rounds N] [--words N]  (--words 60: short answers)
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time

from bot.bank import Question, load_bank
from bot.coaching import give_feedback
from bot.paths import CONTENT_DIR

ANSWER_WORDS = 300


def answer_for(question: Question, rng: random.Random, words: int = ANSWER_WORDS) -> str:
    """A realistic answer of ``words`` words: the example's sentences, shuffled and repeated."""
    sentences = [s.strip() + "." for s in question.example_answer.split(".") if s.strip()]
    out: list[str] = []
    while sum(len(s.split()) for s in out) < words:
        out.append(rng.choice(sentences))
    return " ".join(" ".join(out).split()[:words])


def run(rounds: int = 20, words: int = ANSWER_WORDS) -> dict[str, float]:
    bank = load_bank(CONTENT_DIR)
    rng = random.Random(7)
    cases = [(q, answer_for(q, rng, words)) for q in bank]
    for q, a in cases:  # warm the per-question matcher caches, as a running bot would
        give_feedback(q, a)
    timings: list[int] = []
    gc.disable()
    try:
        start = time.perf_counter()
        for _ in range(rounds):
            for q, a in cases:
                t0 = time.perf_counter_ns()
                give_feedback(q, a)
                timings.append(time.perf_counter_ns() - t0)
        elapsed = time.perf_counter() - start
    finally:
        gc.enable()
    timings.sort()
    return {
        "answers": len(timings),
        "answers_per_s": len(timings) / elapsed,
        "p50_us": statistics.median(timings) / 1000,
        "p99_us": timings[int(len(timings) * 0.99) - 1] / 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--words", type=int, default=ANSWER_WORDS)
    args = parser.parse_args()
    r = run(args.rounds, args.words)
    print(f"feedback: {r['answers']:.0f} answers of {args.words} words over the bank: "
          f"{r['answers_per_s']:,.0f} answers/s, p50 {r['p50_us']:.0f} us, "
          f"p99 {r['p99_us']:.0f} us per answer (target >= 1,000/s)")


if __name__ == "__main__":
    main()
