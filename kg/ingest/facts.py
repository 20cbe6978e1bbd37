"""Proposed facts about projects: roles of organisations (participations), statuses,
periods and results stated as figures; fundings and posts are in :mod:`kg.ingest.funding`
and :mod:`kg.ingest.posts`. Each finder reads one sentence at a time, with the entities
named in it and the project the text is about (see :class:`kg.ingest.context.Context`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.ingest.amounts import find_figures
from kg.ingest.context import Context, concept
from kg.ingest.entities import NewEntity
from kg.ingest.funding import find_fundings
from kg.ingest.gazetteer import Gazetteer, slugify
from kg.ingest.model import Mention, Proposal, Value
from kg.ingest.posts import find_posts
from kg.ingest.roles import find_roles
from kg.ingest.text import MONTHS, Sentence
from kg.namespaces import BASE, KFV, SCHEMA, XSD

__all__ = ["STATUS_CUES", "find_facts"]

#: Words that say a project's status, most specific first.
STATUS_CUES: tuple[tuple[str, str], ...] = (
    (r"\b(?:ej|inte) beviljad|\bblev ej beviljad|\bavslag\b|\bavslogs\b", "ej-beviljad"),
    (r"\bpausat?s?\b|\bpausade\b", "pausat"),
    (r"\bförlängts?\b|\bförlängdes\b", "forlangt"),
    (r"\bavslutas\b|\bavslutades\b|\bavslutats\b|\bavslutat\b|\bslutfördes\b|\bslutförts\b"
     r"|\bslutseminarium\b", "avslutat"),
    (r"\bpågår\b|\bpågående\b|\bhar startat\b|\bstartade\b|\bpåbörjats\b|\bskarpt läge\b|\bnärma sig sitt slut\b"
     r"|\bgår in i\b|\bkör\b.*\bigång\b", "pagaende"),
    (r"\bbeviljad(?:es|e)?\b|\bbeviljats\b|\bbeviljat\b", "beviljad"),
    (r"\bansökt\b|\bansöker\b|\bansökan\b", "ansokt"),
    (r"\bplaneras\b|\bska bildas\b|\bska starta\b|\bkommer att starta\b|\bska tas fram\b|\bplanerat?\b", "planerat"),
)
_YEAR = r"((?:19|20)\d\d)"
_PERIOD_CUES: tuple[tuple[str, str], ...] = (
    (rf"\b(?:pågår|löper|gäller|finansiering pågår)\s+(?:till|t\.o\.m\.|fram till)\s+"
     rf"(\d{{4}}-\d\d-\d\d|{_YEAR})", "end"),
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
        find_roles(ctx, si, funders)
        _status(ctx, si, bool(funders) or bool(money))
        _periods(ctx, si)
        _results(ctx, si, groups + money)
    _ = slugify
    return ctx.proposals
