"""The main pages in Czech carry no English text of the portal's catalogue and in English no
Czech one (record data aside): home, search of each type, a record of each type, the plan
pages, the steward dashboard, harvest and content pages."""

from __future__ import annotations

import re
from pathlib import Path

import ckan.plugins.toolkit as tk
import pytest
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

from tests import factories

PO = (
    Path(__file__).resolve().parents[2]
    / "ckanext-smartregion/ckanext/smartregion/i18n/cs_CZ/LC_MESSAGES/ckanext-smartregion.po"
)
PLACEHOLDER = re.compile(r"\{[^}]*\}|%\(\w+\)\w|%[sd]|<[^>]+>")
# the same word in both languages, or words of both that a page may carry as data
# the language switch names English in English; the site title (ckan.site_title) is a name
SHARED = {"Licence", "English", "Smarter Liberec Region"}


def _known_pairs() -> list[tuple[str, str]]:
    """(English, Czech) of every message without placeholders whose two texts differ."""
    with open(PO, "rb") as f:
        catalogue = read_po(f)
    pairs = []
    for m in catalogue:
        if not m.id or not isinstance(m.id, str) or PLACEHOLDER.search(m.id):
            continue
        if m.string and m.id != m.string and len(m.id) >= 6 and m.id not in SHARED:
            pairs.append((m.id, m.string))
    return pairs


def _texts(html: bytes) -> str:
    """What a reader sees or hears: text and the attributes read out (no scripts, no URLs)."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    spoken = [
        tag.get(attribute)
        for tag in soup.find_all(True)
        for attribute in ("title", "placeholder", "aria-label", "alt")
        if tag.get(attribute)
    ]
    return "\n".join([soup.get_text("\n"), *spoken])


@pytest.fixture(scope="module")
def site(reset_db, reset_index, migrate_db_for) -> dict:
    """One record of each type and a sysadmin, made once for the module."""
    import ckan.plugins
    from ckan.cli.db import _get_pending_plugins

    ckan.plugins.load_all()
    reset_db()
    reset_index()
    for plugin in _get_pending_plugins():
        migrate_db_for(plugin)
    sysadmin = ckan_factories.Sysadmin()
    token = call_action(
        "api_token_create", context={"user": sysadmin["name"]}, user=sysadmin["name"], name="t"
    )
    records = {
        "dataset": factories.Dataset(name="zaznam-d", title="D-1", notes="N-1"),
        "indicator": factories.Indicator(name="zaznam-u", title="U-1"),
        "project": factories.Project(name="zaznam-p", title="P-1"),
        "collection-object": factories.CollectionObject(name="zaznam-s", title="S-1"),
    }
    bilingual = factories.Dataset(
        name="navstevnost",
        title="Návštěvnost muzeí",
        title_en="Museum attendance",
        notes="Počty návštěvníků muzeí po měsících.",
        notes_en="Visitors of the museums by month.",
        tags=[{"name": "muzea"}],
        keywords_en="footfall, exhibition halls, footfall",  # typed in the form: comma separated
    )
    # indicators and project fiches have the same English twins as datasets
    factories.Indicator(
        name="navstevnici-ukazatel",
        title="Počet návštěvníků muzeí",
        title_en="Number of museum visitors",
        notes="Počet návštěvníků muzeí kraje za rok.",
        notes_en="Visitors of the region's museums per year.",
        tags=[{"name": "turnikety"}],
        keywords_en=["turnstile counts"],  # sent by the API: a list
    )
    factories.Project(
        name="muzea-fise",
        title="Digitalizace sbírek muzeí",
        title_en="Digitising museum collections",
        notes="Sbírky muzeí dostupné online.",
        notes_en="Museum collections available online.",
        tags=[{"name": "skenování"}],
        keywords_en="scanning",
    )
    return {
        "headers": {"Authorization": token["token"]},
        "records": records,
        "bilingual": bilingual,
    }


def _urls(site: dict) -> list[str]:
    urls = [
        "/",
        "/akcni-plan",
        "/akcni-plan/strategicky-cil/1",
        "/akcni-plan/specificky-cil/2.1",
        "/stranky",
        "/sprava",
    ]
    urls += ["/harvest"]
    for kind, record in site["records"].items():
        urls += [f"/{kind}/", f"/{kind}/{record['name']}"]
    return urls


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize(("prefix", "foreign"), [("/cs_CZ", 0), ("", 1)], ids=["cs", "en"])
def test_no_text_of_the_other_language(app, site, prefix, foreign):
    pairs = _known_pairs()
    assert len(pairs) > 150
    found = {}
    for url in _urls(site):
        response = app.get(prefix + url, headers=site["headers"], status=None)
        assert response.status_code == 200, f"{prefix}{url}: {response.status_code}"
        text = _texts(response.data)
        wrong = [
            pair[foreign]
            for pair in pairs
            if re.search(rf"(?<!\w){re.escape(pair[foreign])}(?!\w)", text)
        ]
        if wrong:
            found[prefix + url] = wrong
    assert not found, "\n".join(f"{url}: {', '.join(texts)}" for url, texts in found.items())


BILINGUAL = [
    ("dataset", "navstevnost", "Museum attendance", "Visitors of the museums by month.",
     "Návštěvnost muzeí", "Počty návštěvníků muzeí"),
    ("indicator", "navstevnici-ukazatel", "Number of museum visitors",
     "Visitors of the region's museums per year.", "Počet návštěvníků muzeí",
     "Počet návštěvníků muzeí kraje za rok."),
    ("project", "muzea-fise", "Digitising museum collections",
     "Museum collections available online.", "Digitalizace sbírek muzeí",
     "Sbírky muzeí dostupné online."),
]  # fmt: skip


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize(
    ("kind", "name", "title_en", "notes_en", "title", "notes"),
    BILINGUAL,
    ids=[row[0] for row in BILINGUAL],
)
def test_a_record_in_english_on_english_pages_and_in_czech_on_czech_ones(
    app, site, kind, name, title_en, notes_en, title, notes
):
    english = BeautifulSoup(app.get(f"/{kind}/{name}").data, "html.parser")
    czech = BeautifulSoup(app.get(f"/cs_CZ/{kind}/{name}").data, "html.parser")

    assert english.select_one("h1").get_text(strip=True) == title_en
    assert notes_en in english.select_one(".notes").get_text()
    assert not english.select("[data-test=czech-fallback]")
    assert czech.select_one("h1").get_text(strip=True) == title
    assert notes in czech.select_one(".notes").get_text()
    assert title_en in app.get(f"/{kind}/").data.decode()


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize(("kind", "name"), [("dataset", "zaznam-d"), ("indicator", "zaznam-u")])
def test_without_english_an_english_page_shows_the_czech_text_marked(app, site, kind, name):
    english = BeautifulSoup(app.get(f"/{kind}/{name}").data, "html.parser")
    record = site["records"][kind]

    assert english.select_one("[data-test=czech-fallback]")
    assert english.select_one(".notes")["lang"] == "cs"
    assert record["notes"][:20] in english.select_one(".notes").get_text()


@pytest.mark.usefixtures("with_plugins")
def test_english_words_find_the_english_text(site):
    for query, names in (
        ("museum attendance", ["navstevnost"]),
        ("visitor", ["navstevnici-ukazatel", "navstevnost"]),
        ("digitising collections", ["muzea-fise"]),
    ):
        result = call_action("package_search", q=query, fl="name")
        assert sorted(r["name"] for r in result["results"]) == names, query


KEYWORDS = [
    ("dataset", "navstevnost", ["footfall", "exhibition halls"], ["muzea"]),
    ("indicator", "navstevnici-ukazatel", ["turnstile counts"], ["turnikety"]),
    ("project", "muzea-fise", ["scanning"], ["skenování"]),
]


def _keywords(response) -> list[str]:
    page = BeautifulSoup(response.data, "html.parser")
    return [a.get_text(strip=True) for a in page.select("[data-test=keywords] a.tag")]


@pytest.mark.usefixtures("with_plugins")
@pytest.mark.parametrize(
    ("kind", "name", "english", "czech"), KEYWORDS, ids=[k[0] for k in KEYWORDS]
)
def test_english_keywords_on_english_pages_and_czech_tags_on_czech_ones(
    app, site, kind, name, english, czech
):
    assert call_action("package_show", id=name)["keywords_en"] == english
    assert _keywords(app.get(f"/{kind}/{name}")) == english
    assert _keywords(app.get(f"/cs_CZ/{kind}/{name}")) == czech
    # a record without English keywords shows its Czech tags on English pages too
    assert _keywords(app.get("/dataset/zaznam-d")) == ["energie"]


@pytest.mark.usefixtures("with_plugins")
def test_english_keywords_are_searched_in_english_and_edited_as_one_comma_separated_text(app, site):
    for query, names in (("footfall", ["navstevnost"]), ("turnstile", ["navstevnici-ukazatel"])):
        result = call_action("package_search", q=query, fl="name")
        assert [r["name"] for r in result["results"]] == names, query
    form = BeautifulSoup(
        app.get("/dataset/edit/navstevnost", headers=site["headers"]).data, "html.parser"
    )
    labels = [label.get_text(strip=True).lstrip("*").strip() for label in form.select("label")]
    assert labels[labels.index("Keywords") + 1] == "Keywords in English"
    assert form.select_one("#field-keywords_en")["value"] == "footfall, exhibition halls"


@pytest.mark.usefixtures("with_plugins")
def test_a_too_long_english_keyword_is_refused_with_the_fix(site):
    with pytest.raises(tk.ValidationError) as refused:
        factories.Dataset(name="dlouhe-slovo", keywords_en="energy, " + "x" * 101)
    [message] = refused.value.error_dict["keywords_en"]
    assert "longer than 100 characters; shorten it" in message
