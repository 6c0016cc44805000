"""A resource with the two things the export needs to know about it besides its content:
its id (stable from one export to the next) and when what it says last changed.

Ids are UUIDs made from the installation's address and the record (uuid5), so the same
session is the same Observation in every export, two installations never share an id, and
the bulk job, run twice, writes the same files. References are written as
"urn:uuid:<id>", the Bundle's fullUrls; `relative_references` turns them into
"Observation/<id>" for the Bulk Data files, which have no fullUrls.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings

URN = "urn:uuid:"


def resource_id(resource_type: str, *key: object) -> str:
    """The id of the resource made from the record named by `key`."""
    name = "/".join(str(part) for part in (settings.SITE_URL, "fhir", resource_type, *key))
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def reference(resource_type: str, *key: object) -> dict[str, str]:
    return {"reference": URN + resource_id(resource_type, *key)}


@dataclass(frozen=True)
class Entry:
    resource: dict[str, Any]  # with resourceType and id
    # When what it says last changed; None when we do not keep that (always exported).
    changed: dt.datetime | None = None

    @property
    def resource_type(self) -> str:
        return str(self.resource["resourceType"])

    @property
    def full_url(self) -> str:
        return URN + str(self.resource["id"])


def new_resource(resource_type: str, key: tuple[object, ...], **content: Any) -> dict[str, Any]:
    return {"resourceType": resource_type, "id": resource_id(resource_type, *key), **content}


def entry(resource: dict[str, Any], changed: dt.datetime | None = None) -> Entry:
    """The entry, with meta.lastUpdated when we know when it changed."""
    if changed is not None:
        resource = {**resource, "meta": {"lastUpdated": instant(changed)}}
    return Entry(resource, changed)


def instant(moment: dt.datetime) -> str:
    """A FHIR instant (UTC, to the millisecond)."""
    return moment.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def relative_references(value: Any, types: dict[str, str]) -> Any:
    """`value` with every "urn:uuid:<id>" reference as "<Type>/<id>" (types: id to type)."""
    if isinstance(value, dict):
        changed = {key: relative_references(item, types) for key, item in value.items()}
        target = value.get("reference")
        if isinstance(target, str) and target.startswith(URN):
            key = target.removeprefix(URN)
            changed["reference"] = f"{types[key]}/{key}"
        return changed
    if isinstance(value, list):
        return [relative_references(item, types) for item in value]
    return value
