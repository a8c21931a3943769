"""``python -m bot``: open the database, build the bot, run it until stopped."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

import aiohttp
import discord
import yarl

from bot.bank import Bank
from bot.discord_app.client import PeerPrepBot
from bot.settings import Settings
from bot.storage import EncryptionKeyError, StorageError, Store
from bot.storage.files import private_data_dir

log = logging.getLogger("bot")


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # At DEBUG, discord.py logs whole gateway payloads and aiosqlite every statement with its
    # parameters: answer text included. Neither goes below INFO, whatever LOG_LEVEL says.
    for noisy in ("discord", "aiosqlite"):
        logging.getLogger(noisy).setLevel(max(logging.INFO, getattr(logging, level)))


def point_at(settings: Settings) -> None:
    """Use the configured REST and gateway addresses (Discord's own unless a proxy is set)."""
    discord.http.Route.BASE = settings.discord_api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


async def serve(settings: Settings, bank: Bank, token: str) -> int:
    point_at(settings)
    if settings.database_url is None:
        private_data_dir(settings.data_dir, settings.database_path)
    try:
        async with Store(settings.database, pool_size=settings.database_pool_size) as store:
            await store.unlock(settings.data_encryption_key)
            async with PeerPrepBot(settings, bank, store,
                                   guild_ready_timeout=settings.guild_ready_timeout) as bot:
                if await run_until_stopped(bot, token):
                    log.info("stopped")
    except discord.LoginFailure:
        print("error: Discord rejected DISCORD_TOKEN: check it in the Developer Portal "
              "(Bot -> Reset Token) and in your .env", file=sys.stderr)
        return 2
    except discord.PrivilegedIntentsRequired:  # PeerPrep asks for none; a proxy might
        print("error: Discord refused the requested intents", file=sys.stderr)
        return 2
    except discord.ConnectionClosed as exc:  # a close discord.py does not reconnect from
        print(f"error: {gateway_refusal(exc)}", file=sys.stderr)
        return 2
    except (aiohttp.ClientError, discord.GatewayNotFound) as exc:
        # Only at start-up: once connected, discord.py reconnects by itself after an outage.
        print(f"error: cannot reach Discord at {settings.discord_api_base} ({exc}): check the "
              "network, or DISCORD_API_BASE / DISCORD_GATEWAY_URL if you use a proxy",
              file=sys.stderr)
        return 1
    except EncryptionKeyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except StorageError as exc:
        print(f"error: cannot use the database {settings.database_label}: {exc}",
              file=sys.stderr)
        return 1
    return 0


def gateway_refusal(exc: discord.ConnectionClosed) -> str:
    """What a gateway close that ends the bot means, and what to change (starting again
    unchanged would be refused again, and each start spends one of the bot's identifies a
    day, past which Discord resets its token)."""
    if exc.code == 4011:
        return ("Discord says this bot needs more shards (close code 4011): a shard may hold "
                "at most 2,500 servers. Raise SHARD_COUNT, the same in every process, or "
                "unset SHARD_COUNT and SHARD_IDS to take Discord's recommended count")
    if exc.code == 4010:
        return ("Discord refused this process's shard (close code 4010): check SHARD_COUNT "
                "and SHARD_IDS")
    return (f"Discord closed the connection for good (close code {exc.code}"
            f"{': ' + exc.reason if exc.reason else ''})")


# How long a closing bot may take to finish starting or running once closed (seconds).
CLOSE_WAIT = 15.0


async def run_until_stopped(bot: discord.Client, token: str) -> bool:
    """Run the bot until it ends by itself (its error raised) or SIGINT or SIGTERM asks it to
    stop; then close it (it disconnects from Discord; a write under way still commits whole,
    as the store's close waits for it) and return True. A second signal stops the process
    at once.

    The signals set an event rather than cancel the bot's task, as asyncio.run's own Ctrl-C
    handling does: on Python 3.11 a cancellation that arrives as a shard's connection
    completes is lost inside ``asyncio.wait_for`` (fixed in 3.12), and the bot then ran on,
    deaf to the signal."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    running = asyncio.ensure_future(bot.start(token))
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
        for sig in signals:  # back to Python's own: a second signal ends the process
            loop.remove_signal_handler(sig)
    if not stop.is_set():
        running.result()  # the bot ended by itself: its error, if any
        return False
    await bot.close()
    done, _ = await asyncio.wait({running}, timeout=CLOSE_WAIT)
    if not done:
        running.cancel()
    elif not running.cancelled() and running.exception() is not None:
        # Closed mid-start (a connection cut short): a consequence of stopping.
        log.debug("the bot ended while stopping", exc_info=running.exception())
    return True


def run_bot(settings: Settings, bank: Bank, token: str) -> int:
    configure_logging(settings.log_level)
    stop_on_sigterm()
    try:
        return asyncio.run(serve(settings, bank, token))
    except KeyboardInterrupt:
        log.info("stopped")
        return 0


def stop_on_sigterm() -> None:
    """SIGTERM (what systemd, Docker and a Procfile's host send to stop or restart a worker)
    stops the bot as Ctrl-C does, where Python's own SIGTERM would end the process on the
    spot: before the bot runs (opening the database), as a KeyboardInterrupt; once it runs,
    ``run_until_stopped`` takes both signals over."""
    signal.signal(signal.SIGTERM, lambda *_: signal.raise_signal(signal.SIGINT))
