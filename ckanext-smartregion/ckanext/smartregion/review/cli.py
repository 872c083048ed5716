"""`ckan smartregion-review ...`: score every dataset and check its links from the command
line (after enabling the plugin on a portal with data, or on a schedule)."""

from __future__ import annotations

import ckan.plugins.toolkit as tk
import click
from ckan import model


@click.group("smartregion-review", short_help="Dataset review: quality scores, link checks")
def smartregion_review() -> None:
    pass


def _dataset_ids(names: tuple[str, ...]) -> list[str]:
    query = model.Session.query(model.Package.id).filter(
        model.Package.state == "active", model.Package.type != "harvest"
    )
    if names:
        query = query.filter(model.Package.name.in_(names) | model.Package.id.in_(names))
    return [row.id for row in query.order_by(model.Package.name)]


@smartregion_review.command("check-links")
@click.argument("datasets", nargs=-1)
@click.option("--queue", is_flag=True, help="queue the checks for the jobs worker instead")
def check_links(datasets: tuple[str, ...], queue: bool) -> None:
    """Checks the resource links of DATASETS (default: all) and rescores them."""
    from ckanext.smartregion.review import links

    ids = _dataset_ids(datasets)
    checked = broken = 0
    with click.progressbar(ids, label=f"{len(ids)} datasets") as bar:
        for package_id in bar:
            if queue:
                tk.enqueue_job(links.check_package, [package_id], title="smartregion link check")
                continue
            result = links.check_package(package_id)
            checked += result["checked"]
            broken += result["broken"]
    if queue:
        click.echo(f"{len(ids)} link checks queued")
    else:
        click.echo(f"{checked} links checked in {len(ids)} datasets, {broken} broken")


@smartregion_review.command("rescore")
def rescore() -> None:
    """Recomputes the quality score of every dataset (without reindexing it)."""
    from ckanext.smartregion.review import quality

    ids = _dataset_ids(())
    context = {"ignore_auth": True}
    with click.progressbar(ids, label=f"{len(ids)} datasets") as bar:
        scores = [
            quality.save(tk.get_action("package_show")(dict(context), {"id": i})) for i in bar
        ]
    average = sum(scores) / len(scores) if scores else 0
    lowest = min(scores, default=0)
    click.echo(f"{len(scores)} datasets scored, average {average:.0f}, lowest {lowest}")


def get_commands() -> list[click.Command]:
    return [smartregion_review]
