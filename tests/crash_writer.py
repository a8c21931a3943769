"""A process that writes answers as fast as it can and prints each acknowledged one.

Used by test_crash.py, which kills it with SIGKILL mid-write. Run: python -m tests.crash_writer DB

Four people answer daily questions flat out (``ack KEY``); one of them also answers the
current question of an open interview and retries it, over and over (``iack KEY`` once the
answer is stored, ``retried POSITION ATTEMPT`` once the retry is), so the kill lands
in the middle of an interview too.
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
        sync = (await store.db.conn.execute("PRAGMA synchronous"))[0][0]
        print("ready", interview.id, sync, flush=True)
        n = 0
        while True:
            tasks = []
            for person in people:
                question = bank.questions[n % len(bank)]
                key = f"crash:{person.id}:{n}"
                tasks.append(engine.answer_daily(person.id, question, question.example_answer,
                                                 key=key))
                n += 1
            question = bank.get(interview.current_question_id or "")
            assert question is not None
            tasks.append(engine.answer(interview.id, interview.position, interview.attempt,
                                       question.example_answer, question_id=question.id))
            results = await asyncio.gather(*tasks)
            for result in results:
                assert not result.duplicate
            for i in range(len(people)):
                print("ack", f"crash:{people[i].id}:{n - len(people) + i}", flush=True)
            print("iack", f"interview:{interview.id}:{interview.position}:{interview.attempt}",
                  flush=True)
            interview = await engine.retry(interview.id, interview.position, interview.attempt)
            print("retried", interview.position, interview.attempt, flush=True)


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
