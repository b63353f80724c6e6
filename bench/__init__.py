"""Benchmarks and the primer (``python -m bench.primer``); the scripts also run as files."""
