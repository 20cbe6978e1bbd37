"""Namespaces and prefixes of the graph: the standard vocabularies and our own.

``PREFIXES`` is the one table used for SPARQL prologues, Turtle output and the editor.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

__all__ = [
    "BASE",
    "DCAT",
    "DCTERMS",
    "FOAF",
    "KFV",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SKOS",
    "VOID",
    "XSD",
    "curie",
    "graph_iri",
    "sparql_prologue",
]

BASE = "https://data.kfvn.se/"
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
KFV = Namespace(BASE + "def/kfv#")

PREFIXES: dict[str, str] = {
    "kfv": str(KFV),
    "projekt": BASE + "id/projekt/",
    "evenemang": BASE + "id/evenemang/",
    "program": BASE + "id/program/",
    "plan": BASE + "id/plan/",
    "beslut": BASE + "id/beslut/",
    "rapport": BASE + "id/rapport/",
    "forandring": BASE + "id/forandring/",
    "organisation": BASE + "id/organisation/",
    "person": BASE + "id/person/",
    "deltagande": BASE + "id/deltagande/",
    "finansiering": BASE + "id/finansiering/",
    "uppdrag": BASE + "id/uppdrag/",
    "medlemskap": BASE + "id/medlemskap/",
    "resultat": BASE + "id/resultat/",
    "mal": BASE + "id/mal/",
    "plats": BASE + "id/plats/",
    "nyhet": BASE + "id/nyhet/",
    "kalla": BASE + "id/kalla/",
    "projektroll": BASE + "def/projektroll/",
    "organisationsroll": BASE + "def/organisationsroll/",
    "tema": BASE + "def/tema/",
    "organisationstyp": BASE + "def/organisationstyp/",
    "status": BASE + "def/status/",
    "evenemangstyp": BASE + "def/evenemangstyp/",
    "plantyp": BASE + "def/plantyp/",
    "programtyp": BASE + "def/programtyp/",
    "beslutstyp": BASE + "def/beslutstyp/",
    "projekttyp": BASE + "def/projekttyp/",
    "platstyp": BASE + "def/platstyp/",
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "prov": str(PROV),
    "dcat": str(DCAT),
    "void": str(VOID),
    "sh": str(SH),
}


def curie(iri: str) -> str:
    """The prefixed name of an IRI under the longest known namespace, else the IRI.

    >>> curie("https://data.kfvn.se/def/kfv#Participation")
    'kfv:Participation'
    >>> curie("https://data.kfvn.se/id/organisation/skolverket")
    'organisation:skolverket'
    """
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else iri


def graph_iri(stem: str, base: str = BASE) -> str:
    """The named graph a data file with this stem is loaded into.

    >>> graph_iri("aktuellt-nyheter")
    'https://data.kfvn.se/graph/aktuellt-nyheter'
    """
    return f"{base}graph/{stem}"


def sparql_prologue(prefixes: dict[str, str] | None = None) -> str:
    """PREFIX declarations for every known prefix, one per line.

    >>> sparql_prologue({"ex": "http://example.org/"})
    'PREFIX ex: <http://example.org/>\\n'
    """
    table = PREFIXES if prefixes is None else prefixes
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in table.items())
