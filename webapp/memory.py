"""Memory of the serving process: after a slow request, the C heap's free pages go back to
the system.

A page that takes long on a large graph (the hub's links, a whole-graph count) allocates and
frees hundreds of MB; glibc keeps what was freed inside the process unless asked
(:func:`kg.cache.give_back_memory`). Asking costs a few milliseconds, so it is done only
after requests of :data:`SLOW_REQUEST` seconds or more, when the reply has been sent.
"""

from __future__ import annotations

import time

from flask import Flask, Response, g

from kg.cache import give_back_memory

__all__ = ["SLOW_REQUEST", "register"]

#: Seconds from which a request is followed by giving freed memory back.
SLOW_REQUEST = 0.25


def _start() -> None:
    g.kg_started = time.perf_counter()


def _after(response: Response) -> Response:
    started = g.get("kg_started")
    if started is not None and time.perf_counter() - started >= SLOW_REQUEST:
        response.call_on_close(give_back_memory)  # once the reply is sent
    return response


def register(app: Flask) -> None:
    """Time every request; give freed memory back after slow ones."""
    app.before_request(_start)
    app.after_request(_after)
