"""Start, supervise and stop one quote source (the built-in simulator runs in its own process).

A built-in simulator that dies is started again, on the same port when it can be (the feed
client just reconnects, as to any server that came back), with a capped exponential backoff
between attempts; the restarts are counted and said in the log. Should the port be taken
meanwhile, the simulator starts on another and ``on_moved`` hands the new upstream to the owner.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import Executor
from urllib.parse import urlsplit

from hkdesk.sim.process import SimProcess, SimulatorStartError, start_simulator_process
from hkdesk.sources.spec import SIM_TOKEN, SourceError, SourceKind, SourceSpec
from hkdesk.sources.token_store import ENV_VAR, TokenStore
from hkdesk.sources.upstream import DeskAccess, Upstream, default_desktop_id

log = logging.getLogger(__name__)


class SourceRunner:
    """``await start()`` gives the :class:`Upstream` to connect to; ``await stop()`` ends it.

    For the built-in simulator that means a child process, started and stopped on ``executor``
    (a worker thread: starting a process and waiting for its URL blocks), and watched every
    ``check_interval`` seconds. An explicit token (``--token``) is then required by the
    simulator too, as a real server would. ``sim_args`` (if given, run on ``executor``: it may
    read the database) adds arguments at every start, e.g. where the demo day goes on.
    """

    def __init__(
        self,
        spec: SourceSpec,
        tokens: TokenStore,
        executor: Executor | None = None,
        *,
        sim_args: Callable[[], list[str]] | None = None,
        on_moved: Callable[[Upstream], None] | None = None,
        check_interval: float = 0.5,
        restart_initial: float = 1.0,
        restart_cap: float = 30.0,
    ) -> None:
        self.spec = spec
        self.tokens = tokens
        self._executor = executor
        self.sim_args = sim_args
        #: Called with the new upstream when a restarted simulator had to take another port.
        self.on_moved = on_moved
        self.check_interval = check_interval
        self.restart_initial = restart_initial
        self.restart_cap = restart_cap
        self.sim: SimProcess | None = None
        self.upstream: Upstream | None = None
        #: How many times a simulator that died was started again.
        self.restarts = 0
        #: Why the simulator is down right now (empty while it runs).
        self.problem = ""
        self._watch: asyncio.Task[None] | None = None

    @property
    def label(self) -> str:
        return self.spec.label

    async def start(self) -> Upstream:
        spec = self.spec
        plan = spec.limits()
        if spec.kind is SourceKind.DESK:
            desktop = spec.desktop_id or urlsplit(spec.url).username or default_desktop_id()
            access = DeskAccess(spec.desk, desktop, spec.nats_creds, spec.desk_db)
            self.upstream = Upstream(spec.label, spec.url, "", plan, desk=access)
            return self.upstream
        if not spec.simulated:
            token = self.tokens.get()
            if not token:
                raise SourceError(f"no AllTick token: enter one in Settings, use --token or set {ENV_VAR}")
            real = not spec.reached_simulator
            self.upstream = Upstream(spec.label, spec.url, token, plan, simulated=not real, real_only=real)
            return self.upstream
        try:
            self.sim = await self._start_sim()
        except SimulatorStartError as exc:
            log.error("the built-in simulator did not start: %s", exc)
            raise SourceError("the built-in simulator did not start") from exc
        log.info("built-in simulator running at %s", self.sim.ws_url)
        explicit = self.tokens.explicit
        self.upstream = Upstream(spec.label, self.sim.ws_url, explicit or SIM_TOKEN, plan, simulated=True)
        self._watch = asyncio.get_running_loop().create_task(self._supervise(), name="hkdesk-sim-watch")
        return self.upstream

    async def _start_sim(self, port: int | None = None) -> SimProcess:
        explicit = self.tokens.explicit
        loop = asyncio.get_running_loop()
        resume = await loop.run_in_executor(self._executor, self.sim_args) if self.sim_args else []
        args = [
            *self.spec.sim_args,
            *resume,
            *(["--token", explicit] if explicit else []),
            *(["--port", str(port)] if port else []),
        ]
        started = loop.run_in_executor(self._executor, start_simulator_process, args)
        try:
            return await asyncio.shield(started)
        except asyncio.CancelledError:
            # stopped while a child was starting: stop that child too once it is up
            started.add_done_callback(lambda f: f.exception() is None and f.result().stop())
            raise

    async def _supervise(self) -> None:
        while True:
            await asyncio.sleep(self.check_interval)
            sim = self.sim
            if sim is None or sim.alive():
                continue
            code = sim.process.returncode
            self.problem = f"the built-in simulator stopped (exit code {code})"
            log.warning("%s; starting it again", self.problem)
            await self._restart(sim)

    async def _restart(self, dead: SimProcess) -> None:
        port = urlsplit(dead.ws_url).port
        delay = self.restart_initial
        failures = 0
        while True:
            await asyncio.sleep(delay)
            try:
                self.sim = await self._start_sim(port if failures < 3 else None)
            except SimulatorStartError as exc:
                failures += 1
                delay = min(self.restart_cap, delay * 2)
                self.problem = (
                    f"the built-in simulator does not start again ({exc}); next try in {delay:.0f} s"
                )
                log.warning(self.problem)
                continue
            break
        self.restarts += 1
        self.problem = ""
        log.warning("built-in simulator started again at %s (restart %d)", self.sim.ws_url, self.restarts)
        if self.upstream is not None and self.sim.ws_url != self.upstream.url:
            self.upstream = Upstream(
                self.upstream.label, self.sim.ws_url, self.upstream.token, self.upstream.plan, simulated=True
            )
            if self.on_moved is not None:
                self.on_moved(self.upstream)

    async def stop(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
            self._watch = None
        sim, self.sim = self.sim, None
        if sim is not None:
            await asyncio.get_running_loop().run_in_executor(self._executor, sim.stop)
