"""Clinic pages: caseload. (Being built: these routes answer 404 until their views land.)"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, path


def not_built(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404("Not built yet")


urlpatterns: list[URLPattern] = [
    path("", not_built, name="caseload"),
    path("report/", not_built, name="clinic-report"),
]
