"""``python -m bot run`` (the default): start the Discord bot."""

from __future__ import annotations

import argparse
import asyncio

from bot.cli import common
from bot.settings import SettingsError


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("run", help="run the Discord bot (the default command)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = common.settings()
    try:
        token = settings.require_token()
    except SettingsError as exc:
        raise common.CliError(str(exc)) from None
    bank = common.bank(settings.content_dir)
    # Open (and migrate) the database once before connecting to Discord, so a DATA_DIR or
    # DATABASE_PATH that can't be used is one line naming it, as for every other command.
    with asyncio.Runner() as runner, common.opened_store(runner, settings):
        pass
    from bot.discord_app.main import run_bot  # imported late: discord.py is slow to import

    quiet_about_voice()
    return run_bot(settings, bank, token)


def quiet_about_voice() -> None:
    """PeerPrep has no voice features, so discord.py's warnings that the voice libraries
    (PyNaCl, davey) are missing say nothing useful, and they would print ahead of
    PeerPrep's own one-line error (a rejected token, an unreachable Discord). The client
    warns only while these flags are set."""
    import discord

    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False
