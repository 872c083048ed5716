"""Derives the SolrCloud configset from the standalone one (CKAN's schema, our solrconfig.xml).

Usage: cloud_configset.py SOURCE_CONF TARGET_CONF. SolrCloud replicas recover from the update
log, so solrconfig.xml gains an <updateLog>, and the log needs _version_ as a long with doc
values (CKAN's schema declares it as a string, which only standalone Solr accepts).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

VERSION_FIELD = '<field name="_version_" type="string" indexed="true" stored="true"/>'
CLOUD_VERSION_FIELD = (
    '<field name="_version_" type="plong" indexed="false" stored="false" docValues="true"/>'
)
UPDATE_HANDLER = '<updateHandler class="solr.DirectUpdateHandler2">'
UPDATE_LOG = '\n    <updateLog><str name="dir">${solr.ulog.dir:}</str></updateLog>'


def replace_once(text: str, old: str, new: str, name: str) -> str:
    if text.count(old) != 1:
        sys.exit(f"{name}: expected exactly one {old!r}; update cloud_configset.py")
    return text.replace(old, new)


def main() -> None:
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    shutil.copytree(source, target)
    schema = target / "schema.xml"
    schema.write_text(
        replace_once(schema.read_text(), VERSION_FIELD, CLOUD_VERSION_FIELD, "schema.xml")
    )
    config = target / "solrconfig.xml"
    text = replace_once(
        config.read_text(), UPDATE_HANDLER, UPDATE_HANDLER + UPDATE_LOG, "solrconfig.xml"
    )
    config.write_text(text)


if __name__ == "__main__":
    main()
