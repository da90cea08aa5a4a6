"""Benchmarks: scripts run by hand (`python -m tests.bench.<name>`), not timed tests."""
