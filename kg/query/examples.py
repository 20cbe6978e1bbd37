"""The SPARQL editor's starting point: the prefixes written at the top of a new query and
the example queries offered beside it (titles in Swedish and English)."""

from __future__ import annotations

from kg.namespaces import PREFIXES

__all__ = ["EDITOR_PREFIXES", "EXAMPLES", "prologue"]

#: Prefixes written at the top of a new query (all of ``kg.namespaces.PREFIXES`` are known).
EDITOR_PREFIXES = ("rdfs", "skos", "foaf", "org", "schema", "dcterms", "xsd", "kfv", "projekt",
                   "organisation", "person", "tema", "status", "projektroll",
                   "organisationsroll")


def prologue() -> str:
    """PREFIX lines for the editor's starting text."""
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in EDITOR_PREFIXES)


#: Example queries: (Swedish title, English title, query body without prefixes).
EXAMPLES: tuple[tuple[str, str, str], ...] = (
    ("Projekt med status och period", "Projects with status and period", """\
SELECT ?projekt ?namn ?status ?start ?slut WHERE {
  ?projekt a schema:Project ; rdfs:label ?namn .
  FILTER(lang(?namn) = "sv")
  OPTIONAL { ?projekt kfv:status/skos:prefLabel ?status FILTER(lang(?status) = "sv") }
  OPTIONAL { ?projekt schema:startDate ?start }
  OPTIONAL { ?projekt schema:endDate ?slut }
}
ORDER BY ?namn
LIMIT 100
"""),
    ("Deltagare och roller i eSamverkan", "Partners and roles in eSamverkan", """\
SELECT ?organisation ?roll WHERE {
  ?d a kfv:Participation ;
     org:organization projekt:esamverkan ;
     org:member ?organisation ;
     org:role ?roll .
}
ORDER BY ?roll
"""),
    ("Finansiering med belopp", "Funding with amounts", """\
SELECT ?projekt ?finansiar ?belopp ?ar WHERE {
  ?bidrag a schema:MonetaryGrant ;
          schema:fundedItem ?projekt ;
          schema:funder ?finansiar .
  OPTIONAL { ?bidrag schema:amount ?belopp }
  OPTIONAL { ?bidrag kfv:year ?ar }
}
ORDER BY DESC(?belopp)
"""),
    ("Förbundets representanter", "The association's representatives", """\
SELECT ?person ?organ ?roll WHERE {
  ?uppdrag a kfv:Appointment ;
           kfv:appointedBy organisation:kommunforbundet-vasternorrland ;
           org:member ?person ;
           org:organization ?organ ;
           org:role ?roll .
}
ORDER BY ?organ
"""),
    ("Källa till varje uppgift om TEO", "Source of each fact about TEO", """\
SELECT ?egenskap ?varde ?kalla WHERE {
  GRAPH ?kalla { projekt:teo ?egenskap ?varde }
}
ORDER BY ?kalla ?egenskap
"""),
    ("Grafen kring ett projekt (CONSTRUCT)", "The graph around a project (CONSTRUCT)", """\
CONSTRUCT { ?d org:member ?org ; org:role ?roll ; org:organization projekt:hav . }
WHERE {
  ?d org:organization projekt:hav ; org:member ?org ; org:role ?roll .
}
"""),
    ("Finns det ansökningar som inte beviljades? (ASK)", "Were applications not granted? (ASK)",
     """\
ASK { ?projekt kfv:status status:ej-beviljad }
"""),
)
