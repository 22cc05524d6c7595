"""Benchmarks: each script prints its figures as one table (no timing assertions in tests)."""
