"""What ingest needs to know about the graph, read once per data version: every label and
alias of the projects, organisations, people, places and themes (from the search module's
label index, folded the same way), organisation types, the municipalities that own the
association, boards, and the participations, fundings and posts already stated.
"""

from __future__ import annotations

import threading
import weakref
from collections import defaultdict
from dataclasses import dataclass, field

from kg.namespaces import BASE
from kg.query.search import Entry, LabelIndex, fold, index_for
from kg.store.base import Store

__all__ = ["LINK_KINDS", "Gazetteer", "LabelKey", "gazetteer_for", "slugify"]

#: Kinds of entity a mention may link to (``begrepp`` only for themes).
#: Kinds whose mentions are linked. Events, programmes, plans, decisions and reports are
#: linked too (known names, never proposed as new places), but proposals of roles and
#: fundings are made for projects only.
LINK_KINDS = ("projekt", "organisation", "person", "plats", "tema", "evenemang", "program", "plan", "beslut", "rapport")
TEMA = BASE + "def/tema/"
HOME = BASE + "id/organisation/kommunforbundet-vasternorrland"

_INFO_QUERY = """
SELECT ?k ?a ?b ?c ?d WHERE {
  { ?a org:classification ?b BIND("type" AS ?k) }
  UNION { ?m org:member ?a ; org:organization ?b ; org:role ?c .
          FILTER(?c = <https://data.kfvn.se/def/organisationsroll/agare>) BIND("owner" AS ?k) }
  UNION { ?a org:subOrganizationOf ?b ; org:classification <https://data.kfvn.se/def/organisationstyp/styrelse>
          BIND("board" AS ?k) }
  UNION { ?n a kfv:Participation ; org:member ?a ; org:organization ?b ; org:role ?c BIND(?n AS ?d) BIND("part" AS ?k) }
  UNION { ?n a schema:MonetaryGrant ; schema:fundedItem ?a ; schema:funder|kfv:fund ?b
          BIND(?n AS ?d) BIND("grant" AS ?k) }
  UNION { ?n a kfv:Appointment ; org:member ?a ; org:organization ?b ; org:role ?c BIND(?n AS ?d) BIND("post" AS ?k) }
  UNION { ?a a kfv:Result BIND("result" AS ?k) }
  UNION { ?a kfv:status ?b BIND("status" AS ?k) }
  UNION { ?a foaf:givenName ?b BIND("given" AS ?k) }
}
"""


def slugify(text: str) -> str:
    """The data model's slug rule: lowercase, å ä → a, ö → o, é → e, other runs → "-".

    >>> slugify("Hållbara resor i Västernorrland"), slugify("Solatum Hus & Hem")
    ('hallbara-resor-i-vasternorrland', 'solatum-hus-hem')
    """
    return "-".join(fold(text).split())[:80].strip("-") or "x"


@dataclass(frozen=True)
class LabelKey:
    """One label or alias of an entity, folded into words."""

    tokens: tuple[str, ...]
    entry: int
    text: str
    alt: bool
    acronym: bool


@dataclass
class Gazetteer:
    """Labels by first word, and the facts ingest compares its proposals with."""

    index: LabelIndex
    entries: list[Entry]
    kinds: list[str]
    by_first: dict[str, list[LabelKey]]
    keys: list[LabelKey]
    org_types: dict[str, set[str]] = field(default_factory=dict)
    owners: dict[str, set[str]] = field(default_factory=dict)
    boards: dict[str, str] = field(default_factory=dict)
    participations: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    grants: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    posts: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)
    statuses: dict[str, set[str]] = field(default_factory=dict)
    results: set[str] = field(default_factory=set)
    given_names: set[str] = field(default_factory=set)
    iris: set[str] = field(default_factory=set)
    version: str = ""

    def entry(self, iri: str) -> Entry | None:
        return self.index.get(iri)

    def kind_of(self, iri: str) -> str:
        i = self.index.by_iri.get(iri)
        return self.kinds[i] if i is not None else ""

    def label(self, iri: str) -> str:
        e = self.index.get(iri)
        return e.label("sv") if e else iri.rsplit("/", 1)[-1]

    def home(self) -> str | None:
        """The association that publishes the documents ("vi", "vår", "förbundet")."""
        return HOME if HOME in self.index.by_iri else None

    def municipalities(self) -> list[str]:
        """The municipalities that own the association, in label order."""
        home = self.home()
        found = sorted(self.owners.get(home or "", set()), key=lambda i: fold(self.label(i)))
        return [i for i in found if "kommun" in self.org_types.get(i, set()) or True]

    def exists(self, iri: str) -> bool:
        return iri in self.iris or iri in self.index.by_iri

    def free_iri(self, iri: str) -> str:
        """``iri``, or ``iri-2``, ``iri-3`` ... if the graph already has it."""
        if not self.exists(iri):
            return iri
        n = 2
        while self.exists(f"{iri}-{n}"):
            n += 1
        return f"{iri}-{n}"


def _kind(entry: Entry) -> str:
    if entry.kind == "begrepp":
        return "tema" if entry.iri.startswith(TEMA) else ""
    return entry.kind if entry.kind in LINK_KINDS else ""


def _acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) <= 10 and all(c.isupper() for c in letters) and " " not in text.strip()


def build_gazetteer(store: Store) -> Gazetteer:
    index = index_for(store)
    kinds = [_kind(e) for e in index.entries]
    keys: list[LabelKey] = []
    by_first: dict[str, list[LabelKey]] = defaultdict(list)
    for i, entry in enumerate(index.entries):
        if not kinds[i]:
            continue
        texts = {(t, False) for lang, ts in entry.labels.items() if lang in ("sv", "") for t in ts}
        texts |= {(t, True) for t in entry.alts}
        if not any(not alt for _, alt in texts):
            texts |= {(t, False) for ts in entry.labels.values() for t in ts}
        for text, alt in sorted(texts):
            tokens = tuple(fold(text).split())
            if not tokens or (len(tokens) == 1 and len(tokens[0]) < 2):
                continue
            key = LabelKey(tokens, i, text, alt, _acronym(text))
            keys.append(key)
            by_first[tokens[0]].append(key)
    gz = Gazetteer(index, index.entries, kinds, dict(by_first), keys, version=index.version)
    org_types: dict[str, set[str]] = defaultdict(set)
    owners: dict[str, set[str]] = defaultdict(set)
    for k, a, b, c, d in store.select(_INFO_QUERY).rows:
        ks, sa, sb = str(k), str(a) if a is not None else "", str(b) if b is not None else ""
        if ks == "type":
            org_types[sa].add(sb.rsplit("/", 1)[-1])
        elif ks == "owner":
            owners[sb].add(sa)
        elif ks == "board":
            gz.boards.setdefault(sb, sa)
        elif ks == "part":
            gz.participations.setdefault((sb, sa), {})[str(c).rsplit("/", 1)[-1]] = str(d)
            gz.iris.add(str(d))
        elif ks == "grant":
            gz.grants.setdefault((sa, sb), []).append(str(d))
            gz.iris.add(str(d))
        elif ks == "post":
            gz.posts.setdefault((sa, sb), {})[str(c).rsplit("/", 1)[-1]] = str(d)
            gz.iris.add(str(d))
        elif ks == "result":
            gz.results.add(sa)
            gz.iris.add(sa)
        elif ks == "status":
            gz.statuses.setdefault(sa, set()).add(sb.rsplit("/", 1)[-1])
            gz.iris.add(sa)
        elif ks == "given":
            gz.given_names.add(fold(sb))
    gz.org_types = dict(org_types)
    gz.owners = dict(owners)
    return gz


_CACHE: weakref.WeakKeyDictionary[Store, Gazetteer] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def gazetteer_for(store: Store) -> Gazetteer:
    """The gazetteer of a store's current data version, built on first use and reused."""
    version = store.data_version()
    gz = _CACHE.get(store)
    if gz is not None and gz.version == version:
        return gz
    with _LOCK:
        gz = _CACHE.get(store)
        if gz is None or gz.version != version:
            gz = build_gazetteer(store)
            _CACHE[store] = gz
    return gz
