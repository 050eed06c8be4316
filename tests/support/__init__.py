"""What many test folders and the benchmarks share: a scripted AllTick server, fast protocol
timings, waiting helpers, and a desk (the whole app) wired for tests."""
