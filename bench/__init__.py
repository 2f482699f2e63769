"""Benchmarks and load tests of the dashboard (`make bench`, `make soak`); not part of the app."""
