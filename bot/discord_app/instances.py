"""How this bot process names itself in daily claims, and whether the process a claim names
has ended.

A name is ``host:pid:started``. A claim left by a process of this machine that is no longer
running (killed, crashed, restarted) can be taken over at once; one from another machine
can't be checked from here and waits out STALE_CLAIM as before. ``started`` tells this
process apart from an earlier one that had the same pid (a container restarted: the bot is
often pid 1 again)."""

from __future__ import annotations

import os
import socket
import time

_STARTED = str(time.time_ns() // 1_000_000)


def this_instance() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{_STARTED}"


def has_ended(instance: str) -> bool:
    """Whether ``instance`` names a process of this machine that is not running. False when
    it can't tell: another machine, a name of another form, a pid now in use (perhaps by
    another program: then the claim waits out STALE_CLAIM, the safe side)."""
    host, _, rest = instance.partition(":")
    pid_text, _, started = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return started != _STARTED  # an earlier process that had this pid
    try:
        os.kill(pid, 0)  # no signal: only whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, under another user
        return False
    return False
