"""Proposed posts (``kfv:Appointment``): a person's role in a body, from a title next to
the name ("Peder Björk, kommunalråd i Sundsvalls kommun", "tf direktör Sirpa Virtanen"),
from taking over or being elected ("tar över ordförandeskapet", "har valts till
ordförande"), from a hand-over ("X lämnar över till Y": Y gets X's post), and from lists
of representatives ("• ERNACT - Fred Nilsson, Ida Stafrin").

A chair, vice chair or member of an association is a post in its board when the graph knows
the board; the body that elected them (a "förbundsmöte") is ``kfv:appointedBy``.
"""

from __future__ import annotations

import re

from kg.ingest.context import Context, Ref, concept
from kg.ingest.text import find_date
from kg.namespaces import KFV, ORG, SCHEMA, XSD

__all__ = ["TITLE_ROLES", "find_posts"]

#: Title words (as written) → organisationsroll slug; longest first.
TITLE_ROLES: tuple[tuple[str, str], ...] = (
    ("tillförordnad direktör", "tf-direktor"), ("tf direktör", "tf-direktor"), ("tf. direktör", "tf-direktor"),
    ("vice ordförande", "vice-ordforande"), ("förbundsdirektör", "direktor"), ("kommundirektör", "direktor"),
    ("direktör", "direktor"), ("ordförandeskapet", "ordforande"), ("ordförandeposten", "ordforande"),
    ("ordföranden", "ordforande"), ("ordförande", "ordforande"), ("kommunalrådet", "kommunalrad"),
    ("kommunalråd", "kommunalrad"), ("oppositionsrådet", "oppositionsrad"), ("oppositionsråd", "oppositionsrad"),
    ("projektledaren", "projektledare"), ("projektledare", "projektledare"),
    ("utvecklingssamordnaren", "utvecklingssamordnare"), ("utvecklingssamordnare", "utvecklingssamordnare"),
    ("processledare", "processledare"), ("samordnaren", "samordnare"), ("samordnare", "samordnare"),
    ("verksamhetschef", "chef"), ("enhetschef", "chef"), ("chef", "chef"), ("forskare", "forskare"),
    ("ledamot", "ledamot"), ("ordinarie", "ordinarie"), ("ersättare", "ersattare"),
    ("representant", "representant"), ("ledare", "ledare"),
)
_TITLE = "|".join(re.escape(t) for t, _ in TITLE_ROLES)
_ROLE_OF = dict(TITLE_ROLES)
_PROJECT_ROLES = {"projektledare", "processledare"}
_MUNICIPAL_ROLES = {"kommunalrad", "oppositionsrad"}
_BOARD_ROLES = {"ordforande", "vice-ordforande", "ledamot", "ersattare", "ordinarie"}
_BULLET_REPS = re.compile(r"^\s*[•·▪*-]?\s*(?P<body>[^–\-\n]{2,80}?)\s+[–-]\s+(?P<people>.+)$")


def _role(title: str) -> str | None:
    return _ROLE_OF.get(" ".join(title.casefold().split()))


def _body_after(ctx: Context, si: int, pos: int, limit: int = 60) -> Ref | None:
    """The organisation named right after ``pos`` (after "i", "för", "på", "vid")."""
    s = ctx.sentences[si]
    for r in ctx.refs(si, "organisation"):
        if pos <= r.start <= pos + limit and re.fullmatch(r"\s*(?:i|för|på|vid|hos|inom)\s+(?:\w+\s+){0,2}",
                                                           ctx.text[pos:r.start]):
            return r
    _ = s
    return None


def _body_near(ctx: Context, si: int) -> Ref | None:
    """An organisation named in this sentence or the one before (same paragraph)."""
    for j in (si, si - 1):
        if j < 0 or ctx.sentences[j].paragraph != ctx.sentences[si].paragraph:
            continue
        orgs = [r for r in ctx.refs(j, "organisation") if "kommun" not in r.org_types]
        if orgs:
            return orgs[0]
    return None


def _propose(ctx: Context, si: int, person: Ref, body: Ref, role: str, conf: float, method: str,
             event: str = "") -> None:
    appointed_by: Ref | None = None
    if role in _BOARD_ROLES and body.iri in ctx.gz.boards:
        board = ctx.gz.boards[body.iri]
        appointed_by = body
        body = Ref(board, "organisation", ctx.gz.label(board), body.start, body.end, False, body.confidence)
    if any(p.kind == "uppdrag" and p.values[str(ORG.member)][0].value == person.iri
           and p.values[str(ORG.organization)][0].value == body.iri for p in ctx.proposals):
        return
    slug = f"{person.iri.rsplit('/', 1)[-1]}--{body.iri.rsplit('/', 1)[-1]}--{role}"
    iri = ctx.base + "id/uppdrag/" + slug
    known_roles = ctx.gz.posts.get((person.iri, body.iri), {})
    known = role in known_roles
    iri = known_roles[role] if known else ctx.gz.free_iri(iri)
    role_value = concept(ctx.base, "organisationsroll", role)
    values = {str(ORG.member): [person.value()], str(ORG.organization): [body.value()], str(ORG.role): [role_value]}
    if appointed_by is not None and re.search(r"\bval(?:ts|d|des)?\b|\bvalde\b|\bförbundsmöte", ctx.sentences[si].text
                                               + (ctx.sentences[si - 1].text if si else ""), re.IGNORECASE):
        values[str(KFV.appointedBy)] = [appointed_by.value()]
    when = find_date(ctx.sentences[si].text)
    if when is not None and event in ("start", "end"):
        values[str(SCHEMA.startDate if event == "start" else SCHEMA.endDate)] = [
            type(role_value).typed(when.isoformat(), XSD.date)]
    verb = {"start": " (tillträder)", "end": " (lämnar)"}.get(event, "")
    ctx.propose(
        kind="uppdrag", subject=iri, subject_label=f"{person.label}, {role_value.label}",
        types=[str(KFV.Appointment), str(ORG.Membership)], values=values, method=method,
        confidence=conf * min(person.confidence + 0.1, 1.0), known=known,
        summary=f"{person.label} är {role_value.label} i {body.label}{verb}",
        requires=[r.iri for r in (person, body) if r.new], **ctx.sentence_fields(si),
    )


def find_posts(ctx: Context, si: int) -> None:
    """Propose the posts sentence ``si`` states."""
    s = ctx.sentences[si]
    people = ctx.refs(si, "person")
    if not people:
        return
    taken: dict[str, str] = {}
    for person in people:
        after = re.match(rf",?\s+(?:som\s+)?(?:är\s+)?(?:nu\s+)?({_TITLE})\b", ctx.text[person.end:s.end],
                         re.IGNORECASE)
        before = re.search(rf"\b({_TITLE})\s+$", ctx.text[max(s.start, person.start - 40):person.start], re.IGNORECASE)
        took = re.match(rf"\s+(?:har\s+)?(?:nu\s+)?(?:tar|tog|tagit)\s+(?:nu\s+)?över\s+(?:som\s+)?({_TITLE})",
                        ctx.text[person.end:s.end], re.IGNORECASE)
        if took is None and re.search(r"\b(?:tar|tog)\s+$", ctx.text[max(s.start, person.start - 8):person.start]):
            # inverted: "I och med det tar Peder Björk, kommunalråd i …, nu över ordförandeskapet"
            took = re.match(rf"(?:,[^,]{{0,80}},)?\s+(?:nu\s+)?över\s+(?:som\s+)?({_TITLE})",
                            ctx.text[person.end:s.end], re.IGNORECASE)
        elected = re.match(rf"\s+(?:har\s+)?(?:valts|valdes|utsetts|utsågs|blir|blev|väljs)\s+(?:till\s+)?"
                           rf"(?:ny\s+)?({_TITLE})",
                           ctx.text[person.end:s.end], re.IGNORECASE)
        for m, base_conf, method, event, end in (
            (took, 0.75, "tar över en post", "start", person.end + (took.end() if took else 0)),
            (elected, 0.75, "vald eller utsedd", "start", person.end + (elected.end() if elected else 0)),
            (after, 0.7, "titel efter namnet", "", person.end + (after.end() if after else 0)),
        ):
            if m is None:
                continue

            role = _role(m.group(1))
            if role is None:
                continue
            body = _body_after(ctx, si, end)
            if body is None and role in _PROJECT_ROLES:
                body = ctx.project_for(si, person.start)[0]
            body = body or (_body_near(ctx, si) if event else None)
            if body is None and re.search(r"\b(?:vår|vårt|våra|förbundets|Kommunförbundets)\b", s.text):
                body = ctx.home()
            if body is None:
                continue
            taken[person.iri] = role
            _propose(ctx, si, person, body, role, base_conf, method, event)
            if m is took and after is not None and (role0 := _role(after.group(1))) is not None:
                body0 = _body_after(ctx, si, person.end + after.end())
                if body0 is not None and body0.iri != body.iri:
                    _propose(ctx, si, person, body0, role0, 0.7, "titel efter namnet")
            break
        else:
            if before is not None and (role := _role(before.group(1))) is not None:
                lead = ctx.text[max(s.start, person.start - 60):person.start]
                body = None
                if re.search(r"\b(?:vår|vårt|våra|förbundets|Kommunförbundets)\b", lead):
                    body = ctx.home()
                body = body or _body_after(ctx, si, person.end)
                if body is None and role in _PROJECT_ROLES:
                    body = ctx.project_for(si, person.start)[0]
                if role not in _MUNICIPAL_ROLES:  # a kommunalråd sits in a municipality, named with it
                    body = body or _body_near(ctx, si)
                if body is not None:
                    taken[person.iri] = role
                    around = lead + ctx.text[person.end:person.end + 30]
                    event = "end" if re.search(r"\blämnar\b|\bslutar\b|\bavgår\b", around) else ""
                    _propose(ctx, si, person, body, role, 0.65, "titel före namnet", event)
    _handover(ctx, si, people, taken)
    _representatives(ctx, si, people)


def _handover(ctx: Context, si: int, people: list[Ref], taken: dict[str, str]) -> None:
    """"X lämnar över (stafettpinnen) till Y", "Y efterträder X": Y gets X's post."""
    s = ctx.sentences[si]
    for a in people:
        for b in people:
            if a is b:
                continue
            between = ctx.text[a.end:b.start] if a.end <= b.start else ""
            lead = ctx.text[max(s.start, a.start - 40):a.start]
            hand = (re.search(r"\blämnar\s+över\b.*\btill\s+$", between)
                    or (re.search(r"\blämnar\b", lead) and re.search(r"^\s*över\b.*\btill\s+$", between))
                    or re.search(r"\b(?:efterträds|ersätts)\s+av\s+$", between))
            follows = re.search(r"\b(?:efterträder|ersätter|tar över efter)\s+(?:\w+\s+){0,3}$", between)
            if hand and a.iri in taken:
                old, new_person = a, b
            elif follows and b.iri in taken:
                old, new_person = b, a
            else:
                continue
            role = taken[old.iri]
            new_role = "direktor" if role == "tf-direktor" else role
            if new_person.iri in taken:
                continue
            body = ctx.home()
            for p in ctx.proposals:
                if p.kind == "uppdrag" and p.values[str(ORG.member)][0].value == old.iri:
                    v = p.values[str(ORG.organization)][0]
                    body = Ref(v.value, "organisation", v.label or v.value, 0, 0, v.new, 0.8)
            if body is not None:
                taken[new_person.iri] = new_role
                _propose(ctx, si, new_person, body, new_role, 0.6, "tar över efter en annan person", "start")
    _ = s


def _representatives(ctx: Context, si: int, people: list[Ref]) -> None:
    """A line "• ORGAN - Namn Namn ordinarie, Namn Namn ersättare": each person represents."""
    s = ctx.sentences[si]
    m = _BULLET_REPS.match(s.text)
    if m is None:
        return
    body_end = s.start + m.end("body")
    bodies = [r for r in ctx.refs(si, "organisation") if r.start < body_end]
    if not bodies:
        return
    body = bodies[-1]
    for person in people:
        if person.start < body_end:
            continue
        tail = re.match(r"\s+(ordinarie|ersättare|ordförande|ledamot)\b", ctx.text[person.end:s.end])
        role = _role(tail.group(1)) if tail else "representant"
        if role is None:
            continue
        _propose(ctx, si, person, body, role, 0.65, "lista över representanter")
