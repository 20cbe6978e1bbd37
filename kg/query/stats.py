"""Counts of the graph: entities by class and the most connected entities."""

from __future__ import annotations

from dataclasses import dataclass

from kg.store.base import Store

__all__ = ["MAIN_CLASSES", "Stats", "graph_stats", "most_connected", "named_graph_sizes",
           "sample_entities"]

#: The classes users count, with Swedish and English names (shown by `kg stats` and the app).
MAIN_CLASSES: tuple[tuple[str, str, str], ...] = (
    ("schema:Project", "Projekt", "Projects"),
    ("schema:Event", "Evenemang", "Events"),
    ("kfv:Programme", "Program och satsningar", "Programmes and initiatives"),
    ("kfv:Plan", "Planer och mål", "Plans and goals"),
    ("kfv:Decision", "Beslut", "Decisions"),
    ("schema:Report", "Rapporter", "Reports"),
    ("org:Organization", "Organisationer", "Organisations"),
    ("foaf:Person", "Personer", "People"),
    ("kfv:Participation", "Deltaganden i projekt", "Project participations"),
    ("kfv:EventParticipation", "Medverkan i evenemang", "Event participations"),
    ("schema:MonetaryGrant", "Finansieringar", "Fundings"),
    ("kfv:Appointment", "Uppdrag", "Posts and appointments"),
    ("kfv:OrganisationMembership", "Medlemskap", "Memberships"),
    ("kfv:Result", "Resultat", "Results"),
    ("kfv:Target", "Mål i siffror", "Targets"),
    ("schema:Place", "Platser", "Places"),
    ("schema:NewsArticle", "Nyheter", "News items"),
    ("skos:Concept", "Begrepp", "Concepts"),
)


@dataclass
class Stats:
    triples: int
    graphs: list[str]
    by_class: list[tuple[str, str, str, int]]
    most_connected: list[tuple[str, str, int]]


def graph_stats(store: Store, top: int = 10) -> Stats:
    """Counts per main class and the ``top`` entities with most links to other entities."""
    values = " ".join(c for c, _, _ in MAIN_CLASSES)
    res = store.select(
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {values} }} ?s a ?c }} GROUP BY ?c"
    )
    counts = {str(c): int(n) for c, n in res.rows}  # type: ignore[arg-type]
    from kg.namespaces import PREFIXES

    def full(curie: str) -> str:
        p, local = curie.split(":", 1)
        return PREFIXES[p] + local

    by_class = [(c, sv, en, counts.get(full(c), 0)) for c, sv, en in MAIN_CLASSES]
    most = most_connected(store, top)
    return Stats(store.count(), store.graphs(), by_class, most)


#: Classes of the entities ranked on the home page, and of the nodes whose links count.
_RANKED = "schema:Project org:Organization foaf:Person"
_LINKED = (_RANKED + " kfv:Participation schema:MonetaryGrant kfv:Appointment"
           " kfv:OrganisationMembership")


def most_connected(store: Store, top: int = 10) -> list[tuple[str, str, int]]:
    """(IRI, Swedish label, links) of the ``top`` projects, organisations and people with
    most links to and from typed nodes (participations, grants, posts, memberships, other
    entities), most first, ties by IRI.

    Two grouped joins, one per direction, summed here: 0.3 s at 100 k triples, where the
    same count as one query with a ``UNION`` took Oxigraph 241 s.
    """
    counts: dict[str, int] = {}
    for query in (
        f"SELECT ?e (COUNT(*) AS ?n) WHERE {{ VALUES ?et {{ {_RANKED} }} ?e a ?et . "
        f"?e ?p ?o . ?o a ?t . VALUES ?t {{ {_LINKED} }} }} GROUP BY ?e",
        f"SELECT ?e (COUNT(*) AS ?n) WHERE {{ VALUES ?t {{ {_LINKED} }} ?o a ?t . "
        f"?o ?p ?e . ?e a ?et . VALUES ?et {{ {_RANKED} }} }} GROUP BY ?e",
    ):
        for e, n in store.select(query).rows:
            if e is not None and n is not None:
                counts[str(e)] = counts.get(str(e), 0) + int(n)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    if not ranked:
        return []
    values = " ".join(f"<{e}>" for e, _ in ranked)
    labels: dict[str, str] = {}
    for e, label in store.select(
            f'SELECT ?e ?l WHERE {{ VALUES ?e {{ {values} }} ?e rdfs:label ?l '
            f'FILTER(lang(?l) = "sv") }}').rows:
        labels.setdefault(str(e), str(label))
    return [(e, labels.get(e, e), n) for e, n in ranked]


def named_graph_sizes(store: Store) -> list[tuple[str, int]]:
    """(graph IRI, triples) of each named graph, in IRI order."""
    res = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
                       "GROUP BY ?g ORDER BY ?g")
    return [(str(g), int(n.toPython())) for g, n in res.rows if g is not None and n]


def sample_entities(store: Store, classes: tuple[str, ...], per_class: int = 1) -> list[str]:
    """A few IRIs of each class (CURIEs), e.g. to warm the pages of a new data version."""
    found: list[str] = []
    for cls in classes:
        rows = store.select(
            f"SELECT ?s WHERE {{ ?s a {cls} FILTER(isIRI(?s)) }} LIMIT {int(per_class)}").rows
        found += [str(row[0]) for row in rows if row[0] is not None]
    return found
