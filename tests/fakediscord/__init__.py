"""A fake Discord for end-to-end tests of the real discord.py client (see server.py)."""

from tests.fakediscord.server import FakeDiscord, Interaction, Request

__all__ = ["FakeDiscord", "Interaction", "Request"]
