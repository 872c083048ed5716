"""Write a Solr core's conf/ from CKAN's schema plus the portal's (schema_smartregion.xml).

Usage: python portal_schema.py CKAN_SCHEMA_XML CONF_DIR SOLR_LIB_DIR
The Czech stop words are Lucene's (org/apache/lucene/analysis/cz/stopwords.txt, the list Solr
ships as lang/stopwords_cz.txt), read from the lucene-analysis-common jar of SOLR_LIB_DIR.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
STOPWORDS = "org/apache/lucene/analysis/cz/stopwords.txt"


def portal_schema(ckan_schema: str) -> str:
    """CKAN's schema with the portal's field types, fields and copyFields added."""
    addition = (HERE / "schema_smartregion.xml").read_text(encoding="utf-8")
    head, end, tail = ckan_schema.rpartition("</schema>")
    if not end:
        raise SystemExit("CKAN's schema has no </schema>: is it a Solr schema?")
    return f"{head}{addition}\n{end}{tail}"


def czech_stopwords(lib: Path) -> bytes:
    for jar in sorted(lib.glob("lucene-analysis-common-*.jar")):
        with zipfile.ZipFile(jar) as archive:
            return archive.read(STOPWORDS)
    raise SystemExit(f"No lucene-analysis-common jar in {lib}: run deployment/services.sh start")


def main(schema: str, conf: str, lib: str) -> None:
    target = Path(conf)
    (target / "lang").mkdir(parents=True, exist_ok=True)
    text = portal_schema(Path(schema).read_text(encoding="utf-8"))
    (target / "schema.xml").write_text(text, encoding="utf-8")
    (target / "lang" / "stopwords_cz.txt").write_bytes(czech_stopwords(Path(lib)))


if __name__ == "__main__":
    main(*sys.argv[1:])
