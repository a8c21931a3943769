"""How a bot process names itself in daily claims, and how it tells that another process
of its machine has ended (bot/discord_app/instances.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from bot.discord_app.instances import has_ended, machine, this_instance


def test_this_process_has_not_ended():
    assert this_instance().startswith(f"{machine()}:{os.getpid()}:")
    assert not has_ended(this_instance())


def test_a_process_of_this_machine_that_exited_has_ended():
    exited = subprocess.Popen([sys.executable, "-c", "pass"])
    exited.wait()
    assert has_ended(f"{machine()}:{exited.pid}:123")


def test_a_running_process_of_this_machine_has_not_ended():
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert not has_ended(f"{machine()}:{running.pid}:123")
    finally:
        running.kill()
        running.wait()


def test_an_earlier_process_with_this_pid_has_ended():
    """A container restarted: the bot may have the same pid as the one before it."""
    assert has_ended(f"{machine()}:{os.getpid()}:1")
    assert has_ended(f"{machine()}:{os.getpid()}")  # a name without a start


def test_what_it_cannot_tell_has_not_ended():
    assert not has_ended(f"another-{machine()}:1:1")  # another machine
    assert not has_ended(f"{socket.gethostname()}:1:1")  # an older PeerPrep's name
    assert not has_ended("shard-0")
    assert not has_ended(f"{machine()}:x:1")


def test_a_process_of_another_pid_namespace_is_never_taken_for_ended():
    """Containers sharing a host name (host networking) each have their own pids: one that
    does not exist here may be running there."""
    exited = subprocess.Popen([sys.executable, "-c", "pass"])
    exited.wait()
    host, _, namespace = machine().partition("/")
    assert host == socket.gethostname()
    assert has_ended(f"{machine()}:{exited.pid}:1")
    assert not has_ended(f"{host}/{namespace}0:{exited.pid}:1")
    assert not has_ended(f"{host}/:{exited.pid}:1")
