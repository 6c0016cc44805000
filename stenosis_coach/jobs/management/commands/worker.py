"""`stenosis-coach worker`: runs the background jobs (e-mail, digests, reminders).

The library's database worker with our defaults: every queue, a check each second when the
queue is empty. Several workers may run against one database: each job is taken by one
worker (a row lock), and every job is idempotent anyway. `--batch` runs what is queued and
exits. Ctrl+C (or SIGTERM) lets the current job finish, then stops.

On every pass of its loop the worker also looks at the periodic schedule (jobs/schedule.py):
a job whose time slot has come is enqueued by exactly one worker, however many run."""

from __future__ import annotations

import logging
import threading
from argparse import ArgumentParser
from typing import Any

from django.core.management import CommandError
from django.db import OperationalError, connection
from django_tasks_db.management.commands import db_worker
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand
from django_tasks_db.utils import is_locked_database_exception

from stenosis_coach.jobs.schedule import Ticker

logger = logging.getLogger("stenosis_coach.jobs")


class ScheduledWorker(db_worker.Worker):
    """The library's Worker, with the schedule ticked beside it.

    The library's loop has no hook, so rather than copy it, a second thread looks at the
    clock every `interval` seconds while the worker runs (with its own database connection);
    the loop itself stays the library's. `--batch` ticks once before the queue is run, so the
    jobs whose slot has come are run too."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.ticker = Ticker()
        self.stopped = threading.Event()

    def tick(self) -> None:
        try:
            fired = self.ticker.tick()
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise
            return  # the database is busy: the next tick tries again
        for name in fired:
            logger.info("Periodic job %s enqueued", name)

    def keep_ticking(self) -> None:
        try:
            while not self.stopped.wait(self.interval or 1.0):
                self.tick()
        finally:
            connection.close()

    def run(self) -> None:
        self.tick()
        if self.batch:
            super().run()
            return
        ticking = threading.Thread(target=self.keep_ticking, name="schedule", daemon=True)
        ticking.start()
        try:
            super().run()
        finally:
            self.stopped.set()
            ticking.join(timeout=10)


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
        if options["reload"]:
            raise CommandError("The worker does not reload code: restart it instead.")
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
        # No --reload: a reload could stop a job halfway.
        worker.configure_signals()
        worker.run()
