"""Solr filter queries from values the user sent (URL parts, API parameters, sheet cells):
every value becomes one quoted literal, so it can only match the field's exact term and
never add clauses (OR private:true), wildcards (*:*), local parameters ({!...}) or CKAN's
own filters (+state:...) to the query."""

from __future__ import annotations

from collections.abc import Iterable

# Lucene's special characters (standard query parser), the backslash first. Inside quotes
# only the quote and the backslash would need escaping; the rest are escaped too because
# CKAN inspects the raw text for "{!" and "_query_:" and refuses the query when it finds them.
SPECIAL = '\\+-&|!(){}[]^"~*?:/'


def literal(value: object) -> str:
    """The value as a quoted Solr term: 1" OR x:"y becomes "1\\" OR x\\:\\"y"."""
    text = str(value)
    escaped = "".join(f"\\{char}" if char in SPECIAL else char for char in text)
    return f'"{escaped}"'


def equals(field: str, value: object) -> str:
    """field:"value" for a field name the code chose (never one the user sent)."""
    return f"{field}:{literal(value)}"


def any_of(field: str, values: Iterable[object]) -> str:
    """field:("a" OR "b"); callers check that there is at least one value."""
    terms = [literal(value) for value in values]
    if not terms:
        raise ValueError(f"any_of({field!r}) needs at least one value")
    return f"{field}:({' OR '.join(terms)})"
