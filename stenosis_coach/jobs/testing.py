"""For tests: run the queued jobs now, inside the test's own transaction.

The tests use the same database queue as production (nothing runs behind a test's back, and
a job's arguments go through the same JSON as in production); a test runs the queue when it
chooses. The library's worker loop closes "old" database connections, which would break a
test's transaction, so this runs each job with the library's own Worker.run_task instead."""

from __future__ import annotations

from django.db import transaction
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


class JobFailed(AssertionError):
    pass


def run_queued_jobs(backend_name: str = "default") -> int:
    """Run every job that is ready, oldest first, until none is left; the number run.
    A job that fails raises JobFailed with its traceback."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=backend_name,
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    ran = 0
    while (job := _claim_next(backend_name, worker.worker_id)) is not None:
        worker.run_task(job)
        ran += 1
        if job.status == "FAILED":
            raise JobFailed(f"{job.task_path} failed:\n{job.traceback}")
    return ran


def _claim_next(backend_name: str, worker_id: str) -> DBTaskResult | None:
    with transaction.atomic():
        job = DBTaskResult.objects.ready().filter(backend_name=backend_name).get_locked()
        if job is not None:
            job.claim(worker_id)
        return job
