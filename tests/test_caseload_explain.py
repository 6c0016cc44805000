"""PostgreSQL's plan for the caseload query: the clinic's patients through the patients'
clinic index, each joined to their summary row through its key, never a scan of every
summary row. Sequential scans are turned off, so the planner shows the index it can use
(on a handful of test rows it would rightly read whole tables)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.utils import timezone

from stenosis_coach.clinic import queries, triage
from stenosis_coach.clinic.models import StaffMember
from stenosis_coach.patients.models import Patient
from tests.patient_pages import do_session, ready

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="EXPLAIN's plans are PostgreSQL's"
)


def caseload_plan(therapist: User, filter: str) -> str:
    staff = StaffMember.objects.get(user=therapist)
    patients, condition = queries.chosen_patients(staff, filter, "")
    figures = queries.with_figures(patients, timezone.now()).filter(condition)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # until the test's transaction ends
    return figures.values(*queries.ROW_FIELDS).explain()


@pytest.mark.parametrize("filter", [queries.ALL, queries.MINE, queries.HAS_ALERTS])
def test_the_caseload_reads_summaries_through_an_index(
    alice: Patient, bob: User, filter: str
) -> None:
    ready(alice)
    do_session(alice, days_ago=1)
    triage.raise_alert(alice, "red_flag", {"day": "2026-03-03"})
    plan = caseload_plan(bob, filter)
    assert "Seq Scan on clinic_patientsummary" not in plan, plan
    assert "Index Scan using clinic_patientsummary_pkey" in plan or (
        "summary_with_open_alerts" in plan
    ), plan
    assert "Seq Scan on patients_patient" not in plan, plan
    # The schedule: the newest version through the one_number_per_version index.
    assert "Seq Scan on practice_prescriptionversion" not in plan, plan
