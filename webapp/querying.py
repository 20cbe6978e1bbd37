r"""What the SPARQL editor and the query library share: the app's query runner, the labels
of IRIs in a result (one extra query), and a result as a table model for the templates.

>>> from rdflib import Literal, URIRef
>>> from kg.store.base import SelectResult
>>> res = SelectResult(["p", "n"], [(URIRef("https://data.kfvn.se/id/projekt/teo"), Literal(3))])
>>> table = result_table(res, {"https://data.kfvn.se/id/projekt/teo": "TEO"}, lambda i: "/x")
>>> [(c.text, c.href, c.sort) for c in table.rows[0]]
[('TEO', '/x', 'teo'), ('3', None, '3')]
>>> result_table(SelectResult(["n"], [(Literal(3000000),)]), {}, str).rows[0][0].text
'3\xa0000\xa0000'
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask import current_app, has_request_context, request
from rdflib import BNode, Literal, URIRef

from kg.errors import KgError
from kg.io.terms import is_iri
from kg.query.labels import label_query, labels_in
from kg.query.pool import ProcessRunner
from kg.query.runner import (
    QueryRunner,
    RunLimits,
    default_workers,
    make_runner,
)
from kg.store.base import GraphResult, QueryResult, SelectResult, Term
from webapp.formatting import number
from webapp.state import get_handle, get_settings

__all__ = [
    "HTML_ROWS",
    "Cell",
    "Table",
    "client_id",
    "fetch_labels",
    "get_runner",
    "label_columns",
    "result_table",
]

#: Most rows an HTML page shows (downloads carry up to ``result_limit``).
HTML_ROWS = 2000
#: Most distinct IRIs whose labels are fetched for one page.
MAX_LABELS = 3000
_RUNNER_LOCK = threading.Lock()
_NUMERIC = {
    "http://www.w3.org/2001/XMLSchema#" + n
    for n in ("integer", "decimal", "double", "float", "int", "long", "short",
              "nonNegativeInteger", "positiveInteger")
}
_DATES = {"http://www.w3.org/2001/XMLSchema#" + n
          for n in ("date", "dateTime", "gYear", "gYearMonth")}


def client_id() -> str | None:
    """Who asks, for the per-client query caps: the client's address (as the trusted
    reverse proxies report it, see the ``proxy_hops`` setting)."""
    return (request.remote_addr or "unknown") if has_request_context() else None


def get_runner() -> QueryRunner:
    """The app's query runner, made on first use from the settings.

    ``app.config["KG_QUERY_RUNNER"]`` may say ``inline`` or ``process`` (default ``auto``:
    worker processes for an on-disk Oxigraph store), ``KG_QUERY_WORKERS`` how many heavy-lane
    workers, ``KG_FAST_WORKERS`` and ``KG_FAST_TIMEOUT`` the fast lane (tests use these).
    """
    app = current_app
    runner: QueryRunner | None = app.extensions.get("kg_query_runner")
    if runner is not None:
        return runner
    with _RUNNER_LOCK:
        runner = app.extensions.get("kg_query_runner")
        if runner is not None:
            return runner  # type: ignore[no-any-return]
        settings = get_settings()
        limits = RunLimits(
            timeout=settings.query_timeout,
            limit=settings.result_limit,
            workers=int(app.config.get("KG_QUERY_WORKERS") or default_workers()),
            queue_wait=float(app.config.get("KG_QUERY_QUEUE_WAIT", 2.0)),
            per_client=settings.client_queries,
            fast_workers=int(app.config.get("KG_FAST_WORKERS", 1)),
            fast_timeout=float(app.config.get("KG_FAST_TIMEOUT", 0.5)),
            service_allow=frozenset(settings.service_allowlist),
        )
        runner = make_runner(get_handle(), limits, str(app.config.get("KG_QUERY_RUNNER", "auto")))
        app.extensions["kg_query_runner"] = runner
        if isinstance(runner, ProcessRunner):
            runner.warm()
        return runner


def _iris(result: QueryResult) -> list[str]:
    seen: dict[str, None] = {}
    if isinstance(result, SelectResult):
        cells: Iterable[Term | None] = (t for row in result.rows for t in row)
    elif isinstance(result, GraphResult):
        cells = (t for triple in result.triples for t in triple)
    else:
        cells = ()
    for t in cells:
        if isinstance(t, URIRef) and is_iri(t):
            seen[str(t)] = None
            if len(seen) >= MAX_LABELS:
                break
    return list(seen)


def fetch_labels(result: QueryResult, lang: str) -> dict[str, str]:
    """Labels of the IRIs in a result, in ``lang`` where there is one: one extra query.

    The IRIs come from the store's own answer and are checked again before they are
    written into the ``VALUES`` block.
    """
    iris = _iris(result)
    if not iris:
        return {}
    try:
        return labels_in(get_runner().query(label_query(iris)), lang)
    except KgError:
        return {}


@dataclass
class Cell:
    """One cell of a result table as a template shows it."""

    text: str = ""
    href: str | None = None
    title: str = ""
    kind: str = "empty"
    sort: str = ""
    lang: str = ""


@dataclass
class Table:
    """Columns and rows of cells."""

    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)


def _cell(t: Term | None, labels: dict[str, str], link: Callable[[str], str],
          lang: str) -> Cell:
    if t is None:
        return Cell()
    if isinstance(t, URIRef):
        iri = str(t)
        label = labels.get(iri)
        return Cell(label or iri, link(iri), iri, "iri", (label or iri).lower())
    if isinstance(t, BNode):
        return Cell(f"_:{t}", None, "", "bnode", str(t))
    assert isinstance(t, Literal)
    dt = str(t.datatype) if t.datatype else ""
    title = f"@{t.language}" if t.language else (dt.rsplit("#", 1)[-1] if dt else "")
    if dt in _NUMERIC:
        return Cell(number(str(t), lang), None, title, "number", str(t))
    if dt in _DATES:  # ISO text sorts in time order; kept on one line
        return Cell(str(t), None, title, "date", str(t))
    return Cell(str(t), None, title, "literal", str(t).lower(), t.language or "")


def label_columns(variables: list[str]) -> set[str]:
    """Columns that only carry the name of an IRI column beside them (``projekt`` and
    ``projektnamn``, ``organisation`` and ``organisationsnamn``): an HTML table shows the
    IRI column as a labelled link and can leave these out (downloads keep them).

    >>> sorted(label_columns(["projekt", "projektnamn", "organisation", "organisationsnamn",
    ...                       "namn"]))
    ['organisationsnamn', 'projektnamn']
    """
    names = set(variables)
    return {v for v in variables for b in names if v in (f"{b}namn", f"{b}snamn")}


def result_table(
    result: QueryResult, labels: dict[str, str], link: Callable[[str], str],
    lang: str = "sv", *, merge_labels: bool = False,
) -> Table:
    """A SELECT result (or the triples of a CONSTRUCT) as a table of display cells.

    With ``merge_labels``, name columns next to their IRI column are left out.
    """
    if isinstance(result, GraphResult):
        columns = ["subject", "predicate", "object"]
        raw: Iterable[tuple[Term | None, ...]] = result.triples
    elif isinstance(result, SelectResult):
        columns, raw = list(result.variables), result.rows
    else:
        return Table(["boolean"], [[Cell(str(bool(result)).lower(), kind="literal")]])
    hidden = label_columns(columns) if merge_labels else set()
    keep = [i for i, c in enumerate(columns) if c not in hidden]
    return Table([columns[i] for i in keep],
                 [[_cell(row[i], labels, link, lang) for i in keep] for row in raw])
