"""Limits per device on how fast ideas and votes arrive, with the `limits` package.

A whole room shares one venue IP address, so limits are keyed by workshop and participant,
never by address. A phone told to slow down keeps its idea waiting and sends it again later.

The sliding-window counter strategy keeps two counters per device: the moving-window strategy
keeps every hit, and its in-memory storage then sweeps all of them, for every device, up to a
hundred times a second (10% of the server's time with 500 phones in the load benchmark).
"""

from __future__ import annotations

from flask import Flask
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter

from facilitation.operations.errors import Rejected


class DeviceLimits:
    """The idea and vote limits of one application."""

    def __init__(self, app: Flask) -> None:
        """Read the limits; counts live in Redis when processes share a queue, else in memory."""
        queue = app.config["MESSAGE_QUEUE"]
        storage = storage_from_string(queue if queue and queue.startswith("redis") else "memory://")
        self._limiter = SlidingWindowCounterRateLimiter(storage)
        self._ideas = parse(app.config["IDEA_RATE_LIMIT"])
        self._votes = parse(app.config["VOTE_RATE_LIMIT"])

    def idea(self, workshop_id: int, participant_id: int) -> None:
        """Count one new idea from a device, or refuse it when the device is over its limit."""
        if not self._limiter.hit(self._ideas, "idea", str(workshop_id), str(participant_id)):
            raise Rejected(
                "You are sending ideas very fast; this one is kept and sent again in a moment.",
                "rate_limited",
            )

    def vote(self, workshop_id: int, participant_id: int) -> None:
        """Count one vote change from a device, or refuse it over the limit."""
        if not self._limiter.hit(self._votes, "vote", str(workshop_id), str(participant_id)):
            raise Rejected("Too many vote changes at once; wait a moment.", "rate_limited")
