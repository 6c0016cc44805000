"""`stenosis-coach worker`: runs the background jobs (e-mail, digests, reminders).

The library's database worker with our defaults: every queue, a check each second when the
queue is empty. Several workers may run against one database: each job is taken by one
worker (a row lock), and every job is idempotent anyway. `--batch` runs what is queued and
exits. Ctrl+C (or SIGTERM) lets the current job finish, then stops."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand


class Command(DatabaseWorkerCommand):
    help = "Run the background jobs (e-mail, digests, reminders). Ctrl+C stops it."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        # Every queue, so a job on a new queue is never left waiting; no code reloading (a
        # reload could stop a job halfway).
        parser.set_defaults(queue_name="*", interval=1.0, reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        mode = "runs what is queued, then stops" if options["batch"] else "press Ctrl+C to stop"
        self.stdout.write(
            f"Worker started: queues {options['queue_name']}, checks every "
            f"{options['interval']:g} s ({mode})"
        )
        self.stdout.flush()
        super().handle(*args, **options)
