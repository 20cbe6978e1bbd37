"""The default backend: embedded Oxigraph, persistent in a folder (or in memory)."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import pyoxigraph as ox
from rdflib.term import Node

from kg.errors import QueryError, QuerySyntaxError, StoreError
from kg.namespaces import PREFIXES
from kg.store.base import (
    AskResult,
    Deadline,
    GraphResult,
    Quad,
    QueryResult,
    SelectResult,
    Store,
)
from kg.store.convert import from_ox, to_ox

if TYPE_CHECKING:
    from kg.export.formats import RdfFormatInfo, ResultFormatInfo

__all__ = ["OxigraphStore", "parse_ox_syntax_error"]

log = logging.getLogger(__name__)
META_FILE = "kg-meta.json"
_CHECK_EVERY = 512


def parse_ox_syntax_error(exc: SyntaxError) -> QuerySyntaxError:
    """Turn pyoxigraph's query SyntaxError ("error at 1:25: ...") into ours."""
    msg = str(exc.msg if exc.msg else exc)
    m = re.match(r"error at (\d+):(\d+):\s*(.*)", msg, re.S)
    if m:
        return QuerySyntaxError(m.group(3), int(m.group(1)), int(m.group(2)))
    return QuerySyntaxError(msg, exc.lineno, exc.offset)


class OxigraphStore(Store):
    """pyoxigraph's ``Store``: on disk when ``path`` is given, else in memory.

    >>> s = OxigraphStore()
    >>> from rdflib import URIRef, Literal
    >>> s.add_quads([(URIRef("http://x/a"), URIRef("http://x/p"), Literal("1"), URIRef("http://x/g"))])
    1
    >>> s.select("SELECT ?o WHERE { ?s ?p ?o }").rows
    [(rdflib.term.Literal('1'),)]
    """

    kind = "oxigraph"

    def __init__(self, path: Path | str | None = None, *, read_only: bool = False) -> None:
        self.path = Path(path) if path else None
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            raise StoreError(f"cannot open the Oxigraph store at {self.path}: {exc}") from exc
        self._version: str | None = None

    @property
    def raw(self) -> ox.Store:
        """The underlying pyoxigraph store (benchmarks compare against it)."""
        return self._store

    # -- querying -----------------------------------------------------------------------
    def _run(self, sparql: str, bindings: Mapping[str, Node]) -> Any:
        subs = {ox.Variable(k): to_ox(v) for k, v in bindings.items()} if bindings else None
        try:
            return self._store.query(
                sparql,
                prefixes=PREFIXES,
                use_default_graph_as_union=True,
                substitutions=subs,
            )
        except SyntaxError as exc:
            raise parse_ox_syntax_error(exc) from exc
        except OSError as exc:
            raise StoreError(str(exc)) from exc
        except RuntimeError as exc:  # e.g. a bound variable that is not projected
            raise QueryError(str(exc)) from exc

    def _query(
        self, sparql: str, bindings: Mapping[str, Node], limit: int | None, deadline: Deadline
    ) -> QueryResult:
        res = self._run(sparql, bindings)
        if isinstance(res, ox.QueryBoolean):
            return AskResult(bool(res))
        if isinstance(res, ox.QuerySolutions):
            names = [v.value for v in res.variables]
            rows: list[tuple[Any, ...]] = []
            for i, sol in enumerate(res):
                if limit is not None and i >= limit:
                    return SelectResult(names, rows, truncated=True)
                if i % _CHECK_EVERY == 0:
                    deadline.check()
                rows.append(tuple(from_ox(t) for t in sol))
            return SelectResult(names, rows)
        triples = []
        for i, t in enumerate(res):
            if limit is not None and i >= limit:
                return GraphResult(triples, truncated=True)
            if i % _CHECK_EVERY == 0:
                deadline.check()
            triples.append((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return GraphResult(triples)  # type: ignore[arg-type]

    def query_serialized(
        self,
        sparql: str,
        result_fmt: ResultFormatInfo,
        graph_fmt: RdfFormatInfo,
        *,
        limit: int | None = None,
        timeout: float | None = None,
    ) -> tuple[bytes, str, bool]:
        """Fast path: Oxigraph serialises results itself, with a row cap applied lazily."""
        from kg.store.base import ReadOnlyError, UPDATE_FORMS, query_form

        if query_form(sparql) in UPDATE_FORMS:
            raise ReadOnlyError("SPARQL Update is not allowed here; the store is read-only")
        if result_fmt.ox is None:
            return super().query_serialized(
                sparql, result_fmt, graph_fmt, limit=limit, timeout=timeout
            )
        deadline = Deadline(timeout)
        res = self._run(sparql, {})
        if isinstance(res, ox.QueryBoolean):
            return res.serialize(format=result_fmt.ox), "ASK", False
        capped = _Capped(limit, deadline)
        if isinstance(res, ox.QuerySolutions):
            # QuerySolutions serialises itself; to cap it we re-wrap the rows.
            variables = res.variables
            rows = list(capped.take(res))
            out = _serialize_solutions(variables, rows, result_fmt.ox)
            return out, "SELECT", capped.truncated
        triples = list(capped.take(res))
        return (
            ox.serialize(triples, format=graph_fmt.ox, prefixes=_prefixes_for(graph_fmt)),
            "CONSTRUCT",
            capped.truncated,
        )

    # -- writing ------------------------------------------------------------------------
    def add_quads(self, quads: Iterable[Quad]) -> int:
        oq = [
            ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g) if g is not None else ox.DefaultGraph())
            for s, p, o, g in quads
        ]
        self._store.extend(oq)
        self._version = None
        return len(oq)

    def add_ox_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Add pyoxigraph quads in one transaction (no conversion)."""
        self._store.extend(quads)
        self._version = None

    def load_file(
        self, path: Path, fmt: RdfFormatInfo, graph: str | None, *, progress: Any = None
    ) -> None:
        to_graph = ox.NamedNode(graph) if graph and not fmt.quads else None
        with open(path, "rb") as fh:
            src: Any = _ProgressReader(fh, progress) if progress is not None else fh
            try:
                self._store.bulk_load(src, format=fmt.ox, to_graph=to_graph)
            except OSError as exc:
                raise StoreError(f"cannot load {path}: {exc}") from exc
        self._version = None

    def clear(self) -> None:
        self._store.clear()
        self._version = None

    # -- reading ------------------------------------------------------------------------
    def count(self) -> int:
        res = self._store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        n = next(iter(res))[0]
        extra = self._store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(n.value) + int(next(iter(extra))[0].value)

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def dump(self, out: BinaryIO, fmt: RdfFormatInfo) -> None:
        if fmt.quads:
            self._store.dump(out, format=fmt.ox, prefixes=_prefixes_for(fmt))
            return
        triples = (
            t.triple
            for t in self._store.quads_for_pattern(None, None, None, None)
        )
        ox.serialize(_dedupe(triples), out, format=fmt.ox, prefixes=_prefixes_for(fmt))

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    def data_version(self) -> str:
        if self._version is None:
            meta = self.read_meta()
            self._version = meta.get("version") or f"oxigraph-{self.count()}"
        return self._version

    def read_meta(self) -> dict[str, Any]:
        if self.path is None or not (self.path / META_FILE).exists():
            return {}
        data: dict[str, Any] = json.loads((self.path / META_FILE).read_text(encoding="utf-8"))
        return data

    @staticmethod
    def read_meta_at(path: Path) -> dict[str, Any]:
        """The build metadata of a store folder, without opening the store."""
        f = Path(path) / META_FILE
        if not f.exists():
            return {}
        data: dict[str, Any] = json.loads(f.read_text(encoding="utf-8"))
        return data

    def write_meta(self, meta: dict[str, Any]) -> None:
        if self.path is None:
            self._version = meta.get("version")
            return
        tmp = self.path / (META_FILE + ".tmp")
        tmp.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.path / META_FILE)
        self._version = meta.get("version")


def _prefixes_for(fmt: RdfFormatInfo) -> dict[str, str] | None:
    return PREFIXES if fmt.name in ("turtle", "trig", "rdfxml") else None


def _dedupe(triples: Iterable[ox.Triple]) -> Iterable[ox.Triple]:
    seen: set[ox.Triple] = set()
    for t in triples:
        if t not in seen:
            seen.add(t)
            yield t


def _serialize_solutions(variables: list[ox.Variable], rows: list[Any], fmt: Any) -> bytes:
    """Serialise a list of solutions by building a tiny VALUES query over them.

    pyoxigraph can only serialise ``QuerySolutions`` it produced itself, so the capped
    rows are fed back through a ``VALUES`` block on an empty store.
    """
    if not variables:
        return ox.Store().query("SELECT * WHERE {}").serialize(format=fmt)
    names = " ".join(f"?{v.value}" for v in variables)
    lines = []
    for row in rows:
        cells = " ".join("UNDEF" if t is None else _sparql_term(t) for t in row)
        lines.append(f"({cells})")
    q = f"SELECT {names} WHERE {{ VALUES ({names}) {{ {' '.join(lines)} }} }}"
    return ox.Store().query(q).serialize(format=fmt)


def _sparql_term(t: Any) -> str:
    if isinstance(t, ox.BlankNode):
        # blank nodes cannot appear in VALUES; keep them distinct and stable
        return f"<urn:bnode:{t.value}>"
    return str(t)


class _Capped:
    def __init__(self, limit: int | None, deadline: Deadline) -> None:
        self.limit = limit
        self.deadline = deadline
        self.truncated = False

    def take(self, it: Iterable[Any]) -> Iterable[Any]:
        for i, x in enumerate(it):
            if self.limit is not None and i >= self.limit:
                self.truncated = True
                return
            if i % _CHECK_EVERY == 0:
                self.deadline.check()
            yield x


class _ProgressReader:
    """A binary file wrapper that reports bytes read to a tqdm bar."""

    def __init__(self, fh: BinaryIO, bar: Any) -> None:
        self._fh = fh
        self._bar = bar

    def read(self, n: int = -1) -> bytes:
        data = self._fh.read(n)
        self._bar.update(len(data))
        return data

    def readinto(self, buf: Any) -> int:
        n = self._fh.readinto(buf)  # type: ignore[attr-defined]
        self._bar.update(n or 0)
        return int(n or 0)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)


def file_digest(paths: Iterable[Path], extra: str = "") -> str:
    """A short hash of files' names and contents: the data version of a build."""
    h = hashlib.sha256(extra.encode())
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]

