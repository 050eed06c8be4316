"""The whole day from the provider's HTTP API: minute bars before the app started, inside gaps
and for the minutes the stream only half saw (``engine``); the rules of which bars to store
(``day``)."""

from hkdesk.backfill.engine import Backfill, BackfillStats

__all__ = ["Backfill", "BackfillStats"]
