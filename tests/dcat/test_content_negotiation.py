"""The catalogue and each dataset IRI answer what the client's Accept header prefers, q-values
and wildcards included: a program that prefers JSON gets JSON-LD, a browser the web page."""

from __future__ import annotations

from tests import factories

# Accept header -> what the catalogue and a record IRI answer ("html" is a 303 to the web page).
ACCEPTS = {
    "application/json, text/html;q=0.9, */*;q=0.5": "application/ld+json",
    "application/ld+json": "application/ld+json",
    "application/json": "application/ld+json",
    "*/*": "application/ld+json",
    "text/turtle;q=0.5, text/html;q=0.4": "text/turtle",
    "text/html;q=0.8, text/turtle": "text/turtle",
    "application/ld+json;q=0.1, text/html": "html",
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8": "html",
}


def _answers(app, path: str) -> dict[str, str]:
    answers = {}
    for accept in ACCEPTS:
        response = app.get(path, headers={"Accept": accept}, follow_redirects=False)
        if response.status_code == 303:
            answers[accept] = "html"
        else:
            assert response.status_code == 200, (accept, response.body[:300])
            answers[accept] = response.headers["Content-Type"].split(";")[0]
    return answers


def test_catalogue_and_record_iri_honour_q_values(app, clean_db, clean_index):
    dataset = factories.Dataset()

    assert _answers(app, "/lkod/katalog") == ACCEPTS
    assert _answers(app, f"/lkod/datove-sady/{dataset['id']}") == ACCEPTS
    record = app.get(
        f"/lkod/datove-sady/{dataset['id']}",
        headers={"Accept": "application/json, text/html;q=0.9, */*;q=0.5"},
    )
    assert record.json["iri"].endswith(f"/lkod/datove-sady/{dataset['id']}")
