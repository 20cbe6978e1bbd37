"""Content negotiation: which representation of a page to send, from a suffix or ``Accept``.

A page offers HTML, its JSON twin and (for entities and datasets) RDF in the formats of
:mod:`kg.io.formats`. An explicit suffix (``.ttl``, ``.json``) wins over the ``Accept``
header; when nothing offered is acceptable, :class:`NotAcceptableError` lists what is.

>>> split_suffix("id/projekt/esamverkan.ttl")
('id/projekt/esamverkan', 'ttl')
>>> split_suffix("id/nyhet/01")
('id/nyhet/01', None)
>>> [o.extension for o in ENTITY_OFFERS]
['html', 'json', 'ttl', 'jsonld', 'nt', 'rdf']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import Response, request

from kg.errors import UnsupportedFormatError
from kg.io.formats import RdfFormatInfo, rdf_format

__all__ = [
    "ENTITY_OFFERS",
    "HTML",
    "JSON",
    "PAGE_OFFERS",
    "RDF_OFFERS",
    "NotAcceptableError",
    "Offer",
    "advertise",
    "alternates",
    "negotiate",
    "split_suffix",
    "wants_json",
]


@dataclass(frozen=True)
class Offer:
    """One representation a page can be sent in."""

    key: str
    media_type: str
    extension: str
    label: str
    rdf: RdfFormatInfo | None = None


def _rdf_offer(name: str) -> Offer:
    fmt = rdf_format(name)
    return Offer(fmt.name, fmt.media_type, fmt.extension, fmt.label, fmt)


HTML = Offer("html", "text/html", "html", "HTML")
JSON = Offer("json", "application/json", "json", "JSON")
RDF_OFFERS: tuple[Offer, ...] = tuple(
    _rdf_offer(n) for n in ("turtle", "jsonld", "ntriples", "rdfxml")
)
#: What an entity page (and the dataset description) can be sent as.
ENTITY_OFFERS: tuple[Offer, ...] = (HTML, JSON, *RDF_OFFERS)
#: What an ordinary page (home, search) can be sent as.
PAGE_OFFERS: tuple[Offer, ...] = (HTML, JSON)

_SUFFIXES = {o.extension for o in ENTITY_OFFERS}


class NotAcceptableError(UnsupportedFormatError):
    """None of the offered media types is acceptable to the client (answered with 406)."""

    def __init__(self, offered: Sequence[str]) -> None:
        self.offered = list(offered)
        super().__init__("inget av de erbjudna formaten accepteras: " + ", ".join(self.offered))


def split_suffix(path: str) -> tuple[str, str | None]:
    """Split a known format extension off a path (entity slugs never hold dots)."""
    stem, dot, ext = path.rpartition(".")
    if dot and ext in _SUFFIXES and "/" not in ext:
        return stem, ext
    return path, None


def negotiate(offers: Sequence[Offer], extension: str | None = None) -> Offer:
    """The representation to send: the one the suffix names, else the best for ``Accept``.

    Raises:
        NotAcceptableError: the suffix or the Accept header rules out every offer.
    """
    types = [o.media_type for o in offers]
    if extension is not None:
        for offer in offers:
            if offer.extension == extension:
                return offer
        raise NotAcceptableError(types)
    if not request.headers.get("Accept", "").strip():
        return offers[0]
    best = request.accept_mimetypes.best_match(types)
    if best is None:
        raise NotAcceptableError(types)
    return next(o for o in offers if o.media_type == best)


def wants_json() -> bool:
    """True when the client asked for JSON: a ``.json`` path, ``/api/`` or an Accept header
    that prefers JSON to HTML."""
    if request.path.endswith(".json") or request.path.startswith("/api/"):
        return True
    accept = request.accept_mimetypes
    best = accept.best_match(["text/html", "application/json"])
    return best == "application/json" and accept["application/json"] > accept["text/html"]


def alternates(data_url: str, offers: Sequence[Offer]) -> list[dict[str, str]]:
    """The data twins of a page: ``{media_type, href, label}`` for every non-HTML offer.

    ``data_url`` is the page's path without extension; the twin adds ``.<ext>``.
    """
    path, _, query = data_url.partition("?")
    tail = f"?{query}" if query else ""
    return [
        {"media_type": o.media_type, "href": f"{path}.{o.extension}{tail}", "label": o.label}
        for o in offers
        if o is not HTML
    ]


def advertise(response: Response, twins: Sequence[dict[str, str]], negotiated: bool) -> Response:
    """Add the ``Link`` header naming the data twins, and ``Vary: Accept`` when the reply
    depended on the Accept header."""
    if twins:
        response.headers["Link"] = ", ".join(
            f'<{a["href"]}>; rel="alternate"; type="{a["media_type"]}"' for a in twins
        )
    if negotiated:
        response.vary.add("Accept")
    return response
