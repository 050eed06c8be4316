"""Start and stop one quote source (the built-in simulator runs in its own process)."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Executor

from hkdesk.sim.process import SimProcess, SimulatorStartError, start_simulator_process
from hkdesk.sources.spec import SIM_TOKEN, SourceError, SourceSpec
from hkdesk.sources.token_store import ENV_VAR, TokenStore
from hkdesk.sources.upstream import Upstream

log = logging.getLogger(__name__)


class SourceRunner:
    """``await start()`` gives the :class:`Upstream` to connect to; ``await stop()`` ends it.

    For the built-in simulator that means a child process, started and stopped on ``executor``
    (a worker thread: starting a process and waiting for its URL blocks). An explicit token
    (``--token``) is then required by the simulator too, as a real server would.
    """

    def __init__(self, spec: SourceSpec, tokens: TokenStore, executor: Executor | None = None) -> None:
        self.spec = spec
        self.tokens = tokens
        self._executor = executor
        self.sim: SimProcess | None = None

    @property
    def label(self) -> str:
        return self.spec.label

    async def start(self) -> Upstream:
        spec = self.spec
        plan = spec.limits()
        if not spec.simulated:
            token = self.tokens.get()
            if not token:
                raise SourceError(f"no AllTick token: enter one in Settings, use --token or set {ENV_VAR}")
            return Upstream(spec.label, spec.url, token, plan)
        explicit = self.tokens.explicit
        args = [*spec.sim_args, *(["--token", explicit] if explicit else [])]
        loop = asyncio.get_running_loop()
        try:
            self.sim = await loop.run_in_executor(self._executor, start_simulator_process, args)
        except SimulatorStartError as exc:
            log.error("the built-in simulator did not start: %s", exc)
            raise SourceError("the built-in simulator did not start") from exc
        log.info("built-in simulator running at %s", self.sim.ws_url)
        return Upstream(spec.label, self.sim.ws_url, explicit or SIM_TOKEN, plan, simulated=True)

    async def stop(self) -> None:
        sim, self.sim = self.sim, None
        if sim is not None:
            await asyncio.get_running_loop().run_in_executor(self._executor, sim.stop)
