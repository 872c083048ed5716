"""The README.txt of a dataset's "download all" ZIP: the dataset's metadata, each file with
its terms of use, the linked files (not in the ZIP) with their addresses and terms of use,
the files that could not be included and why, and the sample-data note. Czech first,
English second."""

from __future__ import annotations

from typing import Any

TERMS = (
    ("terms_author_work", "Autorské dílo / Author's work"),
    ("terms_author", "Autor / Author"),
    ("terms_database_work", "Autorskoprávně chráněná databáze / Database as a work"),
    ("terms_database_author", "Autor databáze / Database author"),
    ("terms_database_sui_generis", "Zvláštní právo pořizovatele databáze / Sui generis right"),
    ("terms_personal_data", "Osobní údaje / Personal data"),
)


def _lines(label: str, value: Any) -> list[str]:
    if value in (None, "", [], {}):
        return []
    if isinstance(value, list):
        value = ", ".join(str(v.get("name", v)) if isinstance(v, dict) else str(v) for v in value)
    return [f"{label}: {value}"]


def build(
    pkg: dict[str, Any],
    included: list[tuple[dict[str, Any], str]],
    failed: list[tuple[dict[str, Any], str]],
    page_url: str,
    linked: list[dict[str, Any]] | None = None,
) -> str:
    """included: (resource, file name in the ZIP); failed: (resource, reason); linked: the
    resources whose files stay at their addresses."""
    out: list[str] = [pkg.get("title") or pkg["name"], "=" * len(pkg.get("title") or pkg["name"])]
    if pkg.get("is_sample_data"):
        out += [
            "",
            "UKÁZKOVÁ DATA: hodnoty nejsou skutečné, slouží jen k předvedení portálu.",
            "SAMPLE DATA: the values are not real; they only demonstrate the portal.",
        ]
    out.append("")
    out += _lines("Stránka / Page", page_url)
    out += _lines("Identifikátor / Identifier", pkg.get("id"))
    out += _lines("Typ / Type", pkg.get("type"))
    out += _lines("Poskytovatel / Publisher", (pkg.get("organization") or {}).get("title"))
    out += _lines("Licence / Licence", pkg.get("license_title") or pkg.get("license_id"))
    out += _lines("Kontakt / Contact", pkg.get("contact_email") or pkg.get("maintainer_email"))
    out += _lines("Klíčová slova / Keywords", pkg.get("tags"))
    out += _lines("Aktualizováno / Modified", pkg.get("metadata_modified"))
    if pkg.get("notes"):
        out += ["", "Popis / Description:", pkg["notes"]]
    out += ["", "Soubory / Files", "-" * len("Soubory / Files")]
    if not included:
        out.append("(žádné / none)")
    for resource, name in included:
        out += ["", f"{name}"]
        out += _lines("  Název / Name", resource.get("name"))
        out += _lines("  Formát / Format", resource.get("format"))
        out += _lines("  Zdroj / Source", resource.get("url"))
        for key, label in TERMS:
            out += _lines(f"  {label}", resource.get(key))
    if linked:
        heading = "Soubory odkazem / Linked files"
        out += ["", heading, "-" * len(heading)]
        out += [
            "Tyto soubory jsou na jiných webech; ZIP je neobsahuje. Stáhněte je z uvedených adres.",
            "These files are on other sites, not in the ZIP; download them from their addresses.",
        ]
        for resource in linked:
            out += ["", resource.get("name") or resource["id"]]
            out += _lines("  Adresa / URL", resource.get("url"))
            out += _lines("  Formát / Format", resource.get("format"))
            for key, label in TERMS:
                out += _lines(f"  {label}", resource.get(key))
    if failed:
        heading = "Nezahrnuté soubory / Files not included"
        out += ["", heading, "-" * len(heading)]
        for resource, reason in failed:
            out += ["", resource.get("name") or resource["id"]]
            out += _lines("  Zdroj / Source", resource.get("url"))
            out += [f"  Důvod / Reason: {reason}"]
            out += ["  Stáhněte jej přímo ze zdroje / Download it from its source directly."]
    out += [
        "",
        "Metadata celé datové sady jsou v souboru metadata.json.",
        "The dataset's full metadata is in metadata.json.",
        "",
    ]
    return "\n".join(out)
