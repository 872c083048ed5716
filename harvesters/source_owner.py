"""Whose rights a harvest source writes with, and the checks that keep it to them.

The source's owner is the user who last saved its configuration (``harvest_source.user_id``,
recorded here on every save that validated the configuration), else the creator of the
harvest source dataset (sources saved before this rule). A harvester writes only into
organisations where the owner may create datasets (``package_create`` there), and creates
organisations only for a source whose owner is a sysadmin. A configuration naming another
organisation is refused when saved, for the user saving it (``check_save``, called from each
harvester's ``validate_config``), and every record is checked again at import for the stored
owner (``for_object``), so rights taken away later stop the writes too.
"""

from __future__ import annotations

import contextvars
import time
from dataclasses import dataclass, field
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.harvest.model import HarvestObject, HarvestSource

from ckanext.smartregion.harvesters.job_summary import harvest_job_report, harvest_jobs_run

OWNER_CACHE_SIZE = 64  # jobs whose owner and rights one process keeps (one job: one answer)


class ForbiddenOrganization(ValueError):
    """The source's owner may not write into the organisation; the message says what to do."""


@dataclass
class _Save:
    context: dict
    user: str
    checked: bool = False  # a harvester's validate_config checked the config in this save


_saving: contextvars.ContextVar[_Save | None] = contextvars.ContextVar(
    "smartregion_harvest_source_save", default=None
)


def _remember_saver(up: Any, context: dict, data_dict: dict) -> Any:
    current = _saving.get()
    if current is not None and current.context is context:
        return up(context, data_dict)  # the same save, through another harvester's chain
    save = _Save(context, str(context.get("user") or ""))
    token = _saving.set(save)
    try:
        result = up(context, data_dict)
    finally:
        _saving.reset(token)
    if save.checked:
        source_id = result if isinstance(result, str) else result["id"]
        _record_owner(source_id, save.user, commit=not context.get("defer_commit"))
    return result


@tk.chained_action
def package_create(up: Any, context: dict, data_dict: dict) -> Any:
    """Knows who saves a harvest source (the harvest form and harvest_source_create)."""
    return _remember_saver(up, context, data_dict)


@tk.chained_action
def package_update(up: Any, context: dict, data_dict: dict) -> Any:
    """Knows who saves a harvest source (the form, harvest_source_update and _patch)."""
    return _remember_saver(up, context, data_dict)


def actions() -> dict[str, Any]:
    """The chained actions every smartregion harvester plugin registers."""
    return {
        "package_create": package_create,
        "package_update": package_update,
        "harvest_job_report": harvest_job_report,
        "harvest_jobs_run": harvest_jobs_run,  # the job summary's log line
    }


def _record_owner(source_id: str, user: str, commit: bool) -> None:
    saver = _active_user(user)
    model.Session.query(HarvestSource).filter_by(id=source_id).update(
        {"user_id": saver.id if saver else ""}, synchronize_session=False
    )
    if commit:
        model.Session.commit()


@dataclass(frozen=True)
class _Account:
    id: str
    name: str
    sysadmin: bool


def _active_user(name_or_id: str | None) -> _Account | None:
    user = model.User.get(name_or_id) if name_or_id else None
    if user is None or user.state != "active":
        return None
    return _Account(user.id, user.name, bool(user.sysadmin))


def _may_create(user: _Account | None, organization: str) -> bool:
    if user is None:
        return False
    if user.sysadmin:
        return True
    group = model.Group.get(organization)
    if group is None or not group.is_organization or group.state != "active":
        return False
    try:
        tk.check_access("package_create", {"user": user.name}, {"owner_org": group.id})
    except tk.NotAuthorized:
        return False
    return True


def check_save(named: dict[str, list[str]], creating_key: str | None = None) -> None:
    """For the user saving the source: ValueError naming each organisation of ``named``
    (config key → organisation names) where they may not create datasets, and
    ``creating_key`` (a setting that creates organisations) unless they are a sysadmin."""
    save = _saving.get()
    if save is not None:
        save.checked = True
    user = _active_user(save.user if save else None)
    who = user.name if user else tk._("an unknown user")
    problems = [
        tk._(
            '"{key}" names the organisation "{organisation}", where {user} may not create '
            "datasets (or which does not exist); name an organisation you are an editor of, or "
            'ask an editor of "{organisation}" or a sysadmin to save the source.'
        ).format(key=key, organisation=organization, user=who)
        for key, organizations in named.items()
        for organization in dict.fromkeys(organizations)
        if not _may_create(user, organization)
    ]
    if creating_key and not (user and user.sysadmin):
        problems.append(
            tk._(
                '"{key}": only a sysadmin may save a source that creates organisations; set '
                '"{key}" to false (unknown institutions then go to the source\'s own '
                "organisation) or ask a sysadmin to save the source."
            ).format(key=creating_key)
        )
    if problems:
        raise ValueError(" ".join(problems))


@dataclass
class SourceOwner:
    """The stored owner of one job's source, with the answers of its rights kept for the job."""

    user: _Account | None
    source_organization: str | None = None  # the source's own (its publisher, else its owner_org)
    _allowed: dict[str, bool] = field(default_factory=dict)

    @property
    def sysadmin(self) -> bool:
        return bool(self.user and self.user.sysadmin)

    @property
    def label(self) -> str:
        return self.user.name if self.user else tk._("no active user; save the source again")

    def may_create_in(self, organization_id: str) -> bool:
        if organization_id not in self._allowed:
            self._allowed[organization_id] = _may_create(self.user, organization_id)
        return self._allowed[organization_id]

    def check(self, organization_id: str | None) -> None:
        """ForbiddenOrganization unless the owner may create datasets in the organisation."""
        if organization_id and not self.may_create_in(organization_id):
            group = model.Group.get(organization_id)
            raise ForbiddenOrganization(
                tk._(
                    'it belongs in the organisation "{organisation}", where the source\'s owner '
                    "({user}) may not create datasets; nothing was written. Map it to an "
                    "organisation of the owner in the source configuration, or have an editor "
                    'of "{organisation}" or a sysadmin save the source.'
                ).format(organisation=group.name if group else organization_id, user=self.label)
            )


_owners: dict[str, tuple[float, SourceOwner]] = {}


def for_object(harvest_object: HarvestObject) -> SourceOwner:
    """The owner of the object's source, looked up once per job in this process."""
    key = harvest_object.harvest_job_id or harvest_object.id
    if key not in _owners:
        if len(_owners) >= OWNER_CACHE_SIZE:
            del _owners[min(_owners, key=lambda k: _owners[k][0])]
        _owners[key] = (time.monotonic(), owner_of(harvest_object.source))
    return _owners[key][1]


def owner_of(source: HarvestSource) -> SourceOwner:
    """The user who last saved the source's configuration, else the source's creator."""
    creator, organization = (
        model.Session.query(model.Package.creator_user_id, model.Package.owner_org)
        .filter_by(id=source.id)
        .first()
    ) or (None, None)
    return SourceOwner(_active_user(source.user_id or creator), source.publisher_id or organization)
