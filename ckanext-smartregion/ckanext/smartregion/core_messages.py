"""Core CKAN messages whose Czech our catalogue (i18n/) corrects, listed for extraction.

CKAN 2.12's cs_CZ catalogue calls datasets "datasety" and loses the noun in plural forms
("{number} nalezena na dotaz"); messages here are merged over CKAN's by flask-babel, which
keeps the plural rule of the last catalogue merged (ours, with CKAN's four Czech forms).
"""

from __future__ import annotations


def ngettext_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a plural message for Babel (deployment/i18n.sh extracts ngettext_:1,2)."""
    return singular, plural


def gettext_(message: str) -> str:
    """Mark a message for Babel (deployment/i18n.sh extracts gettext_)."""
    return message


CORRECTED = (
    ngettext_('{number} dataset found for "{query}"', '{number} datasets found for "{query}"'),
    ngettext_("{number} dataset found", "{number} datasets found"),
    ngettext_('{number} group found for "{query}"', '{number} groups found for "{query}"'),
    ngettext_("{number} group found", "{number} groups found"),
    ngettext_(
        '{number} organization found for "{query}"', '{number} organizations found for "{query}"'
    ),
    ngettext_("{number} organization found", "{number} organizations found"),
    ngettext_("{num} Dataset", "{num} Datasets"),
    gettext_('No datasets found for "{query}"'),
    gettext_("Search datasets with the tag: {name}"),
    # snippets/search_result_text.html builds these from the type's name for other types
    ngettext_('{number} indicator found for "{query}"', '{number} indicators found for "{query}"'),
    ngettext_("{number} indicator found", "{number} indicators found"),
    gettext_('No indicators found for "{query}"'),
    gettext_("No indicators found"),
    ngettext_('{number} project found for "{query}"', '{number} projects found for "{query}"'),
    ngettext_("{number} project found", "{number} projects found"),
    gettext_('No projects found for "{query}"'),
    gettext_("No projects found"),
    ngettext_(
        '{number} collection-object found for "{query}"',
        '{number} collection-objects found for "{query}"',
    ),
    ngettext_("{number} collection-object found", "{number} collection-objects found"),
    gettext_('No collection-objects found for "{query}"'),
    gettext_("No collection-objects found"),
    # ckanext-harvest 1.6 ships no Czech catalogue: its list of sources (/harvest)
    gettext_("Harvest sources"),
    gettext_("Harvest Sources"),
    gettext_("Add Harvest Source"),
    gettext_("Search harvest sources..."),
    gettext_("No harvests found"),
    gettext_("Frequency"),
    gettext_("Type"),
)
