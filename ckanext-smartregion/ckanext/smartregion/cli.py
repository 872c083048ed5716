"""`ckan smartregion ...` commands: organisations, roles, demo content, taxonomy check, reindex."""

from __future__ import annotations

from pathlib import Path

import ckan.plugins.toolkit as tk
import click

from ckanext.smartregion import demo, organizations
from ckanext.smartregion.plan import taxonomy
from ckanext.smartregion.search_index.command import reindex


@click.group(short_help="Smarter Liberec Region portal commands")
def smartregion() -> None:
    """Commands of the Smarter Liberec Region portal."""


smartregion.add_command(reindex)


@smartregion.command("organizations")
def load_organizations() -> None:
    """Create or update the organisations of schemas/organizations.yaml (idempotent)."""
    outcome = organizations.load_organizations()
    click.echo(
        f"organisations: {outcome['created']} created, {outcome['updated']} updated, "
        f"{outcome['unchanged']} unchanged"
    )


@smartregion.command("assign-role")
@click.argument("username")
@click.argument("role", type=click.Choice(sorted(organizations.ROLE_CAPACITY)))
@click.option("--organization", "-o", help="the organisation (not needed for coordinator)")
def assign_role(username: str, role: str, organization: str | None) -> None:
    """Give USERNAME the CKAN capacity of a plan ROLE (see the README's role table)."""
    try:
        touched = organizations.assign_role(username, role, organization)
    except (tk.ValidationError, tk.ObjectNotFound) as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{username}: {organizations.ROLE_CAPACITY[role]} of {len(touched)} organisation(s)")


@smartregion.command("demo")
def load_demo() -> None:
    """Load the demo content (idempotent): the plan's activity areas as project fiches, sample
    indicators, collection objects and datasets, each sample flagged as such."""
    organizations.load_organizations()
    outcome = demo.load(progress=click.echo)
    click.echo(f"demo content: {outcome['created']} created, {outcome['updated']} updated")


@smartregion.command("report")
@click.argument("kind", type=click.Choice(["annual", "monitoring"]))
@click.option("--year", type=int, required=True, help="the year the report covers")
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="folder for the HTML, PDF and JSON files",
)
@click.option("--publish", is_flag=True, help="also publish it as a dataset of the coordinator")
@click.pass_context
def report(ctx: click.Context, kind: str, year: int, output: Path, publish: bool) -> None:
    """Build the annual or monitoring report from the portal's public data."""
    import datetime
    import time

    from ckanext.smartregion.organizations import site_context
    from ckanext.smartregion.reports import publish as publishing

    started = time.perf_counter()
    click.echo(f"building the {kind} report for {year} ...")
    # Templates and URLs need a request context, as in CKAN's own commands.
    with ctx.meta["flask_app"].test_request_context():
        built, changes, files = publishing.produce(kind, year)
        output.mkdir(parents=True, exist_ok=True)
        for extension, content in files.items():
            path = (
                output / f"{publishing.dataset_name(kind, year, datetime.date.today())}.{extension}"
            )
            path.write_bytes(content)
            click.echo(f"  wrote {path} ({len(content):,} bytes)")
        click.echo(
            f"{built['indicator_count']} indicators in {len(built['areas'])} activity areas, "
            f"{len(changes)} changes since the previous report, "
            f"{time.perf_counter() - started:.1f} s"
        )
        if publish:
            dataset = publishing.publish(site_context(), kind, year)
            click.echo(f"published as dataset {dataset['name']}")


@smartregion.command("check-taxonomy")
@click.argument(
    "path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def check_taxonomy(path: Path | None) -> None:
    """Check a taxonomy file (default: the installed schemas/taxonomy.yaml)."""
    try:
        loaded = taxonomy.load(path)
    except taxonomy.TaxonomyError as error:
        raise click.ClickException(str(error)) from error
    counts = ", ".join(f"{len(loaded.items(s))} {s}" for s in taxonomy.SECTIONS)
    click.echo(f"taxonomy is valid: {counts}")


@smartregion.command("nkod-registration")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("nkod-registrace.jsonld.txt"),
    show_default=True,
    help="where to write the file (NKOD wants the .jsonld.txt suffix)",
)
@click.option(
    "--contact-name",
    help="the catalogue administrator's name (default: ckanext.smartregion.dcat.contact_name)",
)
@click.option(
    "--contact-email",
    help="the administrator's e-mail (default: ckanext.smartregion.dcat.contact_email)",
)
def nkod_registration(output: Path, contact_name: str | None, contact_email: str | None) -> None:
    """Write the NKOD registration file of the local catalogue (type DcatApLkod), to send from
    the region's data box to NKOD's (m3hp53v) with the subject "NKOD"."""
    import json

    from ckanext.smartregion.dcat import iris, nkod, profile

    configured_name, configured_email = profile.catalogue_contact()
    try:
        record = nkod.registration(
            tk.config["ckan.site_title"],
            contact_name or configured_name,
            contact_email or configured_email,
        )
    except ValueError as error:
        raise click.ClickException(
            f"{error}: pass --contact-name and --contact-email or set "
            "ckanext.smartregion.dcat.contact_name/_email"
        ) from error
    output.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    click.echo(f"{output}: registration of the catalogue {iris.catalogue_iri()}")


def get_commands() -> list[click.Command]:
    return [smartregion]
