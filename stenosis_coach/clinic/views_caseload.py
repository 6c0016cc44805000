"""Clinic pages: the caseload (every patient of the clinic at a glance) and the clinic
report. The figures come from queries.py; each page writes one audit entry for the list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import transaction
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from stenosis_coach.access import staff_view

from . import queries
from .audit import record_access
from .models import Alert, AuditEntry, StaffMember
from .sparklines import leg_pain_sparkline

FILTER_CHOICES = [
    (queries.MINE, gettext_lazy("My patients")),
    (queries.ALL, gettext_lazy("Whole clinic")),
    (queries.HAS_ALERTS, gettext_lazy("With open alerts")),
    (queries.INACTIVE, gettext_lazy("No session in 7 days")),
]
SORT_CHOICES = [
    ("alerts", gettext_lazy("Alerts, most severe first")),
    ("name", gettext_lazy("Name")),
    ("last_session", gettext_lazy("Longest since last session")),
    ("adherence", gettext_lazy("Lowest adherence (7 days)")),
    ("pain_change", gettext_lazy("Leg pain, most increased first")),
]


class CaseloadForm(forms.Form):
    """The caseload's GET parameters; anything else is a 400 with a message."""

    show = forms.ChoiceField(label=gettext_lazy("Show"), choices=FILTER_CHOICES, required=False)
    q = forms.CharField(
        label=gettext_lazy("Name or e-mail"), max_length=queries.MAX_SEARCH, required=False
    )
    sort = forms.ChoiceField(label=gettext_lazy("Sort by"), choices=SORT_CHOICES, required=False)
    page = forms.IntegerField(
        label=gettext_lazy("Page"), min_value=1, max_value=100_000, required=False
    )


SEVERITY_WORDS = {
    Alert.Severity.CRITICAL: gettext_lazy("Critical"),
    Alert.Severity.HIGH: gettext_lazy("High"),
    Alert.Severity.MEDIUM: gettext_lazy("Medium"),
    Alert.Severity.LOW: gettext_lazy("Low"),
}


@dataclass(frozen=True)
class ShownRow:
    row: queries.CaseloadRow
    sparkline: SafeString
    badges: list[tuple[str, str, int]]  # (severity, the word for it, open alerts)


def shown_row(row: queries.CaseloadRow, now: dt.datetime) -> ShownRow:
    return ShownRow(
        row,
        leg_pain_sparkline(row.sparkline, queries.local_day(now, row.zone)),
        [(s, str(SEVERITY_WORDS.get(s, s)), n) for s, n in row.severity_counts],
    )


@require_GET
@staff_view
def caseload(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    form = CaseloadForm(request.GET)
    if not form.is_valid():
        context = {"staff": staff, "form": form, "error": invalid_message(form)}
        return render(request, "clinic/caseload.html", context, status=400)
    choice = form.cleaned_data
    with transaction.atomic():
        page = queries.caseload(
            staff,
            filter=choice["show"] or None,
            search=choice["q"],
            sort=choice["sort"] or queries.DEFAULT_SORT,
            page=choice["page"] or 1,
        )
        record_access(request, None, AuditEntry.READ, f"caseload page {page.page}")
    now = timezone.now()
    shown = [shown_row(row, now) for row in page.rows]
    context = {
        "staff": staff,
        "form": form_with(page),
        "page": page,
        "rows": shown,
        "filter_label": dict(FILTER_CHOICES)[page.filter],
        "previous_url": page_url(request.GET, page.page - 1),
        "next_url": page_url(request.GET, page.page + 1),
        "sort_urls": {key: sort_url(request.GET, key) for key, _label in SORT_CHOICES},
        "meaningful_points": queries.MEANINGFUL_PAIN_POINTS,
        "meaningful_percent": queries.MEANINGFUL_PAIN_PERCENT,
    }
    return render(request, "clinic/caseload.html", context)


def invalid_message(form: forms.Form) -> str:
    fields = ", ".join(str(form.fields[name].label or name) for name in form.errors)
    return _("Some of the choices in the address were not understood (%(fields)s).") % {
        "fields": fields
    }


def form_with(page: queries.CaseloadPage) -> CaseloadForm:
    """The form as the page was shown: the filter chosen by default is ticked too."""
    return CaseloadForm(initial={"show": page.filter, "q": page.search, "sort": page.sort})


def page_url(params: QueryDict, number: int) -> str:
    changed = params.copy()
    changed["page"] = str(number)
    return "?" + changed.urlencode()


def sort_url(params: QueryDict, sort: str) -> str:
    changed = params.copy()
    changed["sort"] = sort
    changed.pop("page", None)
    return "?" + changed.urlencode()


@require_GET
@staff_view
def report(request: HttpRequest, staff: StaffMember) -> HttpResponse:
    with transaction.atomic():
        figures = queries.clinic_report(staff)
        record_access(request, None, AuditEntry.READ, "clinic report")
    context: dict[str, Any] = {
        "staff": staff,
        "report": figures,
        "meaningful_points": queries.MEANINGFUL_PAIN_POINTS,
        "meaningful_percent": queries.MEANINGFUL_PAIN_PERCENT,
        "function_points": queries.MEANINGFUL_FUNCTION_POINTS,
    }
    return render(request, "clinic/report.html", context)


urlpatterns: list[URLPattern] = [
    path("", caseload, name="caseload"),
    path("report/", report, name="clinic-report"),
]
