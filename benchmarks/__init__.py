"""Benchmarks: commands that time the service on synthetic data (never run by the test suite)."""
