"""Scale-out end to end (issue 17): three real ``python -m bot`` processes, two shards each
of six, on one PostgreSQL database and one fake Discord with 300 servers (50 a shard), each
with a daily question due as the processes start.

What must hold: each process's gateway connections are its own shards and no others; a DM
interview (DMs come on shard 0: process 1's) and a server interview (on process 3's shard)
run to their summaries; one process SIGKILLed while it posts its servers' questions and
started again leaves every server with exactly one daily message (none doubled, none
missing) and every answer stored once; a server interview on that process's shard, its
first answer given before the kill, goes on through the restarted process to its summary.

The killed process leaves claims that never became posts. The restarted process, on the
same machine, sees that the process named in them has ended and takes each one over at once
(a claim of a process it can't check, on another machine, waits out STALE_CLAIM), looking in
the channel before sending: a message of the dead process may be out unrecorded.
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.core.records import shard_of
from bot.discord_app.instances import machine
from bot.storage import DailySchedule, Store
from tests import postgres
from tests.e2e.bot_process import BotProcess
from tests.e2e.test_interview_e2e import STRONG, labels, text_of
from tests.e2e.test_shards_e2e import dm_interview, thread_interview
from tests.fakediscord import FakeDiscord, Interaction

pytestmark = [
    pytest.mark.database,
    pytest.mark.skipif(postgres.server_url() is None,
                       reason=f"needs PostgreSQL ({postgres.URL_ENV})"),
    pytest.mark.skipif(not sys.platform.startswith("linux"),
                       reason="tells processes' connections apart through /proc"),
]

SHARDS = 6
OWNED = {1: (0, 1), 2: (2, 3), 3: (4, 5)}  # process -> its shards
PER_SHARD = 50
KILL_AFTER = 20  # of process 2's 100 servers posted


class ShardProcess(BotProcess):
    """A bot process on the test's PostgreSQL schema, running ``shards`` of SHARDS."""

    def __init__(self, fake: FakeDiscord, database_url: str, data_dir: Path,
                 shards: tuple[int, int]) -> None:
        # 4 processes' pools at once on a server other tests share: keep them small.
        super().__init__(fake, data_dir, database_url, DATABASE_POOL_SIZE="5",
                         SHARD_COUNT=str(SHARDS), SHARD_IDS=f"{shards[0]}-{shards[1]}")
        self.shards = shards
        self.name = f"process {shards}"

    @property
    def instance(self) -> str:
        """How this process's name in daily claims begins (``machine:pid:``, then when it
        started)."""
        return f"{machine()}:{self.pid}:"


def local_ports(pid: int) -> set[int]:
    """The local TCP ports of ``pid``'s open sockets (Linux: its fds and /proc/net/tcp*)."""
    inodes = set()
    fds = Path(f"/proc/{pid}/fd")
    for fd in fds.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in ("tcp", "tcp6"):
        path = Path(f"/proc/{pid}/net/{table}")
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            if fields[9] in inodes:
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def shards_connected_by(fake: FakeDiscord, bot: ShardProcess) -> list[tuple[int, int] | None]:
    """The shards of the fake's live gateway connections that ``bot``'s process opened."""
    ports = local_ports(bot.pid)
    return sorted((gw.shard for gw in fake.gateways
                   if gw.ws.get_extra_info("peername")[1] in ports),
                  key=lambda s: s or (-1, 0))


async def answer_in_thread(fake: FakeDiscord, trainee: dict[str, Any], guild: dict[str, Any],
                           question: dict[str, Any]
                           ) -> tuple[Interaction, Interaction, dict[str, Any]]:
    """Answer ``question`` (a message of the interview's thread) through its form: the
    Answer press, the form's submission, and the guidance's message with the buttons."""
    opened = await (await fake.click(trainee, question, label="Answer", guild=guild)).wait()
    modal = opened.callbacks[0]
    assert modal["type"] == 9
    thread = fake.channels[int(question["channel_id"])]
    submitted = await (await fake.submit(trainee, modal["data"], STRONG, guild=guild,
                                         channel=thread)).wait(
        lambda i: any(fake.buttons(m) for m in i.messages))  # on the guidance's last message
    return opened, submitted, next(m for m in submitted.messages if fake.buttons(m))


def interactions_heard_by(fake: FakeDiscord, bot: ShardProcess) -> set[int]:
    """The interactions sent on ``bot``'s process's live gateway connections."""
    ports = local_ports(bot.pid)
    return {int(f["d"]["id"]) for gw in fake.gateways
            if gw.ws.get_extra_info("peername")[1] in ports
            for f in gw.sent if f["t"] == "INTERACTION_CREATE"}


async def poll(check: Callable[[], Awaitable[bool]], timeout: float, what: str) -> None:
    """Until ``check`` holds (a database read, which the fake can't signal)."""
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        await asyncio.sleep(0.1)


async def test_three_processes_six_shards_one_database_and_a_kill_mid_posts(
        fake: FakeDiscord, database: Path | str, tmp_path: Path):
    assert isinstance(database, str)  # the PostgreSQL schema's URL
    started = time.monotonic()
    trainee = fake.add_user("trainee")
    guilds = [fake.add_guild(f"Server {shard}.{i}", channels=("training", "daily"),
                             members=(trainee,), shard=(shard, SHARDS))
              for shard in range(SHARDS) for i in range(PER_SHARD)]
    daily = {int(g["id"]): int(fake.channel_named(g, "daily")["id"]) for g in guilds}
    of_process = {p: [gid for gid in daily if shard_of(gid, SHARDS) in shards]
                  for p, shards in OWNED.items()}
    assert [len(of_process[p]) for p in OWNED] == [100, 100, 100]

    def posts(guild_ids: list[int]) -> int:
        return sum(len(fake.messages.get(daily[gid], [])) for gid in guild_ids)

    async with Store(database) as store:
        now = datetime.now(UTC)  # the processes run on the real clock: due as they start
        for gid, channel in daily.items():
            await store.daily.save_schedule(DailySchedule(
                gid, channel, "00:00", "UTC", None, None, False, False, None, now), now)

        bots = {p: ShardProcess(fake, database, tmp_path / f"p{p}", OWNED[p]) for p in OWNED}
        restarted: ShardProcess | None = None
        try:
            # Processes 1 and 3 first: the interviews run on them while they post.
            await asyncio.gather(bots[1].start(), bots[3].start())
            await asyncio.gather(bots[1].wait_ready(), bots[3].wait_ready())
            await fake.wait_until(lambda: None in fake.commands, timeout=15)
            dm_guild = next(g for g in guilds if shard_of(int(g["id"]), SHARDS) == 5)
            server_guild = next(g for g in guilds if shard_of(int(g["id"]), SHARDS) == 4)
            kill_guild = next(g for g in guilds if shard_of(int(g["id"]), SHARDS) == 2)
            in_dm = await dm_interview(fake, trainee, dm_guild)
            in_server = await thread_interview(fake, trainee, server_guild)
            # Where each step went: DMs and their buttons to shard 0 (process 1), the
            # rest to the server's shard (process 3).
            heard = {gw.shard: {int(f["d"]["id"]) for f in gw.sent
                                if f["t"] == "INTERACTION_CREATE"} for gw in fake.gateways}
            assert heard[(0, SHARDS)] == {i.id for i in in_dm[1:]}
            assert heard[(5, SHARDS)] == {in_dm[0].id}
            assert heard[(4, SHARDS)] == {i.id for i in in_server}
            answers = (await store.db.fetch_one("SELECT COUNT(*) FROM answers"))[0]
            assert answers == 3  # two typed in DMs, one through the form

            # Processes 1 and 3 post their own servers, and none of process 2's.
            await fake.wait_until(lambda: posts(of_process[1]) + posts(of_process[3]) == 200,
                                  timeout=30)
            assert posts(of_process[2]) == 0

            # Process 2 starts posting its servers. Meanwhile the trainee starts an interview
            # in a server of its shard 2 and answers the first question. The process is
            # killed once that answer's guidance is out and some, not all, posts are.
            await bots[2].start()
            await bots[2].wait_ready()
            for p, bot in bots.items():
                assert shards_connected_by(fake, bot) == [(s, SHARDS) for s in OWNED[p]], p

            async def first_answer() -> tuple[list[Interaction], dict[str, Any]]:
                training = fake.channel_named(kill_guild, "training")
                start = await (await fake.slash(trainee, "interview start", guild=kill_guild,
                                                channel=training, questions=2)).settled()
                thread_id = next(int(c) for c, ch in fake.channels.items()
                                 if ch.get("type") == 12 and ch["guild_id"] == kill_guild["id"])
                question = (await fake.wait_for_message(thread_id, 1))[0]
                assert "Question 1 of 2" in text_of(question)
                opened, submitted, guidance = await answer_in_thread(fake, trainee, kill_guild,
                                                                     question)
                assert "Next question" in labels(guidance)
                return [start, opened, submitted], guidance

            (before_kill, guidance), _ = await asyncio.gather(
                first_answer(),
                fake.wait_until(lambda: posts(of_process[2]) >= KILL_AFTER, timeout=30))
            assert interactions_heard_by(fake, bots[2]) == {i.id for i in before_kill}
            await bots[2].kill()
            at_kill = posts(of_process[2])
            assert at_kill < len(of_process[2]), "the kill came after every post"

            # What the dead process left: claims that never became posts (some of whose
            # messages may be out), minutes from going stale.
            left = await store.db.fetch_all(
                "SELECT id, guild_id, claimed_at FROM daily_posts "
                "WHERE status = 'claimed' AND claimed_by LIKE ?", (f"{bots[2].instance}%",))
            sent_unrecorded = sum(1 for row in left if fake.messages.get(daily[row[1]]))
            # Nobody else took over the dead process's servers meanwhile.
            assert posts(of_process[2]) == at_kill
            # The interview waits at its first question, whose answer is stored.
            found = await store.db.fetch_one(
                "SELECT id, status, position FROM interviews WHERE guild_id = ?",
                (int(kill_guild["id"]),))
            interview_id = found["id"]
            assert (found["status"], found["position"]) == ("active", 0)
            first_stored = await store.db.fetch_all(
                "SELECT a.question_id FROM answers a JOIN interview_questions q "
                "ON q.interview_id = a.interview_id AND q.question_id = a.question_id "
                "WHERE a.interview_id = ? AND q.position = 0", (interview_id,))
            assert len(first_stored) == 1

            restarted = await ShardProcess(fake, database, tmp_path / "p2", OWNED[2]).start()
            await restarted.wait_ready()
            assert shards_connected_by(fake, restarted) == [(s, SHARDS) for s in OWNED[2]]
            # The trainee goes on, as the restarted process posts the rest: the next
            # question, its answer, Finish.
            nxt = await (await fake.click(trainee, guidance, label="Next question",
                                          guild=kill_guild)).settled()
            assert "Question 2 of 2" in text_of(nxt.messages[-1])
            opened, submitted, guidance = await answer_in_thread(fake, trainee, kill_guild,
                                                                 nxt.messages[-1])
            assert "Finish" in labels(guidance)
            done = await (await fake.click(trainee, guidance, label="Finish",
                                           guild=kill_guild)).settled()
            summary = done.messages[-1]
            assert "Interview summary" in text_of(summary)
            # Both questions scored: "1. `id` topic — **score**/100", not "skipped".
            scored = re.findall(r"^\d+\. .* — \*\*\d+\*\*/100$",
                                summary["embeds"][0]["description"], re.MULTILINE)
            assert len(scored) == 2, text_of(summary)
            assert interactions_heard_by(fake, restarted) == {
                i.id for i in (nxt, opened, submitted, done)}
            await fake.wait_until(lambda: all(fake.messages.get(c) for c in daily.values()),
                                  timeout=30)

            async def all_settled() -> bool:
                row = await store.db.fetch_one(
                    "SELECT COUNT(*) FROM daily_posts WHERE status = 'posted'")
                return bool(row[0] == len(daily))

            await poll(all_settled, 20, "every day recorded as posted")
        finally:
            codes = await asyncio.gather(*(b.stop() for b in (*bots.values(), restarted)
                                           if b is not None))
        assert codes[0] == 0 and codes[2] == 0 and codes[-1] == 0, codes

        # Every server: exactly one daily message, sent once, and the one recorded.
        counts = {gid: len(fake.messages.get(c, [])) for gid, c in daily.items()}
        assert sorted(set(counts.values())) == [1], {g: n for g, n in counts.items() if n != 1}
        sends: dict[int, int] = {}
        for r in fake.requests:
            if r.method == "POST" and r.path.endswith("/messages"):
                channel = int(r.path.split("/")[2])
                sends[channel] = sends.get(channel, 0) + 1
        # Sent once, too: the fake, unlike Discord, honours a nonce for ever, so a second
        # send of one day would not show as a second message.
        assert [c for c in daily.values() if sends.get(c) != 1] == []
        rows = await store.db.fetch_all("SELECT guild_id, message_id FROM daily_posts")
        assert {int(r[0]): int(r[1]) for r in rows} == {
            gid: int(fake.messages[c][0]["id"]) for gid, c in daily.items()}
        later = datetime.now(UTC)
        for gid in daily:  # every schedule moved on to tomorrow: nothing more is due today
            schedule = await store.daily.schedule(gid)
            assert schedule is not None and schedule.next_due_at > later
        # No answer lost, none doubled: the three given before process 2 started, and one
        # to each question of the interview the kill came in the middle of.
        assert (await store.db.fetch_one("SELECT COUNT(*) FROM answers"))[0] == 5
        per_question = await store.db.fetch_all(
            "SELECT q.position, COUNT(a.id) FROM interview_questions q LEFT JOIN answers a "
            "ON a.interview_id = q.interview_id AND a.question_id = q.question_id "
            "WHERE q.interview_id = ? GROUP BY q.position ORDER BY q.position", (interview_id,))
        assert [(r[0], r[1]) for r in per_question] == [(0, 1), (1, 1)]
        row = await store.db.fetch_one("SELECT status FROM interviews WHERE id = ?",
                                       (interview_id,))
        assert row[0] == "finished"
        for bot in (bots[1], bots[3], restarted):
            assert bot is not None and not any("Traceback" in line for line in bot.log), \
                "".join(bot.log)
    print(f"\nkilled after {at_kill} of 100 posts; {len(left)} claims left, "
          f"{sent_unrecorded} of them sent but unrecorded; {time.monotonic() - started:.1f} s")
