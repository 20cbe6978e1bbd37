"""The data-quality rules of ``kg check``: one SPARQL query per rule (docs/modelling.md).

Each query returns the nodes that break the rule as ``?focus``, optionally with a short
``?detail`` saying what is wrong. The queries run on a dataset where every data file is in its
own named graph (``<base>graph/<stem>``) and the merge of all files is the default graph, the
layout ``kg build`` makes. They use no inference; all prefixes of :data:`kg.namespaces.PREFIXES`
are declared.
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.namespaces import BASE

__all__ = ["INFERRED_GRAPH", "NON_SOURCE_GRAPHS", "RULES", "Rule"]

#: The graph of our own inferences (every statement there needs a kfv:inferenceNote).
INFERRED_GRAPH = f"{BASE}graph/harledda-fakta"
#: Graphs that describe the sources, the ontology and the vocabularies rather than state facts
#: taken from a source: the "source statement" rule does not apply to them.
NON_SOURCE_GRAPHS = (f"{BASE}graph/kallor", f"{BASE}graph/kfv", f"{BASE}graph/vocabularies")


@dataclass(frozen=True)
class Rule:
    """One rule: a key (used in the table and in tests), names and a fix in Swedish and English."""

    key: str
    title_sv: str
    title_en: str
    fix_sv: str
    query: str


_NOT_SOURCE = ", ".join(f"<{g}>" for g in NON_SOURCE_GRAPHS)

#: Properties that take at most one value per subject (per language for texts).
SINGLE_VALUED = (
    "kfv:status", "schema:startDate", "schema:endDate", "schema:containedInPlace", "schema:amount",
    "schema:currency", "kfv:year", "org:role", "org:member", "org:organization", "kfv:event",
    "schema:funder", "kfv:fund", "kfv:fundingProgramme", "schema:fundedItem", "kfv:municipalityCode",
    "schema:value", "schema:minValue", "schema:unitText", "kfv:succeeds", "kfv:appointedAt",
    "kfv:decidedBy", "schema:areaServed", "schema:superEvent", "kfv:approximate", "foaf:name",
)
SINGLE_PER_LANGUAGE = ("rdfs:label", "schema:name", "schema:headline")

RULES: tuple[Rule, ...] = (
    Rule(
        "isolerad-organisation",
        "Organisation utan någon relation", "Organisation without any relation",
        "Lägg till den relation källan anger (deltagande, medlemskap, medverkan, finansiering, uppdrag) "
        "eller ta bort organisationen.",
        """SELECT ?focus WHERE {
             ?focus a org:Organization .
             FILTER NOT EXISTS { ?x ?p ?focus . FILTER(?p != rdf:type) }
             FILTER NOT EXISTS {
               ?focus ?q ?y .
               ?y a ?t .
               FILTER(?t IN (org:Organization, schema:Project, schema:Event, kfv:Programme, kfv:Plan,
                             foaf:Person, schema:Report))
             }
           }""",
    ),
    Rule(
        "projekt-utan-deltagare",
        "Projekt utan ägare eller partner", "Project without owner or partner",
        "Lägg till deltagandena källan anger; namnger källan ingen, beskriv det med kfv:participantsNote.",
        """SELECT ?focus WHERE {
             ?focus a schema:Project .
             FILTER NOT EXISTS { ?d a kfv:Participation ; org:organization ?focus }
             FILTER NOT EXISTS { ?focus kfv:participantsNote ?n }
           }""",
    ),
    Rule(
        "flera-varden",
        "Två värden där ett är tillåtet", "Two values where one is allowed",
        "Behåll ett värde; säger källorna olika, välj det senaste och skriv varför i en kommentar.",
        "SELECT ?focus ?detail WHERE {\n"
        "  { { SELECT ?focus ?p (COUNT(DISTINCT ?o) AS ?n) WHERE {\n"
        f"      VALUES ?p {{ {' '.join(SINGLE_VALUED)} }}\n"
        "      ?focus ?p ?o . FILTER(!isBlank(?focus))\n"
        "    } GROUP BY ?focus ?p HAVING (COUNT(DISTINCT ?o) > 1) }\n"
        "    BIND(CONCAT(STR(?p), \" (\", STR(?n), \" värden)\") AS ?detail) }\n"
        "  UNION\n"
        "  { { SELECT ?focus ?p ?lang (COUNT(DISTINCT ?o) AS ?n) WHERE {\n"
        f"      VALUES ?p {{ {' '.join(SINGLE_PER_LANGUAGE)} }}\n"
        "      ?focus ?p ?o . BIND(LANG(?o) AS ?lang)\n"
        "    } GROUP BY ?focus ?p ?lang HAVING (COUNT(DISTINCT ?o) > 1) }\n"
        "    BIND(CONCAT(STR(?p), \"@\", ?lang, \" (\", STR(?n), \" värden)\") AS ?detail) }\n"
        "}",
    ),
    Rule(
        "fakta-utan-kallgraf",
        "Uppgift utan källgraf", "Fact without a source graph",
        "Varje uppgift ska komma från en datafil (en namngiven graf); lägg den i rätt fil i data/.",
        """SELECT ?focus ?detail WHERE {
             ?focus ?p ?o .
             FILTER NOT EXISTS { GRAPH ?g { ?focus ?p ?o } }
             BIND(STR(?p) AS ?detail)
           }""",
    ),
    Rule(
        "fakta-utan-kalla",
        "Uppgift utan källa", "Fact without a source statement",
        "Ge noden dcterms:source med källdokumentet i samma fil (kalla:…; en nyhet schema:isPartOf "
        "nyhetslistan); härledda uppgifter i harledda-fakta.ttl får kalla:harledda-fakta.",
        f"""SELECT DISTINCT ?focus ?detail WHERE {{
             GRAPH ?g {{ ?focus ?p ?o }}
             FILTER(?g NOT IN ({_NOT_SOURCE}))
             FILTER(!isBlank(?focus))
             FILTER NOT EXISTS {{ GRAPH ?g {{ ?focus dcterms:source ?k }} }}
             FILTER NOT EXISTS {{ GRAPH ?g {{ ?focus a schema:NewsArticle ; schema:isPartOf ?k2 }} }}
             FILTER NOT EXISTS {{ GRAPH ?g {{ ?focus a prov:Entity }} }}
             BIND(STR(?g) AS ?detail)
           }}""",
    ),
    Rule(
        "harledning-utan-anteckning",
        "Härledd uppgift utan förklaring", "Inferred fact without a note",
        "Ge varje härledd uppgift i harledda-fakta.ttl en kfv:inferenceNote som säger varför och ur vad.",
        f"""SELECT DISTINCT ?focus WHERE {{
             GRAPH <{INFERRED_GRAPH}> {{ ?focus ?p ?o }}
             FILTER(!isBlank(?focus))
             FILTER NOT EXISTS {{ GRAPH <{INFERRED_GRAPH}> {{ ?focus a prov:Entity }} }}
             FILTER NOT EXISTS {{ GRAPH <{INFERRED_GRAPH}> {{ ?focus kfv:inferenceNote ?n }} }}
           }}""",
    ),
    Rule(
        "fond-som-finansiar",
        "En fond angiven som finansiär", "A fund given as funder",
        "Fonden ska stå på kfv:fund; schema:funder är det organ som beslutat eller betalat.",
        """SELECT ?focus ?detail WHERE {
             ?focus schema:funder ?f . ?f org:classification organisationstyp:eu-fond .
             BIND(STR(?f) AS ?detail)
           }""",
    ),
    Rule(
        "eu-finansiering-utan-eu-projekt",
        "EU-finansierat projekt utan typen EU-projekt", "EU-funded project not typed EU project",
        "Ge projektet dcterms:type projekttyp:eu-projekt, så att frågan om EU-finansiering hittar det.",
        """SELECT DISTINCT ?focus ?detail WHERE {
             ?g schema:fundedItem ?focus .
             { ?g kfv:fund/org:classification organisationstyp:eu-fond }
             UNION { ?g kfv:fundingProgramme/dcterms:type programtyp:eu-program }
             FILTER NOT EXISTS { ?focus dcterms:type projekttyp:eu-projekt }
             BIND(STR(?g) AS ?detail)
           }""",
    ),
    Rule(
        "plats-ar-inte-plats",
        "Plats som inte är en plats", "Place that is not a place",
        "dcterms:spatial och schema:location ska peka på en plats (plats:…); en kommuns område är "
        "plats:<kommun>, inte organisationen.",
        """SELECT ?focus ?detail WHERE {
             ?focus dcterms:spatial|schema:location ?o .
             FILTER NOT EXISTS { ?o a schema:Place }
             BIND(STR(?o) AS ?detail)
           }""",
    ),
    Rule(
        "resultat-pa-annat-satt",
        "Resultat som inte hänger på kfv:hasResult", "Result not attached with kfv:hasResult",
        "Knyt resultat med kfv:hasResult (mål med kfv:hasTarget) från det som redovisat dem.",
        """SELECT DISTINCT ?focus ?detail WHERE {
             { ?focus a kfv:Result .
               FILTER NOT EXISTS { ?x kfv:hasResult ?focus }
               BIND("inget kfv:hasResult" AS ?detail) }
             UNION
             { ?focus a kfv:Result . ?x ?p ?focus .
               FILTER(?p NOT IN (kfv:hasResult, rdf:type))
               BIND(STR(?p) AS ?detail) }
             UNION
             { ?focus a kfv:Target . FILTER NOT EXISTS { ?x kfv:hasTarget ?focus }
               BIND("inget kfv:hasTarget" AS ?detail) }
           }""",
    ),
    Rule(
        "evenemang-som-projekt",
        "Evenemang eller annat behandlat som projekt", "Event or other kind treated as a project",
        "Ett evenemang är ett schema:Event med kfv:EventParticipation; ett projektdeltagande pekar bara "
        "på projekt.",
        """SELECT DISTINCT ?focus ?detail WHERE {
             { ?focus a schema:Project . ?focus a ?t .
               FILTER(?t IN (schema:Event, schema:EventSeries, kfv:Programme, kfv:Plan, kfv:Decision,
                             schema:Report))
               BIND(STR(?t) AS ?detail) }
             UNION
             { ?focus a kfv:Participation ; org:organization ?p .
               FILTER NOT EXISTS { ?p a schema:Project }
               BIND(STR(?p) AS ?detail) }
           }""",
    ),
    Rule(
        "utredning-som-myndighet",
        "Statlig utredning angiven som myndighet", "Government inquiry typed as an agency",
        "En statlig utredning (…utredningen) är organisationstyp:statlig-utredning, inte statlig-myndighet.",
        """SELECT ?focus ?detail WHERE {
             ?focus org:classification organisationstyp:statlig-myndighet ; rdfs:label ?l .
             FILTER(lang(?l) = "sv" && REGEX(?l, "utredning(en)?$", "i"))
             BIND(STR(?l) AS ?detail)
           }""",
    ),
    Rule(
        "kommun-utan-omrade",
        "Kommun utan geografiskt område", "Municipality without an area",
        "Ge kommunen schema:areaServed plats:<kommun> i referensdata.ttl, så att dess orter räknas till den.",
        """SELECT ?focus WHERE {
             ?focus org:classification organisationstyp:kommun .
             FILTER NOT EXISTS { ?focus schema:areaServed ?a . ?a a schema:Place }
           }""",
    ),
)
