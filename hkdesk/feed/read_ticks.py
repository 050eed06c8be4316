"""The trades of one socket read, carrying the read's raw frames."""

from __future__ import annotations

from hkdesk.domain.types import Tick


class ReadTicks(list[Tick]):
    """A list of the trades one read decoded to, plus ``frames``: that read's frames as received
    (AllTick JSON, trades and anything else). A consumer that decodes in another process (the alert
    judge) hands on the frames, which costs this process nothing, instead of encoding the trades.

    Only the list the session built carries them: a consumer that changes the trades (the feed
    closing a gap) builds a plain list, so frames never stand for trades that were changed.
    """

    __slots__ = ("frames",)

    def __init__(self, frames: list[bytes]) -> None:
        super().__init__()
        self.frames = frames
