from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """Reminders that reach the patient: a calendar feed, push notifications and e-mail,
    sent by the job worker's minute sweep."""

    name = "stenosis_coach.reminders"
