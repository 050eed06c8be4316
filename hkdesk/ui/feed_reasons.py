"""Why the feed is not live, in the interface language.

The engines give their reasons in English (logs and tests read them so). Each known form is
matched here and shown in the interface language; what is inside it (seconds, an HTTP status,
the server's own words) stays as it is, and a reason of no known form is shown as written.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from hkdesk.i18n import QT_TRANSLATE_NOOP

_CTX = "FeedReason"

#: Reasons with nothing variable in them, and the words a "cannot connect" names.
_WORDS = frozenset(
    (
        QT_TRANSLATE_NOOP("FeedReason", "connection refused"),
        QT_TRANSLATE_NOOP("FeedReason", "host not found"),
        QT_TRANSLATE_NOOP("FeedReason", "network unreachable"),
        QT_TRANSLATE_NOOP("FeedReason", "timed out"),
        QT_TRANSLATE_NOOP("FeedReason", "connection reset"),
        QT_TRANSLATE_NOOP("FeedReason", "connection lost (no close frame)"),
        QT_TRANSLATE_NOOP("FeedReason", "socket closed"),
        QT_TRANSLATE_NOOP("FeedReason", "stopped"),
        QT_TRANSLATE_NOOP("FeedReason", "not started"),
        QT_TRANSLATE_NOOP("FeedReason", "no symbols left on this connection"),
        QT_TRANSLATE_NOOP("FeedReason", "reading today's trades from the desk"),
        # a shared desk's upstream, in the words of its state (FeedState's values)
        QT_TRANSLATE_NOOP("FeedReason", "connecting"),
        QT_TRANSLATE_NOOP("FeedReason", "subscribing"),
        QT_TRANSLATE_NOOP("FeedReason", "backing off"),
        QT_TRANSLATE_NOOP("FeedReason", "failed"),
        QT_TRANSLATE_NOOP("FeedReason", "closed"),
    )
)

_FORMS = (
    (re.compile(r"cannot connect: (?P<why>.+)"), QT_TRANSLATE_NOOP("FeedReason", "cannot connect: {why}")),
    (
        re.compile(r"no answer within (?P<s>[\d.]+) s"),
        QT_TRANSLATE_NOOP("FeedReason", "no answer within {s} s"),
    ),
    (re.compile(r"no data for (?P<s>[\d.]+) s"), QT_TRANSLATE_NOOP("FeedReason", "no data for {s} s")),
    (
        re.compile(r"token invalid \(HTTP (?P<status>\d+)\)"),
        QT_TRANSLATE_NOOP("FeedReason", "token invalid (HTTP {status})"),
    ),
    (
        re.compile(r"server refused the connection \(HTTP (?P<status>\d+)\)"),
        QT_TRANSLATE_NOOP("FeedReason", "server refused the connection (HTTP {status})"),
    ),
    (
        re.compile(r"server closed the connection \((?P<detail>.+)\)"),
        QT_TRANSLATE_NOOP("FeedReason", "server closed the connection ({detail})"),
    ),
    (
        re.compile(r"too many requests \((?P<detail>.*)\)"),
        QT_TRANSLATE_NOOP("FeedReason", "too many requests ({detail})"),
    ),
    (re.compile(r"internal error: (?P<what>.+)"), QT_TRANSLATE_NOOP("FeedReason", "internal error: {what}")),
    # a shared desk's NATS (its URL without a password)
    (
        re.compile(r"NATS at (?P<url>\S+) unreachable"),
        QT_TRANSLATE_NOOP("FeedReason", "NATS at {url} unreachable"),
    ),
    (
        re.compile(r"NATS at (?P<url>\S+): (?P<detail>.+)"),
        QT_TRANSLATE_NOOP("FeedReason", "NATS at {url}: {detail}"),
    ),
    (
        re.compile(r"no desk server leads desk (?P<desk>\S+)"),
        QT_TRANSLATE_NOOP("FeedReason", "no desk server leads desk {desk}"),
    ),
    (
        re.compile(r"desk (?P<desk>\S+)'s upstream (?P<state>[a-z ]+?): (?P<why>.+)"),
        QT_TRANSLATE_NOOP("FeedReason", "desk {desk}'s upstream {state}: {why}"),
    ),
    (
        re.compile(r"desk (?P<desk>\S+)'s upstream (?P<state>[a-z ]+)"),
        QT_TRANSLATE_NOOP("FeedReason", "desk {desk}'s upstream {state}"),
    ),
)


def reason_text(reason: str) -> str:
    """``reason`` in the interface language, where its form is known."""
    if reason in _WORDS:
        return QCoreApplication.translate(_CTX, reason)
    for form, template in _FORMS:
        if match := form.fullmatch(reason):
            # a part may be a reason itself (a desk's upstream's): each is shown as one
            parts = {name: reason_text(value) for name, value in match.groupdict().items()}
            return QCoreApplication.translate(_CTX, template).format(**parts)
    return reason
