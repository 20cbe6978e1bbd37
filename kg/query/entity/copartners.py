"""An organisation's co-partners (the others in its projects), from a per-version index of
who takes part in which project."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from rdflib import URIRef

from kg.cache import per_version
from kg.store.base import Store

__all__ = ["COPARTNERS", "SHARED_SHOWN", "CopartnerIndex", "copartner_index"]

Q_PARTICIPATION_PAIRS = """
SELECT ?org ?proj WHERE { ?m a kfv:Participation ; org:member ?org ; org:organization ?proj }"""
#: Most co-partners on an organisation's page, and most shared projects named for each
#: (their number is always given).
COPARTNERS = 60
SHARED_SHOWN = 12
#: Organisations in this many projects or more have their co-partners kept.
HUB_PROJECTS = 200


@dataclass
class CopartnerIndex:
    """Who takes part in which project: an organisation's co-partners (others in its
    projects) in milliseconds even for a hub with thousands of projects, where the same
    aggregate in SPARQL took seconds at 1 M triples. One per data version."""

    projects_of: dict[str, tuple[str, ...]]
    members_of: dict[str, tuple[str, ...]]
    #: answers of hubs (a hub's co-partners count tens of thousands of memberships)
    _kept: dict[tuple[str, int, int], list[tuple[str, int, list[str]]]] = field(
        default_factory=dict, repr=False)

    def copartners(self, org: str, top: int = COPARTNERS,
                   shown: int = SHARED_SHOWN) -> list[tuple[str, int, list[str]]]:
        """(co-partner, number of shared projects, the first ``shown`` of them by IRI),
        most shared first (ties by IRI)."""
        key = (org, top, shown)
        found = self._kept.get(key)
        if found is None:
            found = self._copartners(org, top, shown)
            if len(self.projects_of.get(org, ())) >= HUB_PROJECTS and len(self._kept) < 256:
                self._kept[key] = found
        return [(co, n, list(projs)) for co, n, projs in found]

    def _copartners(self, org: str, top: int, shown: int) -> list[tuple[str, int, list[str]]]:
        shared: dict[str, set[str]] = defaultdict(set)
        for proj in self.projects_of.get(org, ()):
            for co in self.members_of.get(proj, ()):
                if co != org:
                    shared[co].add(proj)
        ranked = sorted(shared.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:top]
        return [(co, len(projs), sorted(projs)[:shown]) for co, projs in ranked]


def copartner_index(store: Store) -> CopartnerIndex:
    """The :class:`CopartnerIndex` of the store's data version (built once; while a new
    version's is built, the previous one answers and pages built from it are not kept)."""
    return per_version(store, "copartner-index", lambda: _copartner_index(store), stale=True)


def _copartner_index(store: Store) -> CopartnerIndex:
    projects: dict[str, set[str]] = defaultdict(set)
    members: dict[str, set[str]] = defaultdict(set)
    for org, proj in store.select(Q_PARTICIPATION_PAIRS).rows:
        if isinstance(org, URIRef) and isinstance(proj, URIRef):
            projects[str(org)].add(str(proj))
            members[str(proj)].add(str(org))
    return CopartnerIndex({k: tuple(v) for k, v in projects.items()},
                          {k: tuple(v) for k, v in members.items()})
