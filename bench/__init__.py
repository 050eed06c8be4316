"""hkdesk benchmarks: each scenario measures a baseline and hkdesk in the same run."""
