"""Ask the server behind an AllTick URL whether it is hkdesk's simulator, before storing anything.

A simulator reached through ``--url`` (another process, a demo desk) speaks AllTick's protocol
exactly; only its ``Server`` header names it (:mod:`hkdesk.domain.simulator_mark`). Its trades
must go into a simulator's database, never into the one that holds AllTick's, so the database
is chosen after one plain HTTP request to the URL's origin: no token is sent and no WebSocket
is opened, so none of the plan's connections or calls is spent. AllTick's own hosts are not
asked. A server that cannot be reached, or does not answer in time, counts as not the
simulator: the feed's handshake says so later if it is (see :class:`~hkdesk.pipeline.Pipeline`).
"""

from __future__ import annotations

import asyncio
import logging
import ssl
import urllib.parse

from hkdesk.domain.simulator_mark import is_simulator
from hkdesk.feed.http_transport import http_base, read_head

log = logging.getLogger(__name__)

#: Hosts of the real provider: never the simulator, and not asked.
PROVIDER_DOMAIN = "alltick.co"
PROBE_TIMEOUT = 2.0
_MAX_HEAD = 16 * 1024


def provider_host(ws_url: str) -> bool:
    host = (urllib.parse.urlsplit(ws_url).hostname or "").lower()
    return host == PROVIDER_DOMAIN or host.endswith("." + PROVIDER_DOMAIN)


async def reaches_simulator(ws_url: str, timeout: float = PROBE_TIMEOUT) -> bool:
    """Whether the server behind ``ws_url`` (``ws://`` or ``wss://``) names itself the simulator."""
    if provider_host(ws_url):
        return False
    try:
        return await asyncio.wait_for(_ask(ws_url), timeout)
    except (OSError, TimeoutError, ValueError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
        log.debug("the server behind the feed URL did not say what it is: %r", exc)
        return False


async def _ask(ws_url: str) -> bool:
    parts = urllib.parse.urlsplit(http_base(ws_url))  # the HTTP API's origin, as its calls reach it
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    context = ssl.create_default_context() if secure else None
    reader, writer = await asyncio.open_connection(parts.hostname, port, ssl=context, limit=_MAX_HEAD)
    try:
        request = f"HEAD / HTTP/1.1\r\nHost: {parts.netloc.rpartition('@')[2]}\r\nConnection: close\r\n\r\n"
        writer.write(request.encode("ascii"))
        await writer.drain()
        _, headers = await read_head(reader)
    finally:
        writer.close()  # not awaited: a slow TLS goodbye must not turn an answer into a timeout
    return is_simulator(headers.get("server"))
