"""The Django admin holds accounts and clinics only: no model with a patient's health data is
registered, so the admin shows none. The pages that do name a patient (their account's
change and delete pages) leave an audit entry, like a therapist's read.

Health data is read and changed in the app's own pages, which check who may see what.
"""

from __future__ import annotations

from typing import Any

# Their admin modules first (they come after ours in INSTALLED_APPS), so that what they
# register can be replaced or taken out here.
import django.contrib.auth.admin
import django_tasks_db.admin  # noqa: F401
from django.contrib import admin
from django.contrib.auth.models import User
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django_tasks_db.models import DBTaskResult

from stenosis_coach.patients.models import Clinic, Patient

from .audit import record_access
from .models import AuditEntry, StaffMember

# The job queue's arguments name patients (their e-mail, their id): `stenosis-coach worker`
# and its log are the way to look at jobs.
admin.site.unregister(DBTaskResult)


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "created_at"]
    search_fields = ["name"]


@admin.register(StaffMember)
class StaffMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "clinic", "role", "active"]
    list_filter = ["clinic", "role", "active"]
    raw_id_fields = ["user"]


admin.site.unregister(User)


@admin.register(User)
class AccountAdmin(django.contrib.auth.admin.UserAdmin):
    """Django's user admin, with every look at a patient's account audited."""

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        patient = patient_of(object_id)
        if patient is not None:
            action = AuditEntry.CHANGE if request.method == "POST" else AuditEntry.READ
            record_access(request, patient, action, "admin: account page")
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # Written before the delete (same transaction): the entry keeps the patient's id
        # in its text once the patient link is emptied by the delete.
        patient = patient_of(object_id)
        if patient is not None:
            action = AuditEntry.CHANGE if request.method == "POST" else AuditEntry.READ
            record_access(request, patient, action, f"admin: delete account of {patient}")
        return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(
        self, objs: QuerySet[Model] | list[Model], request: HttpRequest
    ) -> tuple[list[Any], dict[str, int], set[str], list[Any]]:
        """The confirmation counts what goes (\"Pain check-ins: 12\"), and lists by name
        only the accounts themselves, not each record of a patient's health."""
        _, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        return [str(obj) for obj in objs], model_count, perms_needed, protected

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for patient in Patient.objects.filter(user__in=queryset):
            what = f"admin: delete account of {patient}"
            record_access(request, patient, AuditEntry.CHANGE, what)
        super().delete_queryset(request, queryset)


def patient_of(user_id: str) -> Patient | None:
    """The patient record of the account, if it is a patient's (a bad id: none)."""
    try:
        return Patient.objects.filter(user_id=int(user_id)).first()
    except (TypeError, ValueError):
        return None
