"""The reindex's batches translate a message once (documents.messages_translated_once): within
the block a repeated message is the same translation and a message with variables is still
formatted per call; after it, CKAN's translation is back for everyone else."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import common

from ckanext.smartregion.search_index import documents


def test_messages_are_translated_once_only_within_the_block(app):
    translate = common.flask_ugettext
    with app.flask_app.test_request_context():
        with documents.messages_translated_once():
            assert common.flask_ugettext is not translate
            assert tk._("Missing value") == tk._("Missing value") == "Missing value"
            assert tk._("%(name)s is missing", name="title") == "title is missing"
            assert tk._("%(name)s is missing", name="notes") == "notes is missing"
        assert common.flask_ugettext is translate
        assert tk._("Missing value") == "Missing value"
