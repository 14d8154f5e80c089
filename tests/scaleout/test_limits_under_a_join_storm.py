"""The device limits on Redis answer a whole room that opens the join page at once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Run under gevent, as the server does: 500 requests at once, each checking the address for code
# guessing and counting a new device, with the limits in Redis as several processes share them.
STORM = """
from gevent import monkey; monkey.patch_all()
import collections, json, sys
import gevent
from flask import Flask
from facilitation import settings
from facilitation.operations.errors import Rejected
from facilitation.rate_limits import DeviceLimits

app = Flask("storm")
app.config.update(settings.defaults(), MESSAGE_QUEUE=sys.argv[1])
limits = DeviceLimits(app)
outcomes = collections.Counter()

def join(n):
    with app.test_request_context("/j/CODE", environ_base={"REMOTE_ADDR": "10.9.8.7"}):
        try:
            limits.check_guessing()
            limits.new_device()
            outcomes["joined"] += 1
        except Rejected as rejected:
            outcomes[rejected.code] += 1
        except Exception as error:
            outcomes[type(error).__name__] += 1

gevent.joinall([gevent.spawn(join, n) for n in range(500)], timeout=60)
print(json.dumps(outcomes))
"""


def test_five_hundred_phones_joining_at_once_all_get_an_answer_from_the_limits(redis_server):
    # A database of its own, so that the 500 devices counted here limit no other test.
    url = redis_server.url.rsplit("/", 1)[0] + "/7"
    done = subprocess.run(
        [sys.executable, "-c", STORM, url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    outcomes = json.loads(done.stdout.strip().splitlines()[-1])
    # redis-py's default pool refused every request beyond its 100 connections at once
    # (MaxConnectionsError, an error page on the phone): 400 of these 500.
    assert outcomes == {"joined": 500}, outcomes
