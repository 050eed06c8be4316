"""Scenario results and their Markdown rendering."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Result:
    """One row: a baseline and hkdesk measured in the same invocation.

    ``ratio`` is hkdesk / baseline for throughputs (higher is better) and baseline / hkdesk for
    times (``lower_is_better``), so a ratio above 1 always means hkdesk is ahead.
    """

    name: str
    unit: str
    baseline: float | None
    hkdesk: float | None
    baseline_label: str = "baseline"
    lower_is_better: bool = False
    target: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if not self.baseline or not self.hkdesk:
            return None
        return self.baseline / self.hkdesk if self.lower_is_better else self.hkdesk / self.baseline

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["ratio"] = self.ratio
        return out


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def markdown(machine: dict[str, Any], results: list[Result]) -> str:
    libs = ", ".join(f"{k} {v}" for k, v in machine["libraries"].items() if v)
    lines = [
        f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['os']}, Python {machine['python']}",
        f"Libraries: {libs}",
        "",
        "| scenario | unit | baseline | hkdesk | ratio | target | notes |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in results:
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "—"
        notes = "; ".join(f"{k}={_fmt(v) if isinstance(v, float) else v}" for k, v in r.extra.items())
        lines.append(
            f"| {r.name} | {r.unit} | {_fmt(r.baseline)} ({r.baseline_label}) | {_fmt(r.hkdesk)} | {ratio} "
            f"| {r.target} | {notes} |"
        )
    return "\n".join(lines)
