"""The OAI-PMH provider's address, /oai (GET and POST, as the protocol requires)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response
from lxml import etree

from ckanext.smartregion.oai import protocol

smartregion_oai = Blueprint("smartregion_oai", __name__)


@smartregion_oai.route("/oai", methods=["GET", "POST"], endpoint="provider")
def provider() -> Response:
    arguments = {name: tk.request.values.getlist(name) for name in tk.request.values}
    body = etree.tostring(protocol.respond(arguments), xml_declaration=True, encoding="UTF-8")
    return Response(body, content_type="text/xml; charset=utf-8")
