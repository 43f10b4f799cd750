"""Benchmark of the advisor against a bare Flask endpoint on the same machine; run `python -m bench`."""
