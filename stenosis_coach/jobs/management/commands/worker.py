"""`stenosis-coach worker`: runs the background jobs (e-mail, digests, reminders).

The library's database worker with our defaults: every queue, a check each second when the
queue is empty. Several workers may run against one database: each job is taken by one
worker (a row lock), and every job is idempotent anyway. `--batch` runs what is queued and
exits. Ctrl+C (or SIGTERM) lets the current job finish, then stops.

On every pass of its loop the worker also looks at the periodic schedule (jobs/schedule.py):
a job whose time slot has come is enqueued by exactly one worker, however many run."""

from __future__ import annotations

import logging
import os
import random
import time
from argparse import ArgumentParser
from typing import Any

from django.db import OperationalError, close_old_connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from stenosis_coach.jobs.schedule import Ticker

logger = logging.getLogger("stenosis_coach.jobs")


class ScheduledWorker(db_worker.Worker):
    """The library's Worker, with the schedule ticked at the top of each pass.

    The library's run() is one loop with no hook in it, so this is that loop (django-tasks-db
    0.13) with one line added, `self.tick()`; claiming and running a job stay the library's
    own (get_locked, claim, run_task)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.ticker = Ticker()

    def tick(self) -> None:
        try:
            fired = self.ticker.tick()
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise
            return  # the database is busy: the next pass tries again
        for name in fired:
            logger.info("Periodic job %s enqueued", name)

    def claim_next(self) -> tuple[DBTaskResult | None, bool]:
        """The next ready job, claimed for this worker, and whether the queue could be read
        (False while the database is locked)."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
                return task_result, True
            except OperationalError as error:
                if is_locked_database_exception(error):
                    return None, False
                raise

    def run(self) -> None:
        logger.info(
            "Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names)
        )
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # workers started together spread out
        while self.running:
            close_old_connections()
            self.tick()
            task_result, retrieved = self.claim_next()
            if task_result is not None:
                self.run_task(task_result)
            if self.batch and retrieved and task_result is None:
                logger.info("No more tasks to run for worker_id=%s - exiting.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info("Ran the maximum of %d tasks - exiting.", self._run_tasks)
                return
            close_old_connections()
            if self.running and not task_result:
                time.sleep(self.interval)


class Command(DatabaseWorkerCommand):
    """The library's command and options, running a ScheduledWorker."""

    help = "Run the background jobs (e-mail, digests, reminders). Ctrl+C stops it."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # Every queue, so a job on a new queue is never left waiting; no code reloading (a
        # reload could stop a job halfway).
        parser.set_defaults(queue_name="*", interval=1.0, reload=False)

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        logger.setLevel(db_worker.logger.level)
        if not logger.hasHandlers():
            logger.addHandler(logging.StreamHandler(self.stdout))

    def handle(self, *args: Any, **options: Any) -> None:
        mode = "runs what is queued, then stops" if options["batch"] else "press Ctrl+C to stop"
        self.stdout.write(
            f"Worker started: queues {options['queue_name']}, checks every "
            f"{options['interval']:g} s ({mode})"
        )
        self.stdout.flush()
        self.configure_logging(options["verbosity"])
        worker = ScheduledWorker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            excluded_queue_names=[q for q in options["exclude_queues"].split(",") if q],
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the reloaded child
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
