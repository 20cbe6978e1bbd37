"""Proposed roles of organisations in projects (``kfv:Participation``): a role word in the
sentence ("projektägare", "samverkanspartner", "tillsammans med", "deltar i", "genom
Kommunförbundet") and the organisations it applies to (those listed after it, or the subject
before it), in the project the sentence or the text around it is about. When one
organisation gets several roles in one project, the most specific is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.ingest.context import Context, Ref, concept
from kg.ingest.model import with_relation_label
from kg.namespaces import KFV, ORG

__all__ = ["ROLE_TRIGGERS", "find_roles", "propose_participation"]

#: (pattern, projektroll slug, where the role holder is): "near" = after the word (a list),
#: else the nearest before it; "before" = the subject before; "after" = named after;
#: "both" = subject and those after; "self" = named in the words themselves.
ROLE_TRIGGERS: tuple[tuple[str, str, str], ...] = (
    (r"\bprojektägare\b", "projektagare", "near"),
    (r"\bsamverkanspartners?\b", "samverkanspartner", "near"),
    (r"\bsamarbetspartners?\b", "samarbetspartner", "near"),
    (r"\bmedfinansiär(?:er|en)?\b", "medfinansiar", "near"),
    (r"\b(?:medarrangera\w*|medarrangör\w*)\b", "medarrangor", "before"),
    (r"\b(?:arrangera[rt]?|arrangerade|arrangör\w*|huvudarrangör\w*)\b", "arrangor", "before"),
    (r"\butförare\b", "utforare", "near"),
    (r"\b(?:på uppdrag av|uppdragsgivare)\b", "uppdragsgivare", "after"),
    (r"\b(?:deltar|deltog|deltagit|deltagare|går med i|gå med i|ansluter|anslutit|involverade)\b", "deltagare",
     "before"),
    (r"\b(?:i samverkan med|i samarbete med|genom samarbete med|tillsammans med|samarbetat med|samarbetar med)\b",
     "partner", "both"),
    (r"\b(?:partners?)\b", "partner", "before"),
    (r"\b(?:genom|via)\s+Kommunförbundet(?:\s+Västernorrland)?\b", "samordnare", "self"),
    (r"\b(?:samordna[rt]?|samordnade|samordnas|koordinera[rt]?)\b", "samordnare", "before"),
    (r"\b(?:ansökt|ansöker|söker|skickade in|skickat in|\w*ansökan)\b", "sokande", "before"),
    (r"\b(?:har\s+)?tillsammans\s+(?:tagit fram|tagit|utvecklat|arbetat fram|byggt)\b", "deltagare", "before"),
    (r"\b(?:driva|driver|drev|drivit)\b", "projektagare", "before"),
    (r"\bdrivs av\b", "projektagare", "after"),
    (r"\bprocessle(?:d|da|der|tt|ds)\w*", "processledare", "before"),
    (r"\b(?:följeforskning|utvärderar|utvärderade)\b", "utvarderare", "before"),
    (r"\btar över driften\b", "forvaltare", "before"),
)
_ROLE_RANK = {"projektagare": 0, "partner": 8, "deltagare": 9}

def _orgs(refs: Sequence[Ref]) -> list[Ref]:
    return [r for r in refs if r.kind == "organisation"]


#: What may stand between an organisation and the role word stated with it: "X är
#: projektägare", "X, som är samverkanspartner", "Y deltar som samarbetspartner", "Y (partner)".
_ATTACHED = re.compile(
    r"[\s,(:–-]*(?:(?:är|var|blir|blev|varit|blivit|har|hade|står|stod|som|också|även|nu|med|deltar|"
    r"deltog|medverkar|medverkade|ingår|en|ett|den|det|ny|nya)\s+)*",
    re.IGNORECASE,
)


def _claims(ctx: Context, si: int, matches: Sequence[re.Match[str]], exclude: set[str]) -> dict[int, int]:
    """Organisations stated with a role word just after them ("Ånge kommun samverkanspartner",
    "Kramfors kommun deltar som …"): their start → the start of that word in the sentence."""
    s = ctx.sentences[si]
    orgs = [r for r in _orgs(ctx.refs(si)) if r.iri not in exclude]
    out: dict[int, int] = {}
    for m in matches:
        before = [r for r in orgs if r.end <= s.start + m.start()]
        subject = _subject(ctx, before)
        if subject and _ATTACHED.fullmatch(ctx.text[subject[-1].end:s.start + m.start()]):
            for r in subject:
                out.setdefault(r.start, m.start())
    return out


def _holders(ctx: Context, si: int, m: re.Match[str], mode: str, exclude: set[str],
             claims: dict[int, int], words: Sequence[int] = ()) -> list[Ref]:
    """The organisations a role word applies to. ``claims`` (from :func:`_claims`) and ``words``
    (where the sentence's other role words start) keep a list after the word from running
    into the next statement: "Projektägare är X och samverkanspartner är Y"."""
    s = ctx.sentences[si]
    start, end = s.start + m.start(), s.start + m.end()
    orgs = [r for r in _orgs(ctx.refs(si)) if r.iri not in exclude]
    inside = [r for r in orgs if start <= r.start < end]
    before = [r for r in orgs if r.end <= start]
    clause_end = s.end
    stop = re.search(r"[.!?]|\b(?:medan|men|där|vilket)\b", s.text[m.end():])
    if stop:
        clause_end = s.start + m.end() + stop.start()
    after: list[Ref] = []
    for r in orgs:
        if not end <= r.start < clause_end:
            continue
        if any(m.end() <= w and s.start + w < r.start for w in words):
            break  # another role word comes first
        if claims.get(r.start, m.start()) != m.start() and (
                after or not _ATTACHED.fullmatch(ctx.text[end:r.start])):
            break  # stated with a role word of its own: "… och Ånge kommun samverkanspartner"
        after.append(r)
    if mode == "self":
        return inside
    if mode == "after":
        return after
    subject = _subject(ctx, before)
    attached = bool(subject) and bool(_ATTACHED.fullmatch(ctx.text[subject[-1].end:start]))
    if mode == "near":
        # "X är projektägare och Y …": the subject the word is stated with, before a list after it
        return subject if attached else (after or subject)
    if mode == "before":
        if subject:
            return subject
        # inverted order: "Fredag 24 mars arrangerar Kommunförbundet …"
        return after[:1] if after and re.fullmatch(r"\s*(?:\w+\s+)?", ctx.text[end:after[0].start]) else []
    return subject + after  # both


def _subject(ctx: Context, before: list[Ref]) -> list[Ref]:
    """The organisations just before a word: the last one, with those listed with it."""
    if not before:
        return []
    out = [before[-1]]
    for r in reversed(before[:-1]):
        gap = ctx.text[r.end:out[0].start]
        if r.start == out[0].start or re.fullmatch(r"\s*(?:,|och|samt|&)\s*", gap):
            out.insert(0, r)
        else:
            break
    return out


def find_roles(ctx: Context, si: int, exclude: set[str]) -> None:
    s = ctx.sentences[si]
    found: dict[tuple[str, str], tuple[str, float, str]] = {}
    triggers = [(m, role, mode) for pattern, role, mode in ROLE_TRIGGERS
                for m in re.finditer(pattern, s.text, re.IGNORECASE if mode != "self" else 0)]
    claims = _claims(ctx, si, [m for m, _, mode in triggers if mode in ("near", "before")], exclude)
    words = sorted({m.start() for m, _, _ in triggers})
    for m, role, mode in triggers:
        project, pconf = ctx.project_for(si, s.start + m.start())
        if project is None:
            continue
        for org in _holders(ctx, si, m, mode, exclude, claims, words):
            if org.iri == project.iri:
                continue
            conf = (0.85 if mode == "near" else 0.65) * pconf * min(org.confidence + 0.05, 1.0)
            key = (project.iri, org.iri)
            old = found.get(key)
            rank = _ROLE_RANK.get(role, 5)
            if old is None or rank < _ROLE_RANK.get(old[0], 5):
                found[key] = (role, conf, f"rollord ”{m.group(0)}”")
    refs = {r.iri: r for r in ctx.refs(si)}
    for (project_iri, org_iri), (role, conf, method) in found.items():
        project = refs.get(project_iri) or ctx.project_for(si)[0]
        org = refs[org_iri]
        if project is None:
            continue
        propose_participation(ctx, si, project, org, role, conf, method)


def propose_participation(ctx: Context, si: int, project: Ref, org: Ref, role: str, conf: float, method: str) -> None:
    known_roles = ctx.gz.participations.get((project.iri, org.iri), {})
    slug = f"{project.iri.rsplit('/', 1)[-1]}--{org.iri.rsplit('/', 1)[-1]}"
    iri = ctx.base + "id/deltagande/" + slug
    known = role in known_roles
    if known:
        iri = known_roles[role]
    elif known_roles or ctx.gz.exists(iri):
        iri = ctx.gz.free_iri(f"{iri}--{role}")
    for p in ctx.proposals:
        if p.kind == "roll" and p.values.get(str(ORG.member), [None])[0] == org.value() \
                and p.values.get(str(ORG.organization), [None])[0] == project.value():
            if _ROLE_RANK.get(role, 5) < _ROLE_RANK.get(p.values[str(ORG.role)][0].value.rsplit("/", 1)[-1], 5):
                p.values[str(ORG.role)] = [concept(ctx.base, "projektroll", role)]
                with_relation_label(p)
            return
    role_value = concept(ctx.base, "projektroll", role)
    ctx.propose(
        kind="roll", subject=iri, subject_label=f"{org.label} i {project.label}",
        types=[str(KFV.Participation), str(ORG.Membership)],
        values={str(ORG.member): [org.value()], str(ORG.organization): [project.value()],
                str(ORG.role): [role_value]},
        method=method, confidence=conf, known=known,
        summary=f"{org.label} är {role_value.label} i {project.label}",
        requires=[r.iri for r in (org, project) if r.new],
        **ctx.sentence_fields(si),
    )


