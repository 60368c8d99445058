"""Benchmarks of pure parts (not shipped with the integration)."""
