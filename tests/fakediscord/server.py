"""A fake Discord on 127.0.0.1: REST and gateway enough for the real discord.py client.

The bot under test connects to it exactly as to Discord (set ``DISCORD_API_BASE`` and
``DISCORD_GATEWAY_URL``, or ``point_at`` in-process). Tests play the users: slash commands,
button clicks, form submissions and DMs arrive as gateway events, and every request the bot
makes is recorded. Faults can be injected (429 route or global, 5xx, 403), Discord's global
limit of 50 requests a second can be enforced, and the gateway can be dropped. A fault can
also strike after the request took effect (``lost_response``: the message exists, the bot
hears an error), and status 0 drops the connection without an answer.

Like Discord, it refuses what Discord refuses (see ``limits.py``): an interaction answered
more than 3 s after it was sent (10062), answered twice or a modal after the first response
(40060), and messages or forms over Discord's size limits (50035). Each refusal is kept in
``rejections``; the end-to-end fixture fails a test that caused one it did not expect.

Shards as on Discord: a connection that IDENTIFYs with ``shard: [id, count]`` gets READY
and GUILD_CREATE for the servers on its shard only (``(guild_id >> 22) % count == id``), a
server's events go to a connection of that server's shard, and DMs to one of shard 0.
One without ``shard`` gets everything. ``GET /gateway/bot`` recommends
``recommended_shards``. Server ids from ``snowflake()`` are consecutive and so all on one
shard: ``add_guild(shard=(id, count))`` makes a server on the shard chosen.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakediscord import payloads as P
from tests.fakediscord.limits import ACK_DEADLINE, InvalidBody, check_message, check_modal

log = logging.getLogger("fakediscord")
JSON = "application/json"
TOKEN_LIFETIME = 15 * 60
FORBIDDEN = {50013: "Missing Permissions", 50001: "Missing Access",
             50007: "Cannot send messages to this user"}  # a DM the user closed


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: list[tuple[str, bytes]]
    at: float
    status: int = 200


@dataclass
class Fault:
    matches: Callable[[Request], bool]
    status: int
    times: int
    retry_after: float = 0.05
    global_: bool = False
    code: int = 0
    lost_response: bool = False  # the request takes effect, but its answer is this fault


@dataclass
class Interaction:
    """One user action sent to the bot, and everything the bot answered to it."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    sent_at: float
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    followups: list[dict[str, Any]] = field(default_factory=list)
    original: dict[str, Any] | None = None
    first_response_at: float | None = None
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def acked(self) -> bool:
        return bool(self.callbacks)

    @property
    def ack_seconds(self) -> float | None:
        return None if self.first_response_at is None else self.first_response_at - self.sent_at

    @property
    def messages(self) -> list[dict[str, Any]]:
        """Every message the bot showed for this interaction: the original (a callback
        message or the edited deferral) and the follow-ups, in order."""
        out = [self.original] if self.original is not None else []
        return out + self.followups

    @property
    def ephemeral(self) -> bool:
        flags = [m.get("flags", 0) for m in self.messages]
        if self.callbacks:
            flags.append((self.callbacks[0].get("data") or {}).get("flags", 0) or 0)
        return any(f & 64 for f in flags)

    async def wait(self, predicate: Callable[[Interaction], bool] | None = None,
                   timeout: float = 10.0) -> Interaction:
        check = predicate or (lambda i: i.acked)
        deadline = time.monotonic() + timeout
        while not check(self):
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"interaction {self.id} never satisfied the wait: "
                                   f"callbacks={self.callbacks} followups={self.followups}")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), left)
        return self

    async def settled(self, messages: int = 1, timeout: float = 10.0) -> Interaction:
        """Wait until at least ``messages`` messages are visible (not just a deferral)."""
        return await self.wait(lambda i: len([m for m in i.messages if not m.get("_loading")])
                               >= messages, timeout)


class Gateway:
    """One bot's websocket connection."""

    def __init__(self, fake: FakeDiscord, ws: web.WebSocketResponse) -> None:
        self.fake = fake
        self.ws = ws
        self.seq = 0
        self.session_id = f"session-{P.snowflake()}"
        self.identified = asyncio.Event()
        self.intents = 0
        self.shard: tuple[int, int] | None = None  # (id, count) from IDENTIFY; None: all
        self.sent: list[dict[str, Any]] = []

    def carries(self, guild_id: int | None) -> bool:
        """Whether Discord sends this connection a server's events (None: a DM's)."""
        if self.shard is None:
            return True
        shard_id, count = self.shard
        return shard_id == (0 if guild_id is None else P.shard_of(guild_id, count))

    async def send(self, op: int, d: Any, t: str | None = None) -> None:
        frame: dict[str, Any] = {"op": op, "d": d, "s": None, "t": t}
        if op == 0:
            self.seq += 1
            frame["s"] = self.seq
            self.sent.append(frame)
        if not self.ws.closed:
            await self.ws.send_str(json.dumps(frame))

    async def dispatch(self, t: str, d: Any) -> None:
        await self.identified.wait()
        await self.send(0, d, t)


class FakeDiscord:
    def __init__(self, *, app_id: int = 900_000_000_000_000_001, token: str = "fake-token",
                 ack_deadline: float = ACK_DEADLINE) -> None:
        self.app_id = app_id
        self.token = token
        self.ack_deadline = ack_deadline
        self.rejections: list[str] = []  # requests refused as Discord would: "code path: why"
        self.bot_user = P.user(app_id, "PeerPrep", bot=True)
        self.requests: list[Request] = []
        self.unknown_routes: list[str] = []
        self.faults: list[Fault] = []
        # Discord closes an IDENTIFY whose shard would hold more servers than this with 4011
        # ("sharding required"); a test lowers it to see what the bot does then.
        self.max_guilds_per_shard = 2500
        # Awaited as each REST request arrives, before it takes effect: what happens
        # elsewhere meanwhile (another bot process writing, say).
        self.on_request: Callable[[Request], Awaitable[None]] | None = None
        self.forbidden: dict[int, int] = {}  # channel id -> Discord error code
        self.deleted: set[int] = set()
        self.enforce_global_limit: float | None = None
        self.global_429s = 0
        self._window: deque[float] = deque()
        self.guilds: dict[int, dict[str, Any]] = {}
        self.channels: dict[int, dict[str, Any]] = {}
        self.messages: dict[int, list[dict[str, Any]]] = {}
        self.message_index: dict[int, dict[str, Any]] = {}
        self.deleted_messages: list[int] = []  # ids the bot deleted, in order
        self.users: dict[int, dict[str, Any]] = {}
        self.members: dict[tuple[int, int], dict[str, Any]] = {}
        self.thread_members: dict[int, set[int]] = {}
        self.dms: dict[int, int] = {}  # user id -> DM channel id
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.interactions: dict[str, Interaction] = {}
        self.gateways: list[Gateway] = []
        self.gateway_changed = asyncio.Event()
        self.sessions: dict[str, tuple[int, int] | None] = {}  # session id -> its shard
        self.recommended_shards = 1  # what GET /gateway/bot answers
        self.gateway_bot_url: str | None = None  # its url, if not this fake's gateway
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.changed = asyncio.Event()

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> FakeDiscord:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("GET", "/", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        # A deep accept queue: a burst of new connections (200 trainees at once) must not
        # overflow it, or the kernel drops SYNs and the client retries a second later.
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def close(self) -> None:
        for gw in list(self.gateways):
            await gw.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/"

    # -- the world ------------------------------------------------------------------------------

    def add_user(self, name: str, user_id: int | None = None) -> dict[str, Any]:
        u = P.user(user_id or P.snowflake(), name)
        self.users[int(u["id"])] = u
        return u

    def add_guild(self, name: str = "Peer Training", channels: tuple[str, ...] = ("training",),
                  members: tuple[dict[str, Any], ...] = (), admin: dict[str, Any] | None = None,
                  shard: tuple[int, int] | None = None) -> dict[str, Any]:
        """A server; with ``shard`` (id, count), one whose id puts it on that shard."""
        guild_id = P.snowflake() if shard is None else P.snowflake_on(*shard)
        owner = admin or self.add_user("owner")
        roles = [P.role(guild_id, "@everyone", P.EVERYONE_PERMS, 0)]
        chans = [P.text_channel(P.snowflake(), guild_id, n, i) for i, n in enumerate(channels)]
        bot_role = P.role(P.snowflake(), "PeerPrep", P.ADMINISTRATOR, 2)
        roles.append(bot_role)
        mems = [P.member(self.bot_user, [int(bot_role["id"])])]
        mems += [P.member(m) for m in (owner, *members)]
        g = P.guild(guild_id, name, int(owner["id"]), chans, roles, mems)
        self.guilds[guild_id] = g
        for c in chans:
            self.channels[int(c["id"])] = c
        for m in mems:
            self.members[(guild_id, int(m["user"]["id"]))] = m
        return g

    def add_role(self, guild: dict[str, Any], name: str) -> dict[str, Any]:
        """A role in the guild as the bot will first see it (before it connects)."""
        r = P.role(P.snowflake(), name, 0, 1)
        guild["roles"].append(r)
        return r

    async def create_role(self, guild: dict[str, Any], name: str) -> dict[str, Any]:
        """A role an admin creates while the bot is connected: GUILD_ROLE_CREATE to each."""
        r = self.add_role(guild, name)
        for gw in self.carriers(int(guild["id"])):
            await gw.dispatch("GUILD_ROLE_CREATE", {"guild_id": guild["id"], "role": r})
        return r

    async def give_role(self, guild: dict[str, Any], u: dict[str, Any], r: dict[str, Any]
                        ) -> None:
        """Give a member a role: GUILD_MEMBER_UPDATE, and their next interactions carry it."""
        m = self.members[(int(guild["id"]), int(u["id"]))]
        m["roles"] = [*m["roles"], r["id"]]
        for gw in self.carriers(int(guild["id"])):
            await gw.dispatch("GUILD_MEMBER_UPDATE", {"guild_id": guild["id"], **m})

    def channel_named(self, guild: dict[str, Any], name: str) -> dict[str, Any]:
        return next(c for c in guild["channels"] if c["name"] == name)

    def dm_channel_of(self, u: dict[str, Any]) -> int:
        uid = int(u["id"])
        if uid not in self.dms:
            cid = P.snowflake()
            self.channels[cid] = P.dm_channel(cid, u)
            self.dms[uid] = cid
        return self.dms[uid]

    # -- faults ---------------------------------------------------------------------------------

    def inject(self, route: str | Callable[[Request], bool], status: int, *, times: int = 1,
               retry_after: float = 0.05, global_: bool = False, method: str | None = None,
               code: int = 0, lost_response: bool = False) -> None:
        """Answer the next ``times`` matching requests with ``status`` (0: drop the
        connection). With ``lost_response`` the request is carried out first, as when
        Discord did the work but its answer never arrived."""
        if isinstance(route, str):
            pattern = re.compile(route)

            def matches(r: Request) -> bool:
                return bool(pattern.search(r.path)) and (method is None or r.method == method)
        else:
            matches = route
        self.faults.append(Fault(matches, status, times, retry_after, global_, code,
                                 lost_response))

    def forbid(self, channel_id: int, code: int = 50013) -> None:
        self.forbidden[channel_id] = code

    # -- gateway --------------------------------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        gw = Gateway(self, ws)
        await gw.send(10, {"heartbeat_interval": 41_250})
        try:
            async for msg in ws:
                if msg.type is not WSMsgType.TEXT:
                    continue
                frame = json.loads(msg.data)
                op, d = frame.get("op"), frame.get("d")
                if op == 1:
                    await gw.send(11, None)
                elif op == 2:
                    if d.get("token", "").removeprefix("Bot ") != self.token:
                        await ws.close(code=4004, message=b"Authentication failed.")
                        break
                    gw.intents = int(d.get("intents", 0))
                    shard = d.get("shard")
                    if shard is not None:
                        if not (isinstance(shard, list) and len(shard) == 2
                                and 0 <= int(shard[0]) < int(shard[1])):
                            await ws.close(code=4010, message=b"Invalid shard.")
                            break
                        gw.shard = (int(shard[0]), int(shard[1]))
                    held = sum(1 for gid in self.guilds
                               if gw.shard is None or P.shard_of(gid, gw.shard[1]) == gw.shard[0])
                    if held > self.max_guilds_per_shard:
                        await ws.close(code=4011, message=b"Sharding required.")
                        break
                    await self._ready(gw)
                elif op == 6:
                    await self._resume(gw, d)
        finally:
            if gw in self.gateways:
                self.gateways.remove(gw)
            self.gateway_changed.set()
        return ws

    async def _ready(self, gw: Gateway) -> None:
        self.gateways.append(gw)
        self.sessions[gw.session_id] = gw.shard
        gw.identified.set()
        guilds = [g for g in self.guilds.values() if gw.carries(int(g["id"]))]
        await gw.send(0, {
            "v": 10, "user": self.bot_user, "session_id": gw.session_id,
            "resume_gateway_url": self.gateway_url, "shard": list(gw.shard or (0, 1)),
            "guilds": [{"id": g["id"], "unavailable": True} for g in guilds],
            "application": {"id": str(self.app_id), "flags": 0},
            "private_channels": [], "relationships": [], "presences": [],
        }, "READY")
        for g in guilds:
            await gw.send(0, g, "GUILD_CREATE")
        self.gateway_changed.set()

    async def _resume(self, gw: Gateway, d: dict[str, Any]) -> None:
        old = next((g for g in self.gateways if g.session_id == d.get("session_id")), None)
        gw.session_id = d.get("session_id", gw.session_id)
        gw.shard = self.sessions.get(gw.session_id, old.shard if old else None)
        gw.seq = int(d.get("seq") or 0)
        if old is not None and old is not gw:
            self.gateways.remove(old)
        self.gateways.append(gw)
        gw.identified.set()
        await gw.send(0, {}, "RESUMED")
        self.resumes = getattr(self, "resumes", 0) + 1
        self.gateway_changed.set()

    async def wait_for_gateway(self, count: int = 1, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.gateways) < count:
            self.gateway_changed.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{len(self.gateways)} of {count} bots connected")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.gateway_changed.wait(), left)

    async def drop_gateway(self, code: int = 4000) -> None:
        """Close every bot connection as Discord does in an outage; they resume."""
        for gw in list(self.gateways):
            await gw.ws.close(code=code, message=b"dropped by the test")

    def carriers(self, guild_id: int | None) -> list[Gateway]:
        """The connections Discord sends a server's events to (None: a DM's), oldest first."""
        return [gw for gw in self.gateways if gw.carries(guild_id)]

    async def dispatch(self, t: str, d: Any, gateway: int = 0, timeout: float = 10.0) -> None:
        """Send an event to the ``gateway``-th connection (an index, so -1 is the newest)
        of those that carry it: of its server's shard, or of shard 0 for a DM."""
        guild_id = int(d["guild_id"]) if isinstance(d, dict) and d.get("guild_id") else None
        deadline = time.monotonic() + timeout
        while not -len(self.carriers(guild_id)) <= gateway < len(self.carriers(guild_id)):
            self.gateway_changed.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no connection {gateway} for guild {guild_id}'s events: "
                                   f"{len(self.carriers(guild_id))} carry them")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.gateway_changed.wait(), left)
        await self.carriers(guild_id)[gateway].dispatch(t, d)

    # -- user actions ---------------------------------------------------------------------------

    def _context(self, u: dict[str, Any], guild: dict[str, Any] | None,
                 channel: dict[str, Any] | None, permissions: int | None,
                 roles: list[int] | None) -> dict[str, Any]:
        if guild is None:
            cid = self.dm_channel_of(u)
            return {"user": u, "channel_id": str(cid), "channel": self.channels[cid],
                    "context": 1}
        gid = int(guild["id"])
        perms = P.EVERYONE_PERMS if permissions is None else permissions
        known = self.members.get((gid, int(u["id"])), {})
        given = [int(r) for r in known.get("roles", [])]
        m = P.member(u, given if roles is None else roles, perms)
        m["nick"] = known.get("nick")  # kept, as on Discord
        self.members[(gid, int(u["id"]))] = m
        chan = channel or guild["channels"][0]
        return {"guild_id": guild["id"], "member": m, "channel_id": chan["id"],
                "channel": chan, "context": 0}

    async def _interact(self, kind: int, data: dict[str, Any], u: dict[str, Any],
                        guild: dict[str, Any] | None, channel: dict[str, Any] | None,
                        permissions: int | None = None, roles: list[int] | None = None,
                        message: dict[str, Any] | None = None, gateway: int = 0
                        ) -> Interaction:
        iid = P.snowflake()
        token = f"itoken-{iid}"
        payload = {"id": str(iid), "application_id": str(self.app_id), "type": kind,
                   "data": data, "token": token, "version": 1, "locale": "en-US",
                   "guild_locale": "en-US", "app_permissions": str(P.ADMINISTRATOR),
                   "entitlements": [], "authorizing_integration_owners": {"0": "1"},
                   "attachment_size_limit": 10_000_000,
                   **self._context(u, guild, channel, permissions, roles)}
        if message is not None:
            payload["message"] = message
        record = Interaction(iid, token, kind, payload, time.monotonic())
        self.interactions[token] = record
        await self.dispatch("INTERACTION_CREATE", payload, gateway)
        return record

    def _command(self, name: str, guild: dict[str, Any] | None) -> dict[str, Any]:
        pools = [self.commands.get(int(guild["id"]) if guild else None, []),
                 self.commands.get(None, [])]
        for pool in pools:
            for command in pool:
                if command["name"] == name:
                    return command
        raise KeyError(f"the bot registered no command {name!r}")

    async def slash(self, u: dict[str, Any], command: str, *,
                    guild: dict[str, Any] | None = None, channel: dict[str, Any] | None = None,
                    permissions: int | None = None, roles: list[int] | None = None,
                    gateway: int = 0, options: dict[str, Any] | None = None,
                    **more_options: Any) -> Interaction:
        """Run ``/a b c`` with options; values of user, channel and role options are the
        fake's dicts. ``channel`` is where the command is used: pass an option of that name
        in ``options``."""
        options = {**(options or {}), **more_options}
        names = command.split()
        registered = self._command(names[0], guild)
        data: dict[str, Any] = {"id": registered["id"], "name": names[0], "type": 1}
        if guild:
            data["guild_id"] = guild["id"]
        resolved: dict[str, dict[str, Any]] = {}
        level, target = registered.get("options", []), data
        for sub in names[1:]:
            spec = next(o for o in level if o["name"] == sub)
            node = {"name": sub, "type": spec["type"], "options": []}
            target.setdefault("options", []).append(node)
            level, target = spec.get("options", []), node
        opts = target.setdefault("options", [])
        for key, value in options.items():
            name = key.replace("_", "-") if not any(o["name"] == key for o in level) else key
            spec = next(o for o in level if o["name"] == name)
            opts.append({"name": name, "type": spec["type"],
                         "value": self._option_value(spec["type"], value, resolved, guild)})
        if resolved:
            data["resolved"] = resolved
        return await self._interact(2, data, u, guild, channel, permissions, roles,
                                    gateway=gateway)

    def _option_value(self, kind: int, value: Any, resolved: dict[str, dict[str, Any]],
                      guild: dict[str, Any] | None) -> Any:
        if kind == 6:  # user / member
            resolved.setdefault("users", {})[value["id"]] = value
            if guild:
                resolved.setdefault("members", {})[value["id"]] = {
                    k: v for k, v in P.member(value, [], P.EVERYONE_PERMS).items() if k != "user"}
            return value["id"]
        if kind == 7:
            resolved.setdefault("channels", {})[value["id"]] = {
                **value, "permissions": str(P.ADMINISTRATOR)}
            return value["id"]
        if kind == 8:
            resolved.setdefault("roles", {})[value["id"]] = value
            return value["id"]
        return value

    async def click(self, u: dict[str, Any], msg: dict[str, Any], custom_id: str | None = None,
                    *, label: str | None = None, guild: dict[str, Any] | None = None,
                    gateway: int = 0) -> Interaction:
        """Press a button on ``msg`` by custom_id or by label."""
        if custom_id is None:
            custom_id = self.button(msg, label or "")["custom_id"]
        channel = self.channels.get(int(msg["channel_id"]))
        g = guild or (self.guilds.get(int(msg["guild_id"])) if msg.get("guild_id") else None)
        return await self._interact(3, {"custom_id": custom_id, "component_type": 2}, u, g,
                                    channel if g else None, message=msg, gateway=gateway)

    @staticmethod
    def buttons(msg: dict[str, Any]) -> list[dict[str, Any]]:
        return [c for row in msg.get("components") or [] for c in row.get("components", [])]

    def button(self, msg: dict[str, Any], label: str) -> dict[str, Any]:
        for b in self.buttons(msg):
            if b.get("label") == label:
                return b
        raise KeyError(f"no button {label!r} in {[b.get('label') for b in self.buttons(msg)]}")

    async def submit(self, u: dict[str, Any], modal: dict[str, Any], value: str, *,
                     guild: dict[str, Any] | None = None, channel: dict[str, Any] | None = None,
                     gateway: int = 0) -> Interaction:
        """Fill the form's first text input with ``value`` and submit it."""
        inputs = [c for row in modal.get("components", []) for c in
                  (row.get("components") or [row.get("component", {})])]
        first = inputs[0]
        data = {"custom_id": modal["custom_id"], "components": [
            {"type": 1, "components": [{"type": 4, "custom_id": first["custom_id"],
                                        "value": value}]}]}
        return await self._interact(5, data, u, guild, channel, gateway=gateway)

    async def send_dm(self, u: dict[str, Any], content: str, gateway: int = 0
                      ) -> dict[str, Any]:
        cid = self.dm_channel_of(u)
        msg = P.message(P.snowflake(), cid, u, {"content": content})
        await self.dispatch("MESSAGE_CREATE", msg, gateway)
        return msg

    # -- waiting on the bot ---------------------------------------------------------------------

    async def wait_for_message(self, channel_id: int, count: int = 1, timeout: float = 10.0
                               ) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(self.messages.get(channel_id, [])) < count:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{len(self.messages.get(channel_id, []))} of {count} "
                                   f"messages in channel {channel_id}")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), left)
        return self.messages[channel_id]

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("condition never held")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), min(left, 0.2))

    def _notify(self, record: Interaction | None = None) -> None:
        self.changed.set()
        if record is not None:
            record.changed.set()

    # -- REST -----------------------------------------------------------------------------------

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["path"]
        body, files = await _read_body(request)
        record = Request(request.method, path, dict(request.query), body, files,
                         time.monotonic())
        self.requests.append(record)
        if self.on_request is not None:
            await self.on_request(record)
        interaction_route = path.startswith(("/interactions/", "/webhooks/"))
        if not interaction_route:
            if request.headers.get("Authorization") != f"Bot {self.token}":
                record.status = 401
                return _json({"message": "401: Unauthorized", "code": 0}, 401)
            limited = self._global_limit()
            if limited is not None:
                record.status = 429
                return limited
        for fault in self.faults:
            if fault.times > 0 and fault.matches(record):
                fault.times -= 1
                if fault.lost_response:
                    with contextlib.suppress(_Error):
                        await self._route(request.method, path, body, files, record)
                        self._notify()
                record.status = fault.status
                if fault.status == 0:
                    if request.transport is not None:
                        request.transport.close()
                    return web.Response(status=204)  # never reaches the bot
                return _fault(fault)
        try:
            status, data = await self._route(request.method, path, body, files, record)
        except InvalidBody as exc:
            record.status = 400
            self.rejections.append(f"50035 {request.method} {path}: {exc}")
            return _json({"message": "Invalid Form Body", "code": 50035,
                          "errors": exc.errors()}, 400)
        except _Error as exc:
            record.status = exc.status
            if exc.refusal:
                self.rejections.append(f"{exc.code} {request.method} {path}: {exc.message}")
            return _json({"message": exc.message, "code": exc.code}, exc.status)
        record.status = status
        self._notify()
        if status == 204:
            return web.Response(status=204, headers=_bucket(path))
        return _json(data, status, _bucket(path))

    def _global_limit(self) -> web.Response | None:
        if self.enforce_global_limit is None:
            return None
        now = time.monotonic()
        while self._window and now - self._window[0] >= 1.0:
            self._window.popleft()
        if len(self._window) >= self.enforce_global_limit:
            self.global_429s += 1
            retry = 1.0 - (now - self._window[0])
            return _json({"message": "You are being rate limited.", "retry_after": retry,
                          "global": True, "code": 0}, 429,
                         {"Retry-After": f"{retry:.3f}", "X-RateLimit-Global": "true",
                          "X-RateLimit-Scope": "global"})
        self._window.append(now)
        return None

    async def _route(self, method: str, path: str, body: Any, files: list[tuple[str, bytes]],
                     record: Request) -> tuple[int, Any]:
        parts = path.strip("/").split("/")
        key = (method, "/".join(p if not p.isdigit() and not p.startswith("itoken-") else "#"
                                for p in parts))
        if key == ("GET", "users/@me"):
            return 200, self.bot_user
        if key == ("GET", "gateway/bot"):
            return 200, {"url": self.gateway_bot_url or self.gateway_url,
                         "shards": self.recommended_shards,
                         "session_start_limit": {"total": 1000, "remaining": 999,
                                                 "reset_after": 14_400_000,
                                                 "max_concurrency": 1}}
        if key == ("GET", "oauth2/applications/@me"):
            return 200, {"id": str(self.app_id), "name": "PeerPrep", "description": "",
                         "icon": None, "bot_public": True, "bot_require_code_grant": False,
                         "owner": P.user(1, "owner"), "verify_key": "00", "flags": 0,
                         "team": None, "summary": ""}
        if method == "PUT" and parts[0] == "applications" and parts[-1] == "commands":
            guild_id = int(parts[3]) if len(parts) > 3 and parts[2] == "guilds" else None
            commands = [{**c, "id": str(P.snowflake()), "application_id": str(self.app_id),
                         "version": "1", **({"guild_id": str(guild_id)} if guild_id else {})}
                        for c in body]
            self.commands[guild_id] = commands
            return 200, commands
        if method == "GET" and parts[0] == "applications" and parts[-1] == "commands":
            guild_id = int(parts[3]) if len(parts) > 3 and parts[2] == "guilds" else None
            return 200, self.commands.get(guild_id, [])
        if key == ("POST", "users/@me/channels"):
            u = self.users.get(int(body["recipient_id"])) or P.user(int(body["recipient_id"]),
                                                                    "someone")
            return 200, self.channels[self.dm_channel_of(u)]
        if key == ("POST", "channels/#/messages"):
            return 200, self._create_message(int(parts[1]), body, files)
        if key == ("GET", "channels/#/messages"):
            return 200, self._history(int(parts[1]), record.query)
        if key == ("PATCH", "channels/#/messages/#"):
            return 200, self._edit_message(int(parts[3]), body)
        if key == ("DELETE", "channels/#/messages/#"):
            self._delete_message(int(parts[1]), int(parts[3]))
            return 204, None
        if key == ("GET", "guilds/#/members/#"):  # one member: needs no privileged intent
            found = self.members.get((int(parts[1]), int(parts[3])))
            if found is None:
                raise _Error(404, "Unknown Member", 10007)
            return 200, found
        if key == ("GET", "channels/#"):
            return 200, self._channel(int(parts[1]))
        if key == ("POST", "channels/#/threads"):
            return 201, self._thread(int(parts[1]), body)
        if key == ("POST", "channels/#/messages/#/threads"):
            return 201, self._thread(int(parts[1]), {**body, "type": 11})
        if key == ("PUT", "channels/#/thread-members/#"):
            self._channel(int(parts[1]))
            self.thread_members.setdefault(int(parts[1]), set()).add(int(parts[3]))
            return 204, None
        if key == ("POST", "interactions/#/#/callback"):
            return self._callback(parts[2], body, files)
        if parts[0] == "webhooks" and len(parts) >= 3:
            return self._webhook(method, parts, body, files)
        self.unknown_routes.append(f"{method} {path}")
        log.warning("fake Discord has no route for %s %s", method, path)
        raise _Error(404, "404: Not Found (the fake Discord has no such route)", 0)

    def _channel(self, channel_id: int) -> dict[str, Any]:
        if channel_id in self.deleted or channel_id not in self.channels:
            raise _Error(404, "Unknown Channel", 10003)
        if channel_id in self.forbidden:
            code = self.forbidden[channel_id]
            raise _Error(403, FORBIDDEN.get(code, "Missing Access"), code)
        return self.channels[channel_id]

    def _create_message(self, channel_id: int, body: dict[str, Any],
                        files: list[tuple[str, bytes]]) -> dict[str, Any]:
        channel = self._channel(channel_id)
        nonce = body.get("nonce")
        if nonce is not None and body.get("enforce_nonce"):
            # Discord returns the message already made with this nonce instead of a second.
            for earlier in self.messages.get(channel_id, []):
                if earlier.get("nonce") == str(nonce):
                    return earlier
        check_message(body)
        attachments = [{"id": str(P.snowflake()), "filename": name, "size": len(data),
                        "url": f"https://cdn.invalid/{name}", "proxy_url": "",
                        "_bytes": data} for name, data in files]
        msg = P.message(P.snowflake(), channel_id, self.bot_user,
                        {**body, "attachments": attachments},
                        guild_id=int(channel["guild_id"]) if channel.get("guild_id") else None)
        if nonce is not None:
            msg["nonce"] = str(nonce)
        msg["_allowed_mentions"] = body.get("allowed_mentions")
        msg["_at"] = time.monotonic()
        self.messages.setdefault(channel_id, []).append(msg)
        self.message_index[int(msg["id"])] = msg
        return msg

    def _history(self, channel_id: int, query: dict[str, str]) -> list[dict[str, Any]]:
        """A channel's messages, newest first, as GET /channels/{id}/messages answers."""
        self._channel(channel_id)
        found = list(self.messages.get(channel_id, []))
        if "before" in query:
            found = [m for m in found if int(m["id"]) < int(query["before"])]
        limit = max(1, min(100, int(query.get("limit", 50))))
        if "after" in query:  # the first ``limit`` after it (still newest first)
            found = [m for m in found if int(m["id"]) > int(query["after"])][:limit]
        return list(reversed(found))[:limit]

    def _delete_message(self, channel_id: int, message_id: int) -> None:
        """A bot may delete its own messages in any channel it can still see."""
        self._channel(channel_id)
        msg = self.message_index.get(message_id)
        if msg is None or int(msg["channel_id"]) != channel_id:
            raise _Error(404, "Unknown Message", 10008)
        del self.message_index[message_id]
        self.messages[channel_id] = [m for m in self.messages.get(channel_id, [])
                                     if int(m["id"]) != message_id]
        self.deleted_messages.append(message_id)

    def _edit_message(self, message_id: int, body: dict[str, Any]) -> dict[str, Any]:
        msg = self.message_index.get(message_id)
        if msg is None:
            raise _Error(404, "Unknown Message", 10008)
        check_message(body)
        for k in ("content", "embeds", "components", "flags"):
            if k in body:
                msg[k] = body[k]
        return msg

    def _thread(self, parent_id: int, body: dict[str, Any]) -> dict[str, Any]:
        parent = self._channel(parent_id)
        t = P.thread(P.snowflake(), int(parent["guild_id"]), parent_id,
                     int(self.bot_user["id"]), body.get("name", "thread"),
                     int(body.get("type", 12)))
        self.channels[int(t["id"])] = t
        self.guilds[int(parent["guild_id"])]["threads"].append(t)
        return t

    def _callback(self, token: str, body: dict[str, Any], files: list[tuple[str, bytes]]
                  ) -> tuple[int, Any]:
        record = self.interactions.get(token)
        if record is None:
            raise _Error(404, "Unknown interaction", 10062)
        if record.callbacks:
            raise _Error(400, "Interaction has already been acknowledged.", 40060, refusal=True)
        late = time.monotonic() - record.sent_at
        if late > self.ack_deadline:  # Discord forgets an interaction not answered in time
            raise _Error(404, f"Unknown interaction (answered after {late:.2f} s)", 10062,
                         refusal=True)
        kind = body.get("type")
        if kind == 9 and record.type == 5:
            raise _Error(400, "A modal cannot answer a modal submit", 50035)
        if kind == 9:
            check_modal(body.get("data") or {})
        elif kind in (4, 7):
            check_message(body.get("data") or {})
        record.callbacks.append(body)
        record.first_response_at = time.monotonic()
        data = body.get("data") or {}
        channel_id = int(record.payload["channel_id"])
        message = None
        if kind in (4, 5):
            loading = kind == 5
            message = P.message(P.snowflake(), channel_id, self.bot_user,
                                {**data, "attachments": _attachments(files)},
                                interaction_id=str(record.id), application_id=str(self.app_id))
            if loading:
                message["_loading"] = True
                message["flags"] = (data.get("flags") or 0) | 128
            message["_allowed_mentions"] = data.get("allowed_mentions")
            message["_at"] = time.monotonic()
            record.original = message
            self.message_index[int(message["id"])] = message  # its buttons can be pressed
        elif kind == 7 and "message" in record.payload:
            self._edit_message(int(record.payload["message"]["id"]), data)
        self._notify(record)
        response: dict[str, Any] = {"interaction": {
            "id": str(record.id), "type": record.type,
            "response_message_loading": kind == 5,
            "response_message_ephemeral": bool((data.get("flags") or 0) & 64)}}
        if message is not None:
            response["interaction"]["response_message_id"] = message["id"]
            response["resource"] = {"type": kind, "message": message}
        else:
            response["resource"] = {"type": kind}
        return 200, response

    def _webhook(self, method: str, parts: list[str], body: Any,
                 files: list[tuple[str, bytes]]) -> tuple[int, Any]:
        token = parts[2]
        record = self.interactions.get(token)
        if record is None:
            raise _Error(404, "Unknown Webhook", 10015)
        if time.monotonic() - record.sent_at > TOKEN_LIFETIME:
            raise _Error(401, "Invalid Webhook Token", 50027)
        channel_id = int(record.payload["channel_id"])
        if method in ("POST", "PATCH"):
            check_message(body or {})
        if method == "POST" and len(parts) == 3:
            if record.original is not None and record.original.get("_loading"):
                # The first follow-up after a deferral replaces the "thinking" message.
                record.original.pop("_loading", None)
                record.original.update({**body, "attachments": _attachments(files),
                                        "flags": (body.get("flags") or 0)})
                record.original["_allowed_mentions"] = body.get("allowed_mentions")
                record.original["_at"] = time.monotonic()
                self._notify(record)
                return 200, record.original
            msg = P.message(P.snowflake(), channel_id, self.bot_user,
                            {**body, "attachments": _attachments(files)},
                            webhook_id=str(self.app_id))
            msg["_allowed_mentions"] = body.get("allowed_mentions")
            msg["_at"] = time.monotonic()
            record.followups.append(msg)
            self.message_index[int(msg["id"])] = msg
            self._notify(record)
            return 200, msg
        target = parts[4] if len(parts) > 4 else "@original"
        if target == "@original" and record.original is None and "message" in record.payload:
            # A component's interaction acknowledged without a message of its own (type 6 or
            # 7): its original response is the message the component is on.
            if not record.callbacks:
                raise _Error(404, "Unknown Message", 10008)
            clicked = int(record.payload["message"]["id"])
            if method == "PATCH":
                self._edit_message(clicked, body)
                self._notify(record)
            return 200, self.message_index.get(clicked, record.payload["message"])
        if target == "@original":
            if record.original is None:
                raise _Error(404, "Unknown Message", 10008)
            if method == "PATCH":
                record.original.pop("_loading", None)
                record.original.update(dict(body.items()))
                self._notify(record)
            if method == "DELETE":
                return 204, None
            return 200, record.original
        for msg in record.followups:
            if msg["id"] == target:
                if method == "PATCH":
                    msg.update(body)
                return 200, msg
        raise _Error(404, "Unknown Message", 10008)


class _Error(Exception):
    """A Discord error response. A refusal is one that means the bot broke Discord's rules
    (not a fault the test injected or set up, such as a forbidden channel)."""

    def __init__(self, status: int, message: str, code: int, *, refusal: bool = False) -> None:
        super().__init__(message)
        self.status, self.message, self.code, self.refusal = status, message, code, refusal


def _attachments(files: list[tuple[str, bytes]]) -> list[dict[str, Any]]:
    return [{"id": str(P.snowflake()), "filename": name, "size": len(data),
             "url": f"https://cdn.invalid/{name}", "proxy_url": "", "_bytes": data}
            for name, data in files]


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None
          ) -> web.Response:
    # discord.py reads JSON only when the content type is exactly application/json, and
    # takes a 429 without "Via" for a Cloudflare ban rather than a rate limit.
    return web.Response(status=status, body=json.dumps(data, default=_plain).encode(),
                        headers={"Content-Type": JSON, "Via": "1.1 google", **(headers or {})})


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return None
    raise TypeError(type(value).__name__)


def _bucket(path: str) -> dict[str, str]:
    return {"X-RateLimit-Limit": "50", "X-RateLimit-Remaining": "49",
            "X-RateLimit-Reset-After": "1.0", "X-RateLimit-Bucket": f"b{hash(path) % 997}"}


def _fault(fault: Fault) -> web.Response:
    if fault.status == 429:
        headers = {"Retry-After": f"{fault.retry_after:.3f}",
                   "X-RateLimit-Scope": "global" if fault.global_ else "user",
                   "X-RateLimit-Bucket": "faulty", "X-RateLimit-Limit": "5",
                   "X-RateLimit-Remaining": "0",
                   "X-RateLimit-Reset-After": f"{fault.retry_after:.3f}"}
        if fault.global_:
            headers["X-RateLimit-Global"] = "true"
        return _json({"message": "You are being rate limited.",
                      "retry_after": fault.retry_after, "global": fault.global_, "code": 0},
                     429, headers)
    if fault.status in (500, 502, 503, 504):
        return web.Response(status=fault.status, text="upstream trouble",
                            content_type="text/plain")
    return _json({"message": "injected", "code": fault.code}, fault.status)


async def _read_body(request: web.Request) -> tuple[Any, list[tuple[str, bytes]]]:
    if not request.can_read_body:
        return None, []
    if request.content_type.startswith("multipart/"):
        reader = await request.multipart()
        payload: Any = None
        files = []
        async for part in reader:
            if part.name == "payload_json":  # type: ignore[union-attr]
                payload = json.loads(await part.text())  # type: ignore[union-attr]
            else:
                files.append((part.filename or "file", bytes(await part.read())))  # type: ignore[union-attr]
        return payload, files
    raw = await request.read()
    return (json.loads(raw) if raw else None), []
