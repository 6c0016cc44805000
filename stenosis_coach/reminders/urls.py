from django.urls import include, path

from . import views

urlpatterns = [
    path("settings/reminders/", views.reminder_settings, name="reminder-settings"),
    path("settings/reminders/calendar/", views.calendar_link, name="calendar-link"),
    path("reminders/calendar/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("", include("stenosis_coach.reminders.urls_push")),
]
