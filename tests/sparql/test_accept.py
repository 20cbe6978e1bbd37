"""Content negotiation from a table: werkzeug's ``MIMEAccept`` (as for pages), and which
format each header gets."""

from __future__ import annotations

import pytest

from kg.errors import UnsupportedFormatError
from webapp.sparql_protocol import (
    GRAPH_OFFERS,
    RESULT_OFFERS,
    ProtocolRequest,
    choose_format,
    negotiate,
)

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", "application/json"),  # no preference: the first offer
        ("*/*", "application/json"),
        ("text/csv", "text/csv"),
        ("TEXT/CSV", "text/csv"),
        ("text/csv;q=0.5, application/json", "application/json"),
        ("*/*;q=0.1, text/*;q=0.5, text/csv", "text/csv"),
        ("text/*, application/json;q=0.9", "text/csv"),
        ("application/json;q=0, */*", "text/csv"),  # q=0 rules a type out
        ("garbage, /x, */csv, text/csv", "text/csv"),  # malformed entries are skipped
        ("image/png", None),
        ("text/csv;q=abc", None),  # an invalid weight: the entry does not count
    ],
)
def test_negotiation_is_werkzeugs_mimeaccept(header: str, expected: str | None) -> None:
    assert negotiate(header, ["application/json", "text/csv"]) == expected


RESULT_TYPES = [o.media_type for o in RESULT_OFFERS]
GRAPH_TYPES = [o.media_type for o in GRAPH_OFFERS]


@pytest.mark.parametrize(
    ("header", "graph", "expected"),
    [
        ("", False, "json"),
        ("*/*", False, "json"),
        ("application/sparql-results+json", False, "json"),
        ("application/sparql-results+xml", False, "xml"),
        ("text/csv", False, "csv"),
        ("text/tab-separated-values", False, "tsv"),
        ("application/json", False, "json"),
        ("application/xml", False, "xml"),
        ("text/*", False, "csv"),
        ("application/sparql-results+json;q=0.5, text/csv", False, "csv"),
        ("text/csv;q=0, */*", False, "json"),
        ("application/sparql-results+xml;q=0.9, application/sparql-results+json", False, "json"),
        ("text/turtle, application/sparql-results+json;q=0.1", False, "json"),
        ("", True, "turtle"),
        ("*/*", True, "turtle"),
        ("text/turtle", True, "turtle"),
        ("application/ld+json", True, "jsonld"),
        ("application/n-triples", True, "ntriples"),
        ("application/rdf+xml", True, "rdfxml"),
        ("text/plain", True, "ntriples"),
        ("application/json", True, "jsonld"),
        ("application/x-turtle", True, "turtle"),
        ("application/rdf+xml;q=0.5, text/turtle;q=0.4", True, "rdfxml"),
        # SPARQLWrapper's defaults
        ("application/sparql-results+json,application/json,text/javascript,"
         "application/javascript", False, "json"),
        ("application/rdf+xml,application/xml", True, "rdfxml"),
        ("text/turtle,application/turtle,application/x-turtle", True, "turtle"),
    ],
)
def test_each_accept_header_gets_its_format(header: str, graph: bool, expected: str) -> None:
    fmt = choose_format(ProtocolRequest("q", (), header), "CONSTRUCT" if graph else "SELECT",
                        html=False)
    assert fmt is not None and fmt.name == expected


@pytest.mark.parametrize("header", ["image/png", "text/html", "application/pdf, text/csv;q=0"])
def test_nothing_acceptable_is_an_error(header: str) -> None:
    with pytest.raises(UnsupportedFormatError):
        choose_format(ProtocolRequest("q", (), header), "SELECT", html=False)


@pytest.mark.parametrize(
    ("header", "html"),
    [(BROWSER, True), ("text/html", True), ("*/*", False), ("", False),
     ("application/sparql-results+json, text/html;q=0.5", False)],
)
def test_browsers_get_the_editor(header: str, html: bool) -> None:
    fmt = choose_format(ProtocolRequest("q", (), header), "SELECT", html=True)
    assert (fmt is None) is html


@pytest.mark.parametrize(
    ("formats", "graph", "expected"),
    [
        (("csv",), False, "csv"),
        (("text/csv",), False, "csv"),
        (("xlsx",), False, "xlsx"),
        (("json", "json", "json"), False, "json"),  # SPARQLWrapper sends format, output, results
        (("json",), True, "jsonld"),
        (("xml",), True, "rdfxml"),
        (("rdf+xml", "application/rdf+xml"), True, "rdfxml"),
        (("nonsense", "tsv"), False, "tsv"),
        (("ttl",), True, "turtle"),
    ],
)
def test_format_parameter_wins_over_accept(formats: tuple[str, ...], graph: bool,
                                          expected: str) -> None:
    req = ProtocolRequest("q", formats, "application/sparql-results+xml")
    fmt = choose_format(req, "CONSTRUCT" if graph else "SELECT", html=True)
    assert fmt is not None and fmt.name == expected


def test_negotiate_breaks_ties_by_the_order_of_offers() -> None:
    assert negotiate("text/csv, application/sparql-results+json", RESULT_TYPES) == \
        "application/sparql-results+json"
    assert negotiate("application/*", RESULT_TYPES) == "application/sparql-results+json"
    assert negotiate("application/*", GRAPH_TYPES) == "application/ld+json"
