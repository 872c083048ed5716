"""The largest request the portal reads: Flask's MAX_CONTENT_LENGTH, so that an upload over
the limit is refused with 413 before its body is read (CKAN 2.12 checks ckan.max_resource_size
and ckan.max_image_size only after the whole file has been received, and sets no cap of its
own; the indicator values form and action had none at all)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from flask import Flask

MB = 1024 * 1024
FORM_FIELDS_MB = 1  # room for a form's other fields next to the largest file


def max_request_bytes() -> int:
    configured = tk.config.get("ckanext.smartregion.max_request_mb")
    if configured:
        return int(configured) * MB
    largest_file = max(tk.config["ckan.max_resource_size"], tk.config["ckan.max_image_size"])
    return (largest_file + FORM_FIELDS_MB) * MB


def install(app: Flask) -> None:
    app.config["MAX_CONTENT_LENGTH"] = max_request_bytes()
