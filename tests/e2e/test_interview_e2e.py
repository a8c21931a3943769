"""Whole interviews through the fake Discord: in DMs, in a private thread, and across a
restart; strangers, double clicks, long and hostile answers, and a flaky Discord."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import pytest

from bot.bank import Bank
from tests.fakediscord import FakeDiscord

STRONG = (
    "At my last placement I was working with a man who had stopped coming to groups. My goal "
    "was to reconnect without pressure. I listened, reflected what I heard, shared a short "
    "piece of my own recovery and asked what he wanted. We agreed on a plan together and I "
    "followed up by text and connected him with a peer-run group and his team, with his "
    "consent. As a result he came back the next week, and I learned to ask before I advise."
)


def labels(msg: dict[str, Any]) -> list[str]:
    return [b["label"] for b in FakeDiscord.buttons(msg)]


def text_of(msg: dict[str, Any]) -> str:
    parts = [msg.get("content") or ""]
    for e in msg.get("embeds") or []:
        parts += [e.get("title") or "", e.get("description") or ""]
        parts += [f"{f['name']} {f['value']}" for f in e.get("fields", [])]
    return "\n".join(parts)


async def answers_stored(run) -> int:
    return (await run.store.db.fetch_one("SELECT COUNT(*) FROM answers"))[0]


async def test_a_whole_dm_interview(fake: FakeDiscord, start_bot, world):
    run = await start_bot()
    trainee = world["trainee"]
    start = await fake.slash(trainee, "interview start", guild=world["guild"], questions=2,
                             where="dm")
    await start.settled()
    assert start.ephemeral and "DMs" in text_of(start.messages[0])
    dm = fake.dms[int(trainee["id"])]
    question = (await fake.wait_for_message(dm, 1))[0]
    assert "Question 1 of 2" in text_of(question)
    assert labels(question) == ["Answer", "Skip", "End"]

    await fake.send_dm(trainee, STRONG)
    guidance = (await fake.wait_for_message(dm, 2))[-1]
    assert "Key points" in text_of(guidance) or "Score" in text_of(guidance)
    follow_up = ["Answer follow-up"] if "The interviewer follows up" in text_of(guidance) else []
    assert labels(guidance) == ["Next question", *follow_up, "Retry", "Show example", "End"]

    nxt = await (await fake.click(trainee, guidance, label="Next question")).settled()
    second = nxt.messages[-1]
    assert "Question 2 of 2" in text_of(second)

    await fake.send_dm(trainee, STRONG)
    await fake.wait_until(lambda: len(fake.messages[dm]) >= 3)
    last = fake.messages[dm][-1]
    assert labels(last)[0] == "Finish"
    done = await (await fake.click(trainee, last, label="Finish")).settled()
    summary = text_of(done.messages[-1])
    assert "Interview summary" in summary and "/100" in summary
    assert await answers_stored(run) == 2


async def test_a_whole_guild_interview_in_a_private_thread(fake: FakeDiscord, start_bot, world,
                                                           bank: Bank):
    run = await start_bot()
    trainee = world["trainee"]
    start = await (await fake.slash(trainee, "interview start", guild=world["guild"],
                                    channel=world["training"], questions=2)).settled()
    assert start.ephemeral
    thread_id = next(int(c) for c, ch in fake.channels.items() if ch.get("type") == 12)
    assert int(trainee["id"]) in fake.thread_members[thread_id]
    question = (await fake.wait_for_message(thread_id, 1))[0]

    opened = await (await fake.click(trainee, question, label="Answer")).wait()
    modal = opened.callbacks[0]
    assert modal["type"] == 9 and len(modal["data"]["title"]) <= 45
    submitted = await (await fake.submit(trainee, modal["data"], STRONG, guild=world["guild"],
                                         channel=fake.channels[thread_id])).settled()
    # Moderators can read a private thread: guidance there is for the trainee's eyes only.
    assert all(m["flags"] & 64 for m in submitted.messages)
    assert [b for b in labels(submitted.messages[-1]) if b != "Answer follow-up"] == [
        "Next question", "Retry", "Show example", "End", "Share with facilitator"]
    assert await answers_stored(run) == 1

    skip = await (await fake.click(trainee, submitted.messages[-1], label="Next question",
                                   guild=world["guild"])).settled()
    assert not skip.ephemeral and "Question 2 of 2" in text_of(skip.messages[-1])
    end = await (await fake.click(trainee, skip.messages[-1], label="End",
                                  guild=world["guild"])).settled()
    assert "Interview summary" in text_of(end.messages[-1])
    assert end.ephemeral  # scores are the trainee's too
    in_thread = "\n".join(text_of(m) for m in fake.messages.get(thread_id, []))
    assert "Score" not in in_thread and "summary" not in in_thread


async def test_ephemeral_fallback_when_threads_are_not_allowed(fake: FakeDiscord, start_bot,
                                                               world):
    await start_bot()
    fake.inject(r"/channels/\d+/threads$", 403, times=5, code=50013)
    start = await (await fake.slash(world["trainee"], "interview start", guild=world["guild"],
                                    channel=world["training"])).settled(2)
    assert all(m["flags"] & 64 for m in start.messages)
    assert "only you can see" in text_of(start.messages[0])
    assert "Question 1 of" in text_of(start.messages[1])


async def test_restart_mid_interview_loses_nothing(fake: FakeDiscord, start_bot, world):
    first = await start_bot()
    trainee = world["trainee"]
    await (await fake.slash(trainee, "interview start", guild=world["guild"], questions=3,
                            where="dm")).settled()
    dm = fake.dms[int(trainee["id"])]
    await fake.wait_for_message(dm, 1)
    await fake.send_dm(trainee, STRONG)
    guidance = (await fake.wait_for_message(dm, 2))[-1]
    await first.stop()

    second = await start_bot()  # a new bot on the same database
    nxt = await (await fake.click(trainee, guidance, label="Next question",
                                  gateway=len(fake.gateways) - 1)).settled()
    assert "Question 2 of 3" in text_of(nxt.messages[-1])
    assert await answers_stored(second) == 1


async def test_strangers_are_refused_and_double_clicks_count_once(fake: FakeDiscord, start_bot,
                                                                  world):
    run = await start_bot()
    trainee, other = world["trainee"], world["other"]
    await (await fake.slash(trainee, "interview start", guild=world["guild"], questions=2,
                            where="dm")).settled()
    dm = fake.dms[int(trainee["id"])]
    question = (await fake.wait_for_message(dm, 1))[0]

    refused = await (await fake.click(other, question, label="Skip")).settled()
    assert refused.ephemeral and "someone else" in text_of(refused.messages[0])

    opened = await (await fake.click(trainee, question, label="Answer")).wait()
    modal = opened.callbacks[0]["data"]
    both = await asyncio.gather(fake.submit(trainee, modal, STRONG),
                                fake.submit(trainee, modal, STRONG))
    for record in both:
        await record.settled()
    assert await answers_stored(run) == 1
    assert any("already saved" in text_of(r.messages[0]) for r in both)

    guidance = both[0].messages[-1]
    clicks = await asyncio.gather(*(fake.click(trainee, guidance, label="Next question")
                                    for _ in range(2)))
    for record in clicks:
        await record.settled()
    interview = await run.bot.engine.active((await run.store.people.find_discord(
        int(trainee["id"]))).id)
    assert interview.position == 1  # moved once
    assert sum("already done" in text_of(r.messages[-1]) or "moved on" in
               text_of(r.messages[-1]) for r in clicks) == 1


async def test_long_and_hostile_answers(fake: FakeDiscord, start_bot, world):
    run = await start_bot()
    trainee = world["trainee"]
    await (await fake.slash(trainee, "interview start", guild=world["guild"], questions=2,
                            where="dm")).settled()
    dm = fake.dms[int(trainee["id"])]
    question = (await fake.wait_for_message(dm, 1))[0]
    opened = await (await fake.click(trainee, question, label="Answer")).wait()
    hostile = ("@everyone @here <@&1> **bold** __u__ `x` " + STRONG + " ") * 12
    hostile = hostile[:4000]
    reply = await (await fake.submit(trainee, opened.callbacks[0]["data"], hostile)).settled()
    for msg in reply.messages:
        assert msg["_allowed_mentions"] == {"parse": []} or msg["_allowed_mentions"] == {
            "parse": [], "replied_user": False}
        total = sum(len(e.get("title") or "") + len(e.get("description") or "") +
                    sum(len(f["name"]) + len(f["value"]) for f in e.get("fields", [])) +
                    len((e.get("footer") or {}).get("text", "")) for e in msg["embeds"])
        assert total <= 6000
        for e in msg["embeds"]:
            assert all(len(f["value"]) <= 1024 for f in e.get("fields", []))
    stored = (await run.store.db.fetch_one("SELECT text FROM answers"))[0]
    assert stored == hostile


async def test_flaky_discord_still_delivers_every_message(fake: FakeDiscord, start_bot, world,
                                                          quick_server_error_waits):
    await start_bot()
    trainee = world["trainee"]
    fake.inject(r"/channels/\d+/messages$", 429, retry_after=0.2, method="POST")
    fake.inject(r"/channels/\d+/messages$", 500, method="POST")
    fake.inject(r"/webhooks/", 429, retry_after=0.1, global_=True, method="POST")
    await (await fake.slash(trainee, "interview start", guild=world["guild"], questions=2,
                            where="dm")).settled(timeout=20)
    dm = fake.dms[int(trainee["id"])]
    await fake.wait_for_message(dm, 1, timeout=20)
    await fake.send_dm(trainee, STRONG)
    await fake.wait_for_message(dm, 2, timeout=20)
    await asyncio.sleep(0.3)
    assert len(fake.messages[dm]) == 2  # each message exactly once
    assert [r.status for r in fake.requests if r.status in (429, 500)] == [429, 500, 429]
    assert len(quick_server_error_waits) == 1  # discord.py waited, then sent again after the 500


@pytest.mark.parametrize("threads", ["allowed", "forbidden"])
async def test_closed_dms_move_the_interview_here(fake: FakeDiscord, start_bot, world, caplog,
                                                  threads: str):
    run = await start_bot()
    trainee = world["trainee"]
    fake.forbid(fake.dm_channel_of(trainee), code=50007)  # DMs from this server turned off
    if threads == "forbidden":
        fake.inject(r"/channels/\d+/threads$", 403, times=5, code=50013)
    start = await (await fake.slash(trainee, "interview start", guild=world["guild"],
                                    channel=world["training"], where="dm",
                                    questions=2)).settled(2 if threads == "forbidden" else 1)
    said = text_of(start.messages[0])
    assert start.ephemeral and "couldn't send you a DM" in said and "Privacy Settings" in said
    assert "went wrong" not in said
    assert not any(r.levelname == "ERROR" for r in caplog.records)

    person = await run.store.people.find_discord(int(trainee["id"]))
    interview = await run.bot.engine.active(person.id)
    if threads == "allowed":
        thread = next(c for c in fake.channels.values() if c.get("type") == 12)
        assert (interview.place, interview.channel_id) == ("thread", int(thread["id"]))
        question = (await fake.wait_for_message(int(thread["id"]), 1))[0]
    else:
        assert interview.place == "ephemeral"
        question = start.messages[1]
    assert "Question 1 of 2" in text_of(question) and "Reply here" not in text_of(question)
    opened = await (await fake.click(trainee, question, label="Answer",
                                     guild=world["guild"])).wait()
    channel = fake.channels[int(question["channel_id"])]
    guidance = await (await fake.submit(trainee, opened.callbacks[0]["data"], STRONG,
                                        guild=world["guild"], channel=channel)).settled()
    assert "Score" in text_of(guidance.messages[0])
    assert guidance.ephemeral  # in a private thread as well: moderators can read those


LOADED = (  # language the guidance suggests other words for, many times over
    "I used to work with addicts and junkies and alcoholics who were clean and sober, some "
    "suffering from the mentally ill label, schizophrenics, a bipolar, crazy and insane folks, "
    "non-compliant frequent flyers who were manipulative and attention-seeking, "
    "high-functioning or low-functioning, the homeless, a man confined to a wheelchair, people "
    "called retarded or handicapped, drug abusers with substance abuse who were abusing drugs."
)
LOCAL_LINES = tuple(f"Crisis line {i} for our region: call 555-01{i:02d} any hour, or walk in "
                    f"at the peer respite centre on Main Street number {i}" for i in range(40))


async def test_long_guidance_is_split_across_embeds_and_messages(fake: FakeDiscord, start_bot,
                                                                 world):
    await start_bot()
    trainee = world["trainee"]
    await (await fake.slash(trainee, "interview start", guild=world["guild"], questions=2,
                            where="dm")).settled()
    dm = fake.dms[int(trainee["id"])]
    question = (await fake.wait_for_message(dm, 1))[0]
    opened = await (await fake.click(trainee, question, label="Answer")).wait()
    answer = f"{STRONG} {LOADED}"
    reply = await (await fake.submit(trainee, opened.callbacks[0]["data"], answer)).settled()
    await reply.wait(lambda r: any(labels(m) for m in r.messages))

    embeds = [e for m in reply.messages for e in m["embeds"]]
    assert embeds[0]["title"].startswith("Score")
    notes = [f for e in embeds for f in e.get("fields", [])
             if f["name"].startswith("Recovery-oriented language")]
    assert sum(f["value"].count(" → ") for f in notes) >= 20  # every note, across fields
    assert labels(reply.messages[-1])[0] == "Next question"  # buttons on the last message
    assert not any(labels(m) for m in reply.messages[:-1])
    assert fake.rejections == []


async def test_a_crisis_answer_gets_every_crisis_line_and_no_score_or_notes(
        fake: FakeDiscord, start_bot, world):
    run = await start_bot()
    run.bot.settings = replace(run.bot.settings, crisis_resources=LOCAL_LINES)
    trainee = world["trainee"]
    await (await fake.slash(trainee, "interview start", guild=world["guild"], questions=2,
                            where="dm")).settled()
    dm = fake.dms[int(trainee["id"])]
    question = (await fake.wait_for_message(dm, 1))[0]
    opened = await (await fake.click(trainee, question, label="Answer")).wait()
    answer = f"{STRONG} {LOADED} Some days I want to die."  # the safety net fires
    reply = await (await fake.submit(trainee, opened.callbacks[0]["data"], answer)).settled()
    await reply.wait(lambda r: any(labels(m) for m in r.messages))

    embeds = [e for m in reply.messages for e in m["embeds"]]
    text = "\n".join(text_of(m) for m in reply.messages)
    assert embeds[0]["title"] == "You matter more than this practice"
    crisis = [e["description"] for e in embeds if e.get("color") == 0xC0392B]
    assert len(crisis) == len(embeds) >= 2  # only the resources and the offer to pause
    for line in LOCAL_LINES:  # each line once, whole, in one embed: none cut
        assert text.count(line) == 1 and any(f"• {line}" in d for d in crisis), line
    for absent in ("Score", "/100", "Key points", "Delivery", "words, about",
                   "Recovery-oriented language", "Filler", "Try next", "STAR"):
        assert absent not in text, absent
    assert "pause" in text
    assert labels(reply.messages[-1])[0] == "Next question"  # buttons on the last message
    assert fake.rejections == []


async def test_a_form_opened_before_forms_named_their_question_still_works(
        fake: FakeDiscord, start_bot, world):
    """Forms stay open across an upgrade: one whose id ends at the place (no question id)
    is answered as before, by reading the interview first."""
    run = await start_bot()
    trainee = world["trainee"]
    await (await fake.slash(trainee, "interview start", guild=world["guild"], questions=2,
                            where="dm")).settled()
    question = (await fake.wait_for_message(fake.dms[int(trainee["id"])], 1))[0]
    form = (await (await fake.click(trainee, question, label="Answer")).wait()).callbacks[0]["data"]
    interview = await run.store.interviews.active_for(
        (await run.store.people.find_discord(int(trainee["id"]))).id)
    assert form["custom_id"].rsplit(":", 2)[1:] == ["d", interview.question_ids[0]]
    form = {**form, "custom_id": form["custom_id"].rsplit(":", 1)[0]}
    reply = await (await fake.submit(trainee, form, STRONG)).settled()
    assert "Score" in text_of(reply.messages[0])
    assert await answers_stored(run) == 1
