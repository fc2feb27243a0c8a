"""Benchmarks: `python -m benchmarks` builds synthetic volumes and prints a table."""
