"""A process that writes answers as fast as it can and prints each acknowledged key.

Used by test_crash.py, which kills it with SIGKILL mid-write. Run: python -m tests.crash_writer DB
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.bank import load_bank
from bot.interview.engine import InterviewService
from bot.paths import CONTENT_DIR
from bot.storage import Store


async def main(path: Path) -> None:
    bank = load_bank(CONTENT_DIR)
    async with Store(path) as store:
        engine = InterviewService(store, bank)
        people = [await store.people.for_local(f"writer-{i}") for i in range(4)]
        interview = (await engine.start(people[0].id, count=3)).interview
        print("ready", interview.id, flush=True)
        n = 0
        while True:
            tasks = []
            for person in people:
                question = bank.questions[n % len(bank)]
                key = f"crash:{person.id}:{n}"
                tasks.append(engine.answer_daily(person.id, question, question.example_answer,
                                                 key=key))
                n += 1
            results = await asyncio.gather(*tasks)
            for result in results:
                assert not result.duplicate
            for i in range(len(tasks)):
                print("ack", f"crash:{people[i].id}:{n - len(tasks) + i}", flush=True)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
