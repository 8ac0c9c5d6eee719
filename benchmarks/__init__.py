"""Benchmarks, run on demand: python -m benchmarks.<name> (from the project root)."""
