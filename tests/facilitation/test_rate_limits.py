"""Per-device limits: exact counts from the in-memory storage, without a sweep per hit."""

from __future__ import annotations

import contextlib
import time
from unittest import mock

import pytest
from limits import RateLimitItemPerMinute

from facilitation.operations.errors import Rejected
from facilitation.rate_limits import SWEEP_INTERVAL, DeviceLimits, RateLimited, SweptMemoryStorage


@contextlib.contextmanager
def freeze(moment: float):
    """The limiter's storage reads this moment as the time."""
    with mock.patch("limits.storage.memory.time.time", return_value=moment):
        yield


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


def test_a_refusal_for_speed_says_when_the_next_idea_fits(app):
    """retry_after is when the limiter lets the next idea in: refused just before, let in after."""
    limits = DeviceLimits(app)
    storage = limits._limiter.storage
    storage.timer.cancel()
    for _ in range(3):
        limits.idea(5, 9, per_minute=3)
    with pytest.raises(RateLimited) as refused:
        limits.idea(5, 9, per_minute=3)
    wait = refused.value.retry_after
    assert refused.value.as_reply()["retry_after"] == wait
    assert f"{wait} s" in refused.value.as_reply()["error"]
    assert 1 <= wait <= 61
    # The workshop's own limit counts apart from the default: 3 per minute is full here.
    item = RateLimitItemPerMinute(3)
    start = time.time()
    try:
        # The wait is rounded up with half a second to spare: 1.6 s earlier is still too soon.
        with freeze(start + wait - 1.6):
            assert not limits._limiter.test(item, "idea", "5", "9")
        with freeze(start + wait):
            assert limits._limiter.test(item, "idea", "5", "9")
    finally:
        storage.timer.cancel()
