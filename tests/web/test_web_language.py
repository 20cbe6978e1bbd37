"""Language: a Swedish crawl of the UI finds no English UI text, an English crawl no Swedish
UI text where a translation exists; values from the data in another language than the page
carry a ``lang`` attribute (so they are not UI text, and screen readers say them right).

What counts as UI text: everything on the page except names that link to entities, values
marked with another ``lang``, code, and the graph's list of node names."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup

from kg.i18n import entries

BASE = "https://data.kfvn.se/"
PAGES = [
    "/", "/sok", "/sok?q=sollefte%C3%A5", "/sok?q=hederspris", "/sok?typ=nyhet",
    "/projekt", "/organisationer", "/personer", "/finansiering", "/nyheter",
    "/graf", "/graf?iri=" + quote(BASE + "id/organisation/kommunforbundet-vasternorrland"),
    "/analys", "/analys/vag", "/analys/vag?fran=Sollefte%C3%A5&till=Ume%C3%A5+universitet",
    "/analys/vag?fran=Sollefte%C3%A5&till=Ume%C3%A5+universitet&alla=1",
    "/analys/vag?fran=Ingen+alls&till=TEO",
    "/fragor", "/fragor/kommunens-projekt", "/sparql", "/nedladdning", "/dataset", "/ontologi",
    "/id/projekt/esamverkan", "/id/projekt/teo", "/id/projekt/hav",
    "/id/organisation/solleftea-kommun", "/id/organisation/kommunforbundet-vasternorrland",
    "/id/organisation/umea-universitet", "/id/organisation/tillvaxtverket",
    "/id/person/fred-nilsson", "/def/tema/digitalisering", "/id/nyhet/01",
    "/id/kalla/verksamhetsberattelse-2018", "/id/finns-inte",
]
#: Words of English UI text that never occur in Swedish UI text.
ENGLISH = {
    "the", "and", "of", "with", "from", "for", "this", "that", "page", "show", "hide",
    "search", "results", "download", "downloads", "sources", "source", "facts", "links",
    "graph", "inferred", "ongoing", "ended", "granted", "funding", "funder", "funders",
    "amount", "year", "years", "people", "projects", "project", "municipality",
    "municipalities", "previous", "next", "open", "close", "find",
    "undated", "steps", "path", "paths", "connected", "members", "owner", "posts", "home",
    "licence", "license", "publisher", "name", "value", "property", "error", "found",
    "query", "queries", "whole", "number", "role", "roles", "partners", "about", "more",
    "all", "none", "here", "there", "which", "who", "share", "shared",
}
#: Words of Swedish UI text that never occur in English UI text.
SWEDISH = {
    "visa", "inga", "enligt", "saknas", "sidan",
    "uppgifter", "källa", "källor", "sök", "träffar", "nedladdning", "kopplingar", "noder",
    "roll", "roller", "finansiär", "finansiärer", "belopp", "gemensamma", "härlett",
    "odaterad", "läget", "hjälp", "öppna", "stäng", "nästa", "föregående", "ägare",
}
#: Words that are fine in both (names of things, borrowed words).
BOTH = {"sparql", "json", "csv", "excel", "turtle", "png", "svg", "graphml", "html", "rdf",
        "iri", "eu", "cc", "by"}
_SKIP = ("head", "script", "style", "code", "pre", "textarea", "noscript", "option",
         "datalist")
HTML = {"Accept": "text/html"}


def _ui_text(html: str, lang: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(_SKIP):
        tag.decompose()
    for tag in soup.select("[lang]"):
        if tag.name != "html" and tag.get("lang") != lang:
            tag.decompose()
    for tag in soup.select("a[href^='/id/'], a[href^='/def/'], a[href^='http'], .kg-nodelist, "
                           ".iri, .lang-switch, .kind-page-nyhet h1, .entity-head h1"):
        tag.decompose()
    return soup.get_text(" ")


def _words(text: str) -> list[str]:
    text = re.sub(r"[\w-]+:[\w./#-]+", " ", text)  # CURIEs and IRIs are names, not words
    return [w.casefold() for w in re.findall(r"[^\W\d_]+", text)]


def _context(text: str, word: str) -> str:
    m = re.search(rf"(?i)\b{re.escape(word)}\b", text)
    return " ".join(text[max(0, m.start() - 60):m.end() + 60].split()) if m else ""


@pytest.mark.parametrize("path", PAGES)
def test_swedish_ui_has_no_english(client: Any, path: str) -> None:
    r = client.get(path, headers={**HTML, "Cookie": "lang=sv"})
    assert r.status_code in (200, 400, 404), path
    text = _ui_text(r.get_data(as_text=True), "sv")
    found = sorted({w for w in _words(text) if w in ENGLISH} - BOTH)
    assert found == [], [(w, _context(text, w)) for w in found]


#: Catalogue strings worth looking for (long enough not to be a name).
_SV_ONLY = sorted({texts["sv"] for _k, (_f, texts) in entries().items()
                   if texts.get("en") and texts["sv"] != texts["en"] and "{" not in texts["sv"]
                   and len(texts["sv"]) >= 8}, key=len, reverse=True)


@pytest.mark.parametrize("path", PAGES)
def test_english_ui_has_no_untranslated_swedish(client: Any, path: str) -> None:
    sep = "&" if "?" in path else "?"
    r = client.get(f"{path}{sep}lang=en", headers=HTML)
    assert r.status_code in (200, 400, 404), path
    text = " ".join(_ui_text(r.get_data(as_text=True), "en").split())
    text = re.sub(r'"[^"]*"|“[^”]*”|”[^”]*”', " ", text)  # a quoted value is a mention
    found = sorted({w for w in _words(text) if w in SWEDISH} - BOTH)
    strings = [s for s in _SV_ONLY if s in text]
    assert (found, strings) == ([], []), ([(w, _context(text, w)) for w in found], strings)


def test_values_in_another_language_are_marked(client: Any) -> None:
    html = client.get("/id/organisation/regionfastigheter?lang=en").get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    h1 = soup.find("h1")
    assert h1["lang"] == "sv"  # no English name: the Swedish one, marked
    sv = BeautifulSoup(client.get("/id/projekt/esamverkan").data, "html.parser")
    english = [t for t in sv.select("[lang=en]") if "EU-funded" in t.get_text()]
    assert english, "the English description is marked lang=en on the Swedish page"
