"""The user-facing operations the benchmark measures, each a small registered function that
turns a context (the app, the store, a seeded random source) into the requests to time.

An operation whose module is missing from this build is skipped with a note, so that the
benchmark runs while the app is still growing.
"""

from __future__ import annotations

import importlib.util
import random
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import pyoxigraph as ox

from kg.bench.recording import Call
from kg.namespaces import PREFIXES

__all__ = ["OPERATIONS", "Context", "Operation", "Request", "available"]


@dataclass
class Context:
    """What operations need to make their requests."""

    raw: ox.Store
    base: str
    rng: random.Random
    store: Any = None
    cache: dict[str, Any] = field(default_factory=dict)

    def column(self, sparql: str) -> list[str]:
        """The first column of a query on the raw store, as strings (cached)."""
        if sparql not in self.cache:
            solutions = self.raw.query(sparql, prefixes=PREFIXES)
            assert isinstance(solutions, ox.QuerySolutions)
            self.cache[sparql] = [row[0].value for row in solutions]
        found: list[str] = self.cache[sparql]
        return found

    def entities(self, cls: str) -> list[str]:
        return self.column(f"SELECT ?s WHERE {{ ?s a {cls} FILTER(isIRI(?s)) }}")

    def sample(self, items: list[str], n: int) -> list[str]:
        if not items:
            return []
        return [self.rng.choice(items) for _ in range(n)] if len(items) < n else self.rng.sample(items, n)

    def path(self, iri: str) -> str:
        """The app's URL path of an entity IRI under the base."""
        return "/" + iri[len(self.base):] if iri.startswith(self.base) else f"/id?iri={quote(iri)}"


@dataclass(frozen=True)
class Request:
    """One timed request, and queries the app runs outside the store it serves (e.g. in
    query worker processes) that the raw replay must include."""

    url: str
    extra: tuple[Call, ...] = ()


@dataclass(frozen=True)
class Operation:
    """A measured operation."""

    name: str
    requests: Callable[[Context, int], list[Request]]
    target: str | None = None
    needs: tuple[str, ...] = ()
    note: str = ""


def available(op: Operation) -> str | None:
    """None when every module the operation needs exists, else the first missing one."""
    for mod in op.needs:
        if importlib.util.find_spec(mod) is None:
            return mod
    return None


def _entity_mix(ctx: Context, n: int) -> list[str]:
    kinds = ["schema:Project", "org:Organization", "foaf:Person"]
    return [iri for k in kinds for iri in ctx.sample(ctx.entities(k), max(1, n // 3))][:n]


def hub(ctx: Context) -> str:
    """The organisation with the most qualified relations (thousands at 1 M triples)."""
    rows = ctx.column("SELECT ?o WHERE { ?m org:member ?o } GROUP BY ?o "
                      "ORDER BY DESC(COUNT(?m)) LIMIT 1")
    return rows[0] if rows else ctx.base


def _fold(text: str) -> str:
    nfkd = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in nfkd if not unicodedata.combining(c))


def search_terms(ctx: Context, n: int) -> list[str]:
    """What people type: a folded word of a real label ("ornskoldsvik"), or its first
    letters, or a word with its Swedish letters."""
    labels = ctx.column("SELECT ?l WHERE { ?s a org:Organization ; rdfs:label ?l "
                        "FILTER(lang(?l) = 'sv') }")
    terms = []
    for label in ctx.sample(labels, n):
        words = [w for w in label.split() if len(w) >= 3] or [label]
        word = ctx.rng.choice(words)
        form = ctx.rng.random()
        terms.append(_fold(word) if form < 0.4 else word[: max(3, len(word) // 2)]
                     if form < 0.7 else word)
    return terms


def _urls(urls: list[str]) -> list[Request]:
    return [Request(u) for u in urls]


def _entity_pages(ctx: Context, n: int) -> list[Request]:
    return _urls([ctx.path(iri) for iri in _entity_mix(ctx, n)])


def _entity_json(ctx: Context, n: int) -> list[Request]:
    return _urls([ctx.path(iri) + ".json" for iri in _entity_mix(ctx, n)])


def _hub_page(ctx: Context, n: int) -> list[Request]:
    return _urls([ctx.path(hub(ctx))] * max(3, n // 4))


def _search_api(ctx: Context, n: int) -> list[Request]:
    return _urls(["/api/sok?" + urlencode({"q": t}) for t in search_terms(ctx, n)])


def _search_page(ctx: Context, n: int) -> list[Request]:
    return _urls(["/sok?" + urlencode({"q": t}) for t in search_terms(ctx, n)])


def _neighbourhood(ctx: Context, n: int) -> list[Request]:
    return _urls(["/graf/granne.json?" + urlencode({"iri": iri}) for iri in _entity_mix(ctx, n)])


def _paths(ctx: Context, n: int) -> list[Request]:
    orgs = ctx.entities("org:Organization")
    pairs = [(ctx.rng.choice(orgs), ctx.rng.choice(orgs)) for _ in range(n)] if orgs else []
    return _urls(["/analys/vag.json?" + urlencode({"fran": a, "till": b})
                  for a, b in pairs if a != b])


def _analytics(ctx: Context, n: int) -> list[Request]:
    return _urls(["/analys"] * n)


def _analytics_json(ctx: Context, n: int) -> list[Request]:
    return _urls(["/analys.json"] * n)


def _explorer(ctx: Context, n: int) -> list[Request]:
    return _urls(["/graf.json"] * max(3, n // 4))


def library_operations() -> list[Operation]:
    """One operation per saved query, with parameters drawn from the graph."""
    try:
        from kg.query.catalog import load_catalog
    except ImportError:
        return []
    ops = []
    for query in load_catalog():
        def requests(ctx: Context, n: int, q: Any = query) -> list[Request]:
            return _library_requests(ctx, n, q)
        ops.append(Operation(f"library: {query.name}", requests, "library",
                             needs=("kg.query.catalog", "webapp.views.queries")))
    return ops


def _library_requests(ctx: Context, n: int, query: Any) -> list[Request]:
    """The saved query as a visitor first opens it: with its default parameters (a
    required parameter gets a value drawn from its choices)."""
    from kg.query.catalog import ParameterError

    out = []
    for _ in range(max(2, n // 5)):
        values: dict[str, str] = {}
        for p in query.params:
            if p.optional or p.default is not None:
                continue
            options = ctx.cache.setdefault(f"options:{p.choices}", _options(ctx, p))
            if options:
                values[p.name] = ctx.rng.choice(options)
        try:
            text = query.bound_text(values)  # what the app runs: the values as VALUES
        except ParameterError:
            continue
        url = f"/fragor/{query.name}.json" + ("?" + urlencode(values) if values else "")
        out.append(Request(url, (Call(text, (), None),)))
    return out


def _options(ctx: Context, param: Any) -> list[str]:
    if not param.choices or ctx.store is None:
        return []
    return [iri for iri, _label in param.options(ctx.store)]


OPERATIONS: list[Operation] = [
    Operation("entity page", _entity_pages, "entity", ("webapp.views.entity",)),
    Operation("entity page .json", _entity_json, None, ("webapp.views.entity",)),
    Operation("hub page (most links), first page", _hub_page, "hub", ("webapp.views.entity",)),
    Operation("search (api)", _search_api, "search", ("webapp.views.search",)),
    Operation("search page", _search_page, None, ("webapp.views.search",)),
    Operation("neighbourhood graph", _neighbourhood, None, ("webapp.views.graph",)),
    Operation("path finder", _paths, "path", ("webapp.views.analytics",)),
    Operation("analytics page (cached)", _analytics, "analytics", ("webapp.views.analytics",)),
    Operation("analytics .json (cached)", _analytics_json, "analytics",
              ("webapp.views.analytics",)),
    Operation("graph explorer data (2,000 nodes)", _explorer, None, ("webapp.views.graph",)),
]
