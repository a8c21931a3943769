"""The fan-out pacer spaces sends evenly and never lets a second hold more than its rate."""

import asyncio
import time

from bot.daily.pacing import Pacer


async def test_no_one_second_window_exceeds_the_rate():
    pacer = Pacer(rate=200)
    stamps: list[float] = []

    async def one() -> None:
        await pacer.acquire()
        stamps.append(time.monotonic())

    await asyncio.gather(*(one() for _ in range(300)))
    stamps.sort()
    worst = max(sum(1 for t in stamps if s <= t < s + 1.0) for s in stamps)
    assert worst <= 201
    assert stamps[-1] - stamps[0] >= 299 / 200 * 0.95
