"""The one catalogue of UI text and error messages (kg/i18n/catalogue/*.toml)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.config import REPO_ROOT
from kg.errors import KgError, QuerySyntaxError
from kg.i18n import catalogue, entries, formats, translate

#: Keys whose text is the same in both languages on purpose (names, codes).
SAME_IN_BOTH = {"site.name", "nav.sparql", "lang.sv", "lang.en", "entity.iri", "results.time",
                "footer.data", "ontology.term", "ontology.version", "entity.status",
                "entity.data", "kind.organisation", "downloads.format", "ontology.definition",
                "entity.organisation", "entity.person", "entity.period", "graph.type.organisation",
                "graph.type.person", "kind.person", "kind.relation", "path.comma",
                "ingest.field.status", "ingest.kind.organisation", "ingest.kind.person",
                "ingest.proposal_kind.period", "ingest.proposal_kind.status",
                "ingest.kind.program", "ingest.err.on_proposal"}
#: t("key"), SomeError.of("key", ...), Message("key", ...), Refused("key", ...) (the ingest worker)
_KEY_IN_CODE = re.compile(r"""\b(?:t|of|Message|Refused)\(\s*["']([a-z_]+(?:\.[a-z0-9_]+)+)["']""")


def used_keys() -> set[str]:
    found: set[str] = set()
    for folder in ("webapp", "kg"):
        for path in Path(REPO_ROOT, folder).rglob("*"):
            if path.suffix in (".html", ".py", ".js"):
                found |= set(_KEY_IN_CODE.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_entry_has_swedish_and_english() -> None:
    missing = [k for k, (_f, texts) in entries().items() if "en" not in texts]
    assert missing == []


def test_english_is_translated_where_it_should_be() -> None:
    same = {k for k, (_f, texts) in entries().items() if texts["sv"] == texts["en"]}
    assert same <= SAME_IN_BOTH, sorted(same - SAME_IN_BOTH)


def test_every_key_the_code_uses_is_in_the_catalogue() -> None:
    assert sorted(used_keys() - set(catalogue()["sv"])) == []


def test_fields_match_between_languages() -> None:
    field = re.compile(r"\{(\w+)")
    for key, (_f, texts) in entries().items():
        assert set(field.findall(texts["sv"])) == set(field.findall(texts["en"])), key


def test_errors_speak_the_page_language() -> None:
    err = KgError.of("error.param.year", name="ar")
    assert "årtal" in str(err) and "year" in err.text("en")
    syntax = QuerySyntaxError("expected }", 2, 7)
    assert syntax.text("sv").startswith("SPARQL-frågan har ett syntaxfel på rad 2, kolumn 7")
    assert "line 2, column 7: expected }" in syntax.text("en")


def test_unknown_key_shows_itself() -> None:
    assert translate("finns.inte") == "finns.inte"


@pytest.mark.parametrize(("lang", "expected"), [("sv", "3\xa0000\xa0000 kr"), ("en", "SEK\xa03,000,000")])
def test_amounts_by_babel(lang: str, expected: str) -> None:
    assert formats.amount("3000000", lang=lang) == expected


def test_english_ui_has_no_swedish_only_strings(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/?lang=en").get_data(as_text=True)
    for text in ("Sök", "Organisationer", "Nedladdning"):
        assert f">{text}<" not in page
