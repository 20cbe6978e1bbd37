"""UI language: strings in Swedish and English, the chosen language, labels from the data.

The language comes from ``?lang=`` (remembered in a cookie), then the cookie, then Swedish.
Templates get ``t('key')`` and ``lang``; views call :func:`t` and :func:`pick` the same way.

>>> STRINGS["sv"]["nav.search"], STRINGS["en"]["nav.search"]
('Sök', 'Search')
>>> pick({"en": ["Sollefteå Municipality"], "sv": ["Sollefteå kommun"]}, "sv")
'Sollefteå kommun'
>>> pick({"de": ["Gemeinde"]}, "sv")
'Gemeinde'
>>> pick({}, "sv", "https://data.kfvn.se/id/organisation/solleftea-kommun")
'solleftea-kommun'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import Flask, Response, g, has_request_context, request

from kg.query.labels import local_name, pick_label

__all__ = ["COOKIE", "DEFAULT_LANG", "LANGS", "STRINGS", "current_lang", "local_name", "pick",
           "register", "t"]

LANGS: tuple[str, ...] = ("sv", "en")
DEFAULT_LANG = "sv"
COOKIE = "lang"
_COOKIE_AGE = 365 * 24 * 3600

_SV: dict[str, str] = {
    "site.name": "Samverkansgrafen",
    "site.tagline": "Projekt, organisationer och personer kring Kommunförbundet Västernorrland",
    "skip": "Hoppa till innehållet",
    "nav.label": "Huvudmeny",
    "nav.search": "Sök",
    "nav.projects": "Projekt",
    "nav.organisations": "Organisationer",
    "nav.people": "Personer",
    "nav.graph": "Graf",
    "nav.analytics": "Analys",
    "nav.queries": "Frågor",
    "nav.sparql": "SPARQL",
    "nav.downloads": "Nedladdning",
    "nav.ontology": "Ontologi",
    "nav.menu": "Meny",
    "lang.label": "Språk",
    "lang.sv": "Svenska",
    "lang.en": "English",
    "footer.data": "Data",
    "footer.about": "Öppna länkade data från Kommunförbundet Västernorrlands verksamhetsberättelse "
                    "2018 och nyhetslista.",
    "footer.formats": "Den här sidan som data",
    "search.label": "Sök projekt, organisationer, personer och begrepp",
    "search.placeholder": "t.ex. eSamverkan, Sollefteå, hållbart arbetsliv",
    "search.button": "Sök",
    "search.title": "Sök",
    "search.results": "Träffar för ”{q}”",
    "search.browse": "Alla",
    "search.none": "Inga träffar. Pröva ett kortare ord eller ta bort ett filter.",
    "search.count": "{n} träffar",
    "search.filters": "Avgränsa",
    "search.type": "Typ",
    "search.theme": "Tema",
    "search.year": "År",
    "search.all": "Alla",
    "search.apply": "Visa",
    "search.more": "Visa fler",
    "search.suggestions": "Förslag",
    "home.title": "Start",
    "home.intro": "Samverkansgrafen samlar projekten, organisationerna och personerna kring "
                  "Kommunförbundet Västernorrland: vem som deltog, med vilken roll, vem som "
                  "finansierade och vad som blev resultatet, med källan till varje uppgift.",
    "home.counts": "Innehåll",
    "home.entry": "Börja här",
    "home.connected": "Flest kopplingar",
    "home.links": "Gå vidare",
    "home.triples": "{n} tripplar i {g} namngivna grafer",
    "entity.facts": "Uppgifter",
    "entity.all_facts": "Alla uppgifter",
    "entity.incoming": "Länkar hit",
    "entity.property": "Egenskap",
    "entity.value": "Värde",
    "entity.source": "Källa",
    "entity.sources": "Källor",
    "entity.alt": "Även kallad",
    "entity.types": "Typ",
    "entity.iri": "IRI",
    "entity.partners": "Deltagare och roller",
    "entity.fundings": "Finansiering",
    "entity.results": "Resultat",
    "entity.themes": "Teman",
    "entity.places": "Platser",
    "entity.news": "Nyheter",
    "entity.projects": "Projekt",
    "entity.posts": "Uppdrag",
    "entity.people": "Personer och uppdrag",
    "entity.copartners": "Samarbetspartner i projekt",
    "entity.funded": "Finansiering som organisationen gett",
    "entity.appointed": "Uppdrag som organisationen utsett",
    "entity.memberships": "Medlemskap",
    "entity.members": "Medlemmar",
    "entity.organisation": "Organisation",
    "entity.project": "Projekt",
    "entity.person": "Person",
    "entity.role": "Roll",
    "entity.no_role": "Utan angiven roll",
    "entity.period": "Period",
    "entity.year": "År",
    "entity.funder": "Finansiär",
    "entity.programme": "Program/fond",
    "entity.amount": "Belopp",
    "entity.status": "Status",
    "entity.body": "Organ",
    "entity.appointed_by": "Utsedd av",
    "entity.shared": "Gemensamma projekt",
    "entity.more": "Visa fler",
    "entity.page": "Sida {n}",
    "entity.prev": "Föregående",
    "entity.next": "Nästa",
    "entity.data": "Data",
    "entity.graph": "Visa i grafen",
    "entity.value_of": "Mätvärde",
    "entity.inferred": "härlett",
    "entity.none": "Inga uppgifter.",
    "kind.projekt": "Projekt",
    "kind.organisation": "Organisation",
    "kind.person": "Person",
    "kind.begrepp": "Begrepp",
    "kind.plats": "Plats",
    "kind.nyhet": "Nyhet",
    "kind.kalla": "Källa",
    "kind.ontologi": "Ontologi",
    "kind.relation": "Relation",
    "kind.ovrigt": "Övrigt",
    "kinds.projekt": "Projekt",
    "kinds.organisation": "Organisationer",
    "kinds.person": "Personer",
    "kinds.begrepp": "Begrepp",
    "kinds.plats": "Platser",
    "kinds.nyhet": "Nyheter",
    "kinds.kalla": "Källor",
    "kinds.ontologi": "Ontologi",
    "kinds.relation": "Relationer",
    "kinds.ovrigt": "Övrigt",
    "error.title": "Något gick fel",
    "error.400": "Felaktig begäran",
    "error.404": "Sidan finns inte",
    "error.405": "Metoden är inte tillåten",
    "error.406": "Formatet kan inte levereras",
    "error.500": "Ett internt fel inträffade",
    "error.503": "Tjänsten är tillfälligt upptagen",
    "error.offered": "Tillgängliga format",
    "error.suggest": "Menade du",
    "error.home": "Till startsidan",
    "error.logged": "Felet har loggats. Pröva igen om en stund.",
    "downloads.title": "Nedladdning",
    "downloads.intro": "Hela grafen som fil, i alla vanliga RDF-format. Filerna skapas en gång "
                       "per dataversion.",
    "downloads.format": "Format",
    "downloads.file": "Fil",
    "downloads.media": "Medietyp",
    "downloads.size": "Storlek",
    "downloads.void": "Beskrivning av datamängden (VoID/DCAT)",
    "downloads.sparql": "SPARQL-slutpunkt",
    "downloads.counts": "{n} tripplar om {e} entiteter",
    "downloads.caption": "Hela grafen, ett format per rad",
    "downloads.with_graphs": "med namngivna grafer",
    "downloads.more": "Mer",
    "downloads.dataset": "Datamängd",
    "downloads.graphs": "Namngivna grafer",
    "downloads.classes": "Klasser (void:classPartition)",
    "ontology.title": "Ontologi",
    "ontology.classes": "Klasser",
    "ontology.properties": "Egenskaper",
    "ontology.schemes": "Begreppsscheman",
    "ontology.concepts": "Begrepp",
    "ontology.definition": "Definition",
    "ontology.term": "Term",
    "ontology.sub": "Underklass till",
    "ontology.domain": "Domän",
    "ontology.range": "Värdemängd",
    "ontology.toc": "Innehåll",
    "ontology.comment": "Kommentar",
    "ontology.subprop": "Underegenskap till",
    "ontology.broader": "Bredare begrepp",
    "ontology.page": "Egen sida",
    "ontology.version": "version",
    # graph views and analytics (webapp/views/graph.py, analytics.py)
    "graph.title": "Graf",
    "graph.explorer": "Hela grafen",
    "graph.explorer_intro": "Projekt, organisationer och personer och hur de hänger ihop. "
                            "Klicka på en nod för att öppna dess sida; dra för att flytta, "
                            "scrolla för att zooma.",
    "graph.neighbourhood": "Grannskap i grafen",
    "graph.neighbourhood_of": "Grannskapet kring {label}",
    "graph.hops": "Steg ut",
    "graph.hop": "{n} steg",
    "graph.legend": "Teckenförklaring",
    "graph.nodes_list": "Noderna som lista ({n})",
    "graph.truncated": "Visar de {n} mest sammankopplade noderna.",
    "graph.count": "{nodes} noder och {edges} kopplingar",
    "graph.filter": "Filtrera",
    "graph.types": "Visa",
    "graph.theme": "Tema",
    "graph.year": "År",
    "graph.municipality": "Kommun",
    "graph.all": "Alla",
    "graph.apply": "Visa",
    "graph.reset": "Återställ",
    "graph.empty": "Inga noder matchar filtret.",
    "graph.open_full": "Öppna som stor graf",
    "graph.fit": "Visa allt",
    "graph.canvas": "Nätverksgraf; samma noder finns i listan nedan",
    "graph.noscript": "Grafen ritas med JavaScript; listan nedan visar samma noder.",
    "graph.type.project": "Projekt",
    "graph.type.organisation": "Organisation",
    "graph.type.municipality": "Kommun",
    "graph.type.person": "Person",
    "graph.type.concept": "Tema",
    "analytics.title": "Analys",
    "analytics.intro": "Nätverksmått över hela grafen, beräknade en gång per dataversion.",
    "analytics.connected": "Mest sammankopplade organisationer",
    "analytics.connected_help": "Antal olika projekt, organisationer och personer som "
                                "organisationen är direkt kopplad till.",
    "analytics.brokers": "Brobyggare",
    "analytics.brokers_help": "Organisationer och personer som ligger på många av de kortaste "
                              "vägarna mellan andra (betweenness-centralitet, 0–1).",
    "analytics.sampled": "Uppskattat från {k} slumpvis valda startpunkter.",
    "analytics.communities": "Samarbetsgrupper",
    "analytics.communities_help": "Organisationer som ofta deltar i samma projekt "
                                  "(Louvain-metoden på grafen över gemensamma projekt).",
    "analytics.community": "Grupp {n}: {size} organisationer",
    "analytics.shared": "Gemensamma projekt",
    "analytics.matrix": "Samverkan mellan kommuner",
    "analytics.matrix_help": "Antal projekt som två kommuner deltar i tillsammans. Diagonalen "
                             "visar kommunens eget antal projekt.",
    "analytics.funding": "Finansiering",
    "analytics.by_funder": "Per finansiär",
    "analytics.by_year": "Per år",
    "analytics.total": "Totalt {amount} i {n} finansieringar.",
    "analytics.not_counted": "{n} finansieringar som inte beviljats eller bara sökts ({amount}) "
                             "räknas inte med.",
    "analytics.without_amount": "{n} finansieringar saknar belopp.",
    "analytics.rank": "Nr",
    "analytics.name": "Namn",
    "analytics.type": "Typ",
    "analytics.degree": "Kopplingar",
    "analytics.projects": "Projekt",
    "analytics.people": "Personer",
    "analytics.score": "Betweenness",
    "analytics.grants": "Finansieringar",
    "analytics.amount": "Belopp",
    "analytics.none": "Inga uppgifter ännu.",
    "analytics.computed": "Beräknat på {seconds} s för dataversion {version}.",
    "analytics.path_link": "Hur hänger två aktörer ihop?",
    "analytics.toc": "På sidan",
    "path.title": "Hur hänger de ihop?",
    "path.intro": "Välj två projekt, organisationer eller personer för att se de kortaste "
                  "kedjorna av projekt, roller och uppdrag mellan dem.",
    "path.from": "Från",
    "path.to": "Till",
    "path.find": "Visa kopplingar",
    "path.hint": "Skriv några bokstäver och välj i listan.",
    "path.none": "Det finns ingen koppling mellan {a} och {b} i grafen.",
    "path.found": "Kortaste vägen: {steps} steg ({n} vägar)",
    "path.path": "Väg {n}",
    "path.same": "Välj två olika aktörer.",
    "path.missing": "Ange både ”från” och ”till”.",
}

_EN: dict[str, str] = {
    "site.tagline": "Projects, organisations and people around Kommunförbundet Västernorrland",
    "skip": "Skip to content",
    "nav.label": "Main menu",
    "nav.search": "Search",
    "nav.projects": "Projects",
    "nav.organisations": "Organisations",
    "nav.people": "People",
    "nav.graph": "Graph",
    "nav.analytics": "Analytics",
    "nav.queries": "Queries",
    "nav.downloads": "Downloads",
    "nav.ontology": "Ontology",
    "nav.menu": "Menu",
    "lang.label": "Language",
    "footer.about": "Open linked data from the 2018 annual report and news list of "
                    "Kommunförbundet Västernorrland.",
    "footer.formats": "This page as data",
    "search.label": "Search projects, organisations, people and concepts",
    "search.placeholder": "e.g. eSamverkan, Sollefteå, hållbart arbetsliv",
    "search.button": "Search",
    "search.title": "Search",
    "search.results": "Results for “{q}”",
    "search.browse": "All",
    "search.none": "No results. Try a shorter word or remove a filter.",
    "search.count": "{n} results",
    "search.filters": "Narrow down",
    "search.type": "Type",
    "search.theme": "Theme",
    "search.year": "Year",
    "search.all": "All",
    "search.apply": "Show",
    "search.more": "Show more",
    "search.suggestions": "Suggestions",
    "home.title": "Home",
    "home.intro": "Samverkansgrafen brings together the projects, organisations and people "
                  "around Kommunförbundet Västernorrland: who took part, in what role, who "
                  "paid and what came of it, with the source of every fact.",
    "home.counts": "Contents",
    "home.entry": "Start here",
    "home.connected": "Most connected",
    "home.links": "Go further",
    "home.triples": "{n} triples in {g} named graphs",
    "entity.facts": "Facts",
    "entity.all_facts": "All facts",
    "entity.incoming": "Links to this",
    "entity.property": "Property",
    "entity.value": "Value",
    "entity.source": "Source",
    "entity.sources": "Sources",
    "entity.alt": "Also known as",
    "entity.types": "Type",
    "entity.partners": "Participants and roles",
    "entity.fundings": "Funding",
    "entity.results": "Results",
    "entity.themes": "Themes",
    "entity.places": "Places",
    "entity.news": "News",
    "entity.projects": "Projects",
    "entity.posts": "Posts",
    "entity.people": "People and posts",
    "entity.copartners": "Partners in projects",
    "entity.funded": "Funding given",
    "entity.appointed": "Posts this organisation appointed",
    "entity.memberships": "Memberships",
    "entity.members": "Members",
    "entity.organisation": "Organisation",
    "entity.project": "Project",
    "entity.person": "Person",
    "entity.role": "Role",
    "entity.no_role": "No role stated",
    "entity.period": "Period",
    "entity.year": "Year",
    "entity.funder": "Funder",
    "entity.programme": "Programme/fund",
    "entity.amount": "Amount",
    "entity.body": "Body",
    "entity.appointed_by": "Appointed by",
    "entity.shared": "Shared projects",
    "entity.more": "Show more",
    "entity.page": "Page {n}",
    "entity.prev": "Previous",
    "entity.next": "Next",
    "entity.graph": "Show in the graph",
    "entity.value_of": "Figure",
    "entity.inferred": "inferred",
    "entity.none": "No facts.",
    "kind.projekt": "Project",
    "kind.person": "Person",
    "kind.begrepp": "Concept",
    "kind.plats": "Place",
    "kind.nyhet": "News item",
    "kind.kalla": "Source",
    "kind.ontologi": "Ontology",
    "kind.relation": "Relation",
    "kind.ovrigt": "Other",
    "kinds.projekt": "Projects",
    "kinds.organisation": "Organisations",
    "kinds.person": "People",
    "kinds.begrepp": "Concepts",
    "kinds.plats": "Places",
    "kinds.nyhet": "News",
    "kinds.kalla": "Sources",
    "kinds.ontologi": "Ontology",
    "kinds.relation": "Relations",
    "kinds.ovrigt": "Other",
    "error.title": "Something went wrong",
    "error.400": "Bad request",
    "error.404": "Page not found",
    "error.405": "Method not allowed",
    "error.406": "Format not available",
    "error.500": "An internal error occurred",
    "error.503": "The service is busy",
    "error.offered": "Available formats",
    "error.suggest": "Did you mean",
    "error.home": "Back to the home page",
    "error.logged": "The error has been logged. Please try again in a moment.",
    "downloads.title": "Downloads",
    "downloads.intro": "The whole graph as a file, in every common RDF format. The files are "
                       "made once per data version.",
    "downloads.file": "File",
    "downloads.media": "Media type",
    "downloads.size": "Size",
    "downloads.void": "Description of the dataset (VoID/DCAT)",
    "downloads.sparql": "SPARQL endpoint",
    "downloads.counts": "{n} triples about {e} entities",
    "downloads.caption": "The whole graph, one format per row",
    "downloads.with_graphs": "with named graphs",
    "downloads.more": "More",
    "downloads.dataset": "Dataset",
    "downloads.graphs": "Named graphs",
    "downloads.classes": "Classes (void:classPartition)",
    "ontology.title": "Ontology",
    "ontology.classes": "Classes",
    "ontology.properties": "Properties",
    "ontology.schemes": "Concept schemes",
    "ontology.concepts": "Concepts",
    "ontology.sub": "Subclass of",
    "ontology.domain": "Domain",
    "ontology.range": "Range",
    "ontology.toc": "Contents",
    "ontology.comment": "Comment",
    "ontology.subprop": "Subproperty of",
    "ontology.broader": "Broader concept",
    "ontology.page": "Own page",
    # graph views and analytics (webapp/views/graph.py, analytics.py)
    "graph.title": "Graph",
    "graph.explorer": "The whole graph",
    "graph.explorer_intro": "Projects, organisations and people and how they connect. Click "
                            "a node to open its page; drag to move, scroll to zoom.",
    "graph.neighbourhood": "Neighbourhood in the graph",
    "graph.neighbourhood_of": "The neighbourhood of {label}",
    "graph.hops": "Steps out",
    "graph.hop": "{n} step(s)",
    "graph.legend": "Legend",
    "graph.nodes_list": "The nodes as a list ({n})",
    "graph.truncated": "Showing the {n} most connected nodes.",
    "graph.count": "{nodes} nodes and {edges} links",
    "graph.filter": "Filter",
    "graph.types": "Show",
    "graph.theme": "Theme",
    "graph.year": "Year",
    "graph.municipality": "Municipality",
    "graph.all": "All",
    "graph.apply": "Show",
    "graph.reset": "Reset",
    "graph.empty": "No nodes match the filter.",
    "graph.open_full": "Open as a large graph",
    "graph.fit": "Fit to view",
    "graph.canvas": "Network graph; the same nodes are in the list below",
    "graph.noscript": "The graph is drawn with JavaScript; the list below shows the same nodes.",
    "graph.type.project": "Project",
    "graph.type.organisation": "Organisation",
    "graph.type.municipality": "Municipality",
    "graph.type.person": "Person",
    "graph.type.concept": "Theme",
    "analytics.title": "Analytics",
    "analytics.intro": "Network measures over the whole graph, computed once per data version.",
    "analytics.connected": "Most connected organisations",
    "analytics.connected_help": "Number of distinct projects, organisations and people the "
                                "organisation is directly linked to.",
    "analytics.brokers": "Brokers",
    "analytics.brokers_help": "Organisations and people on many of the shortest paths between "
                              "others (betweenness centrality, 0–1).",
    "analytics.sampled": "Estimated from {k} randomly chosen sources.",
    "analytics.communities": "Communities of collaborators",
    "analytics.communities_help": "Organisations that often take part in the same projects "
                                  "(Louvain method on the graph of shared projects).",
    "analytics.community": "Group {n}: {size} organisations",
    "analytics.shared": "Shared projects",
    "analytics.matrix": "Collaboration between municipalities",
    "analytics.matrix_help": "Number of projects two municipalities take part in together. The "
                             "diagonal shows each municipality's own number of projects.",
    "analytics.funding": "Funding",
    "analytics.by_funder": "By funder",
    "analytics.by_year": "By year",
    "analytics.total": "In total {amount} in {n} grants.",
    "analytics.not_counted": "{n} grants not granted or only applied for ({amount}) are not "
                             "counted.",
    "analytics.without_amount": "{n} grants have no amount.",
    "analytics.rank": "No.",
    "analytics.name": "Name",
    "analytics.type": "Type",
    "analytics.degree": "Links",
    "analytics.projects": "Projects",
    "analytics.people": "People",
    "analytics.grants": "Grants",
    "analytics.amount": "Amount",
    "analytics.none": "No data yet.",
    "analytics.computed": "Computed in {seconds} s for data version {version}.",
    "analytics.path_link": "How are two actors connected?",
    "analytics.toc": "On this page",
    "path.title": "How are they connected?",
    "path.intro": "Choose two projects, organisations or people to see the shortest chains of "
                  "projects, roles and posts between them.",
    "path.from": "From",
    "path.to": "To",
    "path.find": "Show connections",
    "path.hint": "Type a few letters and pick from the list.",
    "path.none": "There is no connection between {a} and {b} in the graph.",
    "path.found": "Shortest path: {steps} step(s) ({n} paths)",
    "path.path": "Path {n}",
    "path.same": "Choose two different actors.",
    "path.missing": "Give both “from” and “to”.",
}

#: UI strings per language; English falls back to Swedish key by key.
STRINGS: dict[str, dict[str, str]] = {"sv": _SV, "en": {**_SV, **_EN}}


def _choose_lang() -> str:
    asked = request.args.get("lang", "")
    if asked in LANGS:
        return asked
    saved = request.cookies.get(COOKIE, "")
    return saved if saved in LANGS else DEFAULT_LANG


def current_lang() -> str:
    """The language of the current request (Swedish outside a request)."""
    if not has_request_context():
        return DEFAULT_LANG
    if "lang" not in g:
        g.lang = _choose_lang()
    lang: str = g.lang
    return lang


def t(key: str, **values: Any) -> str:
    """The UI string ``key`` in the current language, with ``{name}`` fields filled in.

    An unknown key comes back as itself, so a missing string shows, never breaks a page.
    """
    text = STRINGS.get(current_lang(), _SV).get(key, key)
    return text.format(**values) if values else text


def pick(labels: Mapping[str, Sequence[str]], lang: str | None = None, iri: str = "") -> str:
    """One label in ``lang`` (default: the current language), falling back to Swedish,
    English, any language, then the IRI's local name (see :func:`kg.query.labels.pick_label`).
    """
    return pick_label(labels, lang or current_lang(), iri)


def _remember_lang(response: Response) -> Response:
    asked = request.args.get("lang", "")
    if asked in LANGS and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=_COOKIE_AGE, samesite="Lax", httponly=True)
    response.vary.add("Cookie")  # the language (labels, UI strings) may come from the cookie
    return response


def register(app: Flask) -> None:
    """Install the language choice, the cookie and the Jinja globals ``t`` and ``lang``."""
    app.after_request(_remember_lang)
    app.jinja_env.globals["t"] = t

    @app.context_processor
    def _lang_context() -> dict[str, Any]:
        return {"lang": current_lang(), "langs": LANGS}
