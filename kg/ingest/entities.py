"""New entities: names in the text that look like a project, an organisation, a person or a
place the graph does not know yet, each proposed with a label, a type and an IRI by the data
model's slug rule.

Projects: "projektet X", "ESF-projektet X", a quoted name after "projekt", "X – Långt namn",
"X, en kampanjvecka", web addresses (Digitaliseringsguiden.se). Organisations: "X kommun",
"Region X", "Länsstyrelsen X", words ending in -verket, -myndigheten, -styrelsen, -institutet,
"X universitet", sports clubs (IK, BK), "X AB", an apposition after "bolaget", an acronym
explained in brackets. People: two or three capitalised words next to a title ("kommunalråd",
"ordförande", "projektledare", "tf direktör"), "säger", or a first name the graph knows.
Places: "äldreboendet X", "Hotell X", and "i/på X" (the weakest).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.ingest.cues import (
    ACRONYM_EXPLAINED,
    APPOSITIVE,
    CLUB,
    COMPANY,
    COUNCIL,
    COUNCIL_TITLES,
    COUPLE,
    DOMAIN,
    EXPANSION_ORG,
    KOMMUN,
    LOWERCASE_OK,
    NAME_TOKEN,
    ORG_HEAD,
    ORG_HEADS,
    PAIR,
    PERSON,
    PERSON_CUE,
    PLACE_HEAD,
    PLACE_PREP,
    PROJECT_CUE,
    QUOTE_CLOSE,
    QUOTE_OPEN,
    REGION,
    STOP,
    TITLE_RE,
    TITLE_WORDS,
    TITLES,
    UNIVERSITY,
    WORD,
)
from kg.ingest.gazetteer import Gazetteer, slugify
from kg.ingest.mentions import COMMON, Token
from kg.ingest.model import Candidate, Mention
from kg.ingest.text import MONTHS, Sentence
from kg.namespaces import BASE, FOAF, ORG, SCHEMA
from kg.query.search import fold

__all__ = ["TITLES", "NewEntity", "find_new_entities"]

@dataclass
class NewEntity:
    """A proposed new entity: its kind, names, IRI and where it was found."""

    kind: str
    label: str
    iri: str
    alts: list[str] = field(default_factory=list)
    org_type: str = ""
    job_title: str = ""
    url: str = ""
    spans: list[tuple[int, int]] = field(default_factory=list)
    sentence: int = 0
    method: str = ""
    confidence: float = 0.5
    maybe: list[Candidate] = field(default_factory=list)  # known entities it may be the same as

    @property
    def types(self) -> list[str]:
        return {
            "projekt": [str(SCHEMA.Project), str(ORG.OrganizationalCollaboration)],
            "organisation": [str(ORG.Organization)],
            "person": [str(FOAF.Person)],
            "plats": [str(SCHEMA.Place)],
        }[self.kind]


_PREFIX = {"projekt": "id/projekt/", "organisation": "id/organisation/", "person": "id/person/", "plats": "id/plats/"}


class _Finder:
    def __init__(self, gz: Gazetteer, text: str, sentences: Sequence[Sentence], tokens: Sequence[Token],
                 mentions: Sequence[Mention]) -> None:
        self.gz, self.text, self.sentences, self.tokens = gz, text, sentences, tokens
        self.known = [(m.start, m.end) for m in mentions if m.certain or m.method.startswith("etikett")]
        self.fuzzy = {(m.start, m.end): m for m in mentions if not m.certain}
        self.found: dict[tuple[str, str], NewEntity] = {}

    def _sentence(self, pos: int) -> int:
        for i, s in enumerate(self.sentences):
            if s.start <= pos < s.end:
                return i
        return 0

    def _sentence_end(self, pos: int) -> int:
        for s in self.sentences:
            if s.start <= pos < s.end:
                return s.end
        return len(self.text)

    def _known(self, start: int, end: int) -> bool:
        return any((s <= start and end <= e) or (s < end and start < e and (e - s) >= (end - start))
                   for s, e in self.known)

    def _is_label(self, name: str) -> bool:
        key = tuple(fold(name).split())
        return any(k.tokens == key for k in self.gz.by_first.get(key[0] if key else "", ()))

    def add(self, kind: str, label: str, start: int, end: int, method: str, conf: float, **extra: str) -> None:
        label = " ".join(label.split()).strip(" ,.;:–-")
        if len(label) < 2 or self._known(start, end) or self._is_label(label):
            return
        key = (kind, fold(label))
        ent = self.found.get(key)
        if any(k != key and any(a < end and start < b for a, b in e.spans) for k, e in self.found.items()):
            return  # inside a name already found ("European Institute" in "EIGE (European Institute …)")
        if ent is None:
            slug_source = extra.get("slug") or label
            iri = self.gz.free_iri(BASE + _PREFIX[kind] + slugify(slug_source))
            ent = NewEntity(kind, label, iri, sentence=self._sentence(start), method=method, confidence=conf)
            self.found[key] = ent
        for alt in extra.get("alts", "").split("|"):
            if alt and alt != ent.label and alt not in ent.alts:
                ent.alts.append(alt)
        ent.org_type = ent.org_type or extra.get("org_type", "")
        ent.job_title = ent.job_title or extra.get("job_title", "")
        ent.url = ent.url or extra.get("url", "")
        if (start, end) not in ent.spans:
            ent.spans.append((start, end))
        near = [m for (s, e), m in self.fuzzy.items() if s < end and start < e]
        for m in near:
            for c in m.candidates:
                if c.iri not in {x.iri for x in ent.maybe}:
                    ent.maybe.append(c)

    # -- projects ----------------------------------------------------------------------
    def _name_at(self, pos: int) -> tuple[str, int, str] | None:
        """A name starting at ``pos``: quoted, or capitalised words; with its end and a long form."""
        text = self.text
        if pos < len(text) and text[pos] in QUOTE_OPEN:
            close = QUOTE_CLOSE[text[pos]]
            end = text.find(close, pos + 1)
            if 0 < end - pos <= 120:
                return text[pos + 1:end], end + 1, ""
            return None
        words: list[re.Match[str]] = []
        p = pos
        stop = self._sentence_end(pos)  # a name never runs into the next sentence
        while True:
            m = WORD.match(text, p)
            if m is None or m.start() >= stop:
                break
            w = m.group(0).rstrip(".")
            first = not words
            is_name = w[:1].isupper() or w[:1].isdigit() or (len(w) > 1 and w[0] == "e" and w[1].isupper())
            if not is_name:
                if (len(words) == 1 and not words[0].group(0).isupper() and w.casefold() not in STOP
                        and len(w) <= 10 and self._stop_after(m.end())):
                    words.append(m)  # "Make sense"
                break
            if not first and w.casefold() in STOP:
                break
            words.append(m)
            nxt = text[m.end():m.end() + 1]
            if nxt != " " or len(words) >= 6:
                break
            p = m.end() + 1
        if not words:
            return None
        name = text[pos:words[-1].end()].rstrip(".")
        end = pos + len(name)
        long = ""
        dash = re.match(r"\s*(?:[–—-]|,)\s+(?=[A-ZÅÄÖ])", text[end:end + 4])
        if dash and (name.isupper() or " " not in name):
            p2 = end + dash.end()
            parts: list[str] = []
            for m in re.finditer(r"[^\s,.;:()–—]+", text[p2:p2 + 120]):
                if m.start() > 0 and text[p2 + m.start() - 1] != " ":
                    break
                w = m.group(0)
                if w.casefold() in STOP - {"för", "i", "och"} or (parts and w == "-"):
                    break
                parts.append(w)
                after = text[p2 + m.end():p2 + m.end() + 1]
                if after != " " or len(parts) >= 8:
                    break
            while parts and parts[-1].casefold() in ("för", "i", "och"):
                parts.pop()
            if len(parts) >= 2:
                long = " ".join(parts)
        return name, end, long

    def _stop_after(self, pos: int) -> bool:
        rest = self.text[pos:pos + 20]
        m = re.match(r"\s*([\wåäö]+|[^\w\s]|$)", rest)
        return bool(m and (not m.group(1) or not m.group(1)[:1].isalnum() or m.group(1).casefold() in STOP))

    def projects(self) -> None:
        for m in PROJECT_CUE.finditer(self.text):
            found = self._name_at(m.end())
            if found is None:
                continue
            name, end, long = found
            if fold(name) in COMMON or name.isdigit():
                continue
            cue = m.group(0).strip()
            conf = 0.85 if "projekt" in cue.casefold() else 0.6
            if long:
                long_end = self.text.find(long, end) + len(long)
                self.add("projekt", f"{name} – {long}", m.end(), long_end, f"namn efter ”{cue}”", conf,
                         alts=f"{name}|{long}", slug=name)
                if self.found.get(("projekt", fold(f"{name} – {long}"))) is not None:
                    self._also(name, "projekt", f"{name} – {long}")
            else:
                self.add("projekt", name, m.end(), end, f"namn efter ”{cue}”", conf)
            # "projekten eSamverkan (…) och Erudite (…)", "ansökningarna EMERGREEN som …, SMARCTIC där …"
            p = end
            for _ in range(4):
                rest = self.text[p:p + 400]
                nxt = re.match(r"(?:\s*\([^()]{0,300}\))?(?:[^,.;]{0,40}?)(?:,\s*|\s+och\s+)(?=[A-ZÅÄÖ]|e[A-ZÅÄÖ])",
                               rest)
                if nxt is None or not cue.casefold().endswith(("en", "na")):
                    break
                more = self._name_at(p + nxt.end())
                if more is None or fold(more[0]) in COMMON or (" " in more[0] and not more[0].isupper()):
                    break
                self.add("projekt", more[0], p + nxt.end(), more[1], f"namn i uppräkning efter ”{cue}”", conf * 0.9)
                p = more[1]
        for m in APPOSITIVE.finditer(self.text):
            self.add("projekt", m.group(1), m.start(1), m.end(1), "namn följt av ”en kampanjvecka/konferens …”", 0.6)
        for m in DOMAIN.finditer(self.text):
            domain = f"{m.group(1)}.{m.group(2)}"
            label = domain[:1].upper() + domain[1:]
            if self._is_label(domain) or self._is_label(m.group(1)):
                continue
            self.add("projekt", label, m.start(), m.end(), "webbadress", 0.6,
                     alts=m.group(1)[:1].upper() + m.group(1)[1:], url=f"https://{domain.lower()}",
                     slug=m.group(1))

    def _also(self, name: str, kind: str, label: str) -> None:
        """Later occurrences of a short name of a new entity ("HAV" after "HAV – Hållbart …")."""
        ent = self.found.get((kind, fold(label)))
        if ent is None:
            return
        key = fold(name).replace(" ", "")
        if len(key) < 3:
            return
        acronym = name.isupper()
        words = max(0, name.count(" "))
        for m in re.finditer(rf"[\w][\w-]*(?:\s[\w][\w-]*){{0,{words}}}", self.text):
            word = m.group(0)
            compact = fold(word).replace(" ", "")
            ending = compact[len(key):] if compact.startswith(key) else None
            if ending not in ("", "s", "en", "ens", "et", "ets"):
                continue
            if acronym and not word[:len(name)].isupper():
                continue
            end = m.start() + len(word)
            if not self._known(m.start(), end) and (m.start(), end) not in ent.spans:
                ent.spans.append((m.start(), end))

    # -- organisations -----------------------------------------------------------------
    def organisations(self) -> None:
        for m in ACRONYM_EXPLAINED.finditer(self.text):
            acr, expansion = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
            expansion = expansion.strip()
            if not acr or self._is_label(acr) or self._is_label(expansion):
                continue
            kind = "organisation" if EXPANSION_ORG.search(expansion) else "projekt"
            label = expansion if kind == "organisation" else acr
            self.add(kind, label, m.start(), m.end(), "förkortning förklarad inom parentes", 0.7,
                     alts=acr if kind == "organisation" else expansion, slug=acr if kind == "projekt" else label)
            self._also(acr, kind, label)
        for m in KOMMUN.finditer(self.text):
            if fold(m.group(1)) in COMMON:
                continue
            self.add("organisation", m.group(0), m.start(), m.end(), "”X kommun”", 0.85, org_type="kommun")
        for m in REGION.finditer(self.text):
            kind = "region" if m.group(1) == "Region" else "lansstyrelse"
            label = f"{m.group(1).removesuffix(' i')} {m.group(2)}"
            self.add("organisation", label, m.start(), m.end(), f"”{m.group(1)} X”", 0.85, org_type=kind)
        for m in ORG_HEAD.finditer(self.text):
            word = m.group(1)
            head = next(h for h in ORG_HEADS if word.endswith(h))
            if word[:1].islower() and not word.endswith(LOWERCASE_OK):
                continue
            if len(word) - len(head) < 3 or fold(word) in COMMON or word.casefold() == "nätverket":
                continue
            label = word[:1].upper() + word[1:]
            typ = "natverk" if word.casefold().endswith("nätverket") else ORG_HEADS[head]
            self.add("organisation", label, m.start(), m.end(), f"ord på ”-{head}”", 0.7, org_type=typ)
        for m in COUNCIL.finditer(self.text):
            word = m.group(1)
            if word.casefold() in TITLE_WORDS | COUNCIL_TITLES or fold(word) in COMMON:
                continue
            if m.group(0) == m.group(1) + m.group(2) and not m.group(3):
                continue  # neither a preposition before nor a verb of granting after
            if PERSON.match(self.text, m.end(2) + 1):
                continue  # "Kulturrådet Anna …" reads as a title
            money = bool(m.group(3)) or bool(re.search(
                r"\b(?:kronor|kr|miljon\w*|bidrag|stöd|medel|anslag|bevilja\w*|finansier\w*)\b",
                self.text[m.start() - 200 if m.start() > 200 else 0:m.end() + 100], re.IGNORECASE))
            typ = "forskningsrad" if re.search(r"forskning|vetenskap", word, re.IGNORECASE) else (
                "statlig-myndighet" if money else "")
            self.add("organisation", word, m.start(1), m.end(1), "ord på ”-rådet”", 0.7, org_type=typ)
        for m in UNIVERSITY.finditer(self.text):
            self.add("organisation", m.group(1), m.start(), m.end(), "”X universitet/högskola”", 0.75,
                     org_type="universitet" if "niversit" in m.group(1) else "")
        for m in CLUB.finditer(self.text):
            words = m.group(0).split()
            start = m.start()
            while len(words) > 2 and fold(words[0]) in COMMON | STOP:
                start += len(words[0]) + 1
                words = words[1:]
            self.add("organisation", " ".join(words), start, m.end(), "idrottsförening (IK, BK …)", 0.8,
                     org_type="idrottsforening")
        for m in re.finditer(r"(?<![\w-])([A-ZÅÄÖ]{3,8}):s\b", self.text):
            self.add("organisation", m.group(1), m.start(1), m.end(1), "förkortning i genitiv (”OECD:s”)", 0.5,
                     slug=m.group(1))
        for m in COMPANY.finditer(self.text):
            cue = m.group(0).split()[0].casefold()
            typ = "kommunalt-bolag" if "kommunala" in self.text[max(0, m.start() - 20):m.start()] else (
                "foretag" if "bolag" in cue or "företag" in cue else "natverk" if "nätverk" in cue else "")
            self.add("organisation", m.group(1), m.start(1), m.end(1), f"namn efter ”{cue}”", 0.7, org_type=typ)
    # -- people ------------------------------------------------------------------------
    def representatives(self) -> None:
        """Bullet lines "• ORGAN - Förnamn Efternamn, Förnamn Efternamn ersättare": the body
        (new if unknown) and each person."""
        for line in re.finditer(r"(?m)^[•·▪*]\s*(?P<body>[^\n]{2,80}?)\s+[-–]\s+(?P<people>[^\n]+)$", self.text):
            body = line.group("body").strip()
            people = line.group("people")
            base = line.start("people")
            names = list(re.finditer(
                rf"(?:(?P<lead>[A-ZÅÄÖ][a-zåäö]+)\s+)?(?P<name>{NAME_TOKEN}\s+{NAME_TOKEN})", people))
            if not names:
                continue
            first = names[0]
            if first.group("lead") and fold(first.group("lead")) not in self.gz.given_names and first.start() == 0:
                body = f"{body} {first.group('lead')}"  # "MSEO - Ägarrådet Glenn Nordlund"
            if not self._is_label(body) and not self._known(line.start("body"), line.end("body")):
                self.add("organisation", body, line.start("body"), line.end("body"),
                         "organ i lista över representanter", 0.6)
            for n in names:
                self.add("person", n.group("name"), base + n.start("name"), base + n.end("name"),
                         "namn i lista över representanter", 0.7)

    def people(self) -> None:
        for m in PAIR.finditer(self.text):
            if any(fold(w) in COMMON for w in m.group(0).split()) or self._known(m.start(), m.end()):
                continue
            for name, a, b in ((m.group(1), m.start(1), m.end(1)), (m.group(2), m.start(2), m.end(2))):
                self.add("person", name, a, b, "två namn i par (”A B och C D”)", 0.6, slug=name)
        for m in COUPLE.finditer(self.text):
            if not any(fold(w) in COMMON for w in m.group(0).split()):
                for given in (m.group(1), m.group(2)):
                    self.add("person", f"{given} {m.group(3)}", m.start(), m.end(), "namnpar ”A och B Efternamn”", 0.7,
                             slug=f"{given} {m.group(3)}")
        for m in PERSON.finditer(self.text):
            first, rest = m.group(1), m.group(2)
            if first.casefold() in TITLE_WORDS and " " in rest:
                first, rest = rest.split(" ", 1)
                start = m.start(2)
            else:
                start = m.start()
            if first.casefold() in TITLE_WORDS or fold(first) in COMMON or first.casefold() in MONTHS or any(
                    fold(w) in COMMON or w.casefold() in MONTHS for w in rest.split()):
                continue
            if self._known(start, m.end()):
                continue
            if re.match(r"\s+(?:kommun|län|IK|BK|universitet)", self.text[m.end():m.end() + 14]):
                continue
            cue = self._person_cue(start, m.end())
            given = fold(first) in self.gz.given_names
            if not cue and not given:
                continue
            title = self._title_near(start, m.end())
            self.add("person", f"{first} {rest}", start, m.end(),
                     f"namn med {'titel' if title else 'citat' if cue else 'känt förnamn'}",
                     0.75 if title else 0.6, job_title=title)

    def _person_cue(self, start: int, end: int) -> bool:
        window = self.text[max(0, start - 40):min(len(self.text), end + 50)]
        return bool(TITLE_RE.search(window) or PERSON_CUE.search(window))

    def _title_near(self, start: int, end: int) -> str:
        after = re.match(r",\s+((?:" + TITLE_RE.pattern + r")(?:\s+(?:och|i|för)\s+[\w.]+(?:\s+[\w.]+)*?)?)"
                         r"(?=[,.;–]|\s+(?:har|är|som|ett|en|för|tar)\b)",
                         self.text[end:end + 80])
        if after:
            return " ".join(after.group(1).split()[:8])
        before = re.search(r"(" + TITLE_RE.pattern + r")\s+$", self.text[max(0, start - 30):start])
        return before.group(1) if before else ""

    # -- places ------------------------------------------------------------------------
    def places(self) -> None:
        for m in PLACE_HEAD.finditer(self.text):
            label = m.group(0) if m.group(1).casefold() == "hotell" else m.group(2)
            start = m.start() if m.group(1).casefold() == "hotell" else m.start(2)
            self.add("plats", label, start, m.end(), f"namn efter ”{m.group(1)}”", 0.6)
        taken = {s for e in self.found.values() for s in e.spans}
        for m in PLACE_PREP.finditer(self.text):
            name = m.group(1)
            if fold(name) in COMMON or name.casefold() in MONTHS or len(name) < 3:
                continue
            if any(s < m.end(1) and m.start(1) < e for s, e in taken):
                continue
            after = re.match(r"\s*([\wåäö]+)", self.text[m.end(1):m.end(1) + 20])
            if after and after.group(1)[:1].islower() and after.group(1).casefold() not in STOP:
                continue  # "på Digitalt kompetenslyft": a name of something else
            self.add("plats", name, m.start(1), m.end(1), "ortnamn efter ”i/på/vid”", 0.45)


def find_new_entities(gz: Gazetteer, text: str, sentences: Sequence[Sentence], tokens: Sequence[Token],
                      mentions: Sequence[Mention]) -> list[NewEntity]:
    """Proposed new entities, each with every place in the text where it is named."""
    finder = _Finder(gz, text, sentences, tokens, mentions)
    finder.projects()
    finder.organisations()
    finder.representatives()
    finder.people()
    finder.places()
    out = list(finder.found.values())
    # a name found as two kinds keeps the more certain one
    best: dict[str, NewEntity] = {}
    for ent in out:
        k = fold(ent.label)
        if k not in best or ent.confidence > best[k].confidence:
            best[k] = ent
    kept = [e for e in out if best[fold(e.label)] is e]
    for ent in kept:
        for name in [ent.label, *ent.alts]:
            if len(name) >= 3:
                finder._also(name, ent.kind, fold(ent.label) and ent.label)
        ent.spans.sort()
    return sorted(kept, key=lambda e: e.spans[0])
