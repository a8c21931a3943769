"""Privacy end to end: deleting your data, and guidance that no one else ever sees."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

import pytest

from tests.e2e.test_faults import open_interview
from tests.e2e.test_interview_e2e import STRONG, text_of
from tests.fakediscord import FakeDiscord, Interaction
from tests.fakediscord.payloads import MANAGE_GUILD
from tests.fakediscord.server import Request
from tests.stored import WriteLock


async def test_a_failed_deletion_says_so_and_can_be_confirmed_again(fake: FakeDiscord,
                                                                    start_bot, world,
                                                                    database: Path | str):
    run = await start_bot(busy_timeout_ms=300)
    trainee, guild = world["trainee"], world["guild"]
    await (await fake.slash(trainee, "privacy leaderboard", guild=guild,
                            choice="hide")).settled()
    prompt = (await (await fake.slash(trainee, "privacy delete", guild=guild)).settled())
    question = prompt.messages[0]
    assert "Are you sure?" in text_of(question)

    async with WriteLock(database):
        busy = await (await fake.click(trainee, question, label="Delete everything",
                                       guild=guild)).settled()
    assert busy.ephemeral and "try again" in text_of(busy.messages[-1])
    assert await run.store.people.find_discord(int(trainee["id"])) is not None

    await (await fake.click(trainee, question, label="Delete everything", guild=guild)).wait()
    await fake.wait_until(lambda: "Done" in (question.get("content") or ""))
    assert await run.store.people.find_discord(int(trainee["id"])) is None


def only_they_see(record: Interaction) -> bool:
    """Every response to the interaction is ephemeral, the first one included."""
    first = [c for c in record.callbacks if c["type"] in (4, 5)]
    return bool(record.messages) and all(
        (c.get("data") or {}).get("flags", 0) & 64 for c in first) and all(
        m.get("flags", 0) & 64 for m in record.messages)


@pytest.mark.parametrize("where", ["dm", "here"])
async def test_an_interview_resumed_in_a_public_channel_stays_private(fake: FakeDiscord,
                                                                      start_bot, world,
                                                                      where: str):
    await start_bot()
    trainee, guild = world["trainee"], world["guild"]
    general = fake.channel_named(guild, "general")
    await (await fake.slash(trainee, "interview start", guild=guild, channel=world["training"],
                            where=where, questions=3)).settled()
    resumed = await (await fake.slash(trainee, "interview resume", guild=guild,
                                      channel=general)).settled()
    assert only_they_see(resumed)
    question = resumed.messages[-1]

    opened = await (await fake.click(trainee, question, label="Answer", guild=guild)).wait()
    guidance = await (await fake.submit(trainee, opened.callbacks[0]["data"], STRONG,
                                        guild=guild, channel=general)).settled()
    assert only_they_see(guidance) and "Score" in text_of(guidance.messages[0])

    nxt = await (await fake.click(trainee, guidance.messages[-1], label="Next question",
                                  guild=guild)).settled()
    assert only_they_see(nxt) and "Question 2 of 3" in text_of(nxt.messages[-1])
    assert "Reply here" not in text_of(nxt.messages[-1])  # a reply here would be public
    skipped = await (await fake.click(trainee, nxt.messages[-1], label="Skip",
                                      guild=guild)).settled()
    assert only_they_see(skipped) and "Question 3 of 3" in text_of(skipped.messages[-1])
    ended = await (await fake.click(trainee, skipped.messages[-1], label="End",
                                    guild=guild)).settled()
    assert only_they_see(ended) and "Interview summary" in text_of(ended.messages[-1])
    assert fake.messages.get(int(general["id"])) is None  # nothing was posted there


async def test_buttons_in_the_interviews_own_dm_and_thread_still_answer_there(
        fake: FakeDiscord, start_bot, world):
    await start_bot()
    trainee, guild = world["trainee"], world["guild"]
    await (await fake.slash(trainee, "interview start", guild=guild, channel=world["training"],
                            questions=2)).settled()
    thread = next(c for c in fake.channels.values() if c.get("type") == 12)
    question = (await fake.wait_for_message(int(thread["id"]), 1))[0]
    skipped = await (await fake.click(trainee, question, label="Skip", guild=guild)).settled()
    assert not skipped.ephemeral and "Question 2 of 2" in text_of(skipped.messages[-1])

    await (await fake.slash(trainee, "interview start", guild=guild, where="dm",
                            questions=2)).settled()
    question = (await fake.wait_for_message(fake.dms[int(trainee["id"])], 1))[0]
    skipped = await (await fake.click(trainee, question, label="Skip")).settled()
    assert not skipped.ephemeral and "Reply here" in text_of(skipped.messages[-1])


async def test_delete_removes_everything_about_the_trainee(fake: FakeDiscord, start_bot,
                                                           world):
    run = await start_bot()
    guild, admin, trainee, other = world["guild"], world["admin"], world["trainee"], world["other"]
    await (await fake.slash(admin, "cohort create", guild=guild, permissions=MANAGE_GUILD,
                            name="Spring")).settled()
    for person in (trainee, other):
        await (await fake.slash(person, "cohort join", guild=guild, name="Spring")).settled()
        form = await open_interview(fake, person, guild)
        await (await fake.submit(person, form, STRONG)).settled()

    async def board() -> str:
        reply = await (await fake.slash(other, "leaderboard", guild=guild, metric="answers",
                                        period="all", cohort="Spring")).settled()
        return reply.messages[0]["embeds"][0]["description"]

    async def export(user) -> dict:
        reply = await (await fake.slash(user, "privacy export", guild=guild)).settled()
        return json.loads(reply.messages[0]["attachments"][0]["_bytes"])

    assert trainee["id"] in await board()
    mine = await export(trainee)
    assert len(mine["answers"]) == 1 and len(mine["cohort_members"]) == 1
    person_id = mine["people"]["id"]
    assert mine["period_totals"] and mine["interview_questions"]  # issue 14: were left out
    assert [c["name"] for c in (await export(admin))["cohorts"]] == ["Spring"]  # created

    prompt = await (await fake.slash(trainee, "privacy delete", guild=guild)).settled()
    await (await fake.click(trainee, prompt.messages[0], label="Delete everything",
                            guild=guild)).wait()
    await fake.wait_until(lambda: "Done" in (prompt.messages[0].get("content") or ""))
    assert FakeDiscord.buttons(prompt.messages[0]) == []  # no second press

    assert await export(trainee) == {}
    assert trainee["id"] not in await board() and other["id"] in await board()
    listed = await (await fake.slash(other, "cohort list", guild=guild)).settled()
    assert "1 member(s)" in text_of(listed.messages[0])
    report = await (await fake.slash(admin, "cohort report", guild=guild,
                                     permissions=MANAGE_GUILD, name="Spring")).settled()
    assert trainee["id"] not in report.messages[0]["attachments"][0]["_bytes"].decode()
    for table in ("answers", "interviews", "practice_days", "streaks", "review_cards",
                  "cohort_members"):
        left = await run.store.db.fetch_one(f"SELECT COUNT(*) FROM {table} WHERE person_id = ?",
                                            (person_id,))
        assert left[0] == 0, table
    assert len((await export(other))["answers"]) == 1  # the others keep theirs


async def test_the_bot_blanks_answer_text_past_the_retention_period(fake: FakeDiscord,
                                                                    start_bot, world, clock):
    """ANSWER_RETENTION_DAYS (365 by default): the sweep runs once the bot is ready, and
    blanks old text only; the score stays, and so does everything newer."""
    first = await start_bot()
    person = await first.store.people.for_discord(int(world["trainee"]["id"]))
    question = first.bot.bank.questions[0]
    now = clock.now
    for key, days in (("old", 400), ("recent", 10)):
        clock.now = now - timedelta(days=days)
        await first.bot.engine.answer_daily(person.id, question, f"My {key} answer.", key=key)
    clock.now = now
    await first.stop()

    second = await start_bot()  # a restart: the sweep runs when it is ready
    async def texts() -> dict[str, str | None]:
        rows = await second.store.db.fetch_all("SELECT submission_key, text FROM answers")
        return {r["submission_key"]: r["text"] for r in rows}
    for _ in range(50):
        if (await texts())["old"] is None:
            break
        await asyncio.sleep(0.05)
    assert await texts() == {"old": None, "recent": "My recent answer."}
    scores = await second.store.db.fetch_all("SELECT score FROM answers")
    assert all(r["score"] is not None for r in scores)


async def test_delete_removes_the_messages_posted_for_the_trainee_and_says_what_it_cannot(
        fake: FakeDiscord, start_bot, world):
    """The ids of messages PeerPrep posts in a trainee's DM and interview thread are kept;
    /privacy delete deletes those messages on Discord, counts the ones it can't reach, and
    names what it never reaches (backups, what people wrote themselves)."""
    run = await start_bot()
    trainee, other, guild = world["trainee"], world["other"], world["guild"]
    form = await open_interview(fake, trainee, guild, questions=3)  # DM: the first question
    dm = fake.dms[int(trainee["id"])]
    guidance = await (await fake.submit(trainee, form, STRONG)).settled()  # guidance in the DM
    nxt = await (await fake.click(trainee, guidance.messages[-1], label="Next question")
                 ).settled()
    await fake.send_dm(trainee, STRONG)  # a plain DM reply: guidance as channel messages
    await fake.wait_until(lambda: any("Score" in text_of(m) for m in fake.messages[dm]))
    posted_in_dm = {int(m["id"]) for m in fake.messages[dm] + guidance.messages + nxt.messages}
    assert len(posted_in_dm) >= 4

    await (await fake.slash(trainee, "interview start", guild=guild,
                            channel=world["training"], questions=1)).settled()
    thread = next(c for c in fake.channels.values() if c.get("type") == 12)
    await fake.wait_for_message(int(thread["id"]), 1)
    form = await open_interview(fake, other, guild)  # someone else's messages stay
    others = {int(m["id"]) for m in fake.messages[fake.dms[int(other["id"])]]}

    person = await run.store.people.find_discord(int(trainee["id"]))
    assert person is not None
    noted = await run.store.people.posted_messages(person.id)
    assert {m for _, m in noted} >= posted_in_dm and len(noted) == len(posted_in_dm) + 1
    fake.forbid(int(thread["id"]))  # the thread is closed to PeerPrep now

    prompt = await (await fake.slash(trainee, "privacy delete", guild=guild)).settled()
    await (await fake.click(trainee, prompt.messages[0], label="Delete everything",
                            guild=guild)).wait()
    await fake.wait_until(lambda: "Done" in (prompt.messages[0].get("content") or ""))
    reply = prompt.messages[0]["content"]
    assert f"{len(posted_in_dm)} message(s) PeerPrep had posted for you" in reply
    assert "1 message(s) PeerPrep posted for you are in channels it can no longer reach" in reply
    assert "backups" in reply and "wrote yourselves" in reply
    assert not posted_in_dm & {int(m["id"]) for m in fake.messages.get(dm, [])}
    assert set(fake.deleted_messages) == posted_in_dm
    assert {int(m["id"]) for m in fake.messages[fake.dms[int(other["id"])]]} == others
    assert await run.store.people.posted_messages(person.id) == []
    assert not fake.rejections


async def test_a_facilitator_invites_and_only_the_member_makes_themselves_a_member(
        fake: FakeDiscord, start_bot, world):
    """/cohort add sends an invitation; nothing is shared until the member accepts it. A
    forged press (someone else's Accept, a made-up cohort id) changes nothing."""
    run = await start_bot()
    guild, admin, trainee, other = world["guild"], world["admin"], world["trainee"], world["other"]
    await (await fake.slash(admin, "cohort create", guild=guild, permissions=MANAGE_GUILD,
                            name="Spring")).settled()
    added = await (await fake.slash(admin, "cohort add", guild=guild, permissions=MANAGE_GUILD,
                                    name="Spring", member=trainee)).settled()
    assert "is invited to" in text_of(added.messages[0])
    assert "in their DMs" in text_of(added.messages[0])
    invitation = (await fake.wait_for_message(fake.dms[int(trainee["id"])], 1))[0]
    assert "Spring" in text_of(invitation) and "never what you write" in text_of(invitation)

    async def members() -> list[str]:
        report = await (await fake.slash(admin, "cohort report", guild=guild,
                                         permissions=MANAGE_GUILD, name="Spring")).settled()
        lines = report.messages[0]["attachments"][0]["_bytes"].decode().splitlines()[1:]
        return [line.split(",")[0] for line in lines]

    assert await members() == []  # invited is not a member
    forged = await (await fake.click(other, invitation, label="Accept")).settled()
    assert "no invitation waiting for you" in text_of(forged.messages[-1])
    await (await fake.slash(admin, "cohort create", guild=guild, permissions=MANAGE_GUILD,
                            name="Autumn")).settled()
    autumn = await run.store.cohorts.named(int(guild["id"]), "Autumn")
    spring = await run.store.cohorts.named(int(guild["id"]), "Spring")
    forged_message = json.loads(json.dumps(invitation).replace(
        f"peerprep:cohort:accept:{spring.id}", f"peerprep:cohort:accept:{autumn.id}"))
    made_up = await (await fake.click(trainee, forged_message, label="Accept")).settled()
    assert "no invitation waiting for you" in text_of(made_up.messages[-1])
    assert await members() == []

    stale = json.loads(json.dumps(invitation))  # a copy that still shows the buttons
    await (await fake.click(trainee, invitation, label="Accept")).wait()
    await fake.wait_until(lambda: "You joined" in (invitation.get("content") or ""))
    assert FakeDiscord.buttons(invitation) == []
    assert await members() == [trainee["id"]]
    again = await (await fake.click(trainee, stale, label="Accept")).settled()
    assert "no invitation waiting for you" in text_of(again.messages[-1])

    # Declining: no membership; joining yourself is consent too.
    await (await fake.slash(admin, "cohort add", guild=guild, permissions=MANAGE_GUILD,
                            name="Spring", member=other)).settled()
    declined = (await fake.wait_for_message(fake.dms[int(other["id"])], 1))[0]
    await (await fake.click(other, declined, label="Decline")).wait()
    await fake.wait_until(lambda: "You declined" in (declined.get("content") or ""))
    assert await members() == [trainee["id"]]
    await (await fake.slash(other, "cohort join", guild=guild, name="Spring")).settled()
    assert await members() == [trainee["id"], other["id"]]
    assert (await run.store.db.fetch_one("SELECT COUNT(*) FROM cohort_invitations"))[0] == 0


async def test_a_facilitator_who_never_practised_can_export_and_delete_their_cohorts_link(
        fake: FakeDiscord, start_bot, world):
    run = await start_bot()
    guild, admin = world["guild"], world["admin"]
    await (await fake.slash(admin, "cohort create", guild=guild, permissions=MANAGE_GUILD,
                            name="Spring")).settled()
    reply = await (await fake.slash(admin, "privacy export", guild=guild)).settled()
    data = json.loads(reply.messages[0]["attachments"][0]["_bytes"])
    assert [c["name"] for c in data["cohorts"]] == ["Spring"]
    prompt = await (await fake.slash(admin, "privacy delete", guild=guild)).settled()
    await (await fake.click(admin, prompt.messages[0], label="Delete everything",
                            guild=guild)).wait()
    await fake.wait_until(lambda: "Done" in (prompt.messages[0].get("content") or ""))
    assert (await run.store.db.fetch_one("SELECT created_by FROM cohorts"))[0] is None
    assert await run.store.people.find_discord(int(admin["id"])) is None


async def test_a_message_noted_while_the_others_are_deleted_is_deleted_too(
        fake: FakeDiscord, start_bot, world):
    """Another process posts for the trainee (and notes it) while /privacy delete removes
    their messages on Discord: that message goes too, not left in their DM on no record
    (the first pass had already read the list; the rows' delete took its note with it)."""
    run = await start_bot()
    trainee, guild = world["trainee"], world["guild"]
    form = await open_interview(fake, trainee, guild, questions=2)  # DM: the first question
    guidance = await (await fake.submit(trainee, form, STRONG)).settled()
    dm = fake.dms[int(trainee["id"])]
    posted = {int(m["id"]) for m in fake.messages[dm] + guidance.messages}
    person = await run.store.people.find_discord(int(trainee["id"]))
    assert person is not None
    for _ in range(100):  # the guidance is noted just after it is sent
        noted = await run.store.people.posted_messages(person.id)
        if {m for _, m in noted} == posted:
            break
        await asyncio.sleep(0.02)
    assert {m for _, m in noted} == posted and len(posted) >= 2
    # The newest as if another process had posted it during the deletion: not noted yet...
    late = max(posted)
    await run.store.db.write(lambda tx: tx.execute(
        "DELETE FROM posted_messages WHERE message_id = ?", (late,)))

    async def meanwhile(request: Request) -> None:  # ...noted as the first deletion goes out
        if request.method == "DELETE" and "/messages/" in request.path:
            fake.on_request = None
            await run.store.people.remember_message(int(trainee["id"]), dm, late,
                                                    run.bot.clock())

    prompt = await (await fake.slash(trainee, "privacy delete", guild=guild)).settled()
    fake.on_request = meanwhile
    await (await fake.click(trainee, prompt.messages[0], label="Delete everything",
                            guild=guild)).wait()
    await fake.wait_until(lambda: "Done" in (prompt.messages[0].get("content") or ""))
    assert f"{len(posted)} message(s) PeerPrep had posted for you" in prompt.messages[0][
        "content"]
    assert set(fake.deleted_messages) == posted and late in fake.deleted_messages
    assert not posted & {int(m["id"]) for m in fake.messages.get(dm, [])}
