"""Routes of the local catalogue (DCAT-AP-CZ, documents variant): the catalogue and each
dataset's IRI, in JSON-LD (the default, what NKOD asks for) or Turtle."""

from __future__ import annotations

import json

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, redirect, request, stream_with_context

from ckanext.smartregion.dcat import catalogue, iris

blueprint = Blueprint("smartregion_dcat", __name__)

MEDIA_TYPES = {"jsonld": "application/ld+json", "ttl": "text/turtle"}
# What each media type a client may ask for is answered with, in the order preferred on a tie
# (werkzeug's best_match weighs q-values and wildcards). JSON-LD is JSON: a client that asks for
# application/json above text/html is a program, not a browser, and gets the record.
OFFERED: dict[str, str | None] = {
    "application/ld+json": "jsonld",
    "application/json": "jsonld",
    "text/turtle": "ttl",
    "text/html": None,
}


def _negotiated_format(suffix: str | None) -> str | None:
    """jsonld, ttl, or None when the client asks for a web page."""
    if suffix:
        if suffix not in MEDIA_TYPES:
            tk.abort(404, tk._("Unknown format: use .jsonld or .ttl"))
        return suffix
    best = request.accept_mimetypes.best_match(list(OFFERED), default="application/ld+json")
    return OFFERED[best]


def _response(body, fmt: str) -> Response:
    response = Response(body, mimetype=MEDIA_TYPES[fmt])
    response.headers["Content-Type"] = f"{MEDIA_TYPES[fmt]}; charset=utf-8"
    response.headers["Vary"] = "Accept"
    return response


def read_catalogue(suffix: str | None = None) -> Response:
    fmt = _negotiated_format(suffix)
    if fmt is None:
        return redirect(tk.url_for("dataset.search"), code=303)
    ids = catalogue.public_dataset_ids()
    stream = (
        catalogue.stream_catalogue_jsonld if fmt == "jsonld" else catalogue.stream_catalogue_turtle
    )
    return _response(stream_with_context(stream(ids)), fmt)


def read_dataset(dataset_id: str, suffix: str | None = None) -> Response:
    fmt = _negotiated_format(suffix)
    try:
        pkg = catalogue.published_dataset(dataset_id)
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    if fmt is None:
        return redirect(tk.url_for(f"{pkg['type']}.read", id=pkg["name"]), code=303)
    if fmt == "jsonld":
        body = json.dumps(catalogue.record_jsonld(pkg), ensure_ascii=False, indent=2)
    else:
        body = catalogue.record_turtle(pkg)
    return _response(body, fmt)


blueprint.add_url_rule(iris.CATALOGUE_PATH, view_func=read_catalogue)
blueprint.add_url_rule(iris.CATALOGUE_PATH + ".<suffix>", view_func=read_catalogue)
blueprint.add_url_rule(iris.DATASETS_PATH + "/<dataset_id>", view_func=read_dataset)
blueprint.add_url_rule(iris.DATASETS_PATH + "/<dataset_id>.<suffix>", view_func=read_dataset)


def get_blueprints() -> list[Blueprint]:
    return [blueprint]
