"""How well ingest does, measured against what the curated data states.

The news list: the graph is built WITHOUT ``data/aktuellt-nyheter.ttl``; every teaser of
``aktuellt-nyheter.txt`` is ingested on its own and compared with what the data file says
about ``nyhet:NN`` (``schema:about``/``schema:mentions``, and the participations, fundings,
posts and results with ``schema:subjectOf nyhet:NN``). The annual report: the graph is built
WITHOUT ``data/verksamhetsberattelse-2018.ttl``; a slice of the report is ingested and
compared with the nodes a hand-made list (``benchmarks/ingest/verksamhetsberattelse-slice.toml``)
says that slice states; their values are read from the data file, so the figures follow the
data as it is revised.

Kinds: entity links (known entities, certain mentions only; "with candidates" also counts an
uncertain mention whose candidate list holds the right one), new entities (a proposed entity
matches a gold one of the same kind by name, rapidfuzz ≥ 88 on folded names), roles
(project, organisation, role), fundings (funder and funded project), amounts (the amount of a
gold funding), posts (person, body, role), results (the number).
"""

from __future__ import annotations

import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from rdflib import Graph, Literal, URIRef

from kg.config import REPO_ROOT, Settings
from kg.ingest.gazetteer import build_gazetteer
from kg.ingest.model import IngestResult
from kg.ingest.pipeline import analyse
from kg.load.loader import add_files, bundled_files
from kg.namespaces import BASE, FOAF, KFV, ORG, RDF, RDFS, SCHEMA, SKOS
from kg.query.search import fold
from kg.store import open_store
from kg.store.base import Store

__all__ = ["KINDS", "Score", "measure_news", "measure_report", "render"]

KINDS = ("entitetslänkar", "entitetslänkar med kandidater", "nya entiteter", "roller", "finansieringar",
         "belopp", "uppdrag", "resultat")
SOURCES = Path("/work/shared/sources")
SLICE_FILE = REPO_ROOT / "benchmarks" / "ingest" / "verksamhetsberattelse-slice.toml"
_KIND_CLASSES = {
    "projekt": SCHEMA.Project, "organisation": ORG.Organization, "person": FOAF.Person, "plats": SCHEMA.Place,
}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


@dataclass
class Gold:
    """What the data states for one document (IRIs and tuples of IRIs/values)."""

    linked: set[str] = field(default_factory=set)
    new: dict[str, str] = field(default_factory=dict)  # IRI -> kind
    roles: set[tuple[str, str, str]] = field(default_factory=set)
    fundings: set[tuple[str, str]] = field(default_factory=set)
    amounts: set[int] = field(default_factory=set)
    posts: set[tuple[str, str, str]] = field(default_factory=set)
    results: set[str] = field(default_factory=set)


def sources_dir(settings: Settings | None = None) -> Path:
    """Where the two source documents are (``shared/sources`` beside the repository)."""
    for candidate in (REPO_ROOT.parent / "shared" / "sources", REPO_ROOT.parent.parent / "shared" / "sources",
                      SOURCES):
        if (candidate / "aktuellt-nyheter.txt").exists():
            return candidate
    return SOURCES


def store_without(settings: Settings, stem: str) -> Store:
    """An in-memory Oxigraph store with the ontology and every data file except ``stem``."""
    store = open_store("oxigraph:")
    add_files(store, [p for p in bundled_files(settings) if p.stem != stem], settings)
    return store


def full_graph(settings: Settings) -> Graph:
    g = Graph()
    for p in bundled_files(settings):
        g.parse(p, format="turtle")
    return g


#: Kinds whose mentions are linked but never proposed as new entities (ingest proposes new
#: projects, organisations, people and places; a new event or plan is left to the editor).
_LINK_ONLY_CLASSES = {
    "evenemang": (SCHEMA.Event, SCHEMA.EventSeries), "program": (KFV.Programme,), "plan": (KFV.Plan,),
    "beslut": (KFV.Decision,), "rapport": (SCHEMA.Report,),
}


def _kind(g: Graph, iri: URIRef) -> str:
    types = set(g.objects(iri, RDF.type))
    for kind, cls in _KIND_CLASSES.items():
        if cls in types:
            return kind
    if ORG.OrganizationalUnit in types:
        return "organisation"
    for kind, classes in _LINK_ONLY_CLASSES.items():
        if types & set(classes):
            return kind
    return ""


def _names(g: Graph, iri: str) -> list[str]:
    node = URIRef(iri)
    out = [str(o) for p in (RDFS.label, SKOS.altLabel, FOAF.name) for o in g.objects(node, p)]
    return out or [iri.rsplit("/", 1)[-1].replace("-", " ")]


def _same_name(a: Iterable[str], b: Iterable[str]) -> bool:
    fa = [fold(x) for x in a]
    fb = [fold(x) for x in b]
    return any(x == y or (len(x) > 3 and len(y) > 3 and fuzz.ratio(x, y) >= 88) for x in fa for y in fb)


class _Resolver:
    """Maps a proposal's IRI to a gold IRI: itself if the graph knew it, else a gold new
    entity of the same kind with the same name."""

    def __init__(self, result: IngestResult, full: Graph, new_gold: dict[str, str]) -> None:
        self.map: dict[str, str] = {}
        for p in result.proposals:
            if p.kind != "entitet":
                continue
            names = [v.value for k in (str(RDFS.label), str(SKOS.altLabel)) for v in p.values.get(k, [])]
            kind = {str(SCHEMA.Project): "projekt", str(ORG.Organization): "organisation",
                    str(FOAF.Person): "person", str(SCHEMA.Place): "plats"}.get(p.types[0], "")
            for iri, gk in new_gold.items():
                if gk == kind and _same_name(names, _names(full, iri)):
                    self.map[p.subject] = iri
                    break

    def __call__(self, iri: str) -> str:
        return self.map.get(iri, iri)


def _score(score: Score, predicted: set[Any], gold: set[Any], label: str) -> None:
    score.tp += len(predicted & gold)
    score.fp += len(predicted - gold)
    score.fn += len(gold - predicted)
    score.misses += [f"{label}: saknas {_short(x)}" for x in sorted(gold - predicted, key=str)]
    score.wrong += [f"{label}: fel {_short(x)}" for x in sorted(predicted - gold, key=str)]


def _short(x: Any) -> str:
    if isinstance(x, tuple):
        return "(" + ", ".join(_short(v) for v in x) + ")"
    return str(x).replace(BASE + "id/", "").replace(BASE + "def/", "")


def _predicted(result: IngestResult, resolve: _Resolver) -> dict[str, set[Any]]:
    out: dict[str, set[Any]] = defaultdict(set)
    for m in result.mentions:
        if m.new is not None or m.kind == "tema":
            continue
        if m.certain:
            out["links"].update(m.iris)
        out["links_any"].update(c.iri for c in m.candidates)
    for p in result.proposals:
        v = {k: [x.value for x in vs] for k, vs in p.values.items()}
        if p.kind == "entitet":
            out["new"].add(resolve(p.subject))
        elif p.kind == "roll":
            out["roles"].add((resolve(v[str(ORG.organization)][0]), resolve(v[str(ORG.member)][0]),
                              v[str(ORG.role)][0].rsplit("/", 1)[-1]))
        elif p.kind == "finansiering":
            giver = v.get(str(SCHEMA.funder)) or v.get(str(KFV.fund)) or []
            if giver:
                out["fundings"].add((resolve(v[str(SCHEMA.fundedItem)][0]), resolve(giver[0])))
            for a in v.get(str(SCHEMA.amount), []):
                out["amounts"].add(int(float(a)))
        elif p.kind == "uppdrag":
            out["posts"].add((resolve(v[str(ORG.member)][0]), resolve(v[str(ORG.organization)][0]),
                              v[str(ORG.role)][0].rsplit("/", 1)[-1]))
        elif p.kind == "resultat":
            out["results"].add(v[str(SCHEMA.value)][0])
    return out


def _compare(scores: dict[str, Score], result: IngestResult, gold: Gold, full: Graph, label: str) -> None:
    resolve = _Resolver(result, full, gold.new)
    pred = _predicted(result, resolve)
    known = {i for i in pred["links"] if not i.startswith(BASE + "id/nyhet/")}
    _score(scores["entitetslänkar"], known & (gold.linked | (known - gold.linked)), gold.linked, label)
    hits = pred["links_any"] & gold.linked
    s = scores["entitetslänkar med kandidater"]
    s.tp += len(hits)
    s.fn += len(gold.linked - hits)
    s.fp += len(known - gold.linked)
    new_pred = {i for i in pred["new"]}
    _score(scores["nya entiteter"], new_pred, set(gold.new), label)
    _score(scores["roller"], pred["roles"], gold.roles, label)
    _score(scores["finansieringar"], pred["fundings"], gold.fundings, label)
    _score(scores["belopp"], pred["amounts"], gold.amounts, label)
    _score(scores["uppdrag"], pred["posts"], gold.posts, label)
    _score(scores["resultat"], pred["results"], gold.results, label)


def _value(g: Graph, node: URIRef, p: URIRef) -> str | None:
    o = g.value(node, p)
    return str(o) if o is not None else None


def _gold_for_nodes(full: Graph, data: Graph, store_index: set[str], entities: Iterable[URIRef],
                    nodes: Iterable[URIRef]) -> Gold:
    gold = Gold()
    for e in entities:
        kind = _kind(full, e)
        if not kind:
            continue
        if str(e) in store_index:
            gold.linked.add(str(e))
        elif kind not in _LINK_ONLY_CLASSES:
            gold.new[str(e)] = kind
    for n in nodes:
        types = set(data.objects(n, RDF.type))
        if KFV.Participation in types:
            proj, org, role = (_value(data, n, ORG.organization), _value(data, n, ORG.member),
                               _value(data, n, ORG.role))
            if proj and org and role:
                gold.roles.add((proj, org, role.rsplit("/", 1)[-1]))
        elif SCHEMA.MonetaryGrant in types:
            proj = _value(data, n, SCHEMA.fundedItem)
            funder = _value(data, n, SCHEMA.funder) or _value(data, n, KFV.fund)
            if proj and funder:
                gold.fundings.add((proj, funder))
            amount = data.value(n, SCHEMA.amount)
            if isinstance(amount, Literal):
                gold.amounts.add(int(float(str(amount))))
        elif KFV.Appointment in types:
            person, body, role = (_value(data, n, ORG.member), _value(data, n, ORG.organization),
                                  _value(data, n, ORG.role))
            if person and body and role:
                gold.posts.add((person, body, role.rsplit("/", 1)[-1]))
        elif KFV.Result in types:
            v = data.value(n, SCHEMA.value)
            if v is not None:
                gold.results.add(str(int(float(str(v)))) if float(str(v)).is_integer() else str(v))
    return gold


def _index_iris(store: Store) -> set[str]:
    from kg.query.search import index_for

    return set(index_for(store).by_iri)


def news_items(sources: Path) -> list[str]:
    """The teasers of the news list, in file order (the heading "Aktuellt" is not one)."""
    text = (sources / "aktuellt-nyheter.txt").read_text(encoding="utf-8")
    blocks = [b.strip() for b in text.split("\n\n") if b.strip()]
    return blocks[1:] if blocks and blocks[0] == "Aktuellt" else blocks


def measure_news(settings: Settings, items: Sequence[int] | None = None) -> dict[str, Score]:
    """Precision and recall per kind on the news list (``items``: 1-based positions, default all)."""
    store = store_without(settings, "aktuellt-nyheter")
    gz = build_gazetteer(store)
    full = full_graph(settings)
    data = Graph().parse(settings.data_dir / "aktuellt-nyheter.ttl", format="turtle")
    present = _index_iris(store)
    teasers = news_items(sources_dir(settings))
    scores: dict[str, Score] = {k: Score() for k in KINDS}
    for n in items or range(1, len(teasers) + 1):
        news = URIRef(f"{BASE}id/nyhet/{n:02d}")
        entities = [o for p in (SCHEMA.about, SCHEMA.mentions) for o in data.objects(news, p)
                    if isinstance(o, URIRef)]
        nodes = [s for s in data.subjects(SCHEMA.subjectOf, news) if isinstance(s, URIRef)]
        gold = _gold_for_nodes(full, data, present, entities, nodes)
        result = analyse(store, teasers[n - 1], gazetteer=gz)
        _compare(scores, result, gold, full, f"nyhet {n}")
    store.close()
    return scores


def slice_text(sources: Path, spec: dict[str, Any]) -> str:
    lines = (sources / "verksamhetsberattelse-2018.txt").read_text(encoding="utf-8").split("\n")
    return "\n".join(lines[spec["first_line"] - 1:spec["last_line"]])


def measure_report(settings: Settings, slice_file: Path = SLICE_FILE) -> tuple[dict[str, Score], list[str]]:
    """Precision and recall per kind on the annual report slice; also IRIs the list names
    that the data file no longer has (so a revised data file is noticed)."""
    spec = tomllib.loads(slice_file.read_text(encoding="utf-8"))
    store = store_without(settings, "verksamhetsberattelse-2018")
    gz = build_gazetteer(store)
    full = full_graph(settings)
    data = Graph().parse(settings.data_dir / "verksamhetsberattelse-2018.ttl", format="turtle")
    present = _index_iris(store)
    entities = [URIRef(BASE + "id/" + x) for x in spec["entities"]]
    nodes = [URIRef(BASE + "id/" + x) for x in spec["facts"]]
    missing = [_short(x) for x in [*entities, *nodes] if (x, None, None) not in full]
    gold = _gold_for_nodes(full, data, present, entities, nodes)
    result = analyse(store, slice_text(sources_dir(settings), spec), gazetteer=gz)
    scores: dict[str, Score] = {k: Score() for k in KINDS}
    _compare(scores, result, gold, full, "verksamhetsberättelsen")
    store.close()
    return scores, missing


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{100 * x:.0f} %"


def render(scores: dict[str, Score], title: str, *, show_failures: int = 0) -> str:
    """A Markdown table: kind, precision, recall, counts; then the first failures per kind."""
    rows = [f"### {title}", "", "| slag | precision | recall | rätt | fel | saknas |", "|---|---|---|---|---|---|"]
    for k in KINDS:
        s = scores[k]
        rows.append(f"| {k} | {_pct(s.precision)} | {_pct(s.recall)} | {s.tp} | {s.fp} | {s.fn} |")
    if show_failures:
        rows.append("")
        for k in KINDS:
            s = scores[k]
            shown = [*s.misses[:show_failures], *s.wrong[:show_failures]]
            if shown and k != "entitetslänkar med kandidater":
                rows.append(f"- **{k}**: " + "; ".join(shown))
    return "\n".join(rows)


def totals(scores: dict[str, Score]) -> Counter[str]:
    return Counter({k: s.tp for k, s in scores.items()})
