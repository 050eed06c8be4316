"""How the built-in simulator names itself on the wire, so a client knows simulated prices.

The simulator speaks AllTick's protocol exactly; only its WebSocket handshake's ``Server``
header differs. A client that reaches it through a URL (another process, or a shared desk's
upstream) learns from it that its figures are simulated, and says so on screen.
"""

from __future__ import annotations

#: The ``Server`` header of the simulator's handshake answers.
SIMULATOR_SERVER = "hkdesk-simulator"
#: The stamp (and default file name) of a database of a simulator reached through a URL.
REACHED_SIMULATOR = "simulator-url"
#: The stamp of a database of AllTick's real data.
REAL_FEED = "alltick"


def is_simulator(server_header: str | None) -> bool:
    return server_header is not None and server_header.split("/", 1)[0].strip() == SIMULATOR_SERVER
