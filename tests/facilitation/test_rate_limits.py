"""Per-device limits: exact counts from the in-memory storage, without a sweep per hit."""

from __future__ import annotations

import pytest

from facilitation.operations.errors import Rejected
from facilitation.rate_limits import SWEEP_INTERVAL, DeviceLimits, SweptMemoryStorage


def test_limits_count_exactly_and_sweep_on_their_own_schedule(app):
    """The n+1-th idea in the window is refused, per device; hits share one waiting sweep."""
    app.config["IDEA_RATE_LIMIT"] = "5 per minute"
    limits = DeviceLimits(app)
    storage = limits._limiter.storage
    assert isinstance(storage, SweptMemoryStorage)
    for _ in range(5):
        limits.idea(1, 7)
    sweep = storage.timer
    with pytest.raises(Rejected) as refused:
        limits.idea(1, 7)
    assert refused.value.code == "rate_limited"
    limits.idea(1, 8)  # another device has its own count
    limits.idea(2, 7)  # and so has the same device in another workshop
    # As shipped, limits' storage starts a new 10 ms sweep thread after a hit; here one sweep
    # waits SWEEP_INTERVAL seconds for all of them.
    assert storage.timer is sweep and sweep.interval == SWEEP_INTERVAL and sweep.is_alive()
    sweep.cancel()
