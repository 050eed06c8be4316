"""The desk server's second NATS connection: the live path's alone (:mod:`hkdesk.desk.chain`).

A plain subject published on the same connection as the stream's records waits in nats-server
behind the stream's work on everything that connection sent with it; on a connection of its
own it is delivered at once. The link is made in the background and retried until it stands
(the live path is an extra: the stream carries everything without it), then handed to the
publisher; nats-py reconnects it by itself from then on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import replace

from hkdesk.desk.connection import DeskClient, NatsOptions, connect_nats, redact_nats_url
from hkdesk.desk.publisher import DeskPublisher
from hkdesk.feed.task_stop import stop_task
from hkdesk.feed.throttle import ThrottledLog

log = logging.getLogger(__name__)


class LiveLink:
    """Connects ``publisher``'s live path; :meth:`close` detaches and disconnects it."""

    def __init__(self, options: NatsOptions, publisher: DeskPublisher, retry_wait: float = 0.5) -> None:
        self.options = replace(options, name=f"{options.name}-live")
        self.publisher = publisher
        self.retry_wait = retry_wait
        self.client: DeskClient | None = None
        self._task: asyncio.Task[None] | None = None

    @classmethod
    def start(cls, options: NatsOptions, publisher: DeskPublisher, retry_wait: float = 0.5) -> LiveLink:
        """A link that starts connecting now."""
        link = cls(options, publisher, retry_wait)
        link._task = asyncio.get_running_loop().create_task(link._connect(), name="hkdesk-desk-live")
        return link

    async def _connect(self) -> None:
        failures = ThrottledLog(log, 10.0)
        while True:
            try:
                client = await connect_nats(self.options)
            except Exception as exc:
                url = redact_nats_url(self.options.servers)
                failures.event(exc.__class__.__name__, f"desk server: live link to {url} not made", str(exc))
                await asyncio.sleep(self.retry_wait)
                continue
            if isinstance(client, DeskClient):
                self.client = client
                self.publisher.attach_live(client)
            return

    async def close(self) -> None:
        self.publisher.attach_live(None)
        if self._task is not None:
            await stop_task(self._task)
            self._task = None
        client, self.client = self.client, None
        if client is not None:
            with contextlib.suppress(Exception):
                await client.close()
