"""Resumption tokens: the list's arguments and the position after its last served record.

A token is URL-safe base64 of JSON: verb, metadataPrefix, from, until, set, the last record's
(metadata_modified, id), the cursor, the list size counted at the first page, and the moment it
expires (ckanext.smartregion.oai.token_hours). Nothing is stored on the server, so tokens
survive restarts and any number of web processes; the arguments are checked again on every
page, so an edited token lists nothing a client could not list anyway.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from dataclasses import asdict, dataclass


class BadToken(ValueError):
    """The token is not one of ours, or it has expired."""


@dataclass(frozen=True)
class Token:
    verb: str
    prefix: str
    start: str | None
    end: str | None
    set_spec: str | None
    after_modified: str  # ISO timestamp with microseconds (naive UTC)
    after_id: str
    cursor: int
    size: int
    expires: str  # ISO, UTC

    @property
    def after(self) -> tuple[datetime.datetime, str]:
        return datetime.datetime.fromisoformat(self.after_modified), self.after_id

    @property
    def expiry(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.expires)


def expiry_from_now(hours: int) -> str:
    moment = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=hours)
    return moment.replace(microsecond=0).isoformat()


def encode(token: Token) -> str:
    raw = json.dumps(asdict(token), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(text: str, verb: str) -> Token:
    try:
        padded = text + "=" * (-len(text) % 4)
        token = Token(**json.loads(base64.urlsafe_b64decode(padded.encode())))
        token.after  # noqa: B018 (a malformed position is a bad token, not a server error)
        expiry = token.expiry
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as error:
        raise BadToken("The resumptionToken is not one this repository issued.") from error
    if token.verb != verb:
        raise BadToken(f"The resumptionToken belongs to {token.verb}, not to {verb}.")
    if expiry < datetime.datetime.now(datetime.UTC):
        raise BadToken(f"The resumptionToken expired at {token.expires}; ask for the list again.")
    return token
