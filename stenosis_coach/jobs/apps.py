from django.apps import AppConfig


class JobsConfig(AppConfig):
    """Background jobs: e-mail now; digests and reminders use the same runner."""

    name = "stenosis_coach.jobs"
