"""The clinic's pages. Each area keeps its routes beside its views (views_*.py)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from . import (
    two_step,
    views_caseload,
    views_invitations,
    views_patient,
    views_rules,
    views_staff,
)

urlpatterns: list[URLPattern | URLResolver] = [
    *views_caseload.urlpatterns,
    *views_patient.urlpatterns,
    *views_invitations.urlpatterns,
    *views_rules.urlpatterns,
    *views_staff.urlpatterns,
    *two_step.urlpatterns,
]
