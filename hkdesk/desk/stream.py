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

from dataclasses import dataclass

from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, KeyValueConfig, StorageType, StreamConfig
from nats.js.errors import BadRequestError

from hkdesk.desk.subjects import DeskNames

DAY_SECONDS = 24 * 3600.0


@dataclass(frozen=True)
class StreamSizing:
    """How much the desk's stream keeps; see the module docstring for the figures."""

    max_age: float = DAY_SECONDS
    max_bytes: int = 16 * 1024**3
    duplicate_window: float = 120.0
    replicas: int = 1
    max_msg_size: int = 256 * 1024


def stream_config(names: DeskNames, sizing: StreamSizing) -> StreamConfig:
    return StreamConfig(
        name=names.stream,
        description=f"hkdesk desk {names.desk}: the trading day's trades and books",
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


async def ensure_stream(js: JetStreamContext, names: DeskNames, sizing: StreamSizing) -> None:
    """Create the stream, or bring an existing one to this configuration."""
    config = stream_config(names, sizing)
    try:
        await js.add_stream(config)
    except BadRequestError:
        await js.update_stream(config)  # exists with another configuration (e.g. resized)


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
