"""A synthetic graph in our own ontology, shaped like the real one, for benchmarks and scale
tests: ``kg generate --triples N --out FILE``.

It holds organisations of every type (municipalities with codes, units, networks, funders,
EU funds), people with posts (``kfv:Appointment``), projects with 2–12 participations with
roles, 1–3 fundings with amounts and years, results, themes, places, news items and source
documents, with Swedish labels (å, ä, ö) and English ones now and then. Participation follows a
heavy tail, so that a few hub organisations collect thousands of links at a million triples,
as the association does in the real data.

The output is N-Triples (also valid Turtle), streamed and written atomically; the same seed
and size give the same bytes. Concepts (roles, themes, organisation types, statuses) are read
from ``ontology/vocabularies.ttl`` when it exists, so the graph passes our SHACL shapes
together with the ontology.

>>> import io
>>> out = io.BytesIO()
>>> report = Generator(2_000, seed=7).write(out)
>>> report.triples >= 2_000 and b"\\xc3\\xa5" in out.getvalue()  # "å" in UTF-8
True
"""

from __future__ import annotations

import bisect
import itertools
import logging
import random
import re
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from kg.namespaces import BASE, PREFIXES

__all__ = ["GenerateReport", "Generator", "Vocabulary", "generate", "slug"]

log = logging.getLogger(__name__)

MIN_TRIPLES = 1_000
MAX_TRIPLES = 20_000_000
XSD = PREFIXES["xsd"]
RDF_TYPE = f"<{PREFIXES['rdf']}type>"

# -- Swedish names ---------------------------------------------------------------------------
PLACE_HEADS = ("Öster", "Väster", "Norr", "Söder", "Å", "Ljung", "Björk", "Sjö", "Hög", "Lill",
               "Stor", "Ny", "Gran", "Furu", "Ek", "Lund", "Mål", "Ström", "Häll", "Älv", "Bäck",
               "Sund", "Frö", "Tå", "Kors", "Myr", "Röd", "Ör", "Skön", "Lögd")
PLACE_TAILS = ("sund", "å", "ås", "berg", "by", "dal", "näs", "köping", "vik", "fors", "hamn",
               "torp", "sele", "ö", "älv", "stad", "sjö", "mark", "lunda", "bäcken")
GIVEN = ("Anna", "Åsa", "Örjan", "Björn", "Märta", "Göran", "Kjell", "Sten-Ove", "Ingrid",
         "Lena", "Ulla", "Pär", "Håkan", "Jöns", "Mårten", "Sölve", "Ylva", "Tove", "Agneta",
         "Rune", "Anders", "Maria", "Jonny", "Sara", "Elin", "Bengt", "Gunnel", "Östen",
         "Ragnhild", "Tomas")
FAMILY = ("Sjöberg", "Åström", "Öberg", "Lindqvist", "Bäckström", "Nordin", "Ek", "Hägglund",
          "Strömberg", "Näslund", "Söderström", "Forsberg", "Holmström", "Ångström", "Mähler",
          "Wiklund", "Norén", "Hörnell", "Sandström", "Lövgren", "Gäfvert", "Danielsson",
          "Bergström", "Nylander", "Järvholm")
ADJ = ("Digital", "Hållbar", "Trygg", "Grön", "Smart", "Öppen", "Jämlik", "Nära", "Gemensam",
       "Framtida", "Tillgänglig", "Stärkt", "Regional", "Säker", "Välmående")
NOUN = ("välfärd", "omsorg", "energi", "skola", "integration", "kompetens", "samverkan",
        "utveckling", "hälsa", "kultur", "mobilitet", "e-tjänster", "ungdom", "äldreomsorg",
        "fritid", "förebyggande arbete", "arbetsmarknad", "läsförståelse", "upphandling")
ORG_PATTERNS: dict[str, tuple[str, ...]] = {
    "kommun": ("{place} kommun",),
    "region": ("Region {place}",),
    "lansstyrelse": ("Länsstyrelsen i {place}s län",),
    "statlig-myndighet": ("{noun}myndigheten", "Statens {noun}verk"),
    "universitet": ("{place} universitet",),
    "hogskola-utbildning": ("Lärcentrum {place}", "Yrkeshögskolan {place}"),
    "foretag": ("{place} {noun} AB", "{family} & Söner AB"),
    "kommunalt-bolag": ("{place} Energi AB", "{place}hem AB"),
    "natverk": ("Nätverket för {noun}", "{adj} {noun} i norr"),
    "forening": ("{place} {noun}förening", "Föreningen {adj} {noun}"),
    "eu-fond": ("Fonden för {noun} {n}",),
    "eu-program": ("Interreg {place} {n}",),
    "eu-institution": ("Europeiska {noun}kommittén",),
    "departement": ("{noun}departementet",),
    "kommunforbund": ("Kommunförbundet {place}",),
    "kontor": ("{place}kontoret",),
    "intresseorganisation": ("Riksförbundet för {noun}",),
    "enhet": ("Enheten för {noun}",),
    "styrelse": ("Styrelsen för {place}förbundet",),
    "forskningsrad": ("Rådet för forskning om {noun}",),
    "internationell-organisation": ("Nordiska rådet för {noun}",),
    "idrottsforening": ("{place} IF", "IFK {place}"),
    "ideell-organisation": ("Stiftelsen {adj} {noun}",),
    "polis-rattsvasende": ("Polisområde {place}",),
    "media": ("{place}s Tidning",),
    "politiskt-organ": ("{place} kommunfullmäktige",),
    "verksamhet": ("{place} äldreboende", "{place}skolan"),
}
#: How often each organisation type occurs in the curated data (``org:classification`` in
#: data/*.ttl, November 2026); other types get weight 1. Fixed here so that a seed keeps
#: giving the same graph while the data grows.
KIND_WEIGHTS = {"natverk": 58, "statlig-myndighet": 28, "kommun": 28, "politiskt-organ": 14,
                "universitet": 9, "intresseorganisation": 6, "region": 5, "forening": 5,
                "eu-fond": 5, "enhet": 5, "styrelse": 4, "verksamhet": 3, "lansstyrelse": 3,
                "kontor": 3, "kommunforbund": 3, "foretag": 3}
#: At most this many organisations of a type: Sweden has 290 municipalities and 21 regions,
#: so a bigger graph grows in companies, associations, networks and units, not in these.
KIND_CAPS = {"kommun": 290, "region": 21, "lansstyrelse": 21, "departement": 12,
             "universitet": 40, "eu-fond": 12, "eu-program": 40, "eu-institution": 15,
             "kommunforbund": 20, "forskningsrad": 10, "polis-rattsvasende": 30,
             "internationell-organisation": 40, "statlig-myndighet": 200}
ROLE_WEIGHTS = {"samverkanspartner": 5, "samarbetspartner": 4, "deltagare": 6, "partner": 5,
                "medfinansiar": 2, "utvarderare": 1, "utforare": 1, "arrangor": 1}
POST_WEIGHTS = {"ledamot": 6, "ordinarie": 4, "ersattare": 4, "ordforande": 1,
                "vice-ordforande": 1, "representant": 3, "samordnare": 1, "projektledare": 1}
STATUS_WEIGHTS = {"pagaende": 4, "avslutat": 6, "planerat": 1, "ansokt": 1, "ej-beviljad": 1,
                  "forlangt": 1, "pausat": 1}
UNITS = (("digitala tjänster framtagna", "st"), ("deltagare", "deltagare"),
         ("energibesparing", "procent"), ("utbildade medarbetare", "st"),
         ("installerad effekt", "kW"))


_FOLD = str.maketrans("åäöé", "aaoe")


def slug(text: str) -> str:
    """The slug rule of docs/modelling.md.

    >>> slug("Örnsköldsviks kommun – Å & é")
    'ornskoldsviks-kommun-a-e'
    """
    s = text.lower().translate(_FOLD)
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


# -- vocabulary --------------------------------------------------------------------------------
@dataclass
class Vocabulary:
    """Concept slugs per scheme, and each theme's broader themes."""

    schemes: dict[str, list[str]] = field(default_factory=dict)
    broader: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None) -> Vocabulary:
        """Read ``vocabularies.ttl``; fall back to the built-in lists when it is missing."""
        vocab = cls({
            "projektroll": ["projektagare", *ROLE_WEIGHTS],
            "organisationsroll": [*POST_WEIGHTS, "medlem", "agare"],
            "tema": ["socialtjanst", "utbildning-arbetsliv", "kultur-fritid", "miljo-energi",
                     "digitalisering", "eu-internationellt", "samverkan-paverkan"],
            "organisationstyp": [*ORG_PATTERNS, "styrelse", "enhet"],
            "status": [*STATUS_WEIGHTS, "beviljad"],
        })
        if path is None or not path.exists():
            return vocab
        import pyoxigraph as ox

        found: dict[str, set[str]] = defaultdict(set)
        in_scheme = PREFIXES["skos"] + "inScheme"
        broader = PREFIXES["skos"] + "broader"
        with open(path, "rb") as fh:
            for q in ox.parse(fh, format=ox.RdfFormat.TURTLE):
                s, p, o = q.subject, q.predicate.value, q.object
                if not isinstance(s, ox.NamedNode) or not isinstance(o, ox.NamedNode):
                    continue
                if p == in_scheme:
                    found[o.value.rsplit("/", 1)[-1]].add(s.value.rsplit("/", 1)[-1])
                elif p == broader:
                    vocab.broader.setdefault(s.value.rsplit("/", 1)[-1], []).append(
                        o.value.rsplit("/", 1)[-1])
        for scheme, concepts in found.items():
            if scheme in vocab.schemes and concepts:
                vocab.schemes[scheme] = sorted(concepts)
        return vocab

    def has(self, scheme: str, concept: str) -> bool:
        return concept in self.schemes.get(scheme, ())


# -- writing ------------------------------------------------------------------------------------
class _Out:
    """N-Triples lines to a binary stream, counted and buffered."""

    def __init__(self, out: BinaryIO) -> None:
        self.out = out
        self.lines: list[str] = []
        self.count = 0

    def t(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .\n")
        if len(self.lines) >= 20_000:
            self.flush()

    def flush(self) -> None:
        self.count += len(self.lines)
        self.out.write("".join(self.lines).encode("utf-8"))
        self.lines.clear()

    @property
    def written(self) -> int:
        return self.count + len(self.lines)


def _iri(prefix: str, local: str) -> str:
    return f"<{PREFIXES[prefix]}{local}>"


def _lit(text: str, lang: str | None = "sv") -> str:
    if '"' in text or "\\" in text or "\n" in text:
        raise ValueError(f"generated text needs escaping: {text!r}")
    return f'"{text}"@{lang}' if lang else f'"{text}"'


def _typed(value: object, dt: str) -> str:
    return f'"{value}"^^<{XSD}{dt}>'


P = {name: _iri(prefix, local) for name, (prefix, local) in {
    "label": ("rdfs", "label"), "alt": ("skos", "altLabel"), "desc": ("schema", "description"),
    "source": ("dcterms", "source"), "classification": ("org", "classification"),
    "code": ("kfv", "municipalityCode"), "location": ("schema", "location"),
    "suborg": ("org", "subOrganizationOf"), "unitof": ("org", "unitOf"),
    "name": ("foaf", "name"), "given": ("foaf", "givenName"), "family": ("foaf", "familyName"),
    "title": ("schema", "jobTitle"), "member": ("org", "member"),
    "organization": ("org", "organization"), "role": ("org", "role"),
    "appointedBy": ("kfv", "appointedBy"), "start": ("schema", "startDate"),
    "end": ("schema", "endDate"), "status": ("kfv", "status"), "subject": ("dcterms", "subject"),
    "spatial": ("dcterms", "spatial"), "hasResult": ("kfv", "hasResult"),
    "follows": ("kfv", "follows"), "funder": ("schema", "funder"),
    "fund": ("kfv", "fund"), "fundedItem": ("schema", "fundedItem"),
    "amount": ("schema", "amount"), "currency": ("schema", "currency"), "year": ("kfv", "year"),
    "sname": ("schema", "name"), "value": ("schema", "value"), "unit": ("schema", "unitText"),
    "contained": ("schema", "containedInPlace"), "headline": ("schema", "headline"),
    "about": ("schema", "about"), "mentions": ("schema", "mentions"),
    "partOf": ("schema", "isPartOf"), "position": ("schema", "position"),
    "published": ("schema", "datePublished"), "subjectOf": ("schema", "subjectOf"),
    "dctitle": ("dcterms", "title"), "joinOrder": ("kfv", "joinOrder"),
}.items()}
C = {name: _iri(prefix, local) for name, (prefix, local) in {
    "Organization": ("org", "Organization"), "Unit": ("org", "OrganizationalUnit"),
    "Person": ("foaf", "Person"), "Project": ("schema", "Project"),
    "Collab": ("org", "OrganizationalCollaboration"), "Participation": ("kfv", "Participation"),
    "Membership": ("org", "Membership"), "Appointment": ("kfv", "Appointment"),
    "OrgMembership": ("kfv", "OrganisationMembership"), "Grant": ("schema", "MonetaryGrant"),
    "Result": ("kfv", "Result"), "PropertyValue": ("schema", "PropertyValue"),
    "Place": ("schema", "Place"), "News": ("schema", "NewsArticle"),
    "Entity": ("prov", "Entity"), "Document": ("foaf", "Document"),
}.items()}


@dataclass
class GenerateReport:
    """What was written."""

    triples: int = 0
    projects: int = 0
    organisations: int = 0
    people: int = 0
    seconds: float = 0.0
    path: Path | None = None
    seed: int = 0


@dataclass
class _Org:
    iri: str
    kind: str


class Generator:
    """Writes a synthetic graph of about ``target`` triples (never fewer; at most one project
    more). See the module docstring for its shape.

    Args:
        target: triples wanted (1 000 to 20 000 000).
        seed: the random seed; the same seed and target give the same output.
        vocab: concept lists (default: the built-in ones).
    """

    #: Expected triples per project together with its share of organisations, people, places
    #: and news, measured on generated graphs; used only to size the fixed populations.
    TRIPLES_PER_PROJECT = 106

    def __init__(self, target: int, seed: int = 1, vocab: Vocabulary | None = None) -> None:
        if not MIN_TRIPLES <= target <= MAX_TRIPLES:
            raise ValueError(f"triples must be between {MIN_TRIPLES} and {MAX_TRIPLES}")
        self.target = target
        self.seed = seed
        self.rng = random.Random(seed)
        self.vocab = vocab or Vocabulary.load(None)
        projects = max(5, target // self.TRIPLES_PER_PROJECT)
        self.n_orgs = max(30, int(projects * 1.1))
        self.n_people = max(10, int(projects * 0.3))
        self.n_places = max(10, int(projects ** 0.5 * 3))
        self.places: list[str] = []
        self.orgs: list[_Org] = []
        self.by_kind: dict[str, list[str]] = defaultdict(list)
        self.sources: list[str] = []
        self.news_docs: list[str] = []
        self._cum: list[float] = []
        self._names: set[str] = set()

    # -- helpers ---------------------------------------------------------------------------
    def _pick(self, weights: dict[str, int], scheme: str) -> str:
        names = [n for n in weights if self.vocab.has(scheme, n)] or self.vocab.schemes[scheme]
        ws = [weights.get(n, 1) for n in names]
        return self.rng.choices(names, ws)[0]

    def _concept(self, scheme: str, local: str) -> str:
        return f"<{BASE}def/{scheme}/{local}>"

    def _source(self, out: _Out, s: str) -> None:
        out.t(s, P["source"], self.rng.choice(self.sources))

    def _unique(self, name: str) -> str:
        """A name not used before (a counter is added on clashes)."""
        if name not in self._names:
            self._names.add(name)
            return name
        for i in itertools.count(2):  # bounded: at most as many as names given so far
            cand = f"{name} {i}"
            if cand not in self._names:
                self._names.add(cand)
                return cand
        raise AssertionError("unreachable")

    def _place_name(self) -> str:
        return self.rng.choice(PLACE_HEADS) + self.rng.choice(PLACE_TAILS)

    def _year(self) -> int:
        return self.rng.randint(2008, 2024)

    def _date_or_year(self, year: int) -> str:
        if self.rng.random() < 0.5:
            return _typed(f"{year}-{self.rng.randint(1, 12):02d}-{self.rng.randint(1, 28):02d}",
                          "date")
        return _typed(year, "gYear")

    # -- the parts ---------------------------------------------------------------------------
    def _write_sources(self, out: _Out) -> None:
        for i in range(1, 6):
            s = _iri("kalla", f"syntetisk-{self.seed}-{i}")
            self.sources.append(s)
            self.news_docs.append(s)
            out.t(s, RDF_TYPE, C["Entity"])
            out.t(s, RDF_TYPE, C["Document"])
            out.t(s, P["label"], _lit(f"Syntetisk källa {i} (frö {self.seed})"))
            out.t(s, P["label"], _lit(f"Synthetic source {i} (seed {self.seed})", "en"))
            out.t(s, P["dctitle"], _lit(f"Påhittad årsrapport nr {i} för prestandamätning"))

    def _write_places(self, out: _Out) -> None:
        root = _iri("plats", f"syntetiskt-land-{self.seed}")
        out.t(root, RDF_TYPE, C["Place"])
        out.t(root, P["label"], _lit("Påhittade Sverige"))
        self.places.append(root)
        for _ in range(self.n_places):
            name = self._unique(self._place_name())
            s = _iri("plats", f"{slug(name)}-{self.seed}")
            out.t(s, RDF_TYPE, C["Place"])
            out.t(s, P["label"], _lit(name))
            out.t(s, P["contained"], self.rng.choice(self.places[:1 + len(self.places) // 10]))
            self.places.append(s)

    def _org_kinds(self) -> tuple[list[str], list[int]]:
        """Every type, weighted as in the curated data (:data:`KIND_WEIGHTS`)."""
        kinds = list(self.vocab.schemes["organisationstyp"])
        return kinds, [KIND_WEIGHTS.get(k, 1) for k in kinds]

    def _org_label(self, kind: str, n: int) -> str:
        pattern = self.rng.choice(ORG_PATTERNS.get(kind, ("{adj} {noun} i {place}",)))
        place = self._place_name()
        return self._unique(pattern.format(
            place=place, noun=self.rng.choice(NOUN), adj=self.rng.choice(ADJ),
            family=self.rng.choice(FAMILY), n=n))

    def _write_org(self, out: _Out, n: int, kind: str) -> None:
        label = self._org_label(kind, n)
        s = _iri("organisation", f"{slug(label)}-{n}")
        out.t(s, RDF_TYPE, C["Organization"])
        out.t(s, P["label"], _lit(label))
        if self.rng.random() < 0.3:
            out.t(s, P["label"], _lit(f"{label} (in English)", "en"))
        if self.rng.random() < 0.2:
            out.t(s, P["alt"], _lit("".join(w[0] for w in label.split() if w[:1].isalpha()).upper()))
        out.t(s, P["classification"], self._concept("organisationstyp", kind))
        if kind == "kommun":
            out.t(s, P["code"], _lit(f"{1000 + n % 9000:04d}", None))
        out.t(s, P["location"], self.rng.choice(self.places))
        if kind == "enhet" and self.orgs:
            out.t(s, RDF_TYPE, C["Unit"])
            out.t(s, P["unitof"], self.orgs[0].iri)
        elif self.orgs and self.rng.random() < 0.05:
            out.t(s, P["suborg"], self.rng.choice(self.orgs).iri)
        if self.rng.random() < 0.4:
            out.t(s, P["desc"], _lit(f"{label} är en påhittad organisation för prestandatester."))
        self._source(out, s)
        self.orgs.append(_Org(s, kind))
        self.by_kind[kind].append(s)

    def _write_orgs(self, out: _Out) -> None:
        kinds, weights = self._org_kinds()
        hub = "kommunforbund" if self.vocab.has("organisationstyp", "kommunforbund") else kinds[0]
        self._write_org(out, 0, hub)  # the association itself: the biggest hub
        for kind in self.vocab.schemes["organisationstyp"]:  # every type at least once
            self._write_org(out, len(self.orgs), kind)
        while len(self.orgs) < self.n_orgs:  # bounded: uncapped kinds always remain
            kind = self.rng.choices(kinds, weights)[0]
            if len(self.by_kind[kind]) < KIND_CAPS.get(kind, self.n_orgs):
                self._write_org(out, len(self.orgs), kind)
        # heavy tail: organisation i is chosen with weight 1 / (i + 1)
        self._cum = list(itertools.accumulate(1.0 / (i + 1) for i in range(len(self.orgs))))

    def _some_org(self) -> str:
        r = self.rng.random() * self._cum[-1]
        return self.orgs[min(bisect.bisect_left(self._cum, r), len(self.orgs) - 1)].iri

    def _write_memberships(self, out: _Out) -> None:
        bodies = self.by_kind.get("natverk") or [self.orgs[0].iri]
        for i, org in enumerate(self.orgs[1:]):
            if self.rng.random() >= 0.3:
                continue
            body = self.rng.choice(bodies)
            if body == org.iri:
                continue
            s = _iri("medlemskap", f"{i}-{self.seed}")
            out.t(s, RDF_TYPE, C["OrgMembership"])
            out.t(s, RDF_TYPE, C["Membership"])
            out.t(s, P["member"], org.iri)
            out.t(s, P["organization"], body)
            role = "agare" if self.rng.random() < 0.1 else "medlem"
            out.t(s, P["role"], self._concept("organisationsroll", role))
            self._source(out, s)

    def _write_person(self, out: _Out, n: int) -> None:
        given, family = self.rng.choice(GIVEN), self.rng.choice(FAMILY)
        name = f"{given} {family}"
        s = _iri("person", f"{slug(name)}-{n}")
        out.t(s, RDF_TYPE, C["Person"])
        out.t(s, P["name"], _lit(name, None))
        out.t(s, P["label"], _lit(name, None))
        out.t(s, P["given"], _lit(given, None))
        out.t(s, P["family"], _lit(family, None))
        if self.rng.random() < 0.4:
            out.t(s, P["title"], _lit(self.rng.choice(("kommunalråd", "utvecklingsledare",
                                                       "socionom", "förvaltningschef"))))
        self._source(out, s)
        for k in range(self.rng.randint(1, 3)):
            self._write_post(out, s, f"{slug(name)}-{n}--{k}")

    def _write_post(self, out: _Out, person: str, local: str) -> None:
        s = _iri("uppdrag", local)
        start = self._year()
        out.t(s, RDF_TYPE, C["Appointment"])
        out.t(s, RDF_TYPE, C["Membership"])
        out.t(s, P["member"], person)
        out.t(s, P["organization"], self._some_org())
        out.t(s, P["role"], self._concept("organisationsroll",
                                          self._pick(POST_WEIGHTS, "organisationsroll")))
        if self.rng.random() < 0.5:
            out.t(s, P["appointedBy"], self.orgs[0].iri)
        out.t(s, P["start"], _typed(start, "gYear"))
        if self.rng.random() < 0.6:
            out.t(s, P["end"], _typed(start + self.rng.randint(1, 6), "gYear"))
        self._source(out, s)

    def _project_label(self, n: int) -> str:
        label = f"{self.rng.choice(ADJ)} {self.rng.choice(NOUN)} i {self._place_name()}"
        if self.rng.random() < 0.5:
            label += f" {self._year()}"
        return self._unique(label)

    def _write_project(self, out: _Out, n: int, previous: list[str]) -> str:
        label = self._project_label(n)
        local = f"{slug(label)}-{n}"
        s = _iri("projekt", local)
        start = self._year()
        out.t(s, RDF_TYPE, C["Project"])
        out.t(s, RDF_TYPE, C["Collab"])
        out.t(s, P["label"], _lit(label))
        if self.rng.random() < 0.3:
            out.t(s, P["label"], _lit(f"{label} (English title)", "en"))
        out.t(s, P["desc"], _lit(f"Projektet {label} är påhittat; det prövar grafens skala."))
        out.t(s, P["status"], self._concept("status", self._pick(STATUS_WEIGHTS, "status")))
        out.t(s, P["start"], self._date_or_year(start))
        if self.rng.random() < 0.8:
            out.t(s, P["end"], self._date_or_year(start + self.rng.randint(1, 4)))
        for theme in self.rng.sample(self.vocab.schemes["tema"],
                                     min(self.rng.randint(1, 3), len(self.vocab.schemes["tema"]))):
            out.t(s, P["subject"], self._concept("tema", theme))
        out.t(s, P["spatial"], self.rng.choice(self.places))
        if previous and self.rng.random() < 0.05:
            out.t(s, P["follows"], self.rng.choice(previous))
        self._source(out, s)
        self._write_participations(out, s, local, start)
        self._write_grants(out, s, local, start)
        self._write_results(out, s, local, start)
        if self.rng.random() < 0.3:
            self._write_news(out, s, n)
        return s

    def _write_participations(self, out: _Out, project: str, local: str, start: int) -> None:
        k = self.rng.randint(2, 12)
        members: list[str] = []
        for _ in range(k * 3):  # bounded: distinct partners, at most 3k draws
            org = self._some_org()
            if org not in members:
                members.append(org)
            if len(members) == k:
                break
        for i, org in enumerate(members):
            s = _iri("deltagande", f"{local}--{i}")
            out.t(s, RDF_TYPE, C["Participation"])
            out.t(s, RDF_TYPE, C["Membership"])
            out.t(s, P["member"], org)
            out.t(s, P["organization"], project)
            role = "projektagare" if i == 0 else self._pick(ROLE_WEIGHTS, "projektroll")
            out.t(s, P["role"], self._concept("projektroll", role))
            if self.rng.random() < 0.1:
                out.t(s, P["start"], _typed(start + self.rng.randint(0, 2), "gYear"))
            if i > 0 and self.rng.random() < 0.05:
                out.t(s, P["joinOrder"], _typed(i + 1, "integer"))
            self._source(out, s)

    def _funders(self) -> list[str]:
        kinds = ("statlig-myndighet", "region", "lansstyrelse", "forskningsrad", "eu-fond")
        found = [o for k in kinds for o in self.by_kind.get(k, [])]
        return found or [self.orgs[0].iri]

    def _write_grants(self, out: _Out, project: str, local: str, start: int) -> None:
        funders, funds = self._funders(), self.by_kind.get("eu-fond", [])
        for i in range(self.rng.randint(1, 3)):
            year = start + i
            s = _iri("finansiering", f"{local}--{i}--{year}")
            out.t(s, RDF_TYPE, C["Grant"])
            out.t(s, P["funder"], self.rng.choice(funders))
            if funds and self.rng.random() < 0.4:
                out.t(s, P["fund"], self.rng.choice(funds))
            out.t(s, P["fundedItem"], project)
            amount = self.rng.choice((50, 100, 250, 400, 750, 1000, 1500, 3000, 5000, 12000))
            out.t(s, P["amount"], _typed(amount * 1000 + self.rng.randint(0, 9) * 500, "decimal"))
            out.t(s, P["currency"], _lit("SEK", None))
            out.t(s, P["year"], _typed(year, "gYear"))
            status = self.rng.choices(("beviljad", "ej-beviljad", "ansokt"), (17, 2, 1))[0]
            out.t(s, P["status"], self._concept("status", status))
            self._source(out, s)

    def _write_results(self, out: _Out, project: str, local: str, start: int) -> None:
        for i in range(self.rng.choice((0, 0, 0, 1, 2))):
            s = _iri("resultat", f"{local}--{i + 1}")
            what, unit = self.rng.choice(UNITS)
            out.t(project, P["hasResult"], s)
            out.t(s, RDF_TYPE, C["Result"])
            out.t(s, RDF_TYPE, C["PropertyValue"])
            out.t(s, P["sname"], _lit(what))
            out.t(s, P["value"], _typed(self.rng.randint(1, 2500), "integer"))
            out.t(s, P["unit"], _lit(unit, None))
            out.t(s, P["year"], _typed(start + 1, "gYear"))
            self._source(out, s)

    def _write_news(self, out: _Out, project: str, n: int) -> None:
        s = _iri("nyhet", f"syntetisk-{self.seed}-{n}")
        out.t(s, RDF_TYPE, C["News"])
        out.t(s, P["headline"], _lit(f"Nytt om ett påhittat projekt (nr {n})"))
        out.t(s, P["about"], project)
        out.t(s, P["mentions"], self._some_org())
        out.t(s, P["partOf"], self.rng.choice(self.news_docs))
        out.t(s, P["position"], _typed(n + 1, "integer"))
        out.t(project, P["subjectOf"], s)

    # -- the whole -------------------------------------------------------------------------------
    def write(self, stream: BinaryIO) -> GenerateReport:
        """Write the graph to ``stream``; returns what was written."""
        started = time.perf_counter()
        out = _Out(stream)
        self._write_sources(out)
        self._write_places(out)
        self._write_orgs(out)
        self._write_memberships(out)
        for i in range(self.n_people):
            self._write_person(out, i)
        previous: list[str] = []
        projects = 0
        while out.written < self.target:  # bounded: every project adds at least 20 triples
            iri = self._write_project(out, projects, previous)
            if len(previous) < 1000:
                previous.append(iri)
            projects += 1
        out.flush()
        return GenerateReport(out.count, projects, len(self.orgs), self.n_people,
                              time.perf_counter() - started, None, self.seed)


def generate(target: int, path: Path, seed: int = 1,
             vocabulary: Path | None = None) -> GenerateReport:
    """Write a synthetic graph of about ``target`` triples to ``path`` (N-Triples; a ``.ttl``
    name gets the same lines, which are valid Turtle), atomically.

    Raises:
        ValueError: ``target`` out of range.
    """
    from kg.io.atomic import atomic_write

    gen = Generator(target, seed, Vocabulary.load(vocabulary))
    with atomic_write(path) as fh:
        report = gen.write(fh)
    report.path = path
    log.info("wrote %d triples (%d projects) to %s in %.1f s", report.triples, report.projects,
             path, report.seconds)
    return report


def iter_sizes(text: str) -> Iterator[int]:
    """Sizes like ``10k,100k,1M`` or ``10000,100000`` as integers.

    >>> list(iter_sizes("10k, 1M,2500"))
    [10000, 1000000, 2500]
    """
    for part in text.split(","):
        p = part.strip().lower()
        if not p:
            continue
        mult = {"k": 1_000, "m": 1_000_000}.get(p[-1], 1)
        yield int(float(p[:-1] if mult > 1 else p) * mult)


def sizes(text: str) -> Sequence[int]:
    """:func:`iter_sizes` as a list."""
    return list(iter_sizes(text))
