"""Server features end to end: /help, cohorts and their report, leaderboards, facilitators."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from typing import Any

from tests.e2e.test_interview_e2e import text_of
from tests.fakediscord import FakeDiscord
from tests.fakediscord.payloads import MANAGE_GUILD


def registered(fake: FakeDiscord) -> set[str]:
    """Every command the bot registered, as "/name" and "/name sub"."""
    names = set()
    for command in fake.commands[None]:
        names.add(f"/{command['name']}")
        names.update(f"/{command['name']} {o['name']}" for o in command.get("options", [])
                     if o["type"] == 1)
    return names


def option(fake: FakeDiscord, command: str, name: str) -> dict[str, Any]:
    top, _, sub = command.partition(" ")
    level = next(c for c in fake.commands[None] if c["name"] == top)
    if sub:
        level = next(o for o in level["options"] if o["name"] == sub)
    return next(o for o in level.get("options", []) if o["name"] == name)


async def test_help_names_only_commands_that_exist(fake: FakeDiscord, start_bot, world):
    await start_bot()
    reply = await (await fake.slash(world["trainee"], "help", guild=world["guild"])).settled()
    listed = next(f["value"] for f in reply.messages[0]["embeds"][0]["fields"]
                  if f["name"] == "Commands")
    advertised = set()
    for span in re.findall(r"`(/[^`]+)`", listed):  # `/cohort create|add` is two commands
        top, _, subs = span.partition(" ")
        advertised.update([f"{top} {s}" for s in subs.split("|")] if subs else [top])
    assert advertised <= registered(fake), advertised - registered(fake)


async def test_cohort_names_are_limited_where_they_are_typed(fake: FakeDiscord, start_bot,
                                                             world):
    await start_bot()
    for command in ("cohort create", "cohort join", "cohort leave", "cohort add",
                    "cohort remove", "cohort report"):
        assert option(fake, command, "name")["max_length"] == 50, command
    assert option(fake, "leaderboard", "cohort")["max_length"] == 50
    longest = await (await fake.slash(world["admin"], "cohort create", guild=world["guild"],
                                      permissions=MANAGE_GUILD, name="n" * 50)).settled()
    assert "created" in text_of(longest.messages[0])


async def test_the_leaderboard_footer_shows_the_name_as_typed(fake: FakeDiscord, start_bot,
                                                              world):
    await start_bot()
    guild, admin = world["guild"], world["admin"]
    await (await fake.slash(admin, "cohort create", guild=guild, permissions=MANAGE_GUILD,
                            name="night_owls*2")).settled()
    board = await (await fake.slash(world["trainee"], "leaderboard", guild=guild,
                                    cohort="night_owls*2")).settled()
    footer = board.messages[0]["embeds"][0]["footer"]["text"]
    assert footer.startswith("night_owls*2 · ") and "\\" not in footer


async def test_the_report_names_each_member(fake: FakeDiscord, start_bot, world):
    await start_bot()
    guild, admin, trainee, other = world["guild"], world["admin"], world["trainee"], world["other"]
    gone, sly = fake.add_user("gone"), fake.add_user("sly")
    fake.members[(int(guild["id"]), int(other["id"]))]["nick"] = "Robin (she/her)"
    await (await fake.slash(admin, "cohort create", guild=guild, permissions=MANAGE_GUILD,
                            name="Spring")).settled()
    for person in (trainee, other, gone, sly):
        await (await fake.slash(person, "cohort join", guild=guild, name="Spring")).settled()
    fake.members[(int(guild["id"]), int(sly["id"]))]["nick"] = "=HYPERLINK(\"x\")"
    del fake.members[(int(guild["id"]), int(gone["id"]))]  # left the server
    report = await (await fake.slash(admin, "cohort report", guild=guild,
                                     permissions=MANAGE_GUILD, name="Spring")).settled()
    rows = list(csv.DictReader(io.StringIO(
        report.messages[0]["attachments"][0]["_bytes"].decode())))
    names = {r["user_id"]: r["name"] for r in rows}
    assert names == {trainee["id"]: "trainee", other["id"]: "Robin (she/her)",
                     gone["id"]: "", sly["id"]: "'=HYPERLINK(\"x\")"}
    assert "4 member(s)." in text_of(report.messages[0])


async def test_a_report_still_comes_when_discord_is_too_busy_for_names(fake: FakeDiscord,
                                                                       start_bot, world):
    await start_bot()
    guild, admin = world["guild"], world["admin"]
    await (await fake.slash(admin, "cohort create", guild=guild, permissions=MANAGE_GUILD,
                            name="Spring")).settled()
    await (await fake.slash(world["trainee"], "cohort join", guild=guild,
                            name="Spring")).settled()
    fake.inject(r"/guilds/\d+/members/\d+$", 429, retry_after=600)  # far past what we wait
    report = await (await fake.slash(admin, "cohort report", guild=guild,
                                     permissions=MANAGE_GUILD, name="Spring")).settled()
    assert "1 member(s)" in text_of(report.messages[0])
    assert "only their user id" in text_of(report.messages[0])
    rows = list(csv.DictReader(io.StringIO(
        report.messages[0]["attachments"][0]["_bytes"].decode())))
    assert [r["user_id"] for r in rows] == [world["trainee"]["id"]]


async def test_help_lists_every_crisis_line_however_many(fake: FakeDiscord, start_bot, world):
    from tests.e2e.test_interview_e2e import LOCAL_LINES

    run = await start_bot()
    run.bot.settings = replace(run.bot.settings, crisis_resources=LOCAL_LINES)
    reply = await (await fake.slash(world["trainee"], "help", guild=world["guild"])).settled()
    await fake.wait_until(lambda: LOCAL_LINES[-1] in "".join(text_of(m) for m in reply.messages))
    text = "\n".join(text_of(m) for m in reply.messages)
    assert all(text.count(f"• {line}") == 1 for line in LOCAL_LINES)
    assert reply.ephemeral and "practice, not therapy" in text


async def test_the_facilitator_role_is_enough_without_manage_server(fake: FakeDiscord,
                                                                    start_bot, world):
    await start_bot()
    guild, admin, trainee = world["guild"], world["admin"], world["trainee"]
    facilitator = fake.add_user("facilitator")
    role = await fake.create_role(guild, "Peer facilitators")  # made while the bot runs
    before = await (await fake.slash(facilitator, "cohort create", guild=guild,
                                     name="Spring")).settled()
    assert "Only facilitators" in text_of(before.messages[0])

    chosen = await (await fake.slash(admin, "config facilitator-role", guild=guild,
                                     permissions=MANAGE_GUILD, role=role)).settled()
    assert "can now run cohorts" in text_of(chosen.messages[0])
    await fake.give_role(guild, facilitator, role)
    created = await (await fake.slash(facilitator, "cohort create", guild=guild,
                                      name="Spring")).settled()
    assert "created" in text_of(created.messages[0])
    added = await (await fake.slash(facilitator, "cohort add", guild=guild, name="Spring",
                                    member=trainee)).settled()
    assert "is invited to" in text_of(added.messages[0])
    report = await (await fake.slash(facilitator, "cohort report", guild=guild,
                                     name="Spring")).settled()
    assert report.messages[0]["attachments"][0]["filename"].endswith(".csv")
    refused = await (await fake.slash(trainee, "cohort remove", guild=guild, name="Spring",
                                      member=trainee)).settled()
    assert "Only facilitators" in text_of(refused.messages[0])
