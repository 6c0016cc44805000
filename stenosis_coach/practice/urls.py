from django.urls import path

from . import api, views

urlpatterns = [
    path("today/", views.today, name="today"),
    path("session/", views.session, name="session"),
    path("api/plan/", api.plan, name="api-plan"),
    path("api/sessions/", api.upload_session, name="api-sessions"),
    path("api/pain/", api.upload_pain, name="api-pain"),
]
