"""Every extension loads, command names are unique, and Discord's limits hold for every
command and every piece of rendered guidance."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import discord
import pytest
from discord import app_commands

from bot.bank import Bank
from bot.coaching import give_feedback
from bot.coaching.render import Section
from bot.discord_app.client import PeerPrepBot
from bot.discord_app.embeds import (
    FIELD_LIMIT,
    MESSAGE_LIMIT,
    feedback_messages,
    group_for_messages,
    sections_to_embeds,
    split_text,
)
from bot.discord_app.extensions import EXTENSIONS
from bot.settings import load_settings
from bot.storage import Store


@pytest.fixture
async def bot(tmp_path: Path, bank: Bank) -> AsyncIterator[PeerPrepBot]:
    settings = load_settings({"DATA_DIR": str(tmp_path)}, env_file=None)
    # Entered, as python -m bot does: an AutoShardedBot can only be closed once it has been.
    async with (Store(tmp_path / "db.sqlite3") as store,
                PeerPrepBot(settings, bank, store, sync_commands=False) as client):
        await client.setup_hook()
        yield client


def walk(commands: list) -> list:
    out = []
    for command in commands:
        out.append(command)
        if isinstance(command, app_commands.Group):
            out.extend(walk(command.commands))
    return out


async def test_every_extension_loads(bot: PeerPrepBot):
    assert set(bot.extensions) == set(EXTENSIONS)


async def test_command_names_are_unique_and_within_limits(bot: PeerPrepBot):
    top = bot.tree.get_commands()
    names = [c.name for c in top]
    assert len(names) == len(set(names)), names
    for command in walk(top):
        assert 1 <= len(command.name) <= 32
        assert command.name == command.name.lower()
        assert 1 <= len(command.description) <= 100, command.qualified_name
        if isinstance(command, app_commands.Command):
            for param in command.parameters:
                assert len(param.description or "") <= 100
    expected = {"interview", "help", "settings", "privacy", "config", "daily", "streak",
                "progress", "cohort", "leaderboard"}
    assert expected <= set(names)


async def test_config_is_visible_to_facilitators_and_checked_in_code(bot: PeerPrepBot):
    """Discord applies default_permissions to the whole group, which would hide
    training-channel from facilitators by role; facilitator-role checks Manage Server in
    code (training-channel checks the facilitator role in its body: see the e2e test)."""
    config = bot.tree.get_command("config")
    assert config.default_permissions is None
    assert config.get_command("facilitator-role").checks


@pytest.mark.parametrize("limit", [10, 100, 1024])
def test_split_text_never_cuts_a_word(limit: int):
    text = " ".join(f"word{i}" for i in range(2000))
    pieces = split_text(text, limit)
    assert all(len(p) <= limit for p in pieces)
    assert " ".join(pieces).split() == text.split()


def test_long_guidance_is_split_within_every_limit(bank: Bank):
    sections = [Section(f"Section {i}", "A sentence of guidance. " * 120) for i in range(12)]
    messages = group_for_messages(sections_to_embeds(sections, title="T"))
    assert len(messages) > 1
    for embeds in messages:
        assert len(embeds) <= 10
        assert sum(len(e) for e in embeds) <= MESSAGE_LIMIT
        for embed in embeds:
            assert all(len(f.value) <= FIELD_LIMIT for f in embed.fields)
            assert len(embed.fields) <= 25
    text = " ".join(f.value for m in messages for e in m for f in e.fields)
    assert text.split() == " ".join(s.body for s in sections).split()


def test_every_question_renders_within_limits(bank: Bank):
    for question in bank:
        feedback = give_feedback(question, question.example_answer + " I want to die.")
        for embeds in feedback_messages(question, feedback, ("988",)):
            assert sum(len(e) for e in embeds) <= MESSAGE_LIMIT
            assert isinstance(embeds[0], discord.Embed)


async def test_help_names_every_command(bot: PeerPrepBot):
    from bot.discord_app.extensions.general import COMMANDS
    for command in walk(bot.tree.get_commands()):
        if isinstance(command, app_commands.Group):
            continue
        parent = command.parent.name if command.parent else None
        if parent is None:
            assert f"/{command.name}" in COMMANDS, command.qualified_name
        else:
            assert f"/{parent}" in COMMANDS and command.name in COMMANDS, command.qualified_name
    assert len(COMMANDS) <= FIELD_LIMIT
