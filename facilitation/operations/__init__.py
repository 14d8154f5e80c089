"""What can happen in a workshop, used alike by HTTP routes, Socket.IO events, the CLI and tests.

Every operation takes an open write session, applies one change, records the events that boards
and phones must see, and returns them; the caller commits and then publishes. A rule lives here
once, whatever the entry point.
"""

from facilitation.operations.errors import Rejected

__all__ = ["Rejected"]
