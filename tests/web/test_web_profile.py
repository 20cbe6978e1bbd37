"""Profiles that answer: an organisation page opens with a summary and one projects table
(role, period, status as of its source, funders, partners); a project page reads as a fact
sheet; roles are explained; the plumbing stays out; the footer names licence, publisher and
what the data covers."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup

BASE = "https://data.kfvn.se/"


def soup(data: bytes) -> BeautifulSoup:
    return BeautifulSoup(data, "html.parser")


def test_organisation_profile_answers_the_grant_writers_question(client: Any) -> None:
    d = client.get("/id/organisation/solleftea-kommun.json").get_json()
    prof = d["profile"]
    s = prof["summary"]
    assert s["projects"] == len(prof["projects"]) >= 5
    assert {"Tillväxtverket", "Skolverket"} <= {f["label"] for f in s["funders"]}
    assert s["partners"] >= 10 and s["amount"] and s["years"][0] <= 2016
    rows = {r["project"]["label"]: r for r in prof["projects"]}
    esam = rows["eSamverkan"]
    assert [r["label"] for r in esam["roles"]] == ["samarbetspartner"]
    assert [f["label"] for f in esam["funders"]] == ["Tillväxtverket"]
    assert "Sundsvalls kommun" in {p["label"] for p in esam["partners"]}
    # the 2018 report said "pågående"; the end date has passed: ended, derived, as of 2018
    assert esam["status"]["label"] == "pågående" and esam["status"]["as_of"] == "2018"
    assert esam["status"]["derived"]["label"] == "avslutat"
    # 4,5 miljoner (2022) + "cirka 4,8 miljoner" (2023): the sum is approximate, and says so
    lar = rows["Lärcentrum – gemensam statsbidragsansökan"]
    assert lar["amount"] == "9300000" and lar["amount_approximate"] and s["amount_approximate"]
    assert not rows["TEO – Tillgängliga e-tjänster för offentlig sektor"]["amount_approximate"]
    page = soup(client.get("/id/organisation/solleftea-kommun").data)
    cell = page.select_one("#projekttabell a[href='/id/projekt/larcentrum-gemensam-statsbidragsansokan']")
    assert "cirka 9" in " ".join(cell.find_parent("tr").get_text(" ").split())
    roles = {r["label"]: r for r in prof["roles"]}
    assert roles["deltagare"]["definition"]  # plain-language explanation from the vocabulary
    assert sum(y["count"] for y in prof["timeline"]["years"]) >= 1


def test_organisation_page_layout(client: Any) -> None:
    page = soup(client.get("/id/organisation/kommunforbundet-vasternorrland").data)
    head = page.select_one("header.entity-head")
    assert not head.select("a[href^='/def/kfv'], a[href*='schema.org'], a[href*='/ns/org']")
    assert page.select_one(".summary-cards") is not None
    assert page.select_one("nav.page-toc a[href='#s-projekt']") is not None
    tables = page.select("#s-projekt ~ div table, section#s-projekt table, #projekttabell")
    assert len(page.select("#projekttabell")) == 1 and tables
    heads = [th.get_text(strip=True) for th in page.select("#projekttabell thead th")]
    assert heads == ["Projekt", "Roll", "Period", "Status", "Finansiärer", "Partner"]
    rows = page.select("#projekttabell tbody tr")
    # projects only (events have their own section); rows past the first 25 fold away
    assert len(rows) >= 15 and sum(1 for r in rows if r.has_attr("data-more")) == max(
        0, len(rows) - 25)
    assert page.select_one("nav.page-toc a[href='#s-evenemang']") is not None
    project_links = {a["href"] for a in page.select("#projekttabell tbody a[href^='/id/']")}
    assert not any(h.startswith("/id/evenemang/") for h in project_links)
    assert page.select("#s-evenemang ~ div a[href^='/id/evenemang/'], "
                       "section[aria-labelledby=s-evenemang] a[href^='/id/evenemang/']")
    assert page.select(".role-filter button[data-role]")
    assert page.select_one(".role-help dl dt") is not None
    folded = page.select_one("details.all-facts")
    assert folded is not None and not folded.has_attr("open")
    assert "exempelresurs" not in page.get_text().lower()
    assert page.select_one("a[href^='/analys/vag?fran=']") is not None
    links = {a["href"] for a in page.select("section[aria-labelledby=s-fragor] a")}
    assert any(h.startswith("/fragor/samarbetspartner?organisation=") for h in links)
    assert page.select_one("a[href^='/projekt.xlsx?deltagare=']") is not None


def test_municipality_links_to_its_saved_query(client: Any) -> None:
    page = soup(client.get("/id/organisation/solleftea-kommun").data)
    links = {a["href"] for a in page.select("section[aria-labelledby=s-fragor] a")}
    assert "/fragor/kommunens-projekt?kommun=organisation%3Asolleftea-kommun" in links


def test_project_reads_as_a_fact_sheet(client: Any) -> None:
    page = soup(client.get("/id/projekt/esamverkan").data)
    sheet = page.select_one(".fact-sheet dl")
    text = " ".join(sheet.get_text(" ").split())
    assert "avslutat" in text and "härlett" in text and "30 september 2019" in text
    assert "pågående" in text  # what the source said, kept
    assert "Tillväxtverket" in text and "Kommunförbundet Västernorrland" in text
    assert page.select_one("#s-deltagare ~ * .role-help, section .role-help") is not None
    en = soup(client.get("/id/projekt/esamverkan?lang=en").data)
    assert "derived" in en.select_one(".fact-sheet").get_text()


def test_footer_names_licence_publisher_and_coverage(client: Any) -> None:
    for path in ("/", "/id/projekt/teo", "/graf"):
        foot = soup(client.get(path).data).select_one("footer")
        assert foot.select_one("a[rel=license]")["href"].startswith("https://creativecommons.org/")
        assert "CC BY 4.0" in foot.get_text() and "Kommunförbundet Västernorrland" in foot.get_text()
        assert "Verksamhetsberättelse 2018" in foot.get_text()
    en = soup(client.get("/?lang=en").data).select_one("footer").get_text()
    assert "Licence" in en and "Later events are not included." in en


def test_dataset_page_is_readable(client: Any) -> None:
    page = soup(client.get("/dataset", headers={"Accept": "text/html"}).data)
    text = page.get_text(" ")
    assert "Utgivare" in text and "CC BY 4.0" in text and "Verksamhetsberättelse 2018" in text
    assert "void:triples" not in page.select_one("dl.facts").get_text()


def test_a_hub_profile_carries_its_latest_projects_only(client: Any, monkeypatch: Any) -> None:
    """An organisation in thousands of projects gets the latest few hundred on its page (a
    page of megabytes otherwise) and is told where all of them are."""
    from kg.query import profile
    from webapp import pagecache

    url = "/id/organisation/kommunforbundet-vasternorrland"
    twin = client.get(url + ".json").get_json()["profile"]
    total = len(twin["projects"])
    assert twin["project_count"] == total == twin["summary"]["projects"]
    monkeypatch.setattr(profile, "MAX_ROWS", 5)
    pagecache.PAGES.clear()
    try:
        page = soup(client.get(url).data)
    finally:
        pagecache.PAGES.clear()
    assert total > 5 and len(page.select("#projekttabell tbody tr")) == 5
    note = page.select_one(".profile-projects p.muted").get_text()
    assert "5 senaste" in note and str(total) in note
    assert page.select_one(".profile-projects a[href^='/projekt?deltagare=']")
