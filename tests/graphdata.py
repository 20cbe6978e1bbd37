# ruff: noqa: E501  (the Turtle sample reads best one statement a line)
"""Small, known graphs for the analytics and graph-view tests (independent of data/).

``SAMPLE_TTL`` is a hand-made graph shaped like the real one, including labels that try
to inject markup. ``generated_quads`` makes a large graph of the same shape.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import FOAF, ORG, RDF, RDFS, XSD

from kg.namespaces import KFV, PREFIXES, SCHEMA
from kg.store import OxigraphStore
from kg.store.base import Quad

XSS = "<script>alert(1)</script>"
XSS_ATTR = '"onerror=alert(1) x="'



def _ttl(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


SAMPLE_TTL = f"""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <https://schema.org/> .
@prefix kfv: <{PREFIXES['kfv']}> .
@prefix projekt: <{PREFIXES['projekt']}> .
@prefix organisation: <{PREFIXES['organisation']}> .
@prefix person: <{PREFIXES['person']}> .
@prefix deltagande: <{PREFIXES['deltagande']}> .
@prefix finansiering: <{PREFIXES['finansiering']}> .
@prefix uppdrag: <{PREFIXES['uppdrag']}> .
@prefix medlemskap: <{PREFIXES['medlemskap']}> .
@prefix projektroll: <{PREFIXES['projektroll']}> .
@prefix organisationsroll: <{PREFIXES['organisationsroll']}> .
@prefix organisationstyp: <{PREFIXES['organisationstyp']}> .
@prefix tema: <{PREFIXES['tema']}> .
@prefix status: <{PREFIXES['status']}> .

projektroll:projektagare a skos:Concept ; skos:prefLabel "projektägare"@sv , "project owner"@en .
projektroll:samverkanspartner a skos:Concept ; skos:prefLabel "samverkanspartner"@sv , "partner"@en .
organisationsroll:ordforande a skos:Concept ; skos:prefLabel "ordförande"@sv , "chair"@en .
organisationsroll:medlem a skos:Concept ; skos:prefLabel "medlem"@sv , "member"@en .
organisationstyp:kommun a skos:Concept ; skos:prefLabel "kommun"@sv , "municipality"@en .
tema:digitalisering a skos:Concept ; skos:prefLabel "Digitalisering"@sv , "Digitalisation"@en .
tema:e-tjanster a skos:Concept ; skos:prefLabel "E-tjänster"@sv ; skos:broader tema:digitalisering .
tema:miljo-energi a skos:Concept ; skos:prefLabel "Miljö och energi"@sv , "Environment and energy"@en .

organisation:kfv a org:Organization ; rdfs:label "Kommunförbundet Västernorrland"@sv .
organisation:kfv-styrelse a org:Organization ; rdfs:label "Kommunförbundets styrelse"@sv ;
    org:subOrganizationOf organisation:kfv .
organisation:solleftea-kommun a org:Organization ; rdfs:label "Sollefteå kommun"@sv , "Sollefteå Municipality"@en ;
    org:classification organisationstyp:kommun ; kfv:municipalityCode "2283" .
organisation:sundsvalls-kommun a org:Organization ; rdfs:label "Sundsvalls kommun"@sv ;
    org:classification organisationstyp:kommun ; kfv:municipalityCode "2281" .
organisation:ange-kommun a org:Organization ; rdfs:label "Ånge kommun"@sv ;
    org:classification organisationstyp:kommun ; kfv:municipalityCode "2260" .
organisation:umea-universitet a org:Organization ; rdfs:label "Umeå universitet"@sv , "Umeå University"@en .
organisation:tillvaxtverket a org:Organization ; rdfs:label "Tillväxtverket"@sv , "Swedish Agency for Economic and Regional Growth"@en .
organisation:eruf a org:Organization ; rdfs:label "Europeiska regionala utvecklingsfonden"@sv .
organisation:xss a org:Organization ; rdfs:label "{XSS}"@sv , "{_ttl(XSS_ATTR)}"@en .

projekt:esamverkan a schema:Project ; rdfs:label "eSamverkan"@sv ;
    dcterms:subject tema:e-tjanster ; schema:startDate "2016"^^xsd:gYear ; schema:endDate "2019"^^xsd:gYear .
projekt:secure a schema:Project ; rdfs:label "SECURE"@sv ;
    dcterms:subject tema:miljo-energi ; schema:startDate "2017-03-01"^^xsd:date .
projekt:forskning a schema:Project ; rdfs:label "Forskningssamarbete"@sv , "Research cooperation"@en ;
    schema:startDate "2018"^^xsd:gYear .
projekt:ensam a schema:Project ; rdfs:label "Ensamt projekt"@sv .

deltagande:esamverkan--kfv a kfv:Participation ; org:member organisation:kfv ;
    org:organization projekt:esamverkan ; org:role projektroll:projektagare .
deltagande:esamverkan--solleftea a kfv:Participation ; org:member organisation:solleftea-kommun ;
    org:organization projekt:esamverkan ; org:role projektroll:samverkanspartner .
deltagande:esamverkan--sundsvall a kfv:Participation ; org:member organisation:sundsvalls-kommun ;
    org:organization projekt:esamverkan ; org:role projektroll:samverkanspartner .
deltagande:esamverkan--xss a kfv:Participation ; org:member organisation:xss ;
    org:organization projekt:esamverkan ; org:role projektroll:samverkanspartner .
deltagande:secure--kfv a kfv:Participation ; org:member organisation:kfv ;
    org:organization projekt:secure ; org:role projektroll:projektagare .
deltagande:secure--solleftea a kfv:Participation ; org:member organisation:solleftea-kommun ;
    org:organization projekt:secure ; org:role projektroll:samverkanspartner .
deltagande:secure--ange a kfv:Participation ; org:member organisation:ange-kommun ;
    org:organization projekt:secure ; org:role projektroll:samverkanspartner .
deltagande:forskning--kfv a kfv:Participation ; org:member organisation:kfv ;
    org:organization projekt:forskning ; org:role projektroll:projektagare .
deltagande:forskning--umu a kfv:Participation ; org:member organisation:umea-universitet ;
    org:organization projekt:forskning ; org:role projektroll:samverkanspartner .

finansiering:esamverkan--tillvaxtverket a schema:MonetaryGrant ; schema:funder organisation:tillvaxtverket ;
    kfv:fundingProgramme organisation:eruf ; schema:fundedItem projekt:esamverkan ;
    schema:amount "3000000"^^xsd:decimal ; schema:currency "SEK" ; kfv:year "2017"^^xsd:gYear ;
    kfv:status status:beviljad .
finansiering:secure--tillvaxtverket a schema:MonetaryGrant ; schema:funder organisation:tillvaxtverket ;
    schema:fundedItem projekt:secure ; schema:amount "500000"^^xsd:decimal ; kfv:year "2018"^^xsd:gYear .
finansiering:secure--eruf a schema:MonetaryGrant ; schema:funder organisation:eruf ;
    schema:fundedItem projekt:secure ; schema:amount "250000"^^xsd:decimal ; kfv:year "2018"^^xsd:gYear .
finansiering:ensam--tillvaxtverket a schema:MonetaryGrant ; schema:funder organisation:tillvaxtverket ;
    schema:fundedItem projekt:ensam ; schema:amount "999"^^xsd:decimal ; kfv:status status:ej-beviljad .

person:anna a foaf:Person ; rdfs:label "Anna Andersson"@sv ; foaf:name "Anna Andersson" .
uppdrag:anna--styrelse a kfv:Appointment ; org:member person:anna ; org:organization organisation:kfv-styrelse ;
    org:role organisationsroll:ordforande ; schema:startDate "2015"^^xsd:gYear ; schema:endDate "2018"^^xsd:gYear .
medlemskap:solleftea--kfv a kfv:OrganisationMembership ; org:member organisation:solleftea-kommun ;
    org:organization organisation:kfv ; org:role organisationsroll:medlem .
"""


def sample_store() -> OxigraphStore:
    """An in-memory store holding :data:`SAMPLE_TTL` (in a named graph and the merge)."""
    from rdflib import Graph

    g = URIRef("https://data.kfvn.se/graph/prov")
    store = OxigraphStore()
    store.add_quads([(s, p, o, g) for s, p, o in Graph().parse(data=SAMPLE_TTL, format="turtle")])
    return store


def generated_store(n_nodes: int = 2000) -> OxigraphStore:
    """An in-memory store holding :func:`generated_quads`."""
    store = OxigraphStore()
    store.add_quads(list(generated_quads(n_nodes)))
    return store


def generated_quads(n_nodes: int = 2000, seed: int = 7) -> Iterator[Quad]:
    """A synthetic graph of about ``n_nodes`` projects, organisations and people.

    Each project has 2–5 participants and one funder; people hold a post in an organisation.
    One organisation carries the XSS label.
    """
    rng = random.Random(seed)
    g = URIRef("https://data.kfvn.se/graph/generated")
    ns = {k: Namespace(PREFIXES[k]) for k in ("projekt", "organisation", "person",
                                               "deltagande", "finansiering", "uppdrag",
                                               "projektroll", "organisationstyp")}
    n_org, n_proj = n_nodes // 4, n_nodes // 2
    n_person = n_nodes - n_org - n_proj
    orgs = [ns["organisation"][f"org-{i}"] for i in range(n_org)]
    for i, o in enumerate(orgs):
        yield (o, RDF.type, ORG.Organization, g)
        yield (o, RDFS.label, Literal(XSS if i == 1 else f"Organisation {i}", lang="sv"), g)
        if i < 8:
            yield (o, ORG.classification, ns["organisationstyp"]["kommun"], g)
    for i in range(n_proj):
        p = ns["projekt"][f"p-{i}"]
        yield (p, RDF.type, SCHEMA.Project, g)
        yield (p, RDFS.label, Literal(f"Projekt {i}", lang="sv"), g)
        yield (p, SCHEMA.startDate, Literal(str(2010 + i % 12), datatype=XSD.gYear), g)
        members = rng.sample(orgs, rng.randint(2, 5))
        for j, o in enumerate(members):
            m = ns["deltagande"][f"p-{i}--{j}"]
            role = "projektagare" if j == 0 else "samverkanspartner"
            yield (m, RDF.type, KFV.Participation, g)
            yield (m, ORG.member, o, g)
            yield (m, ORG.organization, p, g)
            yield (m, ORG.role, ns["projektroll"][role], g)
        f = ns["finansiering"][f"p-{i}"]
        yield (f, RDF.type, SCHEMA.MonetaryGrant, g)
        yield (f, SCHEMA.funder, rng.choice(orgs[:20]), g)
        yield (f, SCHEMA.fundedItem, p, g)
        yield (f, SCHEMA.amount, Literal(str(rng.randint(1, 50) * 100000), datatype=XSD.decimal), g)
    for i in range(n_person):
        person = ns["person"][f"pers-{i}"]
        yield (person, RDF.type, FOAF.Person, g)
        yield (person, RDFS.label, Literal(f"Person {i}", lang="sv"), g)
        a = ns["uppdrag"][f"pers-{i}"]
        yield (a, RDF.type, KFV.Appointment, g)
        yield (a, ORG.member, person, g)
        yield (a, ORG.organization, rng.choice(orgs), g)
