"""The caseload and the clinic report cost the same number of queries whatever the number
of patients: 3 patients or 30, with sessions, pain, walks and open alerts."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stenosis_coach.clinic.models import Alert
from stenosis_coach.outcomes.actions import record_walking_test
from stenosis_coach.patients.actions import create_patient
from stenosis_coach.patients.models import Clinic
from tests.clinic_pages import client_for
from tests.patient_pages import do_session, ready

ZONES = ["", "Europe/Madrid", "America/New_York"]
PAGES = [
    ("/clinic/", {}),
    ("/clinic/", {"show": "all"}),
    ("/clinic/", {"show": "all", "sort": "pain_change"}),
    ("/clinic/", {"show": "all", "sort": "name", "page": "2"}),
    ("/clinic/", {"show": "alerts"}),
    ("/clinic/", {"show": "inactive"}),
    ("/clinic/", {"show": "all", "q": "patient"}),
    ("/clinic/report/", {}),
]


def add_patients(clinic: Clinic, therapist: User, first: int, last: int) -> None:
    """Patients `first` to `last - 1`, each with a history: the first week, the last week,
    two walks, and (for every other one) an open alert; in three time zones."""
    now = timezone.now()
    for n in range(first, last):
        user = User.objects.create_user(f"patient{n}", f"patient{n}@example.org", "unused-pw")
        patient = ready(create_patient(user, clinic=clinic, therapist=therapist))
        patient.time_zone = ZONES[n % len(ZONES)]
        patient.save(update_fields=["time_zone"])
        for days_ago in (20, 19, 2, 1):
            do_session(patient, leg_before=n % 8, days_ago=days_ago)
        for days_ago in (20, 2):
            record_walking_test(
                patient,
                minutes=5 + n % 3,
                stopped_by_symptoms=True,
                when=now - dt.timedelta(days=days_ago),
            )
        if n % 2:
            Alert.objects.create(
                patient=patient, rule="red_flag", severity="critical", raised_at=now
            )


def queries_for(user: User, url: str, params: dict[str, str]) -> int:
    client = client_for(user)
    client.get(url, params)  # the session and the user are loaded once
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def counts(user: User) -> dict[str, int]:
    return {f"{url} {params}": queries_for(user, url, params) for url, params in PAGES}


def test_constant_queries_for_3_or_30_patients(riverside: Clinic, bob: User) -> None:
    """Every filter and sort, a second page, a search and the report (one build: uploads
    through the real actions take a while)."""
    add_patients(riverside, bob, 0, 3)
    few = counts(bob)
    add_patients(riverside, bob, 3, 30)
    many = counts(bob)
    assert few == many
    # Session, user, their second-step device, staff member (twice: the idle time-out and
    # the page); the zones, the figures, pain twice, the alert counts; the page's pain,
    # walks and alerts; the audit entry and its transaction.
    assert many["/clinic/ {'show': 'all'}"] <= 17
