"""The worker's job for a clinic's bulk export. Idempotent (see bulk.run_export): run twice
or late, it makes the same files once."""

from __future__ import annotations

from django_tasks import task

from . import bulk


@task()
def make_bulk_export(export_id: str) -> bool:
    """Make the export's NDJSON files; False when there was nothing to do."""
    try:
        return bulk.run_export(export_id)
    except Exception:
        # The client polling sees the export failed, rather than waiting for ever.
        bulk.mark_failed(export_id)
        raise
