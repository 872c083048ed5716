"""A LIDO record's identity and its stand-ins: an object without an inventory number is known
by its lidoRecID (else objectPublishedID), one without a title by its number, each with an
issue (docs/harvest-quality.md); only a record with neither title nor identifier is refused."""

from __future__ import annotations

from typing import Any

from ckanext.smartregion.harvesters.record_issues import RecordIssues, present

# Inventory numbers that say there is none ("f.n." is Romanian "fără număr", "b.č." Czech
# "bez čísla"), read as absent.
NO_NUMBER = {"f.n.", "f. n.", "fn", "b.č.", "b. č.", "bez čísla", "s.n.", "o.nr.", "ohne nummer"}


def identify(fields: dict[str, Any], published_id: str, issues: RecordIssues) -> None:
    """The record's inventory number and title, or stand-ins with an issue: an object
    without an inventory number is known by its lidoRecID (else objectPublishedID), one
    without a title by its number. ValueError only with neither title nor identifier."""
    number = present(fields.get("inventory_number"))
    if number and number.casefold() in NO_NUMBER:
        number = None
    identifier = present(fields.get("source_record_id")) or present(published_id)
    title = present(fields.get("title"))
    if not title and not number and not identifier:
        raise ValueError(
            "The record has neither a title (lido:titleSet/lido:appellationValue) nor an "
            "identifier (lido:workID, lido:lidoRecID or lido:objectPublishedID)"
        )
    if not number:
        stated = present(fields.get("inventory_number"))
        number = identifier or title
        issues.add(
            "inventory_number",
            "inventory_number_none" if stated else "inventory_number_missing",
            {"stated": stated, "number": number} if stated else {"number": number},
            kind="substituted",
        )
        issues.items[-1]["value"] = number
    if not title:
        title = number
        issues.add("title", "object_title_missing", {"number": number}, kind="substituted")
        issues.items[-1]["value"] = title
    fields["inventory_number"], fields["title"] = number, title
