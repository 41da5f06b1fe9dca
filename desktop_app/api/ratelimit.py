"""Keeping under the API's rate limit.

The API takes at most 5 requests a second per key, across all endpoints.  One
:class:`RateLimiter` is shared by everything in the process that sends
(:data:`SHARED_LIMITER`), so a queue of drafts, retries included, never goes
faster.  Every wait here returns early when the operator cancels.
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable

from desktop_app.api.cancel import CancelToken

API_REQUESTS_PER_SECOND = 5


class RateLimiter:
    """At most ``limit`` starts in any ``period`` seconds, across threads.

    ``clock`` and ``pause`` are injectable so the rule can be tested without
    real waiting; ``pause(token, seconds)`` returns True when cancelled.
    """

    def __init__(
        self,
        limit: int = API_REQUESTS_PER_SECOND,
        period: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        pause: Callable[[CancelToken, float], bool] | None = None,
    ) -> None:
        if limit < 1 or period <= 0:
            raise ValueError("a rate limit needs a positive count and period")
        self.limit = limit
        self.period = period
        self._clock = clock
        self._pause = pause or (lambda token, seconds: token.wait(seconds))
        self._starts: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    def wait(self, cancel: CancelToken) -> bool:
        """Block until one more request may start, then count it.  False if cancelled."""
        while True:
            if cancel.cancelled:
                return False
            with self._lock:
                now = self._clock()
                while self._starts and now - self._starts[0] >= self.period:
                    self._starts.popleft()
                if len(self._starts) < self.limit:
                    self._starts.append(now)
                    return True
                delay = self.period - (now - self._starts[0])
            if self._pause(cancel, delay):
                return False


SHARED_LIMITER = RateLimiter()
