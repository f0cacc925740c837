"""Benchmarks: start-up, memory and CPU, measured outside the unit tests."""
