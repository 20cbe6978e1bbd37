"""SHACL before saving: the nodes an edit touches, as they would be after it, against the shapes.

Only the touched nodes are validated, on a small graph: their
triples after the edit, plus the types and concept schemes of everything they point to
(what ``sh:class`` and the scheme shapes look at). So a check costs the same on a graph of
ten thousand triples or of ten million.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

import pyshacl
from rdflib import Graph, Literal, URIRef

from kg.errors import Violation
from kg.i18n import DEFAULT_LANG, Message
from kg.io.terms import Triple
from kg.namespaces import RDF, SH, SKOS
from kg.store.base import Store

__all__ = ["check_nodes"]


@lru_cache(maxsize=2)
def _shapes(path: str, _stamp: int) -> Graph:
    g = Graph()
    g.parse(path, format="turtle")
    return g


def check_nodes(store: Store, shapes: Path, nodes: Sequence[str], removes: Iterable[Triple],
                adds: Iterable[Triple], *, lang: str = "sv") -> list[Violation]:
    """Violations of the shapes by ``nodes`` once ``removes`` and ``adds`` are applied.

    Messages are in ``lang`` when the shape has one in it.
    """
    g = Graph()
    focus = [URIRef(n) for n in dict.fromkeys(nodes)]
    if not focus:
        return []
    values = " ".join(f"<{n}>" for n in focus)
    for s, p, o in store.select(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}").rows:
        g.add((s, p, o))  # type: ignore[arg-type]
    for t in removes:
        g.remove(t)
    added = list(adds)
    for t in added:
        g.add(t)
    refs = {o for _s, _p, o in g if isinstance(o, URIRef)} - set(focus)
    added_subjects = {s for s, _p, _o in added}
    known = " ".join(f"<{r}>" for r in refs if r not in added_subjects)
    if known:
        for s, p, o in store.select(
                f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {known} }} ?s ?p ?o "
                f"FILTER(?p = <{RDF.type}> || ?p = <{SKOS.inScheme}>) }}").rows:
            g.add((s, p, o))  # type: ignore[arg-type]
    focus = [n for n in focus if (n, RDF.type, None) in g]
    if not focus:
        return []
    # The whole small graph is validated and the results filtered to the focus nodes:
    # pyshacl's focus_nodes option skips nested sh:node checks (dates, concept schemes).
    shapes_graph = _shapes(str(shapes), shapes.stat().st_mtime_ns)
    conforms, report, _ = pyshacl.validate(
        g, shacl_graph=shapes_graph, inference="none", advanced=True, allow_warnings=True)
    if conforms:
        return []
    out = []
    wanted = set(focus)
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) not in (None, SH.Violation):
            continue
        if report.value(result, SH.focusNode) not in wanted:
            continue
        msgs = [m for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)]
        # pyshacl reports one of a SPARQL constraint's messages (any language): take the
        # others from the shapes (so that the page can show the message in its language)
        for src in (report.value(result, SH.sourceConstraint), report.value(result, SH.sourceShape)):
            if src is not None:
                msgs += [m for m in shapes_graph.objects(src, SH.message) if isinstance(m, Literal) and m not in msgs]
        mine = [str(m) for m in msgs if m.language == lang] or [str(m) for m in msgs]
        texts = {str(m.language or ""): str(m) for m in reversed(msgs)}  # the first in each language
        message = Message("edit.err.shape")
        if mine:  # str() in ``lang`` as before; the page shows the message in its own language
            message = Message.given({**texts, DEFAULT_LANG: mine[0]})
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        out.append(Violation(focus=str(report.value(result, SH.focusNode)),
                             message=message,
                             path=str(path) if path is not None else None,
                             value=str(value) if value is not None else None))
    return out
