"""Benchmark scenarios; each module exposes ``run(quick: bool) -> list[Result]``."""
