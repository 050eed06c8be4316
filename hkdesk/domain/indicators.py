"""Technical indicators over a series of closes, in Decimal arithmetic (no binary floats).

Every function takes closes oldest first and returns a list of the same length, ``None`` where
the indicator is not defined yet (its warm-up). Sums and differences are exact; each division
and square root rounds once, to 28 significant digits (``PRECISION``), whatever the caller's
decimal context. Charts convert the results to floats for drawing only.

Definitions (``x[t]`` is the close at index ``t``, ``n`` the period):

- **SMA(n)**: the mean of ``x[t-n+1] … x[t]``; first at ``t = n-1``.
- **EMA(n)**: ``α = 2 / (n+1)``, seeded with ``SMA(n)`` at ``t = n-1``, then
  ``EMA[t] = EMA[t-1] + α × (x[t] − EMA[t-1])``.
- **Bollinger(n = 20, k = 2)**: middle ``SMA(n)``; upper and lower ``middle ± k × σ`` where σ is
  the population standard deviation of the same ``n`` closes (divided by ``n``, not ``n-1``).
- **MACD(12, 26, 9)**: ``EMA(12) − EMA(26)`` (first at ``t = 25``); signal: ``EMA(9)`` of that
  line, seeded with the mean of its first nine values (first at ``t = 33``); histogram: line
  minus signal.
- **RSI(n = 14)**, Wilder: with ``d[t] = x[t] − x[t-1]``, gains ``max(d, 0)`` and losses
  ``max(−d, 0)``, the first averages are the plain means of the first ``n`` changes (so the
  first RSI is at ``t = n``), then ``avg = (avg × (n−1) + current) / n``.
  ``RSI = 100 − 100 / (1 + avg gain / avg loss)``; 100 when the average loss is zero, and 50
  when both averages are zero (a flat series).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Context, Decimal, localcontext
from typing import NamedTuple

from hkdesk.domain.types import Bar

PRECISION = 28
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
_FIFTY = Decimal(50)

Series = list[Decimal | None]


class Bands(NamedTuple):
    middle: Series
    upper: Series
    lower: Series


class Macd(NamedTuple):
    line: Series
    signal: Series
    histogram: Series


def closes(bars: Iterable[Bar]) -> list[Decimal]:
    return [b.close for b in bars]


def _context() -> Context:
    return Context(prec=PRECISION)


def _check_period(n: int) -> None:
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"period must be a positive whole number, not {n!r}")


def sma(values: Sequence[Decimal], n: int) -> Series:
    _check_period(n)
    out: Series = [None] * len(values)
    with localcontext(_context()):
        total = _ZERO
        for t, x in enumerate(values):
            total += x
            if t >= n:
                total -= values[t - n]
            if t >= n - 1:
                out[t] = total / n
    return out


def ema(values: Sequence[Decimal | None], n: int) -> Series:
    """EMA over ``values``; leading ``None`` (another indicator's warm-up) are skipped."""
    _check_period(n)
    out: Series = [None] * len(values)
    start = next((i for i, v in enumerate(values) if v is not None), len(values))
    first = start + n - 1
    if first >= len(values):
        return out
    with localcontext(_context()):
        alpha = Decimal(2) / (n + 1)
        prev = sum(values[start : first + 1], _ZERO) / n  # type: ignore[arg-type]
        out[first] = prev
        for t in range(first + 1, len(values)):
            prev = prev + alpha * (values[t] - prev)  # type: ignore[operator]
            out[t] = prev
    return out


def bollinger(values: Sequence[Decimal], n: int = 20, k: Decimal | int = 2) -> Bands:
    _check_period(n)
    k = Decimal(k)
    size = len(values)
    middle, upper, lower = [None] * size, [None] * size, [None] * size  # type: ignore[var-annotated]
    with localcontext(_context()):
        total = squares = _ZERO
        for t, x in enumerate(values):
            total += x
            squares += x * x
            if t >= n:
                old = values[t - n]
                total -= old
                squares -= old * old
            if t >= n - 1:
                mean = total / n
                # n·Σx² − (Σx)² is exact; one division and one square root round
                sigma = ((n * squares - total * total) / (n * n)).sqrt()
                middle[t], upper[t], lower[t] = mean, mean + k * sigma, mean - k * sigma
    return Bands(middle, upper, lower)


def macd(values: Sequence[Decimal], fast: int = 12, slow: int = 26, signal: int = 9) -> Macd:
    if not fast < slow:
        raise ValueError(f"the fast period ({fast}) must be shorter than the slow one ({slow})")
    quick, late = ema(values, fast), ema(values, slow)
    with localcontext(_context()):
        line: Series = [None if s is None else q - s for q, s in zip(quick, late, strict=True)]  # type: ignore[operator]
        sig = ema(line, signal)
        hist: Series = [None if s is None else m - s for m, s in zip(line, sig, strict=True)]  # type: ignore[operator]
    return Macd(line, sig, hist)


def rsi(values: Sequence[Decimal], n: int = 14) -> Series:
    _check_period(n)
    out: Series = [None] * len(values)
    if len(values) <= n:
        return out
    with localcontext(_context()):
        gain = loss = _ZERO
        for t in range(1, n + 1):
            d = values[t] - values[t - 1]
            gain += max(d, _ZERO)
            loss += max(-d, _ZERO)
        gain, loss = gain / n, loss / n
        out[n] = _rsi(gain, loss)
        for t in range(n + 1, len(values)):
            d = values[t] - values[t - 1]
            gain = (gain * (n - 1) + max(d, _ZERO)) / n
            loss = (loss * (n - 1) + max(-d, _ZERO)) / n
            out[t] = _rsi(gain, loss)
    return out


def _rsi(gain: Decimal, loss: Decimal) -> Decimal:
    if loss == 0:
        return _HUNDRED if gain > 0 else _FIFTY
    return _HUNDRED - _HUNDRED / (1 + gain / loss)
