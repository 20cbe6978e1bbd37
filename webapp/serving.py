"""How ``kg serve`` runs waitress so that idle or slow clients cannot lock others out.

waitress handles connections in one asynchronous loop and requests in ``threads`` worker
threads; an idle or slowly sending connection costs a file descriptor, never a thread. Its
defaults let 100 such connections (kept for 120 s) make the server refuse everyone else.
Here: ``connection_limit`` connections (default 1000, within the process's file limit,
which is raised to its hard maximum), idle ones closed after ``channel_timeout`` seconds
(default 30, checked every few seconds), ``poll()`` instead of ``select()`` (which stops at
1024 descriptors), a longer listen backlog, and the request size limits of the settings
(413 for a larger body, 431 for larger headers). A public server should still sit behind a
reverse proxy that buffers slow clients (see README: Running in production).

>>> from kg.config import Settings
>>> opts = waitress_options(Settings())
>>> opts["connection_limit"], opts["channel_timeout"], opts["asyncore_use_poll"]
(1000, 30, True)
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from kg.config import Settings
from webapp.security import UPLOAD_BYTES

__all__ = ["OncePer", "quiet_queue_warnings", "raise_file_limit", "waitress_options"]

log = logging.getLogger(__name__)
#: File descriptors kept for the store, the worker pipes and logs, beyond the connections.
SPARE_FILES = 200


class OncePer(logging.Filter):
    """Let one record through per ``seconds``, counting the ones held back.

    waitress warns "Task queue depth is N" for *every* request that waits for a thread:
    tens of thousands of lines under fifty clients, each formatted and written while the
    requests wait (the logging was a cost of its own under load). One line a minute, with
    how many were held back, still tells an operator that requests queue.

    >>> f = OncePer(60)
    >>> rec = logging.LogRecord("waitress.queue", logging.WARNING, "", 0, "depth 3", (), None)
    >>> f.filter(rec), f.filter(rec)
    (True, False)
    """

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds
        self._next = 0.0
        self._held = 0
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        with self._lock:
            now = time.monotonic()
            if now < self._next:
                self._held += 1
                return False
            held, self._held, self._next = self._held, 0, now + self.seconds
        if held:
            record.msg = f"{record.msg} ({held} more such warnings in the last minute)"
        return True


def quiet_queue_warnings(seconds: float = 60.0) -> None:
    """At most one of waitress's "Task queue depth" warnings per ``seconds``."""
    queue_log = logging.getLogger("waitress.queue")
    if not any(isinstance(f, OncePer) for f in queue_log.filters):
        queue_log.addFilter(OncePer(seconds))


def raise_file_limit(wanted: int) -> int:
    """Raise the soft limit of open files towards ``wanted`` (up to the hard limit);
    returns the limit now in force."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX
        return wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            log.warning("could not raise the open-file limit from %s to %s", soft, target)
    return int(soft) if soft != resource.RLIM_INFINITY else wanted


def waitress_options(settings: Settings) -> dict[str, Any]:
    """The keyword arguments of ``waitress.serve`` for these settings."""
    files = raise_file_limit(settings.connection_limit + SPARE_FILES)
    connections = max(10, min(settings.connection_limit, files - SPARE_FILES))
    return {
        "host": settings.host,
        "port": settings.port,
        "threads": settings.threads,
        "ident": "samverkansgrafen",
        "connection_limit": connections,
        "channel_timeout": settings.channel_timeout,
        "cleanup_interval": max(1, min(30, settings.channel_timeout // 3)),
        "asyncore_use_poll": True,
        "backlog": 2048,
        "max_request_body_size": max(settings.max_request_bytes, UPLOAD_BYTES),
        "max_request_header_size": max(65_536, settings.max_url_bytes + 16_384),
    }
