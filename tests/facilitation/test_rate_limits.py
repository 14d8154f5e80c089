"""Per-device limits: exact counts from the in-memory storage, without a sweep per hit."""

from __future__ import annotations

import contextlib
import time
from unittest import mock

import pytest
from limits import RateLimitItemPerMinute

from facilitation.operations import ideas
from facilitation.operations.errors import RateLimited
from facilitation.rate_limits import SWEEP_INTERVAL, DeviceLimits, SweptMemoryStorage


@contextlib.contextmanager
def freeze(moment: float):
    """The limiter's storage reads this moment as the time."""
    with mock.patch("limits.storage.memory.time.time", return_value=moment):
        yield


def test_limits_count_exactly_and_sweep_on_their_own_schedule(app):
    """The n+1-th idea in the window must wait, per device; hits share one waiting sweep."""
    app.config["IDEA_RATE_LIMIT"] = "5 per minute"
    limits = DeviceLimits(app)
    storage = limits._limiter.storage
    assert isinstance(storage, SweptMemoryStorage)
    for _ in range(5):
        assert limits.idea_wait(1, 7) == 0
        limits.count_idea(1, 7)
    assert limits.idea_wait(1, 7) > 0
    assert limits.idea_wait(1, 8) == 0  # another device has its own count
    assert limits.idea_wait(2, 7) == 0  # and so has the same device in another workshop
    # As shipped, limits' storage starts a new 10 ms sweep thread after a hit; here no thread
    # runs, and the first hit SWEEP_INTERVAL seconds later sweeps the expired counters in line.
    assert not storage.timer.is_alive()
    assert storage.next_sweep - time.monotonic() > SWEEP_INTERVAL - 5
    storage.incr("gone", expiry=0.001)
    time.sleep(0.01)
    storage.next_sweep = time.monotonic()
    limits.count_idea(3, 7)
    assert "gone" not in storage.storage and storage.storage  # swept; live counters stay
    assert storage.next_sweep - time.monotonic() > SWEEP_INTERVAL - 5
    assert not storage.timer.is_alive()


def test_a_refusal_for_speed_says_when_the_next_idea_fits(app, store, workshop):
    """retry_after is when the limiter lets the next idea in: refused just before, let in after."""
    limits = DeviceLimits(app)
    for _ in range(3):
        limits.count_idea(5, 9, per_minute=3)
    wait = limits.idea_wait(5, 9, per_minute=3)
    assert 1 <= wait <= 61
    with store.write() as db, pytest.raises(RateLimited) as refused:
        ideas.submit(
            db,
            workshop.id,
            None,
            client_id="too-fast-1",
            text="O idee trimisă prea repede",
            pace=ideas.Pace(lambda per_minute: wait, lambda per_minute: None),
        )
    assert refused.value.code == "rate_limited"
    assert refused.value.as_reply()["retry_after"] == wait
    assert f"{wait} s" in refused.value.as_reply()["error"]
    # The workshop's own limit counts apart from the default: 3 per minute is full here.
    item = RateLimitItemPerMinute(3)
    start = time.time()
    # The wait is rounded up with half a second to spare: 1.6 s earlier is still too soon.
    with freeze(start + wait - 1.6):
        assert not limits._limiter.test(item, "idea", "5", "9")
    with freeze(start + wait):
        assert limits._limiter.test(item, "idea", "5", "9")
