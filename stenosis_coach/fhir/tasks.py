"""The worker's job for a clinic's bulk export. Idempotent (see bulk.run_export): run twice
or late, it makes the same files once."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from . import bulk
from .models import BulkExport


@task()
def make_bulk_export(export_id: str) -> bool:
    """Make the export's NDJSON files; False when there was nothing to do."""
    try:
        return bulk.run_export(export_id)
    except Exception:
        # The client polling sees the export failed, rather than waiting for ever.
        bulk.mark_failed(export_id)
        raise


# A clinic's bulk export holds many patients' records: it is kept long enough to download
# (a day), then deleted, so a patient who deletes their account is not left in old files.
KEEP_EXPORTS = dt.timedelta(days=1)


def prune_exports(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    deleted, _ = BulkExport.objects.filter(created_at__lt=now - KEEP_EXPORTS).delete()
    return deleted


@task()
def prune_bulk_exports(slot: str) -> int:
    return prune_exports()
