"""What a harvester does with the defects of a real source's record: absent-looking values
(template placeholders, "", '""', N/A) read as absent, HTML read as text, texts mapped to EU
data themes by a word table (docs/harvest-themes.md), and every defect noted as an issue the
dataset carries in `quality_issues` (review/issues.py) instead of refusing the record."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, ClassVar

from ckanext.smartregion.review import issues as stored_issues

PROVISIONAL_THEME = "OP_DATPRO"
_PLACEHOLDER = re.compile(r"^\{\{.*\}\}$", re.S)
_ABSENT = {
    "",
    '""',
    "''",
    "n/a",
    "na",
    "n.a.",
    "none",
    "null",
    "nil",
    "undefined",
    "-",
    "--",
    "tbd",
    "unknown",
    "neuvedeno",
    "není",
    "nevyplněno",
}
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def present(value: Any) -> str | None:
    """The text of a value, or None when it only looks like one: a template placeholder
    ({{description}}), an empty or quoted-empty string, N/A and the like."""
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    if _PLACEHOLDER.match(text) or text.casefold() in _ABSENT:
        return None
    return text


class _TextParser(HTMLParser):
    BLOCKS: ClassVar[set[str]] = {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
    }
    SKIP: ClassVar[set[str]] = {"script", "style"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS and tag != "li":  # items: one per line
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def is_html(text: str) -> bool:
    return bool(_TAG.search(text))


def clean_text(value: Any) -> str | None:
    """A text field's value as plain text: HTML tags dropped (paragraphs and list items kept
    as lines), entities decoded, blank lines collapsed; None when absent."""
    text = present(value)
    if text is None:
        return None
    if is_html(text):
        parser = _TextParser()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    else:
        text = html.unescape(text)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return present(text)


def fold(text: str) -> str:
    """Casefolded, without diacritics: "Životní" → "zivotni"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Czech and English word stems → EU data theme (docs/harvest-themes.md lists the same table).
# A stem matches the start of a word of a keyword, theme or group name, without diacritics.
THEME_WORDS: dict[str, tuple[str, ...]] = {
    "AGRI": ("zemedel", "lesnic", "lesy", "lesni", "rybar", "rybolov", "potravin", "agri", "farm",
             "forest", "fisher", "food", "myslivost", "zemedelstvi"),
    "ECON": ("ekonom", "financ", "rozpoc", "dotac", "dane", "danov", "podnik", "obchod", "econom",
             "budget", "tax", "business", "trade", "zamestnan", "nezamestnan",
             "cestovni ruch", "turis", "tourism"),
    "EDUC": ("skol", "vzdelav", "kultur", "sport", "muze", "knihov", "pamat", "divadl",
             "education", "school", "culture", "museum", "library", "heritage", "volny cas"),
    "ENER": ("energ", "elektr", "plyn", "teplo", "obnovitel", "energy", "electric",
             "solar", "fotovolt"),
    "ENVI": ("zivotni prostredi", "prostred", "ovzdusi", "odpad", "voda", "vodni", "priroda",
             "prirod", "klima", "hluk", "environment", "waste", "water", "air quality",
             "nature", "climate", "ekolog", "chranen"),
    "GOVE": ("urad", "samosprav", "verejn", "volb", "zastupitel", "smlouv",
             "zakazk", "government", "public sector", "election", "council", "procurement",
             "administra", "sprava", "organizac"),
    "HEAL": ("zdrav", "nemocnic", "lekar", "lekarn", "covid", "health", "hospital",
             "medic", "pharma", "socialni sluzb"),
    "INTR": ("mezinarod", "zahranic", "eu fond", "international", "foreign"),
    "JUST": ("bezpec", "polici", "hasic", "krimin", "soud", "pravo", "nehod", "justice",
             "safety", "police", "crime", "court", "integrovany zachranny", "krizov"),
    "REGI": ("region", "mest", "obec", "obce", "kraj", "uzemn", "planovan", "katastr",
             "adres", "budov", "city", "municipal", "urban", "spatial planning", "zoning",
             "mapa", "map"),
    "SOCI": ("obyvatel", "demograf", "socialn", "spolecnost", "bydlen", "senior",
             "population", "census", "social", "housing", "rodin"),
    "TECH": ("vyzkum", "veda", "technolog", "inovac", "digital", "informat", "science",
             "research", "technology", "innovation", "internet", "telekomun"),
    "TRAN": ("doprav", "silnic", "cyklo", "autobus", "vlak", "zeleznic", "parkov",
             "zastav", "komunikac", "transport", "traffic", "road", "bus", "rail",
             "parking", "mhd", "letist"),
}  # fmt: skip
_STEMS = sorted(
    ((stem, code) for code, stems in THEME_WORDS.items() for stem in stems),
    key=lambda pair: -len(pair[0]),
)


def themes_from_words(texts: list[str]) -> list[str]:
    """EU data-theme codes of texts by the word table, most matched first."""
    counts: dict[str, int] = {}
    for text in texts:
        words = fold(text)
        tokens = re.findall(r"\w+", words)
        for stem, code in _STEMS:
            hit = stem in words if " " in stem else any(t.startswith(stem) for t in tokens)
            if hit:
                counts[code] = counts.get(code, 0) + 1
    return sorted(counts, key=lambda code: -counts[code])


@dataclass
class RecordIssues:
    """The issues of one record as a harvest job finds them (review/issues.py stores them)."""

    job_id: str | None = None
    items: list[dict[str, Any]] = field(default_factory=list)

    def add(
        self,
        field_name: str,
        code: str,
        params: dict[str, Any] | None = None,
        kind: str = "missing",
        blocks_catalogue: bool = False,
    ) -> None:
        """Notes the problem `code` (review/issues.py MESSAGES) with its parameters; the
        English problem and fix are stored beside them, pages translate them when shown."""
        problem, fix = stored_issues.texts(code, params)
        if any(i["field"] == field_name and i["problem"] == problem for i in self.items):
            return
        self.items.append(
            {
                "field": field_name,
                "kind": kind,
                "code": code,
                "params": dict(params or {}),
                "problem": problem,
                "fix": fix,
                "harvest_job": self.job_id,
                "blocks_catalogue": blocks_catalogue,
            }
        )

    def fields(self) -> set[str]:
        return {i["field"] for i in self.items}
