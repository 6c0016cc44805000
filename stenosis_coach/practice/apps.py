from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PracticeConfig(AppConfig):
    """Practice: the exercise catalogue, prescriptions and the sessions patients do."""

    name = "stenosis_coach.practice"

    def ready(self) -> None:
        from .catalogue_sync import sync_after_migrate

        # After every migrate (and every test-database flush) the Exercise rows match the
        # catalogue shipped with the code.
        post_migrate.connect(sync_after_migrate, sender=self)
