"""Proposed facts about projects: roles of organisations (participations), statuses,
periods and results stated as figures; fundings and posts are in :mod:`kg.ingest.funding`
and :mod:`kg.ingest.posts`. Each finder reads one sentence at a time, with the entities
named in it and the project the text is about (see :class:`kg.ingest.context.Context`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.ingest.amounts import find_figures
from kg.ingest.context import Context, Ref, concept
from kg.ingest.entities import NewEntity
from kg.ingest.funding import find_fundings
from kg.ingest.gazetteer import Gazetteer, slugify
from kg.ingest.model import Mention, Proposal, Value
from kg.ingest.posts import find_posts
from kg.ingest.text import MONTHS, Sentence
from kg.namespaces import BASE, KFV, ORG, SCHEMA, XSD

__all__ = ["ROLE_TRIGGERS", "STATUS_CUES", "find_facts"]

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
    (r"\b(?:deltar|deltog|deltagit|deltagare|går med i|gå med i|ansluter|anslutit|involverade)\b", "deltagare", "before"),
    (r"\b(?:i samverkan med|i samarbete med|genom samarbete med|tillsammans med|samarbetat med|samarbetar med)\b",
     "partner", "both"),
    (r"\b(?:partners?)\b", "partner", "before"),
    (r"\b(?:genom|via)\s+Kommunförbundet(?:\s+Västernorrland)?\b", "samordnare", "self"),
    (r"\b(?:samordna[rt]?|samordnade|samordnas|koordinera[rt]?)\b", "samordnare", "before"),
    (r"\b(?:ansökt|ansöker|söker|skickade in|skickat in|ansökan)\b", "sokande", "before"),
    (r"\b(?:driva|driver|drev|drivit)\b", "projektagare", "before"),
    (r"\bdrivs av\b", "projektagare", "after"),
    (r"\bprocessle(?:d|da|der|tt|ds)\w*", "processledare", "before"),
    (r"\b(?:följeforskning|utvärderar|utvärderade)\b", "utvarderare", "before"),
    (r"\btar över driften\b", "forvaltare", "before"),
)
_ROLE_RANK = {"projektagare": 0, "partner": 8, "deltagare": 9}

#: Words that say a project's status, most specific first.
STATUS_CUES: tuple[tuple[str, str], ...] = (
    (r"\b(?:ej|inte) beviljad|\bblev ej beviljad|\bavslag\b|\bavslogs\b", "ej-beviljad"),
    (r"\bpausat?s?\b|\bpausade\b", "pausat"),
    (r"\bförlängts?\b|\bförlängdes\b", "forlangt"),
    (r"\bavslutas\b|\bavslutades\b|\bavslutats\b|\bavslutat\b|\bslutfördes\b|\bslutförts\b|\bslutseminarium\b", "avslutat"),
    (r"\bpågår\b|\bpågående\b|\bhar startat\b|\bstartade\b|\bpåbörjats\b|\bskarpt läge\b|\bnärma sig sitt slut\b"
     r"|\bgår in i\b|\bkör\b.*\bigång\b", "pagaende"),
    (r"\bbeviljad(?:es|e)?\b|\bbeviljats\b|\bbeviljat\b", "beviljad"),
    (r"\bansökt\b|\bansöker\b|\bansökan\b", "ansokt"),
    (r"\bplaneras\b|\bska bildas\b|\bska starta\b|\bkommer att starta\b|\bska tas fram\b|\bplanerat?\b", "planerat"),
)
_YEAR = r"((?:19|20)\d\d)"
_PERIOD_CUES: tuple[tuple[str, str], ...] = (
    (rf"\b(?:pågår|löper|gäller|finansiering pågår)\s+(?:till|t\.o\.m\.|fram till)\s+(\d{{4}}-\d\d-\d\d|{_YEAR})", "end"),
    (rf"\b(?:sedan|från) projektstart(?:en)?\s+(?:i\s+|år\s+)?{_YEAR}", "start"),
    (rf"\b(?:startade|startar|inleddes|påbörjades|drog igång)\s+(?:i|under|år)?\s*((?:\w+\s+)?{_YEAR})", "start"),
    (rf"\b(?:avslutas|avslutades|slutfördes|pågick till)\s+(?:i|under|vid)?\s*((?:\w+\s+)?{_YEAR})", "end"),
    (rf"\b{_YEAR}\s*[–-]\s*{_YEAR}\b", "range"),
)
_SKIP_UNITS = {"år", "dagar", "månader", "timmar"}


def _date_value(text: str) -> Value | None:
    text = text.strip()
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        return Value.typed(text, XSD.date)
    m = re.fullmatch(r"(\w+)\s+(\d{4})", text)
    if m and m.group(1).casefold() in MONTHS:
        return Value.typed(f"{m.group(2)}-{MONTHS[m.group(1).casefold()]:02d}", XSD.gYearMonth)
    m = re.search(r"(\d{4})$", text)
    return Value.typed(m.group(1), XSD.gYear) if m else None


def _orgs(refs: Sequence[Ref]) -> list[Ref]:
    return [r for r in refs if r.kind == "organisation"]


def _holders(ctx: Context, si: int, m: re.Match[str], mode: str, exclude: set[str]) -> list[Ref]:
    s = ctx.sentences[si]
    start, end = s.start + m.start(), s.start + m.end()
    orgs = [r for r in _orgs(ctx.refs(si)) if r.iri not in exclude]
    inside = [r for r in orgs if start <= r.start < end]
    before = [r for r in orgs if r.end <= start]
    clause_end = s.end
    stop = re.search(r"[.!?]|\b(?:medan|men|där|vilket)\b", s.text[m.end():])
    if stop:
        clause_end = s.start + m.end() + stop.start()
    after = [r for r in orgs if end <= r.start < clause_end]
    if mode == "self":
        return inside
    if mode == "after":
        return after
    subject = _subject(ctx, before)
    if mode == "near":
        return after or subject
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


def _roles(ctx: Context, si: int, exclude: set[str]) -> None:
    s = ctx.sentences[si]
    found: dict[tuple[str, str], tuple[str, float, str]] = {}
    for pattern, role, mode in ROLE_TRIGGERS:
        for m in re.finditer(pattern, s.text, re.IGNORECASE if mode != "self" else 0):
            project, pconf = ctx.project_for(si, s.start + m.start())
            if project is None:
                continue
            for org in _holders(ctx, si, m, mode, exclude):
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
        _participation(ctx, si, project, org, role, conf, method)


def _participation(ctx: Context, si: int, project: Ref, org: Ref, role: str, conf: float, method: str) -> None:
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


def _status(ctx: Context, si: int, funded: bool) -> None:
    s = ctx.sentences[si]
    for pattern, status in STATUS_CUES:
        m = re.search(pattern, s.text, re.IGNORECASE)
        if m is None:
            continue
        if funded and status in ("beviljad", "ansokt", "ej-beviljad"):
            return  # the funding carries it
        project, pconf = ctx.project_for(si, s.start + m.start())
        if project is None:
            return
        if pconf < 1.0 and status in ("ansokt", "beviljad", "ej-beviljad"):
            return  # "vi har ansökt om att få gå med": not the project's own status
        if any(p.kind == "status" and p.subject == project.iri for p in ctx.proposals):
            return
        value = concept(ctx.base, "status", status)
        known = status in ctx.gz.statuses.get(project.iri, set())
        ctx.propose(
            kind="status", subject=project.iri, subject_label=project.label, types=[],
            values={str(KFV.status): [value]}, method=f"statusord ”{m.group(0)}”",
            confidence=0.6 * pconf, known=known, summary=f"{project.label}: {value.label}",
            requires=[project.iri] if project.new else [], **ctx.sentence_fields(si),
        )
        return


def _periods(ctx: Context, si: int) -> None:
    s = ctx.sentences[si]
    for pattern, which in _PERIOD_CUES:
        for m in re.finditer(pattern, s.text, re.IGNORECASE):
            project, pconf = ctx.project_for(si, s.start + m.start())
            if project is None:
                continue
            if which == "range":
                if not re.search(r"projekt|period|pågå", s.text, re.IGNORECASE):
                    continue
                pairs = [(SCHEMA.startDate, _date_value(m.group(1))), (SCHEMA.endDate, _date_value(m.group(2)))]
            else:
                pairs = [(SCHEMA.startDate if which == "start" else SCHEMA.endDate, _date_value(m.group(1)))]
            values = {str(p): [v] for p, v in pairs if v is not None}
            if not values:
                continue
            shown = ", ".join(("från " if p == str(SCHEMA.startDate) else "till ") + v[0].value
                              for p, v in values.items())
            ctx.propose(
                kind="period", subject=project.iri, subject_label=project.label, types=[], values=values,
                method=f"tidsuttryck ”{m.group(0)}”", confidence=0.55 * pconf,
                summary=f"{project.label}: {shown}", requires=[project.iri] if project.new else [],
                **ctx.sentence_fields(si),
            )


def _results(ctx: Context, si: int, skip: list[tuple[int, int]]) -> None:
    s = ctx.sentences[si]
    for f in find_figures(s.text):
        start, end = s.start + f.start, s.start + f.end
        if f.unit in _SKIP_UNITS or any(a < end and start < b for a, b in skip):
            continue
        if re.match(r"(?:19|20)\d\d$", str(f.value)) and f.unit in ("st",):
            continue
        project, pconf = ctx.project_for(si, start)
        if project is None:
            continue
        name = _figure_name(s.text, f.start, f.end, f.unit, f.text)
        slug = project.iri.rsplit("/", 1)[-1]
        n = 1 + sum(1 for p in ctx.proposals if p.kind == "resultat" and p.subject.startswith(
            ctx.base + f"id/resultat/{slug}--"))
        iri = ctx.gz.free_iri(ctx.base + f"id/resultat/{slug}--{n}")
        while any(p.subject == iri for p in ctx.proposals):
            n += 1
            iri = ctx.gz.free_iri(ctx.base + f"id/resultat/{slug}--{n}")
        number = f.value
        shown_number = format(number.normalize(), "f")
        typed = Value.typed(str(int(number)), XSD.integer) if number == number.to_integral() else \
            Value.typed(shown_number, XSD.decimal)
        values = {str(SCHEMA.name): [Value.text(name)], str(SCHEMA.value): [typed],
                  str(SCHEMA.unitText): [Value(f.unit)]}
        if f.qualifier in ("över", "drygt", "minst"):
            values[str(SCHEMA.minValue)] = [typed]
        ctx.propose(
            kind="resultat", subject=iri, subject_label=name,
            types=[str(KFV.Result), str(SCHEMA.PropertyValue)], values=values,
            links=[(project.iri, str(KFV.hasResult), iri)],
            method=f"tal med enhet ”{f.text}”", confidence=0.5 * pconf,
            summary=f"{project.label}: {(f.qualifier + ' ') if f.qualifier else ''}{shown_number} {f.unit}"
                    + (f" ({name})" if name != f.unit else ""),
            requires=[project.iri] if project.new else [], **ctx.sentence_fields(si),
        )


def _figure_name(sentence: str, start: int, end: int, unit: str, written: str) -> str:
    after = re.match(r"\.?\s*((?:[a-zåäöé-]+\s*){1,4})", sentence[end:end + 60])
    words = after.group(1).split() if after else []
    noun = written.split()[-1].casefold().rstrip(".")
    if noun not in ("st", "%", "procent", "stycken") and unit != noun:
        words = [noun, *words]
    stop = {"i", "på", "under", "som", "och", "för", "av", "till", "från", "med", "har", "är", "var", "varav"}
    kept: list[str] = []
    for w in words:
        if w in stop:
            break
        kept.append(w)
    if unit not in ("st", "procent") or not kept:
        kept = [unit, *kept] if unit not in ("st",) else kept
    if unit == "procent":
        before = re.findall(r"[a-zåäöé]+", sentence[max(0, start - 50):start])[-3:]
        while before and before[-1] in stop:
            before.pop()
        kept = before[-2:] or kept
    return " ".join(kept)[:80] or unit


def find_facts(gz: Gazetteer, text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention],
               new: Sequence[NewEntity], *, start_id: int = 1, base: str = BASE) -> list[Proposal]:
    """Every fact proposed from the text, in the order of the sentences."""
    ctx = Context(gz, text, sentences, mentions, new, base, next_id=start_id)
    groups = [(m.start, m.end) for m in mentions if m.group]
    found = [find_fundings(ctx, si) for si in range(len(sentences))]
    for si in range(len(sentences)):
        funders, money = found[si]
        find_posts(ctx, si)
        _roles(ctx, si, funders)
        _status(ctx, si, bool(funders) or bool(money))
        _periods(ctx, si)
        _results(ctx, si, groups + money)
    _ = slugify
    return ctx.proposals
