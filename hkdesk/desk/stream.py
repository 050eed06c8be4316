"""The desk's JetStream stream and key-value buckets: created by a desk server, read by desktops.

Sizing (see README, Shared desk). The stream keeps the trading day: a message ages out after
``max_age`` (24 h, so at 09:00 yesterday afternoon is still there and today's 16:10 close
survives until tomorrow's close), and ``max_bytes`` bounds the disk with the oldest discarded
first. A trade takes about 300 bytes on disk (JSON payload about 190, subject, message-id
header and the store's own framing); HKEX's whole market trades a few million times a day, so
a desk streaming every symbol needs 1-2 GiB of trades a day, plus its books (about 700 bytes
each, mostly for the selected symbols only). The default of 16 GiB fits a full day with room
to spare; the duplicate window (2 min) bounds how long a message id is remembered, i.e. how
late a re-publish is still recognised as one (memory: about 100 bytes per id in the window).
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass

from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, KeyValueConfig, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

from hkdesk.desk.subjects import DeskNames

log = logging.getLogger(__name__)

DAY_SECONDS = 24 * 3600.0
#: What a desk's stream holds, named in its description: one desk never carries both, or its
#: desktops would replay a simulated day as a real one.
SIMULATED, REAL = "simulated", "real"
_DATA = re.compile(r"\((simulated|real) data\)$")


class DeskDataConflict(Exception):
    """The desk's stream holds the other kind of data (simulated, real) than its server streams."""


@dataclass(frozen=True)
class StreamSizing:
    """How much the desk's stream keeps; see the module docstring for the figures."""

    max_age: float = DAY_SECONDS
    max_bytes: int = 16 * 1024**3
    duplicate_window: float = 120.0
    replicas: int = 1
    max_msg_size: int = 256 * 1024


def stream_config(names: DeskNames, sizing: StreamSizing, data: str = REAL) -> StreamConfig:
    return StreamConfig(
        name=names.stream,
        description=f"hkdesk desk {names.desk}: the trading day's trades and books ({data} data)",
        subjects=[names.trades_wildcard, names.books_wildcard],
        storage=StorageType.FILE,
        discard=DiscardPolicy.OLD,
        max_age=sizing.max_age,
        max_bytes=sizing.max_bytes,
        max_msg_size=sizing.max_msg_size,
        duplicate_window=sizing.duplicate_window,
        num_replicas=sizing.replicas,
        deny_delete=True,
        allow_direct=True,
    )


def stream_data(description: str | None) -> str | None:
    """The kind of data a desk's stream holds, from its description (None: not named)."""
    found = _DATA.search(description or "")
    return found.group(1) if found else None


async def ensure_stream(
    js: JetStreamContext, names: DeskNames, sizing: StreamSizing, data: str = REAL
) -> None:
    """Create the stream, or bring an existing one to this configuration. A stream that holds
    trades of the other kind of data is refused (:class:`DeskDataConflict`); an empty one is
    taken over, its latest quotes and session records dropped with it."""
    config = stream_config(names, sizing, data)
    try:
        await js.add_stream(config)
        return
    except BadRequestError:  # exists with another configuration (e.g. resized)
        pass
    info = await js.stream_info(names.stream)
    held = stream_data(info.config.description)
    if held is not None and held != data:
        if info.state.messages:
            raise DeskDataConflict(
                f"desk {names.desk}'s stream {names.stream} holds {info.state.messages} messages of "
                f"{held} data from the last {sizing.max_age / 3600:g} h; {data} data is kept apart: "
                f"give this desk another --desk name, or delete that stream first"
            )
        with contextlib.suppress(NotFoundError):
            await js.purge_stream(f"KV_{names.latest_bucket}")
        log.warning("desk %s: its stream held %s data and now holds %s data", names.desk, held, data)
    await js.update_stream(config)


async def ensure_bucket(js: JetStreamContext, bucket: str, *, ttl: float | None, replicas: int = 1) -> None:
    """Create a one-value-per-key bucket (``ttl``: how long a value lives unless written again)."""
    config = KeyValueConfig(
        bucket=bucket, history=1, ttl=ttl, storage=StorageType.FILE, replicas=replicas, direct=True
    )
    try:
        await js.create_key_value(config)
    except BadRequestError:
        await js.update_stream(_bucket_stream(bucket, config))


def _bucket_stream(bucket: str, config: KeyValueConfig) -> StreamConfig:
    window = min(120.0, config.ttl) if config.ttl else 120.0
    return StreamConfig(
        name=f"KV_{bucket}",
        subjects=[f"$KV.{bucket}.>"],
        allow_direct=True,
        allow_rollup_hdrs=True,
        deny_delete=True,
        discard=DiscardPolicy.NEW,
        duplicate_window=window,
        max_age=config.ttl,
        max_msgs_per_subject=1,
        num_replicas=config.replicas,
        storage=config.storage,
    )
