"""Clinic pages: the alert rules, their severity, what fires each (with the thresholds named
in rules.py) and who is e-mailed and when.

Any active staff member may read it (the issue asks that a clinic admin can): it shows no
patient's data, so it writes no audit entry, and it is the same list in every clinic."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from stenosis_coach.access import staff_view

from .models import StaffMember
from .rules import RULES, who_is_told


@require_GET
@staff_view
def alert_rules(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    rows = [
        {"rule": rule, "told": who_is_told(rule)}
        for rule in RULES.values()  # most urgent first
    ]
    return render(request, "clinic/rules.html", {"staff": staff, "rows": rows})


urlpatterns: list[URLPattern] = [
    path("rules/", alert_rules, name="alert-rules"),
]
