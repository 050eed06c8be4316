"""What the feed is asked to stream: the watch list, the index strip and the alerts' symbols,
with one book level per row and ten for each open depth ladder."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Book levels streamed for an open depth ladder (the rows get one: their bid and ask).
LADDER_LEVELS = 10


@dataclass
class StreamedLists:
    symbols: list[str] = field(default_factory=list)
    indices: list[str] = field(default_factory=list)
    alert_symbols: list[str] = field(default_factory=list)
    ladders: list[str] = field(default_factory=list)

    def streamed(self) -> list[str]:
        """Indices first, then the list, then symbols only alerts need; each once."""
        return list(dict.fromkeys([*self.indices, *self.symbols, *self.alert_symbols]))

    def depth_levels(self) -> dict[str, int]:
        levels = dict.fromkeys(self.symbols, 1)
        levels.update(dict.fromkeys(self.ladders, LADDER_LEVELS))
        return levels
