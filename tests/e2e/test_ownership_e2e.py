"""Forged ids through the fake Discord: a member who puts their own id into another member's
form or button, a finished interview's, another server's. Each is refused, nothing that
reveals the answer comes back and nothing is written. Guidance in a server stays the
trainee's until they share it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.conftest import FakeClock
from tests.e2e.test_daily_e2e import advance_to, posts_in, setup_daily
from tests.e2e.test_interview_e2e import STRONG, labels, text_of
from tests.fakediscord import FakeDiscord

REFUSED = "isn't one of your interviews"
TABLES = ("people", "interviews", "interview_questions", "answers", "review_cards",
          "practice_days", "period_totals", "streaks")


async def snapshot(run: Any) -> dict[str, list[tuple[Any, ...]]]:
    return {t: [tuple(r) for r in await run.store.db.fetch_all(f"SELECT * FROM {t} ORDER BY 1")]
            for t in TABLES}


def forged(custom_id: str, owner: dict[str, Any], **parts: Any) -> str:
    """An answer form's or button's id with another owner (and any other part changed)."""
    if custom_id.startswith("peerprep:answer:"):
        names = ["ns", "kind", "interview", "position", "attempt", "owner", "place", "question"]
    else:
        names = ["ns", "kind", "action", "interview", "position", "attempt", "owner"]
    fields = dict(zip(names, custom_id.split(":"), strict=True))
    fields.update({k: str(v) for k, v in parts.items()}, owner=owner["id"])
    return ":".join(fields[n] for n in names)


async def press(fake: FakeDiscord, who: dict[str, Any], msg: dict[str, Any], custom_id: str,
                **kwargs: Any) -> Any:
    """Press a forged button: the message as a modified client would send it back, with
    the forged id on it (discord.py dispatches only ids that are on the message)."""
    button = {"type": 2, "style": 1, "label": "forged", "custom_id": custom_id}
    copy = {**msg, "components": [{"type": 1, "components": [button]}]}
    return await (await fake.click(who, copy, custom_id=custom_id, **kwargs)).settled()


def reveals(messages: list[dict[str, Any]]) -> bool:
    text = "\n".join(text_of(m) for m in messages)
    return any(word in text for word in ("Score", "Key points", "summary", "/100", "Streak"))


async def dm_interview(fake: FakeDiscord, world: dict[str, Any], run: Any
                       ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The trainee's DM interview, first question answered through the form; the other
    member has an interview of their own (so a person row, as an attacker would)."""
    trainee, other = world["trainee"], world["other"]
    await (await fake.slash(other, "interview start", guild=world["guild"], questions=1,
                            where="dm")).settled()
    await (await fake.slash(trainee, "interview start", guild=world["guild"], questions=2,
                            where="dm")).settled()
    question = (await fake.wait_for_message(fake.dms[int(trainee["id"])], 1))[0]
    form = (await (await fake.click(trainee, question, label="Answer")).wait()).callbacks[0]
    answered = await (await fake.submit(trainee, form["data"], STRONG)).settled()
    assert "Score" in text_of(answered.messages[0])
    return form["data"], answered.messages[-1]


async def test_a_forged_form_neither_reads_nor_writes_another_members_interview(
        fake: FakeDiscord, start_bot, world):
    run = await start_bot()
    trainee, other = world["trainee"], world["other"]
    form, guidance = await dm_interview(fake, world, run)

    # The answered question: the stored guidance must not come back.
    before = await snapshot(run)
    stolen = await (await fake.submit(other, {**form, "custom_id": forged(
        form["custom_id"], other)}, "show me")).settled()
    assert REFUSED in text_of(stolen.messages[0]) and stolen.ephemeral
    assert not reveals(stolen.messages)
    assert await snapshot(run) == before

    # The question now waiting: the text must not be stored as the trainee's answer.
    nxt = await (await fake.click(trainee, guidance, label="Next question")).settled()
    second = nxt.messages[-1]
    fresh = (await (await fake.click(trainee, second, label="Answer")).wait()).callbacks[0]
    before = await snapshot(run)
    planted = await (await fake.submit(other, {**fresh["data"], "custom_id": forged(
        fresh["data"]["custom_id"], other)}, STRONG, guild=world["guild"])).settled()
    assert REFUSED in text_of(planted.messages[0]) and not reveals(planted.messages)
    assert await snapshot(run) == before


async def test_forged_buttons_change_and_show_nothing(fake: FakeDiscord, start_bot, world):
    run = await start_bot()
    other = world["other"]
    _, guidance = await dm_interview(fake, world, run)
    template = FakeDiscord.button(fake, guidance, "Next question")["custom_id"]
    before = await snapshot(run)
    for action in ("next", "retry", "skip", "end", "finish", "example", "answer"):
        custom_id = forged(template, other, action=action)
        pressed = await press(fake, other, guidance, custom_id)
        said = text_of(pressed.messages[0])
        assert REFUSED in said and pressed.ephemeral, (action, said)
        assert pressed.callbacks[0]["type"] != 9  # no answer form for someone else's question
        assert not reveals(pressed.messages) and "example" not in said.lower(), action
    assert await snapshot(run) == before


async def test_a_finished_interview_is_no_way_in(fake: FakeDiscord, start_bot, world):
    run = await start_bot()
    trainee, other = world["trainee"], world["other"]
    form, guidance = await dm_interview(fake, world, run)
    nxt = await (await fake.click(trainee, guidance, label="Next question")).settled()
    done = await (await fake.click(trainee, nxt.messages[-1], label="End")).settled()
    assert "Interview summary" in text_of(done.messages[-1])
    before = await snapshot(run)

    stolen = await (await fake.submit(other, {**form, "custom_id": forged(
        form["custom_id"], other)}, "show me")).settled()
    assert REFUSED in text_of(stolen.messages[0]) and not reveals(stolen.messages)
    ended = await press(fake, other, guidance, forged(
        FakeDiscord.button(fake, guidance, "End")["custom_id"], other))
    assert REFUSED in text_of(ended.messages[0]) and not reveals(ended.messages)
    # The trainee's own finished interview takes no new attempt.
    again = await (await fake.submit(trainee, {**form, "custom_id": forged(
        form["custom_id"], trainee, attempt=2)}, STRONG)).settled()
    assert "moved on" in text_of(again.messages[0]) and not reveals(again.messages)
    assert await snapshot(run) == before


async def thread_interview(fake: FakeDiscord, world: dict[str, Any], answer: str = STRONG
                           ) -> tuple[int, dict[str, Any], Any]:
    trainee, guild = world["trainee"], world["guild"]
    await (await fake.slash(trainee, "interview start", guild=guild, channel=world["training"],
                            questions=2)).settled()
    thread_id = max(int(c) for c, ch in fake.channels.items() if ch.get("type") == 12)
    question = (await fake.wait_for_message(thread_id, 1))[-1]
    form = (await (await fake.click(trainee, question, label="Answer")).wait()).callbacks[0]
    answered = await (await fake.submit(trainee, form["data"], answer, guild=guild,
                                        channel=fake.channels[thread_id])).settled()
    return thread_id, form["data"], answered


async def test_another_servers_member_gets_nothing(fake: FakeDiscord, start_bot, world,
                                                   clock: FakeClock):
    clock.now = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
    run = await start_bot(daily_poll_seconds=0.05)
    stranger = fake.add_user("stranger")
    elsewhere = fake.add_guild("Elsewhere", channels=("lobby",), members=(stranger,))
    await run.stop()
    run = await start_bot(daily_poll_seconds=0.05)  # sees the second server
    lobby = fake.channel_named(elsewhere, "lobby")
    await (await fake.slash(stranger, "interview start", guild=elsewhere, channel=lobby,
                            questions=1)).settled()
    _, form, _ = await thread_interview(fake, world)
    await setup_daily(fake, world, world["training"])
    await advance_to(clock, [run], datetime(2026, 3, 6, 14, 0, 1, tzinfo=UTC))
    await fake.wait_until(lambda: len(posts_in(fake, world["training"])) == 1)
    post = posts_in(fake, world["training"])[0]
    daily_form = (await (await fake.click(world["trainee"], post, label="Answer privately")
                         ).wait()).callbacks[0]["data"]
    before = await snapshot(run)

    stolen = await (await fake.submit(stranger, {**form, "custom_id": forged(
        form["custom_id"], stranger)}, "show me", guild=elsewhere, channel=lobby)).settled()
    assert REFUSED in text_of(stolen.messages[0]) and not reveals(stolen.messages)
    newcomer = fake.add_user("newcomer")  # never used PeerPrep: no person row is made either
    fake.members[(int(elsewhere["id"]), int(newcomer["id"]))] = {"user": newcomer, "roles": []}
    for who in (stranger, newcomer):
        daily = await (await fake.submit(who, daily_form, STRONG, guild=elsewhere,
                                         channel=lobby)).settled()
        assert "another server" in text_of(daily.messages[0]) and not reveals(daily.messages)
    assert await snapshot(run) == before


async def test_guidance_in_a_thread_is_private_until_shared(fake: FakeDiscord, start_bot,
                                                            world):
    await start_bot()
    trainee, other, guild = world["trainee"], world["other"], world["guild"]
    answer = f"{STRONG} I'm a recovering addict myself."  # the trainee describes themselves
    thread_id, _, answered = await thread_interview(fake, world, answer)
    thread = fake.channels[thread_id]
    assert answered.ephemeral and all(m["flags"] & 64 for m in answered.messages)
    said = "\n".join(text_of(m) for m in answered.messages)
    assert "Only you can see this" in said and "describe yourself" in said
    assert not reveals(fake.messages[thread_id])  # nothing in the thread but the question
    share = FakeDiscord.button(fake, answered.messages[-1], "Share with facilitator")

    # Someone else pressing it (a forged press, or a moderator on a copy) posts nothing.
    await (await fake.slash(other, "interview start", guild=guild, channel=world["training"],
                            questions=1)).settled()
    posted = len(fake.messages[thread_id])
    refused = await (await fake.click(other, answered.messages[-1], custom_id=share["custom_id"],
                                      guild=guild)).settled()
    assert REFUSED in text_of(refused.messages[0]) and refused.ephemeral
    assert not reveals(refused.messages) and len(fake.messages[thread_id]) == posted
    # Nor does the trainee's own press outside the interview's thread.
    away = await (await fake.click(trainee, {**answered.messages[-1],
                                             "channel_id": world["training"]["id"]},
                                   custom_id=share["custom_id"], guild=guild)).settled()
    assert "own thread" in text_of(away.messages[0]) and away.ephemeral

    shared = await (await fake.click(trainee, answered.messages[-1],
                                     custom_id=share["custom_id"], guild=guild)).settled()
    assert not shared.ephemeral
    assert all(int(m["channel_id"]) == thread_id for m in shared.messages)
    text = "\n".join(text_of(m) for m in shared.messages)
    assert "Shared by trainee" in text and "Score" in text and "Key points" in text
    assert "describe yourself" not in text  # nor what they said of themselves
    assert "recovering addict" not in text  # never the answer
    assert thread["id"] == str(thread_id)


async def test_a_crisis_answer_is_never_shared(fake: FakeDiscord, start_bot, world):
    run = await start_bot()
    guild = world["guild"]
    thread_id, _, answered = await thread_interview(
        fake, world, f"{STRONG} Some nights I want to end it all.")
    said = "\n".join(text_of(m) for m in answered.messages)
    assert "You matter more than this practice" in said and answered.ephemeral
    # No Share: a shared guidance without a score would tell the thread the net fired.
    assert "Share with facilitator" not in labels(answered.messages[-1])
    assert "Only you can see this. **Share" not in said
    # A forged press naming the crisis answer posts nothing either.
    [(crisis_id,)] = [tuple(r) for r in await run.store.db.fetch_all(
        "SELECT id FROM answers WHERE crisis = 1")]
    posted = len(fake.messages[thread_id])
    custom_id = f"peerprep:share:{crisis_id}"
    carrier = {**answered.messages[-1], "components": [{"type": 1, "components": [
        {"type": 2, "style": 2, "label": "Share with facilitator", "custom_id": custom_id}]}]}
    forged = await (await fake.click(world["trainee"], carrier, custom_id=custom_id,
                                     guild=guild)).settled()
    assert forged.ephemeral and "can't be shared" in text_of(forged.messages[0])
    assert len(fake.messages[thread_id]) == posted


async def test_resumed_in_a_shared_channel_everything_is_private(fake: FakeDiscord, start_bot,
                                                                 world):
    await start_bot()
    trainee, guild = world["trainee"], world["guild"]
    await thread_interview(fake, world)
    general = fake.channel_named(guild, "general")
    resumed = await (await fake.slash(trainee, "interview resume", guild=guild,
                                      channel=general)).settled()
    assert resumed.ephemeral
    nxt = await (await fake.click(trainee, resumed.messages[-1], label="Next question",
                                  guild=guild)).settled()
    assert nxt.ephemeral and "Question 2 of 2" in text_of(nxt.messages[-1])
    assert "Share with facilitator" not in labels(nxt.messages[-1])
    end = await (await fake.click(trainee, nxt.messages[-1], label="End", guild=guild)).settled()
    assert end.ephemeral and "Interview summary" in text_of(end.messages[-1])
    assert not fake.messages.get(int(general["id"]))


async def test_facilitators_by_role_choose_the_training_channel(fake: FakeDiscord, start_bot,
                                                                world):
    """README and /help list /config training-channel for facilitators: the code agrees, and
    choosing who is a facilitator stays with Manage Server."""
    from tests.fakediscord.payloads import MANAGE_GUILD

    run = await start_bot()
    guild, admin, trainee = world["guild"], world["admin"], world["trainee"]
    config = next(c for c in fake.commands[None] if c["name"] == "config")
    assert config.get("default_member_permissions") is None  # not hidden from facilitators
    general = fake.channel_named(guild, "general")
    facilitator = fake.add_user("facilitator")
    for member in (trainee, facilitator):  # a member without the role
        refused = await (await fake.slash(member, "config training-channel", guild=guild,
                                          options={"channel": general})).settled()
        assert "Only facilitators" in text_of(refused.messages[0])
    assert (await run.store.guilds.get(int(guild["id"]))).training_channel_id is None

    role = await fake.create_role(guild, "Peer facilitators")
    await (await fake.slash(admin, "config facilitator-role", guild=guild,
                            permissions=MANAGE_GUILD, role=role)).settled()
    await fake.give_role(guild, facilitator, role)
    chosen = await (await fake.slash(facilitator, "config training-channel", guild=guild,
                                     options={"channel": general})).settled()
    assert "will open private threads" in text_of(chosen.messages[0])
    assert (await run.store.guilds.get(int(guild["id"]))).training_channel_id == int(
        general["id"])
    escalate = await (await fake.slash(facilitator, "config facilitator-role", guild=guild,
                                       role=role)).settled()
    assert "Manage Server" in text_of(escalate.messages[0])

    await (await fake.slash(trainee, "interview start", guild=guild, channel=world["training"],
                            questions=1)).settled()
    thread = next(c for c in fake.channels.values() if c.get("type") == 12)
    assert thread["parent_id"] == general["id"]

    reply = await (await fake.slash(trainee, "help", guild=guild)).settled()
    fields = {f["name"]: f["value"] for m in reply.messages for e in m["embeds"]
              for f in e.get("fields", [])}
    commands = fields["Commands"]
    facilitators = next(line for line in commands.splitlines() if line.startswith("Facilit"))
    admins = next(line for line in commands.splitlines() if line.startswith("Admins"))
    assert "/config training-channel" in facilitators and "facilitator-role" in admins
    assert "only you can see" in fields["Who sees what"]
    assert "Share with facilitator" in fields["Who sees what"]


async def test_a_slow_end_in_a_thread_still_shows_the_summary_only_to_the_trainee(
        fake: FakeDiscord, start_bot, world, monkeypatch):
    """A slow action is deferred before its result is known; a deferral everyone sees must
    not become the summary: a neutral line takes its place, the summary goes privately."""
    from bot.discord_app.extensions.interview import _flow

    await start_bot()
    trainee, guild = world["trainee"], world["guild"]
    thread_id, _, answered = await thread_interview(fake, world)
    nxt = await (await fake.click(trainee, answered.messages[-1], label="Next question",
                                  guild=guild)).settled()
    monkeypatch.setattr(_flow, "DEFER_AFTER", 0.0)  # every action is deferred at once
    end = await (await fake.click(trainee, nxt.messages[-1], label="End",
                                  guild=guild)).settled(2)
    first, *rest = end.messages
    assert not first["flags"] & 64 and not reveals([first])  # the public deferral's place
    assert rest and all(m["flags"] & 64 for m in rest)
    assert "Interview summary" in text_of(rest[-1])
    assert not reveals(fake.messages[thread_id])


async def test_resumed_in_its_thread_the_answered_guidance_can_still_be_shared(
        fake: FakeDiscord, start_bot, world):
    await start_bot()
    trainee, guild = world["trainee"], world["guild"]
    thread_id, _, _ = await thread_interview(fake, world)
    thread = fake.channels[thread_id]
    resumed = await (await fake.slash(trainee, "interview resume", guild=guild,
                                      channel=thread)).settled()
    assert resumed.ephemeral and "Share with facilitator" in labels(resumed.messages[-1])
    shared = await (await fake.click(trainee, resumed.messages[-1],
                                     label="Share with facilitator", guild=guild)).settled()
    assert not shared.ephemeral and "Shared by trainee" in text_of(shared.messages[0])
    elsewhere = await (await fake.slash(trainee, "interview resume", guild=guild,
                                        channel=world["training"])).settled()
    assert "Share with facilitator" not in labels(elsewhere.messages[-1])


async def test_a_button_with_a_made_up_action_changes_nothing(fake: FakeDiscord, start_bot,
                                                             world):
    run = await start_bot()
    trainee = world["trainee"]
    _, guidance = await dm_interview(fake, world, run)
    template = FakeDiscord.button(fake, guidance, "Next question")["custom_id"]
    before = await snapshot(run)
    # The trainee's own interview, with an action PeerPrep never draws: refused, not "end".
    pressed = await press(fake, trainee, guidance, forged(template, trainee, action="zap"))
    assert "isn't one PeerPrep made" in text_of(pressed.messages[0]) and pressed.ephemeral
    assert await snapshot(run) == before
