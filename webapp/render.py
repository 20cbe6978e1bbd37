"""Rendering one page dict in the negotiated format: HTML template, JSON, or RDF.

A view builds one plain dict (Datasette-style); :func:`respond` picks the representation
from the suffix or ``Accept``, advertises the data twins (``<link rel="alternate">`` and a
``Link`` header) and sets ``Vary: Accept``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from flask import Response, jsonify, render_template

from kg.io.formats import RdfFormatInfo
from webapp.negotiation import HTML, Offer, advertise, alternates, negotiate

__all__ = ["respond"]


def respond(
    page: Mapping[str, Any] | Callable[[], Mapping[str, Any]],
    template: str,
    *,
    offers: Sequence[Offer],
    data_url: str,
    extension: str | None = None,
    rdf: Callable[[RdfFormatInfo], bytes] | None = None,
    status: int = 200,
) -> Response:
    """Send ``page`` as the client wants it.

    Args:
        page: the page's data (JSON-serialisable), or a function making it (so an RDF
            reply need not build it).
        template: the HTML template; it receives ``page`` and ``alternates``.
        offers: the representations this page has (HTML first).
        data_url: the page's path without extension (twins add ``.ext``).
        extension: the suffix the URL carried, if any.
        rdf: makes the RDF body in a format, for pages that have one.

    Raises:
        NotAcceptableError: nothing offered is acceptable.
    """
    offer = negotiate(offers, extension)
    twins = alternates(data_url, offers)
    if offer.rdf is not None and rdf is not None:
        response = Response(rdf(offer.rdf), mimetype=offer.media_type)
    else:
        data = page() if callable(page) else page
        if offer is HTML:
            response = Response(render_template(template, page=data, alternates=twins),
                                mimetype="text/html")
        else:
            response = jsonify(data)
    response.status_code = status
    response.headers["X-Content-Type-Options"] = "nosniff"
    if extension is None:
        response.headers["Content-Location"] = (
            data_url.partition("?")[0] + ("" if offer is HTML else f".{offer.extension}")
        )
    return advertise(response, twins, negotiated=extension is None)
