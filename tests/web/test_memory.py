"""Memory of the serving process: a slow request is followed, once its reply is sent, by
giving the C heap's free pages back to the system (webapp/memory.py, kg.cache)."""

from __future__ import annotations

from typing import Any

import pytest

import webapp.memory
from kg.cache import give_back_memory


def test_a_slow_request_gives_memory_back_after_its_reply(client: Any,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def counted() -> None:
        calls.append("trim")
        give_back_memory()  # the real one: must not fail here (glibc) or anywhere else

    monkeypatch.setattr(webapp.memory, "give_back_memory", counted)
    monkeypatch.setattr(webapp.memory, "SLOW_REQUEST", 1e9)
    reply = client.get("/sok?q=minne-ett")  # pages not kept yet: rendered by the app
    reply.close()
    assert reply.status_code == 200 and calls == []  # not slow: nothing to give back
    monkeypatch.setattr(webapp.memory, "SLOW_REQUEST", 0.0)
    reply = client.get("/sok?q=minne-tva")
    assert reply.status_code == 200
    reply.close()  # the reply is sent: now the memory goes back
    assert calls == ["trim"]
