"""How a bot process names itself in daily claims, and how it tells that another process
of its machine has ended (bot/discord_app/instances.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from bot.discord_app.instances import has_ended, this_instance


def test_this_process_has_not_ended():
    assert this_instance().startswith(f"{socket.gethostname()}:{os.getpid()}:")
    assert not has_ended(this_instance())


def test_a_process_of_this_machine_that_exited_has_ended():
    exited = subprocess.Popen([sys.executable, "-c", "pass"])
    exited.wait()
    assert has_ended(f"{socket.gethostname()}:{exited.pid}:123")


def test_a_running_process_of_this_machine_has_not_ended():
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert not has_ended(f"{socket.gethostname()}:{running.pid}:123")
    finally:
        running.kill()
        running.wait()


def test_an_earlier_process_with_this_pid_has_ended():
    """A container restarted: the bot may have the same pid as the one before it."""
    assert has_ended(f"{socket.gethostname()}:{os.getpid()}:1")
    assert has_ended(f"{socket.gethostname()}:{os.getpid()}")  # a name without a start


def test_what_it_cannot_tell_has_not_ended():
    assert not has_ended(f"another-{socket.gethostname()}:1:1")  # another machine
    assert not has_ended("shard-0")
    assert not has_ended(f"{socket.gethostname()}:x:1")
