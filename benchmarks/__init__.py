"""Benchmarks of the analysis library (run with `make bench`)."""
