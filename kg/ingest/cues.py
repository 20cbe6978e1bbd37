"""Cues in Swedish text for names the graph does not know yet: words that stop a name, titles
before people, heads of organisation and place names, and the regular expressions built from
them. Used by :mod:`kg.ingest.entities`; kept apart so the cues can be read and extended
without the finder's logic.
"""

from __future__ import annotations

import re

#: Words that stop a name ("projektet TEO har ...", "HAV – Hållbart arbetsliv sitt ...").
STOP = {
    "i", "in", "på", "av", "för", "med", "som", "och", "att", "har", "är", "var", "blir", "blev",
    "sitt", "sin", "sina", "till", "från", "vid", "efter", "under", "om", "den", "det", "de", "ett",
    "en", "nu", "när", "där", "genom", "inom", "mellan", "samt", "eller", "men", "kommer", "ska",
    "kan", "hade", "drivs", "drev", "startade", "startar", "avslutas", "går", "gick",
}
#: Titles of people, folded → the form shown.
TITLES = (
    "tf direktör", "tillförordnad direktör", "kommundirektör", "förbundsdirektör", "direktör",
    "kommunalråd", "kommunalrådet", "oppositionsråd", "oppositionsrådet", "vice ordförande",
    "ordförande", "ordföranden", "projektledare", "projektledaren", "processledare",
    "utvecklingssamordnare", "samordnare", "samordnaren", "verksamhetschef", "socialchef", "chef",
    "forskare", "socionom", "föreläsare", "ledamot", "ersättare", "representant", "rektor",
    "handläggare", "enhetschef", "ledare", "doktorand", "professor", "landshövding", "statssekreterare",
)
TITLE_WORDS = {t for t in TITLES if " " not in t}
TITLE_RE = re.compile(r"\b(?:" + "|".join(re.escape(t) for t in TITLES) + r")\b", re.IGNORECASE)
PERSON_CUE = re.compile(r"\b(?:säger|berättar|enligt|menar|konstaterar|förklarar|tycker|\w*avhandling\w*)\b",
                         re.IGNORECASE)
NAME_TOKEN = r"[A-ZÅÄÖÉÜ][a-zåäöéüë]+(?:-[A-ZÅÄÖ][a-zåäöé]+)?"
PERSON = re.compile(rf"(?<![\w-])({NAME_TOKEN})\s+((?:{NAME_TOKEN}\s+)?{NAME_TOKEN})(?![\w-])")
COUPLE = re.compile(rf"(?<![\w-])({NAME_TOKEN}) och ({NAME_TOKEN}) ({NAME_TOKEN})(?![\w-])")
PAIR = re.compile(rf"(?<![\w-])({NAME_TOKEN} {NAME_TOKEN}) och ({NAME_TOKEN} {NAME_TOKEN})(?![\w-])")
PROJECT_CUE = re.compile(
    r"(?:(?<=\s)|^)(?:[\wÅÄÖåäö]+-)?(?:[Pp]rojekt(?:et|en)?|[Ss]amverkansprojektet|[Ff]orskningsprojektet"
    r"|[Pp]ilotprojektet|ansökningarna|ansökan|[Ss]atsningen|[Kk]ampanjen|[Ii]nitiativet) +"
)
QUOTE_OPEN = "”\"“'«‘"
QUOTE_CLOSE = {"”": "”", '"': '"', "“": "”", "'": "'", "«": "»", "‘": "’"}
WORD = re.compile(r"[\wÅÄÖåäöé&+][\w&+./-]*")
APPOSITIVE = re.compile(
    rf"(?<=\s)({NAME_TOKEN}(?:\s+[a-zåäö]+){{0,3}}),\s+(?:en|ett)\s+"
    r"(?:kampanjvecka|konferens|satsning|projekt|nätverk|plattform|utbildning|seminarium|kampanj|förstudie)\b"
)
DOMAIN = re.compile(r"(?<![\w@/.])([A-Za-zÅÄÖåäö][\w-]{2,})\.(se|nu|org|com|eu|net)\b(?!\.\w)")
ACRONYM_EXPLAINED = re.compile(
    r"\b([A-ZÅÄÖ]{2,10}[0-9]?)\s*\(([A-ZÅÄÖ][^()]{5,100})\)|"
    r"((?:[A-ZÅÄÖ][\w-]*)(?:\s+(?:[\w-]+)){1,8})\s*\(([A-ZÅÄÖ]{2,10})\)"
)
ORG_HEADS = {
    "verket": "statlig-myndighet", "myndigheten": "statlig-myndighet", "styrelsen": "statlig-myndighet",
    "inspektionen": "statlig-myndighet", "förmedlingen": "statlig-myndighet", "kassan": "statlig-myndighet",
    "ombudsmannen": "statlig-myndighet", "institutet": "", "kansliet": "", "utredningen": "",
    "fonden": "", "förbundet": "", "universitetet": "universitet", "högskolan": "hogskola-utbildning",
}
ORG_HEAD = re.compile(
    r"(?<![\w-])([A-ZÅÄÖa-zåäö][a-zåäö]{2,}(?:" + "|".join(ORG_HEADS) + r"))(s?)(?![\w-])"
)
LOWERCASE_OK = ("verket", "myndigheten", "förmedlingen", "kassan", "inspektionen")
KOMMUN = re.compile(rf"(?<![\w-])({NAME_TOKEN}) kommun(?!\w)")
REGION = re.compile(rf"(?<![\w-])(Region|Länsstyrelsen(?: i)?) ({NAME_TOKEN}(?: {NAME_TOKEN})?)(?![\w-])")
UNIVERSITY = re.compile(
    rf"(?<![\w-])((?:{NAME_TOKEN}\s+){{1,3}}(?:[Uu]niversitet|[Hh]ögskola|Institutet|Institute|Akademi))(?:et|n)?(?![\w-])"
)
CLUB = re.compile(rf"(?<![\w-])({NAME_TOKEN}(?: {NAME_TOKEN})?) (IK|BK|IF|FF|HC|SK|FK)(?![\w-])")
COMPANY = re.compile(
    r"\b(?:bolaget|bostadsbolaget|företaget|föreningen|organisationen|nätverket)(?: i [A-ZÅÄÖ]\w+)?,?\s+"
    r"([A-ZÅÄÖ][\w-]*(?:\s+(?:&\s+)?[A-ZÅÄÖ][\w-]*){0,4})"
)
PLACE_HEAD = re.compile(
    rf"\b(äldreboendet|äldreboende|boendet|gården|lokalen|skolan|[Hh]otell)\s+({NAME_TOKEN}(?:\s+{NAME_TOKEN})?)"
)
PLACE_PREP = re.compile(rf"(?<=\s)(?:på|i|vid|från)\s+({NAME_TOKEN})(?![\w-]|\s+(?:kommun|län|IK|BK)\b)")
EXPANSION_ORG = re.compile(
    r"institut|network|nätverk|office|kontor|förbund|råd|council|agency|myndighet|verket|fond|fund|"
    r"universitet|university|organisation|organization|association|förening|commission|kommission",
    re.IGNORECASE,
)
#: Councils and authorities named "-rådet" ("Kulturrådet", "Vetenskapsrådet"), when the text
#: uses them as an organisation: after "från/av/hos/via/genom/till/med", or before a verb of
#: granting. Titles ("kommunalrådet", "statsrådet", see :data:`TITLES`) are not names.
COUNCIL = re.compile(
    r"(?:\b(?:från|av|hos|via|genom|till|med|och)\s+)?(?<![\w-])([A-ZÅÄÖ][a-zåäö]{3,}rådet)(s?)(?![\w-])"
    r"(?=(\s+(?:har\s+|hade\s+)?(?:beviljat?|beviljade|beviljar|finansierar|finansierade|ger|gav|gett|"
    r"stödjer|stöttar|delar ut|delade ut|fördelar|utlyser))?)"
)
COUNCIL_TITLES = frozenset({"statsrådet", "regionrådet", "landstingsrådet", "borgarrådet", "justitierådet"})
