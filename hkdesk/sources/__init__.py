"""Quote sources: where quotes come from, and the one place that starts and stops them.

A :class:`~hkdesk.sources.spec.SourceSpec` says what was asked for (the built-in simulator, an
AllTick endpoint); a :class:`~hkdesk.sources.runner.SourceRunner` makes it real (it starts the
simulator's process, finds the token) and hands out an :class:`~hkdesk.sources.upstream.Upstream`:
where to connect, with which token and within which plan. The recorder, the desktop app and the
benchmarks all go through here.
"""
