"""How this bot process names itself in daily claims, and whether the process a claim names
has ended.

A name is ``machine:pid:started``. A claim left by a process of this machine that is no
longer running (killed, crashed, restarted) can be taken over at once; one from another
machine can't be checked from here and waits out STALE_CLAIM as before. ``started`` tells
this process apart from an earlier one that had the same pid (a container restarted: the bot
is often pid 1 again).

The machine is the host name and the PID namespace: containers sharing a host name (host
networking) each have pids of their own, and a pid missing from this one says nothing of
a process in another: taking its claim would post a day that process is still posting."""

from __future__ import annotations

import os
import socket
import time

_STARTED = str(time.time_ns() // 1_000_000)


def _pid_namespace() -> str:
    """This process's PID namespace ("4026531836"), or "" where there is none to read."""
    try:
        return os.readlink("/proc/self/ns/pid").removeprefix("pid:[").removesuffix("]")
    except OSError:
        return ""


_MACHINE = f"{socket.gethostname()}/{_pid_namespace()}"


def machine() -> str:
    """Where this process's pids mean something: its host name and PID namespace."""
    return _MACHINE


def this_instance() -> str:
    return f"{_MACHINE}:{os.getpid()}:{_STARTED}"


def has_ended(instance: str) -> bool:
    """Whether ``instance`` names a process of this machine that is not running. False when
    it can't tell: another machine or PID namespace, a name of another form (an older
    PeerPrep's), a pid now in use (perhaps by
    another program: then the claim waits out STALE_CLAIM, the safe side)."""
    where, _, rest = instance.partition(":")
    pid_text, _, started = rest.partition(":")
    if where != _MACHINE or not pid_text.isdigit():
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
