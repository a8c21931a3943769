"""A TCP proxy on 127.0.0.1 between a store and the PostgreSQL server of the tests, which a
test can cut: the server as PeerPrep sees it going away and coming back, without touching
the real server (it is shared).

``cut()`` closes every connection through it at once; ``refuse()`` stops listening (a new
connection is refused, as by a server that is down) and ``accept()`` listens again on the
same port. ``silence()`` accepts connections and never answers on them; ``freeze()`` stops
passing anything on, on the connections already open too (a network partition: nothing is
closed, nothing arrives) until ``thaw()``; ``refuse_with()``
answers their login with an error, as the server itself can; ``linger`` leaves a client's
end open after the server closed its own. ``cut_at_commit()`` arms a trap for the next
``COMMIT`` sent through it."""

from __future__ import annotations

import asyncio
import contextlib
import struct
from urllib.parse import urlsplit, urlunsplit

_SSL_REQUEST = struct.pack("!i", 80877103)


class _Pair:
    """One client connection and its connection to the server."""

    def __init__(self, client: asyncio.StreamWriter, server: asyncio.StreamWriter) -> None:
        self.client, self.server = client, server
        self.swallow: CommitTrap | None = None  # the server's next bytes are not passed on

    def close(self, *, at_once: bool = True) -> None:
        """Close both ends: ``at_once`` (what was not sent yet is lost, as when a network or a
        machine goes), or after what was already passed on has been sent."""
        for writer in (self.client, self.server):
            if at_once:
                writer.transport.abort()
            else:
                writer.close()


class CommitTrap:
    """The next ``COMMIT`` through the proxy: ``forward`` it to the server and drop the
    connection before its answer comes back (the commit is made, PeerPrep never hears), or
    drop the connection without sending it (nothing is committed)."""

    def __init__(self, forward: bool) -> None:
        self.forward = forward
        self.sprung = asyncio.Event()


class Proxy:
    def __init__(self, target_url: str) -> None:
        parts = urlsplit(target_url)
        self.target_url = target_url
        self.target = (parts.hostname or "127.0.0.1", parts.port or 5432)
        self.port = 0
        self.accepted = 0  # connections accepted so far
        self._server: asyncio.Server | None = None
        self._pairs: set[_Pair] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._trap: CommitTrap | None = None
        self._silent = False
        self._refusal: bytes | None = None  # the ErrorResponse new connections get
        # When the server closes a connection, leave the client's end open (as when the
        # server's last words have arrived and its closing not yet); ``server_left`` is set
        # once the last words have been passed on.
        self.linger = False
        self.server_left = asyncio.Event()
        self._held: list[asyncio.StreamWriter] = []  # connections accepted while silent
        self._flowing = asyncio.Event()  # cleared while frozen: bytes wait, nothing closes
        self._flowing.set()

    async def __aenter__(self) -> Proxy:
        await self.accept()
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.refuse()
        self.cut()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    @property
    def url(self) -> str:
        """The target URL, through the proxy."""
        parts = urlsplit(self.target_url)
        user = f"{parts.username}@" if parts.username else ""
        return urlunsplit((parts.scheme, f"{user}127.0.0.1:{self.port}", parts.path,
                           parts.query, parts.fragment))

    async def accept(self) -> None:
        """Listen (again, on the same port) and pass new connections on to the server."""
        self._silent, self._refusal = False, None
        if self._server is None:
            self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
            self.port = self._server.sockets[0].getsockname()[1]

    def refuse(self) -> None:
        """Stop listening: new connections are refused. Those open stay open."""
        if self._server is not None:
            self._server.close()
            self._server = None

    def silence(self) -> None:
        """From now on, accept connections and never answer on them (a server or network
        that stops answering); they stay open until cut."""
        self._silent = True

    def freeze(self) -> None:
        """From now on pass nothing on, either way, on any connection, and answer no new
        one: a server or network that goes silent in the middle of a statement."""
        self._silent = True
        self._flowing.clear()

    def thaw(self) -> None:
        """Pass on again what was held, and serve new connections."""
        self._silent = False
        self._flowing.set()

    def refuse_with(self, sqlstate: str, message: str) -> None:
        """From now on, answer a new connection's login with this error, as the server does
        when it has no connection to spare (53300) or is starting up (57P03)."""
        fields = b"".join(kind + text.encode() + b"\0" for kind, text in (
            (b"S", "FATAL"), (b"V", "FATAL"), (b"C", sqlstate), (b"M", message)))
        body = fields + b"\0"
        self._refusal = b"E" + struct.pack("!i", len(body) + 4) + body

    def cut(self) -> int:
        """Close every connection through the proxy at once; how many there were."""
        pairs, self._pairs = self._pairs, set()
        for pair in pairs:
            pair.close()
        held, self._held = self._held, []
        for writer in held:
            writer.transport.abort()
        return len(pairs)

    def cut_at_commit(self, *, forward: bool) -> CommitTrap:
        self._trap = CommitTrap(forward)
        return self._trap

    async def _serve(self, client_in: asyncio.StreamReader,
                     client_out: asyncio.StreamWriter) -> None:
        self.accepted += 1
        if self._silent:
            self._held.append(client_out)
            return
        if self._refusal is not None:
            await self._refuse_login(client_in, client_out, self._refusal)
            return
        try:
            server_in, server_out = await asyncio.open_connection(*self.target)
        except OSError:
            client_out.transport.abort()
            return
        pair = _Pair(client_out, server_out)
        self._pairs.add(pair)
        for pump in (self._to_server(pair, client_in), self._to_client(pair, server_in)):
            task = asyncio.create_task(pump)
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _refuse_login(source: asyncio.StreamReader, client: asyncio.StreamWriter,
                            refusal: bytes) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while True:  # an SSLRequest first (answered "no"), then the startup message
                size = struct.unpack("!i", await source.readexactly(4))[0]
                body = await source.readexactly(size - 4)
                if body[:4] != _SSL_REQUEST:
                    break
                client.write(b"N")
            client.write(refusal)
            await client.drain()
        client.close()

    async def _to_server(self, pair: _Pair, source: asyncio.StreamReader) -> None:
        with contextlib.suppress(OSError):
            while data := await source.read(65536):
                # A simple-protocol query ('Q'), as asyncpg sends COMMIT.
                if self._trap is not None and data[:1] == b"Q" and b"COMMIT" in data:
                    trap, self._trap = self._trap, None
                    if not trap.forward:
                        self._drop(pair, trap)
                        return
                    pair.swallow = trap
                await self._flowing.wait()
                pair.server.write(data)
                await pair.server.drain()
        self._drop(pair, at_once=False)  # one end closed: close the other

    async def _to_client(self, pair: _Pair, source: asyncio.StreamReader) -> None:
        with contextlib.suppress(OSError):
            while data := await source.read(65536):
                if pair.swallow is not None:  # the answer to the trapped COMMIT
                    self._drop(pair, pair.swallow)
                    return
                await self._flowing.wait()
                pair.client.write(data)
                await pair.client.drain()
        if self.linger:
            pair.server.close()
            self.server_left.set()
            return
        self._drop(pair, at_once=False)

    def _drop(self, pair: _Pair, trap: CommitTrap | None = None, *,
              at_once: bool = True) -> None:
        self._pairs.discard(pair)
        pair.close(at_once=at_once)
        if trap is not None:
            trap.sprung.set()
