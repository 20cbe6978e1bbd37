"""Counts of the graph: entities by class and the most connected entities."""

from __future__ import annotations

from dataclasses import dataclass

from kg.store.base import Store

__all__ = ["MAIN_CLASSES", "Stats", "graph_stats", "named_graph_sizes", "sample_entities"]

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
    top_res = store.select(
        """
        SELECT ?e (SAMPLE(?l) AS ?label) (COUNT(*) AS ?n) WHERE {
          { ?e ?p ?o . ?o a ?t } UNION { ?o ?p ?e . ?o a ?t }
          ?e a ?et . FILTER(?et IN (schema:Project, org:Organization, foaf:Person))
          FILTER(?t IN (schema:Project, org:Organization, foaf:Person, kfv:Participation,
                        schema:MonetaryGrant, kfv:Appointment, kfv:OrganisationMembership))
          OPTIONAL { ?e rdfs:label ?l FILTER(lang(?l) = "sv") }
        } GROUP BY ?e ORDER BY DESC(?n) ?e LIMIT """ + str(int(top))
    )
    most = [(str(e), str(label or e), int(n)) for e, label, n in top_res.rows]  # type: ignore[arg-type]
    return Stats(store.count(), store.graphs(), by_class, most)


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
