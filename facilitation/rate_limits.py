"""Limits on how fast ideas, votes, catch-ups, new devices and guesses arrive (`limits` package).

A whole room shares one venue IP address, so the limits on ideas and votes are keyed by workshop
and participant, never by address. A phone told to slow down keeps its idea waiting and sends it
again later. Two limits are per address, sized so that a room behind one address never meets
them: new device ids handed out (NEW_DEVICE_RATE_LIMIT, a room joining at once stays below it;
a script minting devices to multiply its per-device limits does not), and wrong join codes or
facilitator keys (GUESS_RATE_LIMIT: only failures count, so people who type their code right
never meet it; a script guessing codes or keys is stopped after a few dozen tries a minute).

The sliding-window counter strategy keeps two counters per device: the moving-window strategy
keeps every hit, and its in-memory storage then sweeps all of them, for every device, up to a
hundred times a second (10% of the server's time with 500 phones in the load benchmark).
"""

from __future__ import annotations

import math
import time

from flask import Flask, request
from limits import RateLimitItem, RateLimitItemPerMinute, parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter

from facilitation.operations.errors import Rejected

# Seconds between two sweeps of expired counters out of the in-memory storage.
SWEEP_INTERVAL = 30.0


class SweptMemoryStorage(MemoryStorage):
    """limits' in-memory storage, with its expired counters swept every SWEEP_INTERVAL seconds.

    The storage reads a counter's expiry whenever it reads the counter, so counts are exact
    without any sweep; its sweep only frees memory. As shipped, the sweep runs 10 ms after
    every hit, in a new timer thread, over every device's counters: with a room submitting that
    is a thread and a full pass per idea. Here the hit that finds SWEEP_INTERVAL passed sweeps,
    in line: no thread is started (under gevent, starting one per sweep held the event loop
    hundreds of times a minute in `make load`).
    """

    def __init__(self) -> None:
        """An empty storage whose first sweep waits SWEEP_INTERVAL seconds."""
        super().__init__()
        self.timer.cancel()  # the sweep thread MemoryStorage starts, ended before it sweeps
        self.timer.join()
        self.next_sweep = time.monotonic() + SWEEP_INTERVAL

    def _MemoryStorage__schedule_expiry(self) -> None:  # the name MemoryStorage calls
        """Sweep now when the last sweep is SWEEP_INTERVAL seconds old."""
        now = time.monotonic()
        if now >= self.next_sweep:
            self.next_sweep = now + SWEEP_INTERVAL
            self._MemoryStorage__expire_events()


# Connections to Redis one process keeps for the limits, and how long a request waits for one.
REDIS_CONNECTIONS = 50
REDIS_WAIT_SECONDS = 10.0


def _waiting_pool(url: str):  # noqa: ANN202 (redis.BlockingConnectionPool, imported here)
    """A pool of Redis connections where a request waits its turn for a free connection.

    A full room opens the join page within seconds, and each page checks the limits: with
    redis-py's default pool, every request beyond its 100 connections failed at once
    ("Too many connections", an error page on the phone). Here it waits, as a greenlet, until
    another request gives a connection back. (redis is imported only where Redis is used.)
    """
    import redis

    return redis.BlockingConnectionPool.from_url(
        url, max_connections=REDIS_CONNECTIONS, timeout=REDIS_WAIT_SECONDS
    )


class DeviceLimits:
    """The idea and vote limits of one application."""

    def __init__(self, app: Flask) -> None:
        """Read the limits; counts live in Redis when processes share a queue, else in memory."""
        queue = app.config["MESSAGE_QUEUE"]
        if queue and queue.startswith("redis"):
            storage = storage_from_string(queue, connection_pool=_waiting_pool(queue))
        else:
            storage = SweptMemoryStorage()
        self._limiter = SlidingWindowCounterRateLimiter(storage)
        self._ideas = parse(app.config["IDEA_RATE_LIMIT"])
        self._votes = parse(app.config["VOTE_RATE_LIMIT"])
        self._syncs = parse(app.config["SYNC_RATE_LIMIT"])
        self._per_address = parse(app.config["ADDRESS_RATE_LIMIT"])
        self._new_devices = parse(app.config["NEW_DEVICE_RATE_LIMIT"])
        self._guesses = parse(app.config["GUESS_RATE_LIMIT"])

    def idea_wait(
        self, workshop_id: int, participant_id: int, per_minute: int | None = None
    ) -> int:
        """Whole seconds before a device's next new idea fits its limit; 0 when it fits now.

        `per_minute` is the workshop's own limit (None: IDEA_RATE_LIMIT). `ideas.submit` refuses
        a new idea while this is above 0, saying when to send it again (`retry_after`), and
        `count_idea` counts the one it stored.
        """
        item, keys = self._idea_item(workshop_id, participant_id, per_minute)
        return 0 if self._limiter.test(item, *keys) else self._seconds_until_free(item, keys)

    def count_idea(
        self, workshop_id: int, participant_id: int, per_minute: int | None = None
    ) -> None:
        """Count one new idea stored from a device against its limit."""
        item, keys = self._idea_item(workshop_id, participant_id, per_minute)
        self._limiter.hit(item, *keys)

    def _idea_item(
        self, workshop_id: int, participant_id: int, per_minute: int | None
    ) -> tuple[RateLimitItem, tuple[str, ...]]:
        """The limit on a device's new ideas in a workshop, and its counter's keys."""
        item = self._ideas if per_minute is None else RateLimitItemPerMinute(per_minute)
        return item, ("idea", str(workshop_id), str(participant_id))

    def _seconds_until_free(self, item, keys: tuple[str, ...]) -> int:  # noqa: ANN001
        """Whole seconds until one more hit of `item` fits (at least 1).

        The sliding-window counter weighs the previous window's count by the share of the
        current window still to run, adds the current window's count, and lets a hit in while
        the whole part of that sum is below the amount. Solved for the wait: within the current
        window when the current count leaves room, else in the next one.
        """
        previous, _, current, current_ttl = self._limiter.storage.get_sliding_window(
            item.key_for(*keys), item.get_expiry()
        )
        expiry, amount = item.get_expiry(), item.amount
        window_end = max(0.0, current_ttl - expiry)  # the counter lives two windows
        room = amount - current
        if room >= 1:
            wait = 0.0 if previous == 0 else max(0.0, window_end - room * expiry / previous)
        else:
            wait = window_end + expiry * (1 - amount / current)
        return max(1, math.ceil(wait + 0.5))

    def vote(self, workshop_id: int, participant_id: int) -> None:
        """Count one vote change from a device, or refuse it over the limit."""
        if not self._limiter.hit(self._votes, "vote", str(workshop_id), str(participant_id)):
            raise Rejected("Too many vote changes at once; wait a moment.", "rate_limited")

    def sync(self, connection: str) -> None:
        """Count one `sync` request of a connection, or refuse it over SYNC_RATE_LIMIT.

        A client asks for a catch-up when it sees a gap, a few times a minute at most; each
        answer can be a full snapshot, so one socket asking thousands of times is refused.
        """
        if not self._limiter.hit(self._syncs, "sync", connection):
            raise Rejected("Too many catch-up requests; wait a moment.", "rate_limited")
        self.from_address()

    def from_address(self) -> None:
        """Count one connection or catch-up from this request's address, or refuse it over
        ADDRESS_RATE_LIMIT (a whole room shares one address: it is sized for that)."""
        if not self._limiter.hit(self._per_address, "address", client_address()):
            raise Rejected(
                "Too many connections from this network in the last minute; wait a moment.",
                "rate_limited",
            )

    def new_device(self) -> None:
        """Count one new device id handed out to this request's address, or refuse it."""
        if not self._limiter.hit(self._new_devices, "device", client_address()):
            raise Rejected(
                "Too many new phones joined from this network in the last minute; wait a "
                "moment and reload the page.",
                "too_many_devices",
            )

    def check_guessing(self) -> None:
        """Refuse any code or key from this request's address while it is over GUESS_RATE_LIMIT."""
        if not self._limiter.test(self._guesses, "guess", client_address()):
            raise Rejected(
                "Too many wrong codes or keys from this address; wait a minute and try again.",
                "rate_limited",
            )

    def wrong_guess(self) -> None:
        """Count one wrong join code or facilitator key from this request's address."""
        self._limiter.hit(self._guesses, "guess", client_address())


def client_address() -> str:
    """The address of the request's client (the proxy's X-Forwarded-For with TRUSTED_PROXIES)."""
    return request.remote_addr or "unknown"
