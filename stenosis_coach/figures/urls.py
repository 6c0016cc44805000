from django.urls import path

from . import views

urlpatterns = [
    path("figures/", views.gallery, name="figures"),
    path("api/illustrations/<slug:exercise_id>/", views.illustration, name="api-illustration"),
]
