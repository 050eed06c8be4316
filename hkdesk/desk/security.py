"""A NATS server configuration for one desk, with users of least privilege.

One account holds the desk's stream and buckets. Its users:

* the desk servers (one user, shared by the leader and the standby): publish trades, books
  and gap notices (stream and live subject), write the latest-quote and leader buckets,
  manage the desk's stream and buckets and follow the demand bucket;
* each desktop (its own user, whose name is its desktop id): create consumers on the stream
  and the latest-quote bucket, read the leader's card, answer flow control, and write its
  own key of the demand bucket. Nothing else: not a trade, not a quote, not another
  desktop's demand.

Everyone may subscribe to inboxes (where JetStream delivers), and desktops to the desk's live
subject too (trades sent at once beside the stream; only the desk user may publish there).
With users defined, an anonymous client is refused. A password may be an environment variable of the server
(``$DESK_NATS_PASSWORD``: the file then holds no secret), a bcrypt hash (``$2a$...``, checked
by the server), or plain text (the file is then a secret: mode 0600).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from hkdesk.desk.subjects import DeskNames, check_name, encode_token

ACCOUNT = "HKDESK"
_ENV_REFERENCE = re.compile(r'"(\$[A-Z_][A-Z0-9_]*)"')
DESK_USER = "desk"


@dataclass(frozen=True)
class User:
    name: str
    password: str


@dataclass(frozen=True)
class TlsFiles:
    cert: str
    key: str
    ca: str | None = None


def _streams(names: DeskNames) -> list[str]:
    buckets = (names.latest_bucket, names.demand_bucket, names.leader_bucket)
    return [names.stream, *(f"KV_{b}" for b in buckets)]


def desk_permissions(names: DeskNames) -> dict[str, object]:
    publish = [
        f"{names.prefix}.>",
        f"$KV.{names.latest_bucket}.>",
        f"$KV.{names.leader_bucket}.>",
        "$JS.API.INFO",
        "$JS.FC.>",
    ]
    for stream in _streams(names):
        publish += [
            f"$JS.API.STREAM.CREATE.{stream}",
            f"$JS.API.STREAM.UPDATE.{stream}",
            f"$JS.API.STREAM.INFO.{stream}",
            f"$JS.API.STREAM.MSG.GET.{stream}",
            f"$JS.API.DIRECT.GET.{stream}.>",
            f"$JS.API.CONSUMER.CREATE.{stream}",
        ]
    return {"publish": {"allow": publish}, "subscribe": {"allow": ["_INBOX.>"]}}


def desktop_permissions(names: DeskNames, desktop_id: str) -> dict[str, object]:
    check_name(desktop_id, "desktop id")
    publish = [
        f"$JS.API.CONSUMER.CREATE.{names.stream}",
        f"$JS.API.CONSUMER.CREATE.KV_{names.latest_bucket}",
        f"$JS.API.DIRECT.GET.KV_{names.leader_bucket}.>",
        f"$KV.{names.demand_bucket}.{encode_token(desktop_id)}",
        "$JS.FC.>",
    ]
    return {"publish": {"allow": publish}, "subscribe": {"allow": ["_INBOX.>", names.live_subject]}}


def server_config(
    desk: str,
    *,
    desk_password: str,
    desktops: list[User],
    listen: str = "127.0.0.1:4222",
    store_dir: str = "/var/lib/nats",
    server_name: str = "hkdesk-nats",
    tls: TlsFiles | None = None,
    max_file_store: str = "64G",
) -> str:
    """The text of a nats-server configuration file (check it with ``nats-server -t -c FILE``)."""
    names = DeskNames(desk)
    users = [{"user": DESK_USER, "password": desk_password, "permissions": desk_permissions(names)}]
    for desktop in desktops:
        permissions = desktop_permissions(names, desktop.name)
        users.append({"user": desktop.name, "password": desktop.password, "permissions": permissions})
    lines = [
        f"# nats-server configuration for hkdesk desk {desk!r} (generated: python -m hkdesk.desk config)",
        f"server_name: {json.dumps(server_name)}",
        f"listen: {json.dumps(listen)}",
        f"jetstream {{ store_dir: {json.dumps(store_dir)}, max_file_store: {max_file_store} }}",
        f"accounts {{ {ACCOUNT} {{ jetstream: enabled, users: {_users_text(users)} }} }}",
    ]
    if tls is not None:
        parts = [f"cert_file: {json.dumps(tls.cert)}", f"key_file: {json.dumps(tls.key)}"]
        if tls.ca:
            parts.append(f"ca_file: {json.dumps(tls.ca)}")
        lines.append(f"tls {{ {', '.join(parts)} }}")
    return "\n".join(lines) + "\n"


def _users_text(users: list[dict[str, object]]) -> str:
    """The users as JSON, which the server's format accepts, with ``$VARIABLE`` passwords left
    unquoted so the server reads them from its environment."""
    return _ENV_REFERENCE.sub(r"\1", json.dumps(users, indent=2))
