"""The interviewer follows up, through the fake Discord: in DMs (a plain reply answers it)
and in a server's private thread (a form), skipped with Next, and turned off per interview."""

from __future__ import annotations

from typing import Any

from tests.e2e.test_interview_e2e import labels, text_of
from tests.fakediscord import FakeDiscord

# Misses every key point of any question (no cue words), without a crisis: the first
# follow-up of whatever question comes is asked.
VAGUE = "I would be kind to them and do my best for them every single day."
REPLY = ("I would take it one small step at a time, ask what they think and what they want, "
         "and say it plainly.")


async def rows(run, sql: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in await run.store.db.fetch_all(sql)]


async def test_a_dm_interview_follows_up_and_a_reply_answers_it(fake: FakeDiscord, start_bot,
                                                                 world):
    run = await start_bot()
    trainee = world["trainee"]
    await (await fake.slash(trainee, "interview start", guild=world["guild"], questions=2,
                            where="dm")).settled()
    dm = fake.dms[int(trainee["id"])]
    await fake.wait_for_message(dm, 1)

    await fake.send_dm(trainee, VAGUE)
    await fake.wait_until(lambda: any(labels(m) for m in fake.messages[dm][1:]))
    guidance = fake.messages[dm][-1]
    assert "The interviewer follows up" in text_of(guidance)
    assert labels(guidance) == ["Next question", "Answer follow-up", "Retry", "Show example",
                                "End"]
    [(prompt, status)] = await rows(run, "SELECT prompt, status FROM interview_follow_ups")
    assert prompt in text_of(guidance) and status == "asked"

    before = len(fake.messages[dm])
    await fake.send_dm(trainee, REPLY)  # a plain reply answers the follow-up
    await fake.wait_until(lambda: any(labels(m) for m in fake.messages[dm][before:]))
    coached = fake.messages[dm][-1]
    assert "Key points (" in text_of(coached) and "/1)" in text_of(coached)  # its point only
    assert labels(coached) == ["Next question", "Retry", "Show example", "End"]
    assert await rows(run, "SELECT status, text FROM interview_follow_ups") == [
        ("answered", REPLY)]
    assert await rows(run, "SELECT COUNT(*) FROM answers") == [(1,)]  # not a second answer

    nxt = await (await fake.click(trainee, coached, label="Next question")).settled()
    assert "Question 2 of 2" in text_of(nxt.messages[-1])
    done = await (await fake.click(trainee, nxt.messages[-1], label="End")).settled()
    summary = text_of(done.messages[-1])
    assert "↳ follow-up on" in summary and "follow-ups not counted" in summary


async def test_a_thread_interview_answers_the_follow_up_in_a_form_or_skips_it(
        fake: FakeDiscord, start_bot, world):
    run = await start_bot()
    trainee, guild = world["trainee"], world["guild"]
    await (await fake.slash(trainee, "interview start", guild=guild, channel=world["training"],
                            questions=2)).settled()
    thread_id = next(int(c) for c, ch in fake.channels.items() if ch.get("type") == 12)
    thread = fake.channels[thread_id]
    question = (await fake.wait_for_message(thread_id, 1))[0]

    async def answer(message: dict[str, Any], label: str, text: str) -> Any:
        opened = await (await fake.click(trainee, message, label=label, guild=guild)).wait()
        modal = opened.callbacks[0]
        assert modal["type"] == 9
        return await (await fake.submit(trainee, modal["data"], text, guild=guild,
                                        channel=thread)).settled()

    first = await answer(question, "Answer", VAGUE)
    guidance = first.messages[-1]
    assert "The interviewer follows up" in text_of(guidance)
    assert not any(labels(m) for m in first.messages[:-1])  # buttons on the last message

    other = await (await fake.click(world["other"], guidance, label="Answer follow-up",
                                    guild=guild)).wait()
    assert other.ephemeral and "someone else" in text_of(other.messages[0])

    coached = await answer(guidance, "Answer follow-up", REPLY)
    # In a server the follow-up's guidance, like the answer's, is seen by its author only.
    assert coached.ephemeral and "Follow-up" in text_of(coached.messages[0])
    assert not any("Key points" in text_of(m) for m in fake.messages[thread_id])
    stale = await (await fake.click(trainee, guidance, label="Answer follow-up",
                                    guild=guild)).wait()
    assert stale.ephemeral and "moved on" in text_of(stale.messages[0])

    second = await (await fake.click(trainee, coached.messages[-1], label="Next question",
                                     guild=guild)).settled()
    again = await answer(second.messages[-1], "Answer", VAGUE)
    assert "Answer follow-up" in labels(again.messages[-1])
    # Finish goes on without the follow-up: it is skipped and the answer stands.
    done = await (await fake.click(trainee, again.messages[-1], label="Finish",
                                   guild=guild)).settled()
    assert "skipped" in text_of(done.messages[-1])
    assert await rows(run, "SELECT position, status FROM interview_follow_ups ORDER BY 1") == [
        (0, "answered"), (1, "skipped")]
    assert await rows(run, "SELECT COUNT(*) FROM answers") == [(2,)]


async def test_follow_ups_off_for_one_interview(fake: FakeDiscord, start_bot, world):
    run = await start_bot()
    trainee = world["trainee"]
    await (await fake.slash(trainee, "interview start", guild=world["guild"], questions=1,
                            where="dm", follow_ups=False)).settled()
    dm = fake.dms[int(trainee["id"])]
    await fake.wait_for_message(dm, 1)
    await fake.send_dm(trainee, VAGUE)
    await fake.wait_until(lambda: any(labels(m) for m in fake.messages[dm][1:]))
    guidance = fake.messages[dm][-1]
    assert "follows up" not in text_of(guidance) and "Answer follow-up" not in labels(guidance)
    assert await rows(run, "SELECT COUNT(*) FROM interview_follow_ups") == [(0,)]


async def test_where_no_thread_can_open_the_follow_up_stays_visible_only_to_the_trainee(
        fake: FakeDiscord, start_bot, world):
    run = await start_bot()
    trainee, guild = world["trainee"], world["guild"]
    fake.inject(r"/channels/\d+/threads$", 403, times=5, code=50013)
    start = await (await fake.slash(trainee, "interview start", guild=guild,
                                    channel=world["training"], questions=1)).settled(2)
    question = start.messages[1]

    async def answer(message: dict[str, Any], label: str, text: str) -> Any:
        opened = await (await fake.click(trainee, message, label=label, guild=guild)).wait()
        return await (await fake.submit(trainee, opened.callbacks[0]["data"], text, guild=guild,
                                        channel=world["training"])).settled()

    first = await answer(question, "Answer", VAGUE)
    assert all(m["flags"] & 64 for m in first.messages)
    assert "The interviewer follows up" in text_of(first.messages[-1])
    coached = await answer(first.messages[-1], "Answer follow-up", REPLY)
    assert coached.messages and all(m["flags"] & 64 for m in coached.messages)
    assert await rows(run, "SELECT status FROM interview_follow_ups") == [("answered",)]
