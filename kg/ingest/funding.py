"""Proposed fundings (``schema:MonetaryGrant``): who granted (funder), out of which fund or
programme, to which project, how much (whole SEK; "cirka" and "drygt" kept as a note), for
which year, and whether granted, applied for or refused.

The funder is the organisation that "har beviljat", or is named after "från"/"av", or is an
agency or a region named in a sentence about money; the fund (``kfv:fund``) an EU fund named
after "ur"/"från" (or the fund of an "ESF-projekt"). A fund is never the funder
(docs/modelling.md, EU funding).
"""

from __future__ import annotations

import re

from kg.ingest.amounts import find_amounts
from kg.ingest.context import Context, Ref, concept
from kg.ingest.model import Value
from kg.ingest.roles import propose_participation
from kg.namespaces import KFV, SCHEMA, XSD

__all__ = ["FUNDING_CUE", "find_fundings"]

FUNDING_CUE = re.compile(
    r"\b(?:beviljat?|beviljade|beviljades|beviljats|stöd|medel|finansier\w*|statsbidrag\w*|bidrag|anslag|"
    r"medfinansiering|projektmedel|forskningsmedel)\b|\b(?:ESF|EU)-projekt\w*",
    re.IGNORECASE,
)
_FUNDER_TYPES = {"statlig-myndighet", "region", "eu-fond", "eu-program", "lansstyrelse", "forskningsrad",
                 "departement", "eu-institution"}
_FUND_TYPES = {"eu-fond", "eu-program"}
_YEAR_FOR = re.compile(r"\b(?:för|under|år|avser)\s+((?:19|20)\d\d)\b")
_STATUS = (
    (re.compile(r"\b(?:ej|inte) beviljad|\bavslag|\bavslogs|\bblev ej\b", re.IGNORECASE), "ej-beviljad"),
    (re.compile(r"\bbevilja\w*|\bhar fått\b|\bfick\b|\btilldela\w*", re.IGNORECASE), "beviljad"),
    (re.compile(r"\bansök\w*|\bsöker\b|\bsökt\b", re.IGNORECASE), "ansokt"),
)


def _is_fund(ref: Ref) -> bool:
    return bool(ref.org_types & _FUND_TYPES) or re.search(r"fonden\b|\bfond\b", ref.label, re.IGNORECASE) is not None


def _unnamed_project(ctx: Context, si: int, funder: Ref) -> Ref:
    """A new project for money granted to work the text does not name: the editor names it."""
    from kg.ingest.entities import NewEntity
    from kg.ingest.gazetteer import slugify
    from kg.ingest.pipeline import entity_proposal

    year = _YEAR_FOR.search(ctx.sentences[si].text)
    label = f"Projekt finansierat av {funder.label}" + (f" {year.group(1)}" if year else "")
    iri = ctx.gz.free_iri(ctx.base + "id/projekt/" + slugify(label))
    ent = NewEntity("projekt", label, iri, sentence=si, method="belopp utan namngivet projekt", confidence=0.4)
    s = ctx.sentences[si]
    p = entity_proposal(ent, s.text, s.start, s.end, f"p{ctx.next_id}")
    p.note = "Texten namnger inte projektet: skriv ett namn innan du godkänner."
    ctx.next_id += 1
    ctx.proposals.append(p)
    ref = Ref(iri, "projekt", label, s.start, s.start, True, 0.4)
    ctx.add_ref(si, ref)
    return ref


def find_fundings(ctx: Context, si: int) -> tuple[set[str], list[tuple[int, int]]]:
    """Propose the fundings of sentence ``si``; return the funders' IRIs (not partners) and the
    spans of the amounts of money (not results)."""
    s = ctx.sentences[si]
    amounts = find_amounts(s.text)
    money = [(s.start + a.start, s.start + a.end) for a in amounts]
    cue = FUNDING_CUE.search(s.text)
    if cue is None and not amounts:
        return set(), money
    orgs = [r for r in ctx.refs(si) if r.kind == "organisation" and not (r.org_types & {"kommun"} and False)]
    funder: Ref | None = None
    programme: Ref | None = None
    rest = s.text
    granted = re.search(r"\b(?:har|hade)?\s*bevilja[rt]\b", rest)
    for r in orgs:
        local_before = ctx.text[max(s.start, r.start - 12):r.start].casefold()
        if _is_fund(r) and re.search(r"\b(?:ur|från|via)\s+(?:den\s+)?$", local_before):
            programme = programme or r
    esf = re.search(r"\b(ESF|EU)-projekt", s.text)
    for r in orgs:
        if r is programme:
            continue
        local_before = ctx.text[max(s.start, r.start - 12):r.start].casefold()
        if granted and r.end <= s.start + granted.start():
            funder = r
            break
        if re.search(r"\b(?:från|av)\s+$", local_before) and (r.org_types & _FUNDER_TYPES or _is_fund(r)):
            funder = r
            break
    if funder is None:
        typed = [r for r in orgs if r is not programme and r.org_types & _FUNDER_TYPES and not _is_fund(r)]
        if typed and (amounts or cue):
            funder = typed[0]
    if funder is None and programme is not None:
        funder = programme
    if funder is None and esf and esf.group(1) == "ESF":
        fund = next((r for r in orgs if _is_fund(r)), None)
        funder = programme = fund
    if funder is None and amounts and si > 0 and ctx.sentences[si - 1].paragraph == s.paragraph:
        # "… en gemensam ansökan till Skolverket … I veckan kom beskedet: 4,8 miljoner beviljades"
        prev = [r for r in ctx.refs(si - 1) if r.kind == "organisation" and r.org_types & _FUNDER_TYPES]
        if prev:
            funder = prev[-1]
    if funder is None:
        return set(), money
    if funder is not programme and programme is None and _is_fund(funder):
        programme = funder
    project, pconf = ctx.project_for(si, funder.start)
    if project is None and amounts:
        project, pconf = _unnamed_project(ctx, si, funder), 0.7
    if project is None:
        return {funder.iri} | ({programme.iri} if programme else set()), money
    amount = amounts[0] if amounts else None
    year_m = _YEAR_FOR.search(s.text)
    status = next((st for rx, st in _STATUS if rx.search(s.text)), "beviljad" if esf else "")
    # docs/modelling.md, EU funding: the deciding body is schema:funder, the fund kfv:fund; a
    # fund is never the funder (an "ESF-projekt" names only the fund).
    values: dict[str, list[Value]] = {str(SCHEMA.fundedItem): [project.value()]}
    if not _is_fund(funder):
        values[str(SCHEMA.funder)] = [funder.value()]
    fund = programme if programme is not None else (funder if _is_fund(funder) else None)
    if fund is not None:
        values[str(KFV.fund)] = [fund.value()]
    if amount is not None:
        values[str(SCHEMA.amount)] = [Value.typed(str(amount.value), XSD.decimal)]
        values[str(SCHEMA.currency)] = [Value("SEK")]
        if amount.approximate:
            values[str(KFV.approximate)] = [Value.typed("true", XSD.boolean)]
    if year_m:
        values[str(KFV.year)] = [Value.typed(year_m.group(1), XSD.gYear)]
    if status:
        values[str(KFV.status)] = [concept(ctx.base, "status", status)]
    values = {k: v for k, v in values.items() if v}
    slug = f"{project.iri.rsplit('/', 1)[-1]}--{funder.iri.rsplit('/', 1)[-1]}"
    if year_m:
        slug += f"--{year_m.group(1)}"
    iri = ctx.base + "id/finansiering/" + slug
    existing = ctx.gz.grants.get((project.iri, funder.iri), [])
    known = iri in existing or (not year_m and bool(existing))
    if not known:
        iri = ctx.gz.free_iri(iri)
    shown = f"{amount.value:,} kr".replace(",", " ") if amount else "belopp anges inte"
    if amount and amount.qualifier:
        shown = f"{amount.qualifier} {shown}"
    conf = (0.8 if amount else 0.5) * pconf * min(funder.confidence + 0.05, 1.0)
    ctx.propose(
        kind="finansiering", subject=iri, subject_label=f"{funder.label} → {project.label}",
        types=[str(SCHEMA.MonetaryGrant)], values=values,
        method="belopp och finansieringsord" if amount else "finansieringsord och finansiär",
        confidence=conf, known=known,
        summary=f"{funder.label} finansierar {project.label}: {shown}"
                + (f" för {year_m.group(1)}" if year_m else "")
                + (f" ({values[str(KFV.status)][0].label})" if status else ""),
        note=f"Beloppet är ungefärligt ({amount.text})." if amount and amount.approximate else "",
        requires=[r.iri for r in (funder, project, programme) if r is not None and r.new],
        **ctx.sentence_fields(si),
    )
    if granted:
        # "X har beviljat Y … för att driva projektet": Y owns the project
        recipient = next((r for r in orgs if r.start >= s.start + granted.end() and r is not funder
                          and r is not programme), None)
        if recipient is not None and re.fullmatch(r"\s*", ctx.text[s.start + granted.end():recipient.start]):
            propose_participation(ctx, si, project, recipient, "projektagare", 0.6 * pconf,
                                  "mottagare av beviljade medel")
    return {funder.iri} | ({programme.iri} if programme else set()), money
