"""Cohorts, leaderboards and daily claims on a real database."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.bank import Bank
from bot.interview.engine import InterviewService
from bot.storage import CohortExists, Store
from bot.storage.answers import periods_of
from tests.conftest import FakeClock

NOW = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
TODAY = date(2026, 3, 10)


async def answer(engine: InterviewService, bank: Bank, person_id: int, score_hint: str,
                 key: str) -> int:
    q = bank.questions[0]
    text = q.example_answer if score_hint == "strong" else "I would be kind."
    return (await engine.answer_daily(person_id, q, text, key=key)).feedback.score


async def test_cohort_names_are_unique_per_guild_ignoring_case(store: Store):
    await store.cohorts.create(1, "Spring 2026", None, 9, NOW)
    with pytest.raises(CohortExists):
        await store.cohorts.create(1, "spring 2026", None, 9, NOW)
    await store.cohorts.create(2, "Spring 2026", None, 9, NOW)  # another guild: fine
    assert (await store.cohorts.named(1, "SPRING 2026")).name == "Spring 2026"


@pytest.mark.parametrize(("first", "again"), [
    ("Équipe du mardi", "ÉQUIPE DU MARDI"),
    ("Грачи", "грачи"),
    ("Straße", "STRASSE"),  # German capitals: ß is SS
    ("Ομάδα Σ", "ομάδα σ"),
    ("istanbul", "İSTANBUL"),  # PostgreSQL's lower() makes İ an i; casefold keeps its dot
    ("İstanbul", "istanbul"),
])
async def test_cohort_names_ignore_case_in_every_script_on_every_backend(
        store: Store, first: str, again: str):
    """SQLite's NOCASE and lower() fold A-Z only and PostgreSQL's lower() follows the
    server's locale: a server's names must compare alike wherever PeerPrep stores them."""
    await store.cohorts.create(1, first, None, 9, NOW)
    with pytest.raises(CohortExists):
        await store.cohorts.create(1, again, None, 9, NOW)
    found = await store.cohorts.named(1, again)
    assert found is not None and found.name == first
    assert [c.name for c in await store.cohorts.in_guild(1)] == [first]


async def test_a_persons_cohorts_and_invitations_are_listed_by_name_alike_everywhere(
        store: Store):
    """Sorted by name whatever its case or accents (PostgreSQL's ORDER BY follows the
    server's collation, SQLite's the bytes: "Zeta" before "beta" there)."""
    sam = await store.people.for_discord(77)
    names = ["beta", "Zeta", "émile", "Alpha", "_x"]
    for name in names:
        cohort = await store.cohorts.create(1, name, None, 9, NOW)
        await store.cohorts.add(cohort.id, sam.id, NOW)
        invited = await store.cohorts.create(1, f"{name} next", None, 9, NOW)
        await store.cohorts.invite(invited.id, sam.id, NOW)
    expected = ["_x", "Alpha", "beta", "émile", "Zeta"]
    assert [c.name for c in await store.cohorts.of_person(1, sam.id)] == expected
    assert [c.name for c in await store.cohorts.invitations(1, sam.id)] == [
        f"{name} next" for name in expected]


async def test_score_history_at_one_moment_keeps_the_answers_order(
        store: Store, bank: Bank, clock: FakeClock):
    """Answers stored at the same moment (the clock stands still) chart in the order given,
    not in whatever order the backend returns ties."""
    engine = InterviewService(store, bank, clock=clock)
    sam = await store.people.for_local("sam")
    question = bank.questions[0]
    given = []
    for i, text in enumerate([question.example_answer, "I would be kind.",
                              question.example_answer, "I would listen.", "I would be kind.",
                              question.example_answer]):
        given.append((await engine.answer_daily(sam.id, question, text, key=f"k{i}")
                      ).feedback.score)
    assert len(set(given)) > 1
    assert [score for _, score in await store.progress.score_history(sam.id)] == given


@pytest.mark.parametrize(("day", "periods"), [
    (date(2026, 11, 30), ("2026-W49", "2026-11", "all")),
    (date(2026, 12, 31), ("2026-W53", "2026-12", "all")),   # a 53-week year
    (date(2027, 1, 1), ("2026-W53", "2027-01", "all")),     # the week is last year's
    (date(2024, 12, 30), ("2025-W01", "2024-12", "all")),   # ...or next year's
])
def test_an_answer_counts_toward_its_iso_week_its_month_and_all_time(day: date, periods):
    assert periods_of(day) == periods


async def test_leaderboards_by_metric_and_period(store: Store, bank: Bank, clock: FakeClock):
    engine = InterviewService(store, bank, clock=clock)
    clock.now = NOW - timedelta(days=20)
    cohort = await store.cohorts.create(1, "C", None, 9, clock.now)
    people = [await store.people.for_discord(100 + i) for i in range(4)]
    for p in people:
        await store.cohorts.add(cohort.id, p.id, clock.now)
    # Old answers (20 days ago): person 0 answered a lot, long ago.
    for i in range(5):
        await answer(engine, bank, people[0].id, "weak", f"old{i}")
    # This week: person 1 two strong answers, person 2 one weak answer, person 3 nothing.
    clock.now = NOW
    await answer(engine, bank, people[1].id, "strong", "a")
    await answer(engine, bank, people[1].id, "strong", "b")
    await answer(engine, bank, people[2].id, "weak", "c")

    async def board(metric: str, period: str, caller: int = 0):
        top, mine = await store.cohorts.leaderboard(
            guild_id=1, cohort_id=cohort.id, metric=metric, period=period, today=TODAY,
            caller_person_id=people[caller].id)
        return [s.discord_user_id for s in top], mine

    assert (await board("answers", "week"))[0] == [101, 102]
    assert (await board("answers", "month"))[0] == [101, 102]  # 18 Feb is last month
    assert (await board("answers", "all"))[0] == [100, 101, 102]
    # One answer each: an average of one would be that answer's own score, shown to others.
    assert (await board("score", "week"))[0] == []
    for n in range(2):
        await answer(engine, bank, people[2].id, "weak", f"c{n}")
    assert (await board("score", "week"))[0] == [102]  # three answers: an average to show
    top, _ = await board("streak", "all")
    assert top[:2] in ([101, 102], [102, 101])  # both have a 1-day streak today
    assert 100 not in top  # person 0's streak ended weeks ago
    _, mine = await board("answers", "week", caller=3)
    assert mine is None  # no answers this week: no standing

    await store.people.set_hidden(people[1].id, True)
    assert 101 not in (await board("answers", "all"))[0]


async def test_leaderboard_ranks_count_everyone_above_ties_share_a_rank(
        store: Store, bank: Bank, clock: FakeClock):
    """A standing's rank is one more than the members with a higher value, for the top rows
    and for the caller's own row below them; equal values share a rank, and the top is cut
    at ``limit`` rows, ties broken by person."""
    engine = InterviewService(store, bank, clock=clock)
    clock.now = NOW
    cohort = await store.cohorts.create(1, "C", None, 9, NOW)
    answers = [2, 5, 3, 5, 3, 1, 3]  # by person, in the order they were made
    people = [await store.people.for_discord(200 + i) for i in range(len(answers))]
    for person, count in zip(people, answers, strict=True):
        await store.cohorts.add(cohort.id, person.id, NOW)
        for n in range(count):
            await answer(engine, bank, person.id, "weak", f"{person.id}:{n}")

    def expected(i: int) -> tuple[int, int, int]:
        return 1 + sum(a > answers[i] for a in answers), people[i].discord_user_id, answers[i]

    by_value = sorted(range(len(answers)), key=lambda i: (-answers[i], people[i].id))
    for caller in range(len(answers)):
        top, mine = await store.cohorts.leaderboard(
            guild_id=1, cohort_id=cohort.id, metric="answers", period="all", today=TODAY,
            caller_person_id=people[caller].id, limit=3)
        assert [(s.rank, s.discord_user_id, s.value) for s in top] == [
            expected(i) for i in by_value[:3]]
        assert mine is not None and (mine.rank, mine.discord_user_id, mine.value) == \
            expected(caller)


async def test_report_has_aggregates_and_no_answer_text(store: Store, bank: Bank,
                                                       clock: FakeClock):
    engine = InterviewService(store, bank, clock=clock)
    clock.now = NOW
    cohort = await store.cohorts.create(1, "C", None, 9, NOW)
    p = await store.people.for_discord(5)
    await store.cohorts.add(cohort.id, p.id, NOW)
    post = (await store.daily.claim(1, TODAY, bank.questions[0].id, "me", NOW)).post
    q = bank.questions[0]
    await engine.answer_daily(p.id, q, q.example_answer, key="x", daily_post_id=post.id,
                              guild_id=1)
    report = await store.cohorts.report(cohort.id, TODAY)
    assert len(report) == 1
    row = report[0]
    assert (row.discord_user_id, row.answers, row.current_streak) == (5, 1, 1)
    text = bank.questions[0].example_answer
    assert all(not isinstance(v, str) or v not in text for v in asdict(row).values())


async def test_a_report_counts_only_practice_in_its_server_since_joining(
        store: Store, bank: Bank, clock: FakeClock):
    """Another server's daily question and interviews, DM-started interviews, the terminal,
    and anything before the member joined the cohort stay out of the report."""
    engine = InterviewService(store, bank, clock=clock)
    q = bank.questions[0]
    p = await store.people.for_discord(5)
    clock.now = NOW - timedelta(days=3)
    here = (await store.daily.claim(1, TODAY - timedelta(days=3), q.id, "me", clock.now)).post
    await engine.answer_daily(p.id, q, q.example_answer, key="before", daily_post_id=here.id,
                              guild_id=1)  # before joining
    clock.now = NOW - timedelta(days=2)
    cohort = await store.cohorts.create(1, "C", None, 9, clock.now)
    await store.cohorts.add(cohort.id, p.id, clock.now)
    elsewhere = (await store.daily.claim(2, TODAY, q.id, "me", clock.now)).post
    await engine.answer_daily(p.id, q, q.example_answer, key="other-server",
                              daily_post_id=elsewhere.id, guild_id=2)
    await engine.answer_daily(p.id, q, q.example_answer, key="terminal")
    for guild in (2, None):  # an interview started in another server, and one in DMs
        started = await engine.start(p.id, bank="all", topic=None, count=1, place="dm",
                                     guild_id=guild, channel_id=77)
        await engine.answer(started.interview.id, 0, 1, q.example_answer)
    clock.now = NOW - timedelta(days=1)
    started = await engine.start(p.id, bank="all", topic=None, count=1, place="thread",
                                 guild_id=1, channel_id=78)
    counted = await engine.answer(started.interview.id, 0, 1, q.example_answer)
    clock.now = NOW
    today = (await store.daily.claim(1, TODAY, q.id, "me", NOW)).post
    await engine.answer_daily(p.id, q, "I would be kind.", key="today",
                              daily_post_id=today.id, guild_id=1)

    [row] = await store.cohorts.report(cohort.id, TODAY)
    assert row.answers == 2
    assert row.average == round((counted.feedback.score + (await store.db.fetch_one(
        "SELECT score FROM answers WHERE submission_key = 'today'"))[0]) / 2, 1)
    assert (row.current_streak, row.best_streak) == (2, 2)
    assert row.last_practice == TODAY.isoformat()


async def test_only_one_process_claims_a_day(database: Path | str):
    async with Store(database) as one, Store(database) as two:
        claims = await asyncio.gather(*(
            store.daily.claim(7, TODAY, "pss-01", name, NOW)
            for store, name in [(one, "a"), (two, "b")] * 5
        ))
        assert sum(c.won for c in claims) == 1
        assert len({c.post.id for c in claims}) == 1
