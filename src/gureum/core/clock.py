"""An injectable clock, so that time-dependent behaviour can be tested and simulated."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch (wall clock)."""
        ...


class SystemClock:
    __slots__ = ()

    def now(self) -> float:
        return time.time()
