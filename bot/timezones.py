"""Time zones: which names are valid, each name's canonical spelling, and "did you mean".

The one rule everywhere (settings, the command line, Discord, the engine): a time zone is
an IANA name this computer's time-zone database lists (``zoneinfo.available_timezones``),
spelled as it lists it. Someone typing one may get the case wrong (``europe/london``):
``canonical`` finds the name they meant; for a near miss (``Europe/Londn``,
``America/New York``) ``suggestions`` gives the nearest names, to ask rather than guess.
"""

from __future__ import annotations

import difflib
from functools import cache
from zoneinfo import available_timezones

EXAMPLES = "use an IANA name such as Europe/London, America/New_York or Asia/Kolkata"


@cache
def names() -> frozenset[str]:
    """Every valid time-zone name."""
    return frozenset(available_timezones())


@cache
def _by_fold() -> dict[str, str]:
    return {_fold(name): name for name in names()}


@cache
def listed() -> tuple[str, ...]:
    """The names to offer in a list, sorted: regions' zones (``Area/City``) and UTC, without
    the old aliases (``EST``, ``GB``...), which remain valid when typed."""
    return tuple(sorted(z for z in names() if "/" in z or z == "UTC"))


def _fold(name: str) -> str:
    return name.strip().casefold()


def is_valid(name: str) -> bool:
    """Whether ``name`` is a time zone, spelled exactly as listed."""
    return name in names()


def canonical(name: str) -> str | None:
    """The time zone ``name`` means, whatever its case and spaces around it; else None."""
    if is_valid(name):
        return name
    return _by_fold().get(_fold(name))


def suggestions(name: str, n: int = 3) -> list[str]:
    """The nearest time-zone names to a ``name`` that is none, best first."""
    by_fold = _by_fold()
    return [by_fold[m] for m in difflib.get_close_matches(_fold(name), list(by_fold), n=n,
                                                          cutoff=0.6)]


def did_you_mean(name: str) -> str:
    """For a refusal: "did you mean A or B?", or how a name looks when nothing is near."""
    close = suggestions(name)
    return ("did you mean " + " or ".join(close) + "?") if close else EXAMPLES


def matching(typed: str, limit: int = 25) -> list[str]:
    """Names to offer as someone types ``typed``: those containing it, any case."""
    needle = _fold(typed).replace(" ", "_")
    found = [z for z in listed() if needle in z.casefold()] if needle else list(listed())
    return found[:limit]
