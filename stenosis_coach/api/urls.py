from django.urls import path

from . import views

urlpatterns = [
    path("api/openapi.json", views.openapi_json, name="api-openapi"),
]
