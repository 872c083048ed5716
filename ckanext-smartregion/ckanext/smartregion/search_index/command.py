"""`ckan smartregion reindex`: the whole search index rebuilt in a new Solr core and swapped
in without downtime, or part of it updated in place."""

from __future__ import annotations

import datetime
from pathlib import Path

import ckan.plugins.toolkit as tk
import click

from ckanext.smartregion.search_index import checkpoint, rebuild, selection, solr

_DATE_FORMATS = ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


@click.command("reindex")
@click.option("--type", "types", multiple=True, help="only datasets of this type (repeatable)")
@click.option("--organization", help="only the datasets of this organisation (name or id)")
@click.option(
    "--since",
    type=click.DateTime(_DATE_FORMATS),
    help="only datasets changed at or after this UTC date/time",
)
@click.option("--in-place", is_flag=True, help="update the live core instead of a new one")
@click.option("--workers", type=int, help="worker processes [ckanext.smartregion.reindex.workers]")
@click.option(
    "--batch-size", type=int, help="datasets per batch [ckanext.smartregion.reindex.batch_size]"
)
@click.option("--restart", is_flag=True, help="drop an interrupted rebuild instead of resuming")
@click.option("--keep-old", is_flag=True, help="keep the previous index as a core of its own")
@click.option("--force", is_flag=True, help="finish even if some datasets cannot be indexed")
@click.option(
    "--checkpoint",
    "checkpoint_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="where the progress is recorded [ckanext.smartregion.reindex.checkpoint]",
)
def reindex(
    types: tuple[str, ...],
    organization: str | None,
    since: datetime.datetime | None,
    in_place: bool,
    workers: int | None,
    batch_size: int | None,
    restart: bool,
    keep_old: bool,
    force: bool,
    checkpoint_path: Path | None,
) -> None:
    """Rebuild the search index: all datasets into a new Solr core, switched in for the live
    one when complete (search answers throughout); with --type, --organization or --since
    only those datasets, in the live core. Resumes an interrupted run."""
    try:
        filters = selection.Filters(
            types=types,
            organization=selection.organization_id(organization) if organization else None,
            since=since,
        )
        options = rebuild.Options(
            filters=filters,
            checkpoint=checkpoint_path or checkpoint.default_path(),
            workers=workers or tk.config["ckanext.smartregion.reindex.workers"],
            batch_size=batch_size or tk.config["ckanext.smartregion.reindex.batch_size"],
            in_place=in_place,
            restart=restart,
            keep_old=keep_old,
            force=force,
        )
        rebuild.Rebuild(options, click.echo).run()
    except (rebuild.ReindexError, solr.SolrError, tk.ObjectNotFound) as error:
        raise click.ClickException(str(error)) from error
    except tk.ValidationError as error:
        raise click.ClickException(str(error.error_summary)) from error
    except KeyboardInterrupt as error:
        raise click.ClickException(
            "interrupted: run the same command again to resume where it stopped"
        ) from error
