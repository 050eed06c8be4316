"""Alerts judged in a process of their own, so judging never takes the window's interpreter lock.

Judged on a worker thread of the app (:class:`~hkdesk.alerts.pump.AlertPump`), alerts hold the
interpreter lock some 2.5 µs a trade, which the window's loop thread then waits for. Here a
sender thread hands each batch to a child process (:mod:`hkdesk.alerts.judge_child`) over a
pipe, and the child judges it and answers with what fired. A batch read from an AllTick-protocol
socket (:class:`~hkdesk.feed.read_ticks.ReadTicks`) goes as the read's trade frames, bytes the
app already holds, and the child decodes them with the feed's own decoder; any other batch (a
desk's) is encoded here, a slice at a time (in the alerts benchmark, half of what judging costs).

The app keeps what it needs to carry on without the child: the alerts with their firing states
(updated from every firing), the previous closes, and every slice of trades sent and not yet
answered. If the child cannot be started, or dies, this is said in the log, and judging moves
into the app (an ``AlertPump``) with those alerts and closes: the slices the child never answered
are judged there, so no firing is lost; move and volume-surge windows start again from there.

Same contract as :class:`AlertPump`: :meth:`put` in O(1) on the receive path, every batch
judged whole and in order, firings handed to ``on_events`` on the loop's thread in order, and
:meth:`flush` to wait until everything queued is judged.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import IO

import msgspec

from hkdesk.alerts.evaluator import AlertEvaluator, keep_later_firings
from hkdesk.alerts.judge_wire import (
    Command,
    Flush,
    Flushed,
    Frames,
    FromJudge,
    Judged,
    Problem,
    Restart,
    Seed,
    SetAlerts,
    SetClose,
    Trades,
    apply,
    frame,
    read_frame,
)
from hkdesk.alerts.model import Alert
from hkdesk.alerts.pump import FLUSH_TIMEOUT, SLICE_TICKS, AlertPump
from hkdesk.alerts.relay import FiringRelay
from hkdesk.alerts.rule import AlertEvent
from hkdesk.domain.types import Bar, Tick
from hkdesk.feed.read_ticks import ReadTicks
from hkdesk.own_command import own_command

log = logging.getLogger(__name__)

_Item = list[Tick] | Command | Flush | None


#: Linux's fcntl command to resize a pipe (F_SETPIPE_SZ), and the size asked for: a read of a
#: busy feed is a few hundred KiB of frames, which the default 64 KiB pipe takes in many turns.
_SETPIPE_SZ = 1031
PIPE_BYTES = 1 << 20


def widen_pipe(pipe: IO[bytes] | None) -> None:
    """Best effort: a larger pipe, so a read's frames go to the judge in one write (Linux only)."""
    if sys.platform.startswith("linux") and pipe is not None:
        with contextlib.suppress(OSError, ImportError):
            import fcntl

            fcntl.fcntl(pipe.fileno(), _SETPIPE_SZ, PIPE_BYTES)


def judge_command() -> list[str]:
    return own_command("alerts-judge", "hkdesk.alerts.judge_child")


class ProcessJudge:
    """The alert judge in a child process (started with the first alerts), with the app as fallback."""

    def __init__(
        self,
        on_events: Callable[[Sequence[AlertEvent]], None],
        *,
        command: Sequence[str] | None = None,
        slice_ticks: int = SLICE_TICKS,
    ) -> None:
        self.command = list(command) if command is not None else judge_command()
        self.slice_ticks = slice_ticks
        #: The judge's CPU seconds (decoding and judging) as of the last :meth:`flush`.
        self.judge_cpu_s = 0.0
        #: Batches sent as their feed's frames, and batches encoded here (counted by the sender).
        self.reads_forwarded = self.batches_encoded = 0
        #: Why judging moved into the app (empty while the child judges).
        self.problem = ""
        self._on_events = on_events
        self._relay = FiringRelay(on_events)
        self._state = threading.Lock()  # guards _held (the receiver updates it on firings)
        self._held: list[Alert] = []
        self._closes: dict[str, Decimal] = {}
        self._outbox: queue.SimpleQueue[_Item] = queue.SimpleQueue()
        self._unanswered: deque[list[Tick]] = deque()  # slices sent, in order, not yet answered
        self._unsent: list[_Item] = []  # what the sender held when the pipe broke
        self._flushes: dict[int, threading.Event] = {}
        self._tokens = itertools.count(1)
        self._queued = 0
        self._judged = 0  # written by the receiver thread only
        self._skipped = 0  # trades of symbols without alerts, written by the sender thread only
        self._process: subprocess.Popen[bytes] | None = None
        self._threads: list[threading.Thread] = []
        self._stderr: deque[bytes] = deque(maxlen=20)
        self._stderr_read = threading.Event()  # the child's stderr is read to its end
        self._dead = threading.Event()
        self._closing = False
        self._closed = False
        self._fallback: AlertPump | None = None

    # ------------------------------------------------------------ receive path
    def put(self, ticks: list[Tick]) -> None:
        """Queue a batch (kept, not copied); nothing is judged while there are no alerts."""
        if not ticks or self._closed or not self._held:
            return
        if self._fallback is not None or self._dead.is_set():
            self._judge_in_app()
            self._fallback.put(ticks)  # type: ignore[union-attr]
            return
        self._queued += len(ticks)
        self._outbox.put(ticks)

    @property
    def pending(self) -> int:
        """Trades queued and not judged yet."""
        inner = self._fallback.pending if self._fallback is not None else 0
        return self._queued - self._judged - self._skipped + inner

    # ------------------------------------------------------------ the alerts judged
    def set_alerts(self, alerts: Iterable[Alert]) -> None:
        with self._state:
            self._held = keep_later_firings(self._held, alerts)
            held = list(self._held)
        self._command(SetAlerts(held))

    def alerts(self) -> list[Alert]:
        if self._fallback is not None:  # its firings change the states from now on
            return self._fallback.alerts()
        with self._state:
            return list(self._held)

    def symbols(self) -> set[str]:
        return {a.symbol for a in self.alerts()}

    def set_previous_close(self, symbol: str, price: Decimal) -> None:
        self._closes[symbol] = price
        self._command(SetClose(symbol, price))

    def seed_minute_bars(self, symbol: str, bars: Sequence[Bar]) -> None:
        self._command(Seed(symbol, list(bars)))

    def restart(self) -> None:
        """Judge the next trades afresh (another quote source); each alert keeps its firing state."""
        self.flush()
        self._closes.clear()  # the new source's previous closes come with its snapshots
        self._command(Restart())

    def _command(self, message: Command) -> None:
        if self._closed:
            return
        if self._process is None and self._held and not self._dead.is_set():
            self._start()
        if self._fallback is not None or self._dead.is_set():
            self._judge_in_app()
            apply(message, self._fallback)  # type: ignore[arg-type]
        elif self._process is not None:
            self._outbox.put(message)

    # ------------------------------------------------------------ flush and close
    def flush(self) -> None:
        """Judge everything queued now and hand its firings on (call from the loop's thread)."""
        if self._fallback is None and self._process is not None and not self._dead.is_set():
            done = threading.Event()
            token = next(self._tokens)
            self._flushes[token] = done  # before the check below: a death after it sets ``done``
            self._outbox.put(Flush(token))
            if not self._dead.is_set() and not done.wait(FLUSH_TIMEOUT):
                log.error("alerts: %d trades still not judged after %.0f s", self.pending, FLUSH_TIMEOUT)
            self._flushes.pop(token, None)
        self._relay.deliver()  # the child's firings, before any judged in the app
        if self._dead.is_set() and self._fallback is None and not self._closing:
            self._judge_in_app()
        if self._fallback is not None:
            self._fallback.flush()

    def close(self) -> None:
        """Judge what is queued, hand it on and stop the judge; later batches are not judged."""
        self.flush()
        self._closing = self._closed = True
        process, self._process = self._process, None
        if process is not None:
            self._outbox.put(None)
            try:
                process.wait(FLUSH_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for thread in self._threads:
            thread.join(FLUSH_TIMEOUT)
        if self._fallback is not None:
            self._fallback.close()

    # ------------------------------------------------------------ the child
    def _start(self) -> None:
        self._relay.bind()
        try:
            self._process = subprocess.Popen(
                self.command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
            )
        except OSError as exc:
            self._dead.set()
            self._failed(f"the alert judge could not be started ({exc})")
            return
        widen_pipe(self._process.stdin)
        for symbol, price in self._closes.items():  # told before there was a judge to tell
            self._outbox.put(SetClose(symbol, price))
        for target, name in ((self._send, "send"), (self._receive, "receive"), (self._read_stderr, "stderr")):
            thread = threading.Thread(target=target, name=f"hkdesk-alert-judge-{name}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def _send(self) -> None:
        """Turn each batch into frames of at most ``slice_ticks`` trades of symbols with alerts.

        A slice holds the interpreter lock while it is encoded (some 0.2 µs a trade) and gives it
        up while it is written. The symbols with alerts are those of the last ``SetAlerts`` sent,
        so a batch is filtered by the alerts it will be judged under.
        """
        pipe = self._process.stdin  # type: ignore[union-attr]
        encode = msgspec.msgpack.Encoder().encode
        outbox, step, unanswered = self._outbox, self.slice_ticks, self._unanswered
        watched: set[str] = set()
        item: _Item = None
        start = 0
        try:
            while (item := outbox.get()) is not None:
                if type(item) is ReadTicks:  # an AllTick read's trades: its frames go as they came
                    self.reads_forwarded += 1
                    start = len(item)  # answered or replayed whole: nothing of it is left unsent
                    unanswered.append(item)
                    pipe.write(frame(encode(Frames(item.frames))))  # type: ignore[union-attr]
                elif isinstance(item, list):
                    self.batches_encoded += 1
                    start = -step
                    for start in range(0, len(item), step):
                        part = item[start : start + step]
                        rows = [
                            (t.symbol, t.seq, t.ts, t.price, t.volume) for t in part if t.symbol in watched
                        ]
                        if rows:
                            unanswered.append(part)
                            pipe.write(frame(encode(Trades(rows))))  # type: ignore[arg-type,union-attr]
                        else:
                            self._skipped += len(part)
                    start = len(item)
                else:
                    if isinstance(item, SetAlerts):
                        watched = {a.symbol for a in item.alerts}
                    pipe.write(frame(encode(item)))  # type: ignore[union-attr]
                if outbox.empty():
                    pipe.flush()  # type: ignore[union-attr]
            pipe.close()  # type: ignore[union-attr]
        except (OSError, ValueError):  # the child is gone: what was being sent is kept
            self._keep_unsent(item, start + step)
        except Exception:  # a batch that cannot be sent: the child is stopped, judging moves here
            log.exception("alerts: a batch could not be sent to the alert judge")
            self._keep_unsent(item, start + step)
            self._stop_child()

    def _keep_unsent(self, item: _Item, rest_from: int) -> None:
        if isinstance(item, list):
            if type(item) is not ReadTicks and item[rest_from:]:
                self._unsent.append(item[rest_from:])
        elif item is not None:
            self._unsent.append(item)

    def _stop_child(self) -> None:
        """Kill the child (its answers end, and the receiver moves judging into the app)."""
        if (process := self._process) is not None:
            with contextlib.suppress(OSError):
                process.kill()

    def _receive(self) -> None:
        stream = self._process.stdout  # type: ignore[union-attr]
        decode = msgspec.msgpack.Decoder(FromJudge).decode
        reason = "it ended"
        try:
            while (body := read_frame(stream)) is not None:  # type: ignore[arg-type]
                self._answer(decode(body))
        except Exception as exc:  # an answer not understood: this child is not trusted any more
            reason = f"its answer could not be read ({exc!r})"
            if not self._closing:
                self._stop_child()
        self._dead.set()
        for done in list(self._flushes.values()):
            done.set()
        if not self._closing:
            code = None
            if (process := self._process) is not None:
                try:
                    code = process.wait(5)
                except subprocess.TimeoutExpired:
                    process.kill()
            self._stderr_read.wait(1.0)  # its last words are still in the pipe a moment
            tail = b"".join(self._stderr).decode("utf-8", "replace").strip().splitlines()[-1:]
            detail = f" (exit {code}{': ' + tail[0] if tail else ''})"
            self._failed(f"the alert judge stopped: {reason}{detail}")

    def _answer(self, message: FromJudge) -> None:
        if isinstance(message, Judged):
            part = self._unanswered.popleft()
            if message.events:
                with self._state:
                    fired = {e.alert.id: e for e in message.events if e.alert.id}
                    self._held = [
                        replace(a, last_fired_ts=fired[a.id].ts)
                        if a.id in fired and fired[a.id].alert.same_rule(a)
                        else a
                        for a in self._held
                    ]
                self._relay.hand_on(message.events)
            self._judged += len(part)  # after the hand-on: pending 0 means every firing is queued
        elif isinstance(message, Flushed):
            self.judge_cpu_s = message.cpu_s
            done = self._flushes.get(message.token)
            if done is not None:
                done.set()
        elif isinstance(message, Problem):
            log.error("alerts: %s", message.text)

    def _read_stderr(self) -> None:
        stream = self._process.stderr  # type: ignore[union-attr]
        for line in iter(stream.readline, b""):  # type: ignore[union-attr]
            self._stderr.append(line)
        self._stderr_read.set()

    def _failed(self, reason: str) -> None:
        """From any thread: say so, and have the loop's thread move judging into the app."""
        self.problem = reason
        log.error("alerts: %s; judging them in the app from now on", reason)
        loop = self._relay.loop
        if loop is not None and not loop.is_closed():
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._judge_in_app)

    def _judge_in_app(self) -> None:
        """On the loop's thread: judge in an ``AlertPump`` from now on, the unanswered first."""
        if self._fallback is not None or self._closing:
            return
        self._dead.wait(FLUSH_TIMEOUT)
        self._relay.deliver()  # the child's firings first
        for thread in self._threads[:1]:  # the sender: what it still holds is taken below
            self._outbox.put(None)
            thread.join(FLUSH_TIMEOUT)
        with self._state:
            pump = AlertPump(AlertEvaluator(self._held), self._on_events, slice_ticks=self.slice_ticks)
        for symbol, price in self._closes.items():
            pump.set_previous_close(symbol, price)
        later: list[_Item] = [*self._unanswered, *self._unsent]
        while not self._outbox.empty():
            later.append(self._outbox.get())
        self._unanswered.clear()
        self._queued = self._judged = self._skipped = 0
        for item in later:
            if isinstance(item, list):
                pump.put(item)
            elif item is not None and not isinstance(item, Flush):  # a flush's waiter was let go
                apply(item, pump)
        self._fallback = pump
