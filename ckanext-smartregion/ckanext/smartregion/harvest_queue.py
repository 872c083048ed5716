"""A repeated fetch-queue message leaves a finished harvest object as it is.

ckanext-harvest 1.6.3's scheduler (``harvest_jobs_run`` → ``queue.resubmit_objects``) re-sends
every WAITING object it does not see in the Redis fetch queue, and that includes an object a
consumer has just taken but not yet marked FETCH. The first copy is processed; when the second
arrives after the job has finished, ``fetch_callback`` turns the COMPLETE object into ERROR
with no error message, so a clean job reports errors nobody can read. Seen on an unchanged
re-harvest of 5,000 DCAT-AP-CZ records (bench/catalogue_harvest.py): 37 such objects.

The callback is wrapped: a message whose object is already COMPLETE or ERROR is acknowledged
and logged; every other message goes to ckanext-harvest's own callback.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import sqlalchemy
from ckan import model

log = logging.getLogger(__name__)

FINISHED_STATES = ("COMPLETE", "ERROR")


def _finished_object(body: Any) -> str | None:
    """The id of the message's harvest object when that object is already finished."""
    from ckanext.harvest.model import HarvestObject

    try:
        object_id = json.loads(body)["harvest_object_id"]
    except (ValueError, KeyError, TypeError):
        return None
    try:
        state = model.Session.query(HarvestObject.state).filter_by(id=object_id).scalar()
    except sqlalchemy.exc.DatabaseError:
        model.Session.remove()
        return None  # ckanext-harvest's callback handles a lost connection itself
    return object_id if state in FINISHED_STATES else None


def install() -> None:
    from ckanext.harvest import queue

    original = queue.fetch_callback
    if getattr(original, "smartregion_wrapped", False):
        return

    def fetch_callback(channel, method, header, body):
        object_id = _finished_object(body)
        if object_id is None:
            return original(channel, method, header, body)
        log.warning(
            "Harvest object %s is already finished; repeated queue message ignored", object_id
        )
        model.Session.remove()
        channel.basic_ack(method.delivery_tag)
        return False

    fetch_callback.smartregion_wrapped = True
    queue.fetch_callback = fetch_callback
