"""Service-mesh client: async HTTP discovery with a circuit breaker (the canonical one)."""

from __future__ import annotations

import asyncio
import json
import os
import time
import urllib.request
from dataclasses import dataclass
from typing import Any

MESH_URL = os.environ.get("SERVICE_MESH_URL", "http://service-mesh:8500")
DISCOVER_ROUTE = "/v1/catalog/service"
HEALTH_ROUTE = "/v1/health"


@dataclass
class CircuitBreaker:
    """Open after ``threshold`` consecutive failures; half-open after ``reset_after`` s."""

    threshold: int = 5
    reset_after: float = 30.0
    failures: int = 0
    opened_at: float = 0.0

    def allow(self) -> bool:
        if self.failures < self.threshold:
            return True
        return time.monotonic() - self.opened_at > self.reset_after

    def record(self, ok: bool) -> None:
        if ok:
            self.failures = 0
            return
        self.failures += 1
        if self.failures == self.threshold:
            self.opened_at = time.monotonic()


class ServiceMeshClient:
    def __init__(self, base_url: str = MESH_URL, timeout: float = 2.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.breaker = CircuitBreaker()

    def _get(self, route: str) -> Any:
        with urllib.request.urlopen(self.base_url + route, timeout=self.timeout) as response:
            return json.load(response)

    async def discover(self, name: str) -> dict[str, Any] | None:
        """Host and port of a healthy instance of ``name``, or ``None``."""
        if not self.breaker.allow():
            return None
        try:
            entries = await asyncio.to_thread(self._get, f"{DISCOVER_ROUTE}/{name}")
        except OSError:
            self.breaker.record(False)
            return None
        self.breaker.record(True)
        if not entries:
            return None
        entry = entries[0]
        return {"host": str(entry["Address"]), "port": int(entry["ServicePort"])}

    async def healthy(self) -> bool:
        try:
            await asyncio.to_thread(self._get, HEALTH_ROUTE)
        except OSError:
            return False
        return True
