"""Where an interview runs, and where what it shows is seen: one name for each place.

An interview runs in a person's DM with PeerPrep, in a private thread of a server, in a
server channel by messages only the trainee sees (``EPHEMERAL``: when no private thread
could be made), or in a terminal (``python -m bot practice``). A Discord button or form used
anywhere but its interview's DM or thread (say after /interview resume in a channel)
answers the same way, ``EPHEMERAL``. ``Place`` is a ``StrEnum``, so a place
read back from the database as text compares equal to its member.
"""

from __future__ import annotations

from enum import StrEnum


class Place(StrEnum):
    DM = "dm"                # the person's own DM with PeerPrep
    THREAD = "thread"        # a private thread in a server
    TERMINAL = "terminal"    # python -m bot practice
    EPHEMERAL = "ephemeral"  # elsewhere on Discord: messages only the trainee sees

    @classmethod
    def of(cls, name: str | None) -> Place:
        """The place named ``name``; anything unknown is the most private, ``EPHEMERAL``."""
        try:
            return cls(name or "")
        except ValueError:
            return cls.EPHEMERAL
