from django.urls import path

from . import api, history_views, views

urlpatterns = [
    path("today/", views.today, name="today"),
    path("session/", views.session, name="session"),
    path("api/plan/", api.plan, name="api-plan"),
    path("api/offline-stamp/", api.offline_stamp, name="api-offline-stamp"),
    path("api/sessions/", api.upload_session, name="api-sessions"),
    path("api/pain/", api.upload_pain, name="api-pain"),
    # A patient's note on a session for their therapist (the History pages are in outcomes).
    path("history/<uuid:uuid>/note/", history_views.session_note, name="session-note"),
]
