from django.urls import path

from stenosis_coach.practice import history_views

from . import views

urlpatterns = [
    path("progress/", views.progress, name="progress"),
    path("progress/numbers/<slug:slug>/", views.progress_numbers, name="progress-numbers"),
    path("progress/check/", views.function_check, name="function-check"),
    path("progress/activities/", views.change_activities, name="change-activities"),
    path("walk/", views.walking_test, name="walking-test"),
    path("walk/done/", views.walking_test_done, name="walking-test-done"),
    path("history/", history_views.history, name="history"),
    path("history/<uuid:uuid>/", history_views.session_detail, name="session-detail"),
]
