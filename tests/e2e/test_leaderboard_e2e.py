"""Leaderboards through the fake Discord: the order of every metric over every period, with
practice spread over weeks and months so the periods differ, a hidden member, the caller's
own rank."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from tests.conftest import FakeClock
from tests.fakediscord import FakeDiscord
from tests.fakediscord.payloads import MANAGE_GUILD

TODAY = datetime(2026, 3, 18, 15, 0, tzinfo=UTC)  # a Wednesday; ISO week 12 is 16-22 March


def at(day: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, 15, 0, tzinfo=UTC)


@pytest.fixture
async def practised(fake: FakeDiscord, start_bot, clock: FakeClock):
    """A cohort of four whose practice tells the periods apart:

    - Ana: once a day on 16, 17 and 18 March (a three-day streak), weak answers;
    - Ben: four strong answers on 5 March and one today (a streak of one);
    - Cal: six middling answers, 9-14 February (no streak left);
    - Dee: ten strong answers today, but hidden from leaderboards.
    """
    people = {name: fake.add_user(name) for name in ("ana", "ben", "cal", "dee")}
    admin = fake.add_user("admin")
    guild = fake.add_guild("Cohort Guild", members=tuple(people.values()), admin=admin)
    clock.now = at(1, 2)
    run = await start_bot()
    await (await fake.slash(admin, "cohort create", guild=guild, permissions=MANAGE_GUILD,
                            name="Spring")).settled()
    for user in people.values():
        await (await fake.slash(user, "cohort join", guild=guild, name="Spring")).settled()
    await (await fake.slash(people["dee"], "privacy leaderboard", guild=guild,
                            choice="hide")).settled()

    engine, question = run.bot.engine, run.bot.bank.questions[0]
    strong, weak = question.example_answer, "I would be kind."
    middling = " ".join(strong.split()[:70])
    ids = {name: (await run.store.people.for_discord(int(u["id"]))).id
           for name, u in people.items()}
    plan = ([("ana", at(d), weak) for d in (16, 17, 18)]
            + [("ben", at(5), strong)] * 4 + [("ben", TODAY, strong)]
            + [("cal", at(d, 2), middling) for d in range(9, 15)]
            + [("dee", TODAY, strong)] * 10)
    for n, (name, moment, text) in enumerate(plan):
        clock.now = moment
        await engine.answer_daily(ids[name], question, text, key=f"lb:{n}")
    clock.now = TODAY
    return {"guild": guild, "people": people, "run": run}


def ranking(message: dict, people: dict) -> list[tuple[str, str]]:
    """(name, value) per line of the board, in order."""
    names = {u["id"]: name for name, u in people.items()}
    lines = message["embeds"][0]["description"].split("\n")
    return [(names[m[1]], m[2]) for m in (re.match(r"\d+\. <@(\d+)> — (.+)", ln) for ln in lines)
            if m]


WEAK, STRONG, MIDDLING = "3/100", "100/100", "46/100"


@pytest.mark.parametrize(("metric", "period", "expected"), [
    ("answers", "week", [("ana", "3 answer(s)"), ("ben", "1 answer(s)")]),
    ("answers", "month", [("ben", "5 answer(s)"), ("ana", "3 answer(s)")]),
    ("answers", "all", [("cal", "6 answer(s)"), ("ben", "5 answer(s)"), ("ana", "3 answer(s)")]),
    # Ben's one answer this week would show his answer's own score: no average under three.
    ("score", "week", [("ana", WEAK)]),
    ("score", "month", [("ben", STRONG), ("ana", WEAK)]),
    ("score", "all", [("ben", STRONG), ("cal", MIDDLING), ("ana", WEAK)]),
    ("streak", "week", [("ana", "3 day(s)"), ("ben", "1 day(s)")]),
    ("streak", "all", [("ana", "3 day(s)"), ("ben", "1 day(s)")]),  # streaks are "right now"
])
async def test_each_metric_and_period_ranks_as_practised(fake: FakeDiscord, practised,
                                                         metric: str, period: str,
                                                         expected: list[tuple[str, str]]):
    people = practised["people"]
    reply = await (await fake.slash(people["cal"], "leaderboard", guild=practised["guild"],
                                    metric=metric, period=period)).settled()
    message = reply.messages[0]
    assert ranking(message, people) == expected  # the hidden member is on no board
    assert reply.ephemeral
    mine = next((f["value"] for f in message["embeds"][0].get("fields", [])
                 if f["name"] == "You"), None)
    if any(name == "cal" for name, _ in expected):
        rank = [name for name, _ in expected].index("cal") + 1
        assert mine is not None and mine.startswith(f"#{rank} — ")
    else:
        assert mine is None  # Cal has nothing in this period: no rank to show


async def test_a_hidden_member_sees_that_they_are_hidden(fake: FakeDiscord, practised):
    reply = await (await fake.slash(practised["people"]["dee"], "leaderboard",
                                    guild=practised["guild"], metric="answers",
                                    period="week")).settled()
    fields = {f["name"]: f["value"] for f in reply.messages[0]["embeds"][0].get("fields", [])}
    assert "dee" not in [name for name, _ in ranking(reply.messages[0], practised["people"])]
    assert fields["You"] == "hidden from leaderboards"
