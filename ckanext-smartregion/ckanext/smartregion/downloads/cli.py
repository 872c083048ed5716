"""`ckan smartregion-downloads build`: builds (or queues) the "download all" ZIPs of chosen
datasets or of all of them, e.g. after the plugin is first enabled on a portal with data."""

from __future__ import annotations

from collections.abc import Iterator

import ckan.plugins.toolkit as tk
import click

from ckanext.smartregion.downloads import archive, jobs

BATCH = 500


@click.group("smartregion-downloads", short_help="The per-dataset download-all ZIPs")
def smartregion_downloads() -> None:
    """The per-dataset "download all" ZIPs of the Smarter Liberec Region portal."""


def _all_datasets() -> Iterator[tuple[str, str]]:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    start = 0
    while True:
        page = tk.get_action("package_search")(
            {"user": site_user, "ignore_auth": True},
            {
                "q": "*:*",
                "fl": "id,name",
                "rows": BATCH,
                "start": start,
                "sort": "name asc",
                "include_private": True,
                "include_drafts": True,
            },
        )
        for found in page["results"]:
            yield found["id"], found["name"]
        start += BATCH
        if start >= page["count"]:
            return


@smartregion_downloads.command("build")
@click.argument("datasets", nargs=-1)
@click.option("--all", "all_", is_flag=True, help="every dataset of the portal")
@click.option("--force", is_flag=True, help="rebuild even a current ZIP")
@click.option(
    "--with-remote",
    "include_remote",
    is_flag=True,
    help="fetch the linked files into the ZIPs too (otherwise the README lists them)",
)
@click.option(
    "--queue",
    "queue_only",
    is_flag=True,
    help=f"only queue the builds for the worker (queue {archive.QUEUE})",
)
def build(
    datasets: tuple[str, ...], all_: bool, force: bool, include_remote: bool, queue_only: bool
) -> None:
    """Build the ZIPs of DATASETS (names or ids), or of all datasets with --all."""
    if not datasets and not all_:
        raise click.UsageError("Name one or more datasets, or give --all.")
    chosen = list(_all_datasets()) if all_ else [(d, d) for d in datasets]
    outcome = {"built": 0, "current": 0, "queued": 0, "deleted": 0, "missing": 0, "failed": 0}
    for position, (dataset_id, name) in enumerate(chosen, start=1):
        prefix = f"[{position}/{len(chosen)}] {name}:"
        if queue_only:
            queued = jobs.request_build(dataset_id, name, include_remote)
            outcome["queued"] += int(queued)
            click.echo(f"{prefix} {'queued' if queued else 'already waiting'}")
            continue
        try:
            result = archive.build(dataset_id, force=force, include_remote=include_remote)
        except Exception as error:  # one broken dataset must not stop the others
            outcome["failed"] += 1
            click.echo(f"{prefix} FAILED: {error}", err=True)
            continue
        outcome[result["status"]] += 1
        detail = ""
        if result["status"] == "built":
            detail = (
                f" {len(result['files'])} files, {len(result['failed'])} not included, "
                f"{len(result['linked'])} linked, "
                f"{result['bytes']:,} bytes in {result['seconds']} s"
            )
        click.echo(f"{prefix} {result['status']}{detail}")
    click.echo(
        ", ".join(f"{count} {state}" for state, count in outcome.items() if count)
        or "nothing to do"
    )
    if outcome["failed"] or outcome["missing"]:
        raise click.exceptions.Exit(1)


def get_commands() -> list[click.Command]:
    return [smartregion_downloads]
