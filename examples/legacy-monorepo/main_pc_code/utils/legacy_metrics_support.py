"""Metrics shim for the Prometheus exporter that was replaced in 2023.

The audit lists it under "Remove dead modules": nothing imports it any more.
"""
import time

_COUNTERS = {}


def increment(name, value=1):
    _COUNTERS[name] = _COUNTERS.get(name, 0) + value


def snapshot():
    return {"timestamp": time.time(), "counters": dict(_COUNTERS)}
