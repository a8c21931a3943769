"""The fake Discord refuses what Discord refuses, so a bot that breaks a rule fails its tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from tests.fakediscord import FakeDiscord, Interaction
from tests.fakediscord.payloads import snowflake


@pytest.fixture
async def http(fake: FakeDiscord) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(
            base_url=fake.api_base + "/",
            headers={"Authorization": f"Bot {fake.token}"}) as session:
        yield session


def interaction(fake: FakeDiscord, channel: dict[str, Any], kind: int = 2) -> Interaction:
    """An interaction as if a user had just acted; no bot needs to be connected."""
    iid = snowflake()
    record = Interaction(iid, f"itoken-{iid}", kind, {"channel_id": channel["id"]},
                         time.monotonic())
    fake.interactions[record.token] = record
    return record


async def callback(http: aiohttp.ClientSession, record: Interaction, body: dict[str, Any]
                   ) -> tuple[int, dict[str, Any]]:
    async with http.post(f"interactions/{record.id}/{record.token}/callback",
                         json=body) as response:
        return response.status, await response.json()


def modal(custom_id: str = "peerprep:form", title: str = "Your answer") -> dict[str, Any]:
    return {"type": 9, "data": {"custom_id": custom_id, "title": title, "components": [
        {"type": 1, "components": [{"type": 4, "custom_id": "text", "label": "Answer",
                                    "style": 2}]}]}}


async def test_a_response_after_3_seconds_is_unknown(fake: FakeDiscord, world, http):
    fake.ack_deadline = 0.2  # the rule, without making the test wait 3 s
    record = interaction(fake, world["training"])
    await asyncio.sleep(0.3)
    status, body = await callback(http, record, {"type": 5})
    assert (status, body["code"]) == (404, 10062)
    assert fake.rejections and "10062" in fake.rejections[0]
    fake.rejections.clear()


async def test_a_second_response_and_a_late_modal_are_refused(fake: FakeDiscord, world, http):
    record = interaction(fake, world["training"], kind=3)
    assert (await callback(http, record, {"type": 6}))[0] == 200
    status, body = await callback(http, record, {"type": 4, "data": {"content": "again"}})
    assert (status, body["code"]) == (400, 40060)
    status, body = await callback(http, record, modal())  # a modal only as the first response
    assert (status, body["code"]) == (400, 40060)
    assert len(fake.rejections) == 2
    fake.rejections.clear()


@pytest.mark.parametrize(("embed", "where"), [
    ({"description": "x" * 4097}, "description"),
    ({"title": "t" * 257}, "title"),
    ({"fields": [{"name": "n", "value": "v" * 1025}]}, "value"),
    ({"fields": [{"name": "n", "value": "v"}] * 26}, "fields"),
    ({"footer": {"text": "f" * 2049}}, "footer"),
])
async def test_embeds_over_a_limit_are_refused(fake: FakeDiscord, world, http,
                                               embed: dict[str, Any], where: str):
    async with http.post(f"channels/{world['training']['id']}/messages",
                         json={"embeds": [embed]}) as response:
        body = await response.json()
    assert (response.status, body["code"]) == (400, 50035)
    assert where in fake.rejections[0]
    assert fake.messages.get(int(world["training"]["id"])) is None  # nothing was posted
    fake.rejections.clear()


async def test_six_thousand_characters_per_message_in_all(fake: FakeDiscord, world, http):
    embeds = [{"description": "x" * 3000}, {"description": "y" * 3000}]
    record = interaction(fake, world["training"])
    status, _ = await callback(http, record, {"type": 4, "data": {"embeds": embeds}})
    assert status == 200  # exactly 6000 is allowed
    embeds.append({"title": "z"})
    record = interaction(fake, world["training"])
    status, body = await callback(http, record, {"type": 4, "data": {"embeds": embeds}})
    assert (status, body["code"]) == (400, 50035)
    fake.rejections.clear()


async def test_long_custom_ids_are_refused_on_buttons_and_forms(fake: FakeDiscord, world,
                                                                http):
    button = {"type": 1, "components": [{"type": 2, "style": 1, "label": "Go",
                                         "custom_id": "b" * 101}]}
    async with http.post(f"channels/{world['training']['id']}/messages",
                         json={"content": "hi", "components": [button]}) as response:
        assert response.status == 400
    status, _ = await callback(http, interaction(fake, world["training"], kind=3),
                               modal(custom_id="m" * 101))
    assert status == 400
    status, _ = await callback(http, interaction(fake, world["training"], kind=3),
                               modal(title="A form title longer than forty-five characters"))
    assert status == 400
    assert len(fake.rejections) == 3
    fake.rejections.clear()
