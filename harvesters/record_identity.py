"""A harvested record's identity is the source's (the DCAT dataset IRI, the data.json
`identifier`, the CKAN package, the LIDO lidoRecID with its institution), not the harvest
source that brings it: the same identity through another or a re-created source updates the
one dataset, which passes to that source (docs/harvest-quality.md)."""

from __future__ import annotations

from ckan import model
from ckanext.harvest.model import HarvestObject

DATASET_TYPE = "dataset"


def dataset_of(guid: str) -> str | None:
    """The dataset a record of this identity made through any harvest source (its current
    object's, else the newest), or one carrying it as `harvest_source_record`."""
    found = (
        model.Session.query(HarvestObject.package_id)
        .join(model.Package, model.Package.id == HarvestObject.package_id)
        .filter(
            HarvestObject.guid == guid,
            HarvestObject.package_id.isnot(None),
            model.Package.type == DATASET_TYPE,
        )
        .order_by(HarvestObject.current.desc(), HarvestObject.import_finished.desc().nullslast())
        .limit(1)
        .scalar()
    )
    if found:
        return found
    return (
        model.Session.query(model.Package.id)
        .filter(
            model.Package.type == DATASET_TYPE,
            model.Package.extras["harvest_source_record"].astext == guid,
        )
        .order_by(model.Package.state, model.Package.metadata_created)
        .limit(1)
        .scalar()
    )


def _current_elsewhere(harvest_object: HarvestObject, package_id: str):
    """Other sources' objects that are the dataset's current one."""
    return model.Session.query(HarvestObject).filter(
        HarvestObject.package_id == package_id,
        HarvestObject.current.is_(True),
        HarvestObject.harvest_source_id != harvest_object.harvest_source_id,
    )


def take_over(harvest_object: HarvestObject, package_id: str) -> None:
    """The dataset passes to this object's source: other sources' objects stop being its
    current one (so their withdrawals no longer delete it)."""
    _current_elsewhere(harvest_object, package_id).update(
        {"current": False}, synchronize_session=False
    )


def owned_elsewhere(harvest_object: HarvestObject, package_id: str) -> bool:
    """Whether another source's object is the dataset's current one (it took the record over)."""
    return _current_elsewhere(harvest_object, package_id).first() is not None
