"""An in-process token bucket per key (a user, a token or an address).

Per process, not shared: with several API processes each allows the rate, which still bounds a flood.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

#: Past this many keys, buckets that have refilled completely are forgotten (they hold no state).
MAX_KEYS = 10_000


class TokenBucket:
    def __init__(self, rate_per_second: float, burst: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate_per_second
        self.burst = burst
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # key -> (tokens, updated at)
        self._lock = threading.Lock()

    def take(self, key: str, cost: float = 1) -> float:
        """0 when allowed (and the cost is taken); otherwise the seconds to wait before trying again."""
        return self._ask(key, cost, take=True)

    def wait(self, key: str, cost: float = 1) -> float:
        """What ``take`` would answer, without taking anything."""
        return self._ask(key, cost, take=False)

    def _ask(self, key: str, cost: float, *, take: bool) -> float:
        if self.rate <= 0:
            return 0
        cost = min(cost, self.burst)
        with self._lock:
            now = self._clock()
            tokens, updated = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - updated) * self.rate)
            allowed = tokens >= cost
            if take:
                self._buckets[key] = (tokens - cost if allowed else tokens, now)
                if len(self._buckets) > MAX_KEYS:
                    self._forget_full(now)
            return 0.0 if allowed else (cost - tokens) / self.rate

    def _forget_full(self, now: float) -> None:
        for key, (tokens, updated) in list(self._buckets.items()):
            if tokens + (now - updated) * self.rate >= self.burst:
                del self._buckets[key]


def retry_after(wait_seconds: float) -> int:
    return max(1, math.ceil(wait_seconds))
